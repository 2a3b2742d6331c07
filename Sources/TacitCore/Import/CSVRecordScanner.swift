/// Splits a delimited file into records and fields (RFC 4180), in place in the read buffer.
///
/// - Fields may be quoted with `"`; inside quotes, delimiters and line breaks are data and `""`
///   is one quote. A quote inside an unquoted field is kept as an ordinary character.
/// - Records end at LF or CRLF; the last one may end at the end of the file. Empty lines are
///   skipped.
/// - A field's bytes stay valid until the next call to ``next()``.
///
/// Malformed records (text after a closing quote, a quote left open at the end of the file) are
/// returned with ``issue`` set, so the caller can stop or skip them.
struct CSVRecordScanner {
    /// What is wrong with the current record's quoting.
    enum Issue: Equatable {
        /// Text after a closing quote in the field at this (0-based) index.
        case textAfterQuote(field: Int)
        /// A quoted field that is still open at the end of the file.
        case unterminatedQuote
    }

    let source: ByteChunkReader
    let delimiter: UInt8
    /// The 1-based physical line on which the current record starts.
    private(set) var line = 0
    /// The problem with the current record, if any.
    private(set) var issue: Issue?
    private var nextLine = 1
    /// The number of fields in the current record.
    private(set) var fieldCount = 0
    /// Field `k` spans `bounds[2k] ..< bounds[2k + 1]` of the buffer; `escaped[k]` says whether it
    /// still holds doubled quotes. Raw storage (owned by `storage`) keeps the per-field work free
    /// of array uniqueness checks.
    private let storage = FieldStorage()
    private var bounds: UnsafeMutablePointer<Int>
    private var escaped: UnsafeMutablePointer<Bool>

    init(source: ByteChunkReader, delimiter: UInt8) {
        self.source = source
        self.delimiter = delimiter
        bounds = storage.bounds
        escaped = storage.escaped
    }

    /// The bytes of field `index` (`0 ..< fieldCount`) of the current record, unquoted and unescaped.
    @inline(__always)
    func field(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        precondition(index >= 0 && index < fieldCount, "field index out of range")
        return UnsafeBufferPointer(start: source.buffer + bounds[2 * index], count: bounds[2 * index + 1] - bounds[2 * index])
    }

    @inline(__always)
    private mutating func push(_ start: Int, _ end: Int, _ hasEscapes: Bool) {
        if fieldCount == storage.capacity {
            storage.grow()
            bounds = storage.bounds
            escaped = storage.escaped
        }
        bounds[2 * fieldCount] = start
        bounds[2 * fieldCount + 1] = end
        escaped[fieldCount] = hasEscapes
        fieldCount += 1
    }

    /// Every field of the current record as a string (for headers and catalogs).
    func strings() -> [String] {
        (0..<fieldCount).map { String(decoding: field($0), as: UTF8.self) }
    }

    /// Advances to the next non-empty record.
    /// - Returns: `false` at the end of the file.
    mutating func next() throws(TacitError) -> Bool {
        while true {
            guard let consumed = try scanRecord() else { return false }
            source.start = consumed.end
            line = nextLine
            nextLine += 1 + consumed.innerLines
            if fieldCount == 1 && bounds[1] == bounds[0] && !consumed.firstQuoted && issue == nil { continue }
            for k in 0..<fieldCount where escaped[k] { unescape(k) }
            return true
        }
    }

