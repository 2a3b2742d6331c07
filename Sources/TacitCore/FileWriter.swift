#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A buffered output file: bytes gather in a 1 MiB buffer that goes out with `write(2)`.
///
/// Used by the generator, the CLI's CSV output and the binary archives. Used from one thread at
/// a time (not `Sendable`).
public final class FileWriter {
    /// The file's path ("-" for standard output).
    public let path: String
    private var fd: Int32
    private let ownsDescriptor: Bool
    private var buffer: [UInt8] = []
    private let capacity = 1 << 20

    /// Creates or truncates the file at `path`; "-" writes to standard output.
    public init(path: String) throws(TacitError) {
        self.path = path
        if path == "-" {
            fd = 1
            ownsDescriptor = false
        } else {
            fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            ownsDescriptor = true
            guard fd >= 0 else { throw .io(path: path, reason: "cannot create (\(String(cString: strerror(errno))))") }
        }
        buffer.reserveCapacity(capacity)
    }

    deinit { if fd >= 0 && ownsDescriptor { _ = Glibc_close(fd) } }

    /// Appends one line of text and a newline.
    public func appendLine(_ line: String) throws(TacitError) {
        try append(line)
        if buffer.count + 1 > capacity { try flush() }
        buffer.append(10)
    }

    /// Appends raw bytes.
    public func append(bytes: UnsafeRawBufferPointer) throws(TacitError) {
        if buffer.count + bytes.count > capacity { try flush() }
        if bytes.count >= capacity {
            try writeAll(bytes)
        } else {
            buffer.append(contentsOf: bytes)
        }
    }

    /// Appends a string's UTF-8 bytes.
    public func append(_ string: String) throws(TacitError) {
        let utf8 = string.utf8
        if buffer.count + utf8.count > capacity { try flush() }
        buffer.append(contentsOf: utf8)
    }

    /// Appends bytes, writing the buffer out when it fills.
    public func append(_ bytes: [UInt8]) throws(TacitError) {
        if buffer.count + bytes.count > capacity { try flush() }
        if bytes.count >= capacity {
            try writeAll(bytes)
        } else {
            buffer.append(contentsOf: bytes)
        }
    }

    /// Writes `bytes` straight to the file (after what is buffered).
    public func write(_ bytes: [UInt8]) throws(TacitError) {
        try flush()
        try writeAll(bytes)
    }

    /// Writes the buffered bytes out.
    public func flush() throws(TacitError) {
        guard !buffer.isEmpty else { return }
        try writeAll(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes and closes the file (standard output is only flushed).
    public func close() throws(TacitError) {
        try flush()
        guard ownsDescriptor else { return }
        let result = Glibc_close(fd)
        fd = -1
        guard result == 0 else { throw .io(path: path, reason: "close failed (\(String(cString: strerror(errno))))") }
    }

    private func writeAll(_ bytes: [UInt8]) throws(TacitError) {
        var failure: TacitError?
        bytes.withUnsafeBytes { raw in
            do throws(TacitError) { try writeAll(raw) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    private func writeAll(_ raw: UnsafeRawBufferPointer) throws(TacitError) {
        var offset = 0, failed: Int32?
        while offset < raw.count {
            let n = Glibc_write(fd, raw.baseAddress! + offset, raw.count - offset)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { failed = errno; break }
            offset += n
        }
        if let failed { throw .io(path: path, reason: "write failed (\(String(cString: strerror(failed))))") }
    }
}

@inline(__always) private func Glibc_write(_ fd: Int32, _ p: UnsafeRawPointer, _ n: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.write(fd, p, n)
    #else
    return Darwin.write(fd, p, n)
    #endif
}

@inline(__always) private func Glibc_close(_ fd: Int32) -> Int32 {
    #if canImport(Glibc)
    return Glibc.close(fd)
    #else
    return Darwin.close(fd)
    #endif
}
