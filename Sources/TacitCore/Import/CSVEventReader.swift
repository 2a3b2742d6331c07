/// Streams events from a CSV or TSV file with a header row into an ``EventLog``.
///
/// The file is read in 4 MiB chunks and parsed in place: ids are interned straight from the
/// input bytes, numbers and dates are parsed by hand, and memory grows with the events, not the
/// file. Quoting follows RFC 4180 (quoted fields may hold delimiters, `""` and line breaks);
/// LF and CRLF line ends, a UTF-8 byte order mark and UTF-8 ids are accepted; empty lines are
/// skipped. Columns are found by ``ColumnMapping``.
///
/// Fields:
/// - ids are taken exactly as written (after unquoting), and must be non-empty UTF-8;
/// - the kind is trimmed and lowercased (see ``EventKind``);
/// - the timestamp is integer seconds since 1970 (a fraction is floored) or an ISO-8601 date
///   such as `2024-05-01T12:00:00Z`, `2024-05-01T14:00:00.250+02:00` or `2024-05-01 12:00:00`
///   (UTC when no offset is given);
/// - the value is a decimal number, or empty for none (stored as NaN).
///
/// By default the first bad row throws `TacitError.invalidRow` with its 1-based line; events
/// accepted before it stay in the log. With `skipInvalid`, bad rows are counted by reason in the
/// ``ImportReport`` instead.
public struct CSVEventReader: Sendable {
    /// Where each field comes from, and the delimiter.
    public var mapping: ColumnMapping
    /// Whether bad rows are skipped (and counted) rather than thrown.
    public var skipInvalid: Bool

    /// Creates a reader.
    public init(mapping: ColumnMapping = .automatic, skipInvalid: Bool = false) {
        self.mapping = mapping
        self.skipInvalid = skipInvalid
    }

    /// Appends the events of the file at `path` to `log`, in file order.
    ///
    /// - Throws: `TacitError.io` when the file cannot be read, `.format` when the header lacks a
    ///   required column, `.invalidRow` at the first bad row unless `skipInvalid`.
    /// - Complexity: O(file size), one pass.
    public func read(path: String, into log: inout EventLog) throws(TacitError) -> ImportReport {
        let timer = ImportTimer()
        let source = try ByteChunkReader(path: path)
        let available = source.available
        let headerLine = UnsafeBufferPointer(rebasing: available[..<(available.firstIndex(of: ByteParsing.lf) ?? available.count)])
        var scanner = CSVRecordScanner(source: source, delimiter: mapping.delimiter(forPath: path, headerLine: headerLine))
        guard try scanner.next() else { throw TacitError.format(path: path, reason: "the file is empty (no header row)") }
        guard scanner.issue == nil else {
            throw TacitError.format(path: path, reason: "line \(scanner.line): the header row has a malformed quoted field")
        }
        let columns = try mapping.resolve(header: scanner.strings(), path: path)
        if let lines = source.estimatedLineCount() { log.reserveCapacity(log.count + lines) }
        var sink = EventRowSink(path: path, mapping: mapping, skipInvalid: skipInvalid)
        do {
            try readRows(&scanner, columns: columns, sink: &sink, into: &log)
        } catch {
            sink.flush(into: &log)          // the rows accepted before the error stay
            throw error
        }
        sink.flush(into: &log)
        sink.report.seconds = timer.seconds
        return sink.report
    }

    private func readRows(
        _ scanner: inout CSVRecordScanner, columns: ResolvedColumns, sink: inout EventRowSink, into log: inout EventLog
    ) throws(TacitError) {
        while try scanner.next() {
            sink.report.rowsRead += 1
            let line = scanner.line
            if let issue = scanner.issue {
                switch issue {
                case .unterminatedQuote:
                    try sink.reject(.unterminatedQuote, line: line, "quoted field opened on this line is never closed")
                case .textAfterQuote(let field):
                    try sink.reject(.textAfterQuote, line: line, "text after the closing quote in field \(field + 1)")
                }
                continue
            }
            guard scanner.fieldCount == columns.fieldCount else {
                try sink.reject(
                    .wrongFieldCount, line: line,
                    "expected \(columns.fieldCount) fields (as in the header), found \(scanner.fieldCount)")
                continue
            }
            try sink.accept(
                user: scanner.field(columns.user), item: scanner.field(columns.item),
                kind: columns.kind.map { scanner.field($0) }, timestamp: columns.timestamp.map { scanner.field($0) },
                value: columns.value.map { scanner.field($0) }, line: line, into: &log)
        }
    }
}