    /// Scans one record from `source.start`, refilling and rescanning when it runs past the
    /// buffer. Returns the offset after the record and the line breaks inside quoted fields.
    private mutating func scanRecord() throws(TacitError) -> (end: Int, innerLines: Int, firstQuoted: Bool)? {
        scan: while true {
            let base = source.buffer, end = source.end, eof = source.isAtEOF, delimiter = self.delimiter
            var i = source.start
            fieldCount = 0
            issue = nil
            var innerLines = 0, firstQuoted = false
            if i == end {
                if eof { return nil }
                try source.refill()
                continue scan
            }
            while true {
                // At the start of a field.
                if i < end && base[i] == ByteParsing.quote {
                    if fieldCount == 0 { firstQuoted = true }
                    i += 1
                    let fieldStart = i
                    var hasEscapes = false
                    while true {
                        while i < end && base[i] != ByteParsing.quote {
                            if base[i] == ByteParsing.lf { innerLines += 1 }
                            i += 1
                        }
                        if i + 1 >= end && !eof {           // need the byte after the quote
                            try source.refill()
                            continue scan
                        }
                        if i == end {                       // open at the end of the file
                            push(fieldStart, end, hasEscapes)
                            issue = .unterminatedQuote
                            return (end, innerLines, firstQuoted)
                        }
                        if i + 1 < end && base[i + 1] == ByteParsing.quote {
                            hasEscapes = true
                            i += 2
                            continue
                        }
                        break
                    }
                    push(fieldStart, i, hasEscapes)
                    i += 1                                  // past the closing quote
                    if i == end { return (end, innerLines, firstQuoted) }   // eof (checked above)
                    let c = base[i]
                    if c == delimiter { i += 1; continue }
                    if c == ByteParsing.lf { return (i + 1, innerLines, firstQuoted) }
                    if c == ByteParsing.cr && i + 1 < end && base[i + 1] == ByteParsing.lf {
                        return (i + 2, innerLines, firstQuoted)
                    }
                    if c == ByteParsing.cr && i + 1 == end {
                        if eof { return (end, innerLines, firstQuoted) }
                        try source.refill()
                        continue scan
                    }
                    if issue == nil { issue = .textAfterQuote(field: fieldCount - 1) }
                    // Recover: the rest of this field up to the next delimiter or line break is dropped.
                    while i < end && base[i] != delimiter && base[i] != ByteParsing.lf { i += 1 }
                    if i == end {
                        if !eof { try source.refill(); continue scan }
                        return (end, innerLines, firstQuoted)
                    }
                    if base[i] == delimiter { i += 1; continue }
                    return (i + 1, innerLines, firstQuoted)
                }
                let fieldStart = i
                while i < end {
                    let c = base[i]
                    if c == delimiter || c == ByteParsing.lf { break }
                    i += 1
                }
                if i == end {
                    if !eof { try source.refill(); continue scan }
                    var fieldEnd = end
                    if fieldEnd > fieldStart && base[fieldEnd - 1] == ByteParsing.cr { fieldEnd -= 1 }
                    push(fieldStart, fieldEnd, false)
                    return (end, innerLines, firstQuoted)
                }
                if base[i] == delimiter {
                    push(fieldStart, i, false)
                    i += 1
                    continue
                }
                var fieldEnd = i
                if fieldEnd > fieldStart && base[fieldEnd - 1] == ByteParsing.cr { fieldEnd -= 1 }
                push(fieldStart, fieldEnd, false)
                return (i + 1, innerLines, firstQuoted)
            }
        }
    }

    /// Turns each `""` of field `k` into `"`, in place.
    private mutating func unescape(_ k: Int) {
        let base = source.buffer
        var read = bounds[2 * k], write = bounds[2 * k]
        let end = bounds[2 * k + 1]
        while read < end {
            base[write] = base[read]
            read += base[read] == ByteParsing.quote ? 2 : 1
            write += 1
        }
        bounds[2 * k + 1] = write
    }
}

/// The field bounds of ``CSVRecordScanner``, in raw memory freed with this object.
final class FieldStorage {
    private(set) var capacity = 64
    private(set) var bounds: UnsafeMutablePointer<Int>
    private(set) var escaped: UnsafeMutablePointer<Bool>

    init() {
        bounds = .allocate(capacity: 2 * capacity)
        escaped = .allocate(capacity: capacity)
    }

    deinit {
        bounds.deallocate()
        escaped.deallocate()
    }

    /// Doubles the capacity, keeping the contents.
    func grow() {
        let newBounds = UnsafeMutablePointer<Int>.allocate(capacity: 4 * capacity)
        newBounds.update(from: bounds, count: 2 * capacity)
        let newEscaped = UnsafeMutablePointer<Bool>.allocate(capacity: 2 * capacity)
        newEscaped.update(from: escaped, count: capacity)
        bounds.deallocate()
        escaped.deallocate()
        bounds = newBounds
        escaped = newEscaped
        capacity *= 2
    }
}
