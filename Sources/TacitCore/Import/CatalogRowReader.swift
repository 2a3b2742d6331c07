/// One field of a catalog row: text, or a list (a JSON array).
enum CatalogValue: Equatable {
    case text(String)
    case list([String])
}

/// One row of a catalog file: its line and its named fields (JSON `null`s left out).
struct CatalogRow {
    var line: Int
    var names: [String]
    var lowercasedNames: [String]
    var values: [CatalogValue]

    /// The name of the first field whose value (or name) holds a NUL character, which no store
    /// keeps as text (PostgreSQL refuses it): the row is a bad row, as at the HTTP edge.
    var fieldWithNUL: String? {
        func hasNUL(_ text: String) -> Bool { text.utf8.contains(0) }
        for (name, value) in zip(names, values) {
            switch value {
            case .text(let text): if hasNUL(text) || hasNUL(name) { return name }
            case .list(let items): if hasNUL(name) || items.contains(where: hasNUL) { return name }
            }
        }
        return nil
    }

    /// The row's other fields as attributes, under their names as written: every field whose
    /// lowercase name is not in `excluded`, has a name, and has a non-empty value (lists joined
    /// with `|`). Items and users files share it.
    func attributes(excluding excluded: Set<String>) -> [String: String] {
        var attributes: [String: String] = [:]
        for k in names.indices where !excluded.contains(lowercasedNames[k]) && !names[k].isEmpty {
            if let text = ItemCatalogReader.text(values[k]) { attributes[names[k]] = text }
        }
        return attributes
    }

    /// The field named by the first of `aliases` (lowercase) present in the row and not in
    /// `excluded`, and its name.
    func value(forAnyOf aliases: [String], excluding excluded: Set<String> = []) -> (name: String, value: CatalogValue)? {
        for alias in aliases where !excluded.contains(alias) {
            if let k = lowercasedNames.firstIndex(of: alias) { return (lowercasedNames[k], values[k]) }
        }
        return nil
    }
}

/// Reads the rows of a small catalog file (items, users) as named fields, from CSV/TSV with a
/// header row or from JSON lines, with the same quoting, line-number and skip rules as the
/// event readers. Rows are materialised as strings: catalogs are small next to event logs.
struct CatalogRowReader {
    let path: String
    /// The header's column names for a delimited file (trimmed); `nil` for JSON lines.
    let header: [String]?
    private let lowercasedHeader: [String]
    private var scanner: CSVRecordScanner?
    private var lines: LineScanner?
    private let scratch = ByteScratch()

    init(path: String, delimiter: UInt8?) throws(TacitError) {
        self.path = path
        let source = try ByteChunkReader(path: path)
        let format = try EventImporter.Format(path: path)
        guard format != .archive else {
            throw TacitError.invalidArgument("\(path): a catalogue is a CSV, TSV or JSON lines file, not a .tmx matrix file")
        }
        if format == .jsonLines {
            lines = LineScanner(source: source)
            header = nil
            lowercasedHeader = []
            return
        }
        let available = source.available
        let headerLine = UnsafeBufferPointer(rebasing: available[..<(available.firstIndex(of: ByteParsing.lf) ?? available.count)])
        var mapping = ColumnMapping(delimiter: delimiter)
        if format == .tsv && delimiter == nil { mapping.delimiter = ByteParsing.tab }
        var scanner = CSVRecordScanner(source: source, delimiter: mapping.delimiter(forPath: path, headerLine: headerLine))
        guard try scanner.next() else { throw TacitError.format(path: path, reason: "the file is empty (no header row)") }
        guard scanner.issue == nil else {
            throw TacitError.format(path: path, reason: "line \(scanner.line): the header row has a malformed quoted field")
        }
        let header = scanner.strings().map { ByteParsing.trim($0) }
        self.header = header
        lowercasedHeader = header.map { $0.lowercased() }
        self.scanner = scanner
    }

    /// The next valid row, or `nil` at the end; invalid rows are rejected through `report`.
    mutating func next(report: inout ImportReport, skipInvalid: Bool) throws(TacitError) -> CatalogRow? {
        if var scanner, let header {
            self.scanner = nil                  // keep the copy unique while it runs
            defer { self.scanner = scanner }
            while try scanner.next() {
                report.rowsRead += 1
                if let issue = scanner.issue {
                    switch issue {
                    case .unterminatedQuote:
                        try report.reject(.unterminatedQuote, line: scanner.line, skipInvalid: skipInvalid,
                                          "quoted field opened on this line is never closed")
                    case .textAfterQuote(let field):
                        try report.reject(.textAfterQuote, line: scanner.line, skipInvalid: skipInvalid,
                                          "text after the closing quote in field \(field + 1)")
                    }
                    continue
                }
                guard scanner.fieldCount == header.count else {
                    try report.reject(.wrongFieldCount, line: scanner.line, skipInvalid: skipInvalid,
                                      "expected \(header.count) fields (as in the header), found \(scanner.fieldCount)")
                    continue
                }
                return CatalogRow(line: scanner.line, names: header, lowercasedNames: lowercasedHeader,
                                  values: scanner.strings().map { .text($0) })
            }
            return nil
        }
        guard var lines else { return nil }
        defer { self.lines = lines }
        while let text = try lines.next() {
            let line = ByteParsing.trimmed(text)
            if line.isEmpty { continue }
            report.rowsRead += 1
            do {
                return try parseObject(line, number: lines.line)
            } catch {
                try report.reject(.badJSON, line: lines.line, skipInvalid: skipInvalid,
                                  "invalid JSON: \(error.message) at column \(error.offset + 1)")
            }
        }
        return nil
    }

    private func parseObject(_ line: UnsafeBufferPointer<UInt8>, number: Int) throws(JSONCursor.SyntaxError) -> CatalogRow {
        scratch.removeAll()
        var row = CatalogRow(line: number, names: [], lowercasedNames: [], values: [])
        var cursor = JSONCursor(line)
        var more = try cursor.openObject()
        while more {
            let key = string(try cursor.key(scratch: scratch), line)
            let token = try cursor.value(scratch: scratch)
            var value: CatalogValue?
            if case .array(let range) = token {
                var items: [String] = []
                let array = UnsafeBufferPointer(rebasing: line[range])
                var inner = JSONCursor(array)
                try inner.arrayElements(scratch: scratch) { element in
                    if let text = self.text(element, array) { items.append(text) }
                }
                value = .list(items)
            } else {
                value = text(token, line).map { .text($0) }
            }
            if let value {
                row.names.append(key)
                row.lowercasedNames.append(ByteParsing.trim(key).lowercased())
                row.values.append(value)
            }
            more = try cursor.nextMember()
        }
        try cursor.finish()
        return row
    }

    private func string(_ span: JSONCursor.Span, _ line: UnsafeBufferPointer<UInt8>) -> String {
        String(decoding: span.inScratch ? scratch.bytes(span.range) : UnsafeBufferPointer(rebasing: line[span.range]),
               as: UTF8.self)
    }

    /// A scalar's text (numbers as written, booleans as `true`/`false`, nested values as raw
    /// JSON); `nil` for `null`.
    private func text(_ token: JSONCursor.Token, _ line: UnsafeBufferPointer<UInt8>) -> String? {
        switch token {
        case .string(let span): return string(span, line)
        case .number(let range), .array(let range), .object(let range):
            return String(decoding: UnsafeBufferPointer(rebasing: line[range]), as: UTF8.self)
        case .bool(let flag): return flag ? "true" : "false"
        case .null: return nil
        }
    }
}
