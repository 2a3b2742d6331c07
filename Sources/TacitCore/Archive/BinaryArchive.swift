#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A 64-bit checksum over 8-byte words (multiply-xorshift), fast enough for gigabyte files.
struct Checksum {
    private(set) var value: UInt64 = 0x9e37_79b9_7f4a_7c15

    mutating func add(_ raw: UnsafeRawBufferPointer) {
        var h = value
        let words = raw.count / 8
        for w in 0..<words {
            let x = raw.loadUnaligned(fromByteOffset: w * 8, as: UInt64.self)
            h = (h ^ x) &* 0xff51_afd7_ed55_8ccd
            h ^= h >> 29
        }
        for b in raw[(words * 8)...] { h = (h ^ UInt64(b)) &* 0xc4ce_b9fe_1a85_ec53 }
        value = h
    }
}

/// Writes a versioned binary file: an 8-byte magic, a version, named-by-position sections of
/// plain values each padded to 8 bytes, and a checksum of everything after the header.
///
/// Layout: `magic(8) version(u32) reserved(u32) payloadLength(u64) checksum(u64)` then the
/// payload. Sections stream to a temporary file as they are written (a model's arrays are never
/// copied into one big buffer); ``finish()`` writes the header and renames the file into place,
/// so a reader never sees a half-written archive. Write errors are kept and thrown by
/// ``finish()``. Readers map the file and point straight into it (see ``ArchiveReader``).
public struct ArchiveWriter {
    private let path: String
    private let temporary: String
    private let file: FileWriter
    private let magic: [UInt8]
    private let version: UInt32
    private var checksum = Checksum()
    private var length = 0
    private var failure: TacitError?
    /// How ``write(table:width:)`` stores float tables (set from the model's `precision`).
    public var tablePrecision = TablePrecision.f32

    /// Starts an archive that ``finish()`` moves to `path`.
    /// - Parameter magic: exactly 8 ASCII bytes naming the file type (for example `TACITMX1`).
    public init(path: String, magic: String, version: UInt32) throws(TacitError) {
        precondition(magic.utf8.count == 8, "archive magic must be 8 bytes")
        self.path = path
        self.magic = Array(magic.utf8)
        self.version = version
        temporary = path + ".tmp-\(getpid())"
        do { file = try FileWriter(path: temporary) } catch { throw .io(path: path, reason: error.description) }
        do { try file.append([UInt8](repeating: 0, count: 32)) } catch { failure = error }
    }

    /// Appends one integer.
    public mutating func write(_ value: Int) { write(array: [Int64(value)]) }

    /// Appends one real number.
    public mutating func write(_ value: Double) { write(array: [value]) }

    /// Appends a section of plain values, padded to a multiple of 8 bytes.
    public mutating func write<T: BitwiseCopyable>(array: some Collection<T>) {
        if let done: Void = array.withContiguousStorageIfAvailable({ write(buffer: $0) }) { return done }
        Array(array).withUnsafeBufferPointer { write(buffer: $0) }
    }

    /// Appends a section from a buffer.
    public mutating func write<T: BitwiseCopyable>(buffer: UnsafeBufferPointer<T>) {
        withUnsafeBytes(of: Int64(buffer.count).littleEndian) { emit($0, hashed: true) }
        let raw = UnsafeRawBufferPointer(buffer)
        // Whole 8-byte words go straight out; the tail is padded with zeros to a full word.
        let words = raw.count / 8 * 8
        if words > 0 { emit(UnsafeRawBufferPointer(rebasing: raw[0..<words]), hashed: true) }
        if words < raw.count {
            var tail = [UInt8](raw[words...])
            while tail.count % 8 != 0 { tail.append(0) }
            tail.withUnsafeBytes { emit($0, hashed: true) }
        }
    }

    /// Appends a UTF-8 string section.
    public mutating func write(string: String) { write(array: Array(string.utf8)) }

    /// Appends an id map (arena and offsets).
    public mutating func write(_ map: IDMap) {
        let storage = map.storage
        write(array: storage.offsets.map { Int64($0) })
        write(array: storage.arena)
    }

    private mutating func emit(_ bytes: UnsafeRawBufferPointer, hashed: Bool) {
        guard failure == nil, bytes.count > 0 else { return }
        if hashed {
            checksum.add(bytes)
            length += bytes.count
        }
        do { try file.append(bytes: bytes) } catch { failure = error }
    }

    /// Writes the header, closes the file and renames it to its path; throws the first write
    /// error (and removes the temporary file) instead when there was one.
    public func finish() throws(TacitError) {
        var header: [UInt8] = magic
        withUnsafeBytes(of: version.littleEndian) { header.append(contentsOf: $0) }
        withUnsafeBytes(of: UInt32(0)) { header.append(contentsOf: $0) }
        withUnsafeBytes(of: UInt64(length).littleEndian) { header.append(contentsOf: $0) }
        withUnsafeBytes(of: checksum.value.littleEndian) { header.append(contentsOf: $0) }
        do throws(TacitError) {
            if let failure { throw failure }
            try file.close()
            let fd = open(temporary, O_WRONLY)
            guard fd >= 0 else { throw TacitError.io(path: path, reason: "cannot reopen to write the header") }
            let written = header.withUnsafeBytes { pwrite(fd, $0.baseAddress, 32, 0) }
            let closed = close(fd)
            guard written == 32, closed == 0 else { throw TacitError.io(path: path, reason: "cannot write the header") }
        } catch {
            unlink(temporary)
            throw .io(path: path, reason: error.description)
        }
        guard rename(temporary, path) == 0 else { unlink(temporary); throw .io(path: path, reason: "rename failed") }
    }
}

