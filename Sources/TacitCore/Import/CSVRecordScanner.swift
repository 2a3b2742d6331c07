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
    private var starts: [Int] = []
    private var ends: [Int] = []
    private var escaped: [Bool] = []

    init(source: ByteChunkReader, delimiter: UInt8) {
        self.source = source
        self.delimiter = delimiter
        starts.reserveCapacity(32)
        ends.reserveCapacity(32)
        escaped.reserveCapacity(32)
    }

    /// The number of fields in the current record.
    var fieldCount: Int { starts.count }

    /// The bytes of field `index` of the current record (unquoted and unescaped).
    @inline(__always)
    func field(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: source.buffer + starts[index], count: ends[index] - starts[index])
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
            if starts.count == 1 && ends[0] == starts[0] && !consumed.firstQuoted && issue == nil { continue }
            for k in 0..<starts.count where escaped[k] { unescape(k) }
            return true
        }
    }

    /// Scans one record from `source.start`, refilling and rescanning when it runs past the
    /// buffer. Returns the offset after the record and the line breaks inside quoted fields.
    private mutating func scanRecord() throws(TacitError) -> (end: Int, innerLines: Int, firstQuoted: Bool)? {
        scan: while true {
            let base = source.buffer, end = source.end, eof = source.isAtEOF, delimiter = self.delimiter
            var i = source.start
            starts.removeAll(keepingCapacity: true)
            ends.removeAll(keepingCapacity: true)
            escaped.removeAll(keepingCapacity: true)
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
                    if starts.isEmpty { firstQuoted = true }
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
                            starts.append(fieldStart); ends.append(end); escaped.append(hasEscapes)
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
                    starts.append(fieldStart); ends.append(i); escaped.append(hasEscapes)
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
                    if issue == nil { issue = .textAfterQuote(field: starts.count - 1) }
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
                    starts.append(fieldStart); ends.append(fieldEnd); escaped.append(false)
                    return (end, innerLines, firstQuoted)
                }
                if base[i] == delimiter {
                    starts.append(fieldStart); ends.append(i); escaped.append(false)
                    i += 1
                    continue
                }
                var fieldEnd = i
                if fieldEnd > fieldStart && base[fieldEnd - 1] == ByteParsing.cr { fieldEnd -= 1 }
                starts.append(fieldStart); ends.append(fieldEnd); escaped.append(false)
                return (i + 1, innerLines, firstQuoted)
            }
        }
    }

    /// Turns each `""` of field `k` into `"`, in place.
    private mutating func unescape(_ k: Int) {
        let base = source.buffer
        var read = starts[k], write = starts[k]
        let end = ends[k]
        while read < end {
            base[write] = base[read]
            read += base[read] == ByteParsing.quote ? 2 : 1
            write += 1
        }
        ends[k] = write
    }
}
