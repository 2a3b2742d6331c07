#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Splits a file into lines (LF or CRLF), streaming through a ``ByteChunkReader``.
struct LineScanner {
    let source: ByteChunkReader
    /// The 1-based number of the current line.
    private(set) var line = 0

    init(source: ByteChunkReader) { self.source = source }

    /// The next line without its line break (valid until the next call), or `nil` at the end.
    mutating func next() throws(TacitError) -> UnsafeBufferPointer<UInt8>? {
        while true {
            let start = source.start, end = source.end
            if start == end {
                if source.isAtEOF { return nil }
                try source.refill()
                continue
            }
            let base = source.buffer
            var lineEnd: Int
            if let found = memchr(base + start, Int32(ByteParsing.lf), end - start) {
                lineEnd = start + (found.assumingMemoryBound(to: UInt8.self) - (base + start))
                source.start = lineEnd + 1
            } else if source.isAtEOF {
                lineEnd = end
                source.start = end
            } else {
                try source.refill()
                continue
            }
            if lineEnd > start && base[lineEnd - 1] == ByteParsing.cr { lineEnd -= 1 }
            line += 1
            return UnsafeBufferPointer(start: base + start, count: lineEnd - start)
        }
    }
}