/// Reads a file written by ``ArchiveWriter`` through a memory mapping: sections come back as
/// ``StorageBuffer``s that point into the mapping (no copy).
public struct ArchiveReader {
    private let mapping: FileMapping
    private let path: String
    private var offset = 32
    /// The file's format version.
    public let version: UInt32
    /// How the tables ``readTable(rows:width:what:)`` reads were stored.
    public var tablePrecision = TablePrecision.f32

    /// Maps `path` and checks its magic, length and (when `verify`) checksum.
    /// Versions other than `supportedVersion` are refused with a message naming both.
    public init(path: String, magic: String, supportedVersion: UInt32, verify: Bool = true) throws(TacitError) {
        try self.init(path: path, magic: magic, supportedVersions: supportedVersion...supportedVersion, verify: verify)
    }

    /// Maps `path` and checks its magic, length and (when `verify`) checksum; a file whose
    /// version is outside `supportedVersions` is refused with a message naming both.
    public init(path: String, magic: String, supportedVersions: ClosedRange<UInt32>, verify: Bool = true) throws(TacitError) {
        mapping = try FileMapping(path: path)
        self.path = path
        let base = mapping.base
        guard mapping.length >= 32 else { throw .format(path: path, reason: "too short to be a Tacit file") }
        let found = Array(UnsafeRawBufferPointer(start: base, count: 8))
        guard found == Array(magic.utf8) else {
            throw .format(path: path, reason: "not a \(magic) file (magic '\(String(decoding: found.map { $0 < 32 || $0 > 126 ? 63 : $0 }, as: UTF8.self))')")
        }
        version = UInt32(littleEndian: base.loadUnaligned(fromByteOffset: 8, as: UInt32.self))
        guard supportedVersions.contains(version) else {
            let readable = supportedVersions.count == 1 ? "version \(supportedVersions.lowerBound)"
                : "versions \(supportedVersions.lowerBound) to \(supportedVersions.upperBound)"
            throw .format(path: path, reason: "format version \(version) is not supported (this build reads \(readable))")
        }
        let length = Int(UInt64(littleEndian: base.loadUnaligned(fromByteOffset: 16, as: UInt64.self)))
        guard length == mapping.length - 32 else {
            throw .format(path: path, reason: "truncated or padded: header says \(length) payload bytes, file has \(mapping.length - 32)")
        }
        if verify {
            var checksum = Checksum()
            checksum.add(UnsafeRawBufferPointer(start: base + 32, count: length))
            let stored = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: 24, as: UInt64.self))
            guard checksum.value == stored else { throw .format(path: path, reason: "checksum mismatch: the file is corrupt") }
        }
    }

    /// Whether every section has been read.
    public var isAtEnd: Bool { offset >= mapping.length }

    /// The bytes not read yet: a bound on what the remaining sections can hold, to check a size
    /// read from the file before allocating for it.
    public var remainingBytes: Int { max(0, mapping.length - offset) }

    /// A format error naming this file, for sections that do not make sense.
    public func formatError(_ reason: String) -> TacitError { .format(path: path, reason: reason) }

    /// Reads one real number (written with ``ArchiveWriter/write(_:)-(Double)``).
    public mutating func readDouble() throws(TacitError) -> Double {
        let buffer: StorageBuffer<Double> = try read()
        guard buffer.count == 1 else { throw formatError("expected a number section") }
        return buffer[0]
    }

    /// Reads a section that must hold exactly `count` elements.
    public mutating func read<T: BitwiseCopyable>(count: Int, as type: T.Type = T.self, what: String) throws(TacitError) -> StorageBuffer<T> {
        let buffer: StorageBuffer<T> = try read()
        guard buffer.count == count else { throw formatError("\(what): expected \(count) values, found \(buffer.count)") }
        return buffer
    }

    /// Reads one integer.
    public mutating func readInt() throws(TacitError) -> Int {
        let buffer: StorageBuffer<Int64> = try read()
        guard buffer.count == 1 else { throw .format(path: path, reason: "expected an integer section") }
        return Int(buffer[0])
    }

    /// Reads the next section as a buffer pointing into the mapping.
    public mutating func read<T: BitwiseCopyable>(as type: T.Type = T.self) throws(TacitError) -> StorageBuffer<T> {
        guard offset + 8 <= mapping.length else { throw .format(path: path, reason: "unexpected end of file") }
        let count = Int(Int64(littleEndian: mapping.base.loadUnaligned(fromByteOffset: offset, as: Int64.self)))
        offset += 8
        // A corrupt or hostile count must not overflow (and trap) on its way to the bounds check.
        let (bytes, overflow) = count.multipliedReportingOverflow(by: MemoryLayout<T>.stride)
        guard count >= 0, !overflow, bytes <= mapping.length - offset else {
            throw .format(path: path, reason: "section of \(count) elements runs past the end of the file")
        }
        let pointer = (mapping.base + offset).assumingMemoryBound(to: T.self)
        offset += (bytes + 7) / 8 * 8
        return StorageBuffer(borrowing: pointer, count: count, owner: mapping)
    }

    /// Reads a UTF-8 string section.
    public mutating func readString() throws(TacitError) -> String {
        let bytes: StorageBuffer<UInt8> = try read()
        return String(decoding: bytes.buffer, as: UTF8.self)
    }

    /// Reads an id map.
    public mutating func readIDMap() throws(TacitError) -> IDMap {
        let offsets: StorageBuffer<Int64> = try read()
        let arena: StorageBuffer<UInt8> = try read()
        guard offsets.count >= 1, Int(offsets[offsets.count - 1]) == arena.count else {
            throw .format(path: path, reason: "corrupt id table")
        }
        return IDMap(arena: arena.array, offsets: offsets.buffer.map { Int($0) })
    }
}
