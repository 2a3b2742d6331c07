#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file in large chunks into one growable buffer, for the streaming readers.
///
/// The readers parse `buffer[start ..< end]` and advance `start` past each complete record. When
/// a record runs past `end`, ``refill()`` moves the unconsumed tail to the front and reads the next
/// chunk after it, growing the buffer only when a single record is larger than it. Memory stays at
/// one chunk (4 MiB by default), whatever the file size.
final class ByteChunkReader {
    /// The path, as given (used in messages).
    let path: String
    /// The file's size in bytes when known (for capacity estimates).
    private(set) var fileSize: Int?
    private(set) var buffer: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int
    /// The first byte not yet consumed.
    var start = 0
    /// One past the last byte read.
    private(set) var end = 0
    /// Whether the whole file has been read into the buffer (everything up to `end`).
    private(set) var isAtEOF = false
    private var descriptor: Int32

    init(path: String, chunkSize: Int = 4 << 20) throws(TacitError) {
        self.path = path
        capacity = max(chunkSize, 64)
        buffer = .allocate(capacity: capacity)
        descriptor = open(path, O_RDONLY)
        // Every stored property is set, so `deinit` frees the buffer when this throws.
        guard descriptor >= 0 else {
            throw TacitError.io(path: path, reason: "cannot open: \(String(cString: strerror(errno)))")
        }
        var info = stat()
        if fstat(descriptor, &info) == 0 {
            if (info.st_mode & S_IFMT) == S_IFDIR {
                throw TacitError.io(path: path, reason: "is a directory, not a file")
            }
            fileSize = Int(info.st_size)
        }
        _ = try refill()
        // A UTF-8 byte order mark is not part of the first field.
        if end >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF { start = 3 }
    }

    deinit {
        buffer.deallocate()
        if descriptor >= 0 { close(descriptor) }
    }

    /// The unconsumed bytes.
    var available: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: buffer + start, count: end - start) }

    /// Moves the unconsumed bytes to the front of the buffer and reads more after them.
    ///
    /// Positions into the buffer are invalid afterwards: the unconsumed bytes now start at 0.
    /// - Returns: `false` when the end of the file was reached and nothing new was read.
    @discardableResult
    func refill() throws(TacitError) -> Bool {
        if isAtEOF { return false }
        if start > 0 {
            let pending = end - start
            if pending > 0 { (buffer).update(from: buffer + start, count: pending) }
            end = pending
            start = 0
        }
        if end == capacity {
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
            grown.update(from: buffer, count: end)
            buffer.deallocate()
            buffer = grown
            capacity *= 2
        }
        while true {
            let n = read(descriptor, buffer + end, capacity - end)
            if n > 0 {
                end += n
                return true
            }
            if n == 0 {
                isAtEOF = true
                close(descriptor)
                descriptor = -1
                return false
            }
            if errno == EINTR { continue }
            throw TacitError.io(path: path, reason: "read failed: \(String(cString: strerror(errno)))")
        }
    }

    /// Estimates how many lines the file has from the lines in the first buffer (for reserving
    /// capacity); `nil` when the size is unknown.
    func estimatedLineCount() -> Int? {
        guard let fileSize, end > start else { return nil }
        var lines = 0
        for b in available where b == ByteParsing.lf { lines += 1 }
        if isAtEOF { return lines + 1 }
        guard lines > 0 else { return nil }
        return Int(Double(fileSize) * Double(lines) / Double(end - start)) + 1
    }
}
