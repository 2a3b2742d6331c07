/// Streams events from a JSON Lines file (one JSON object per line) into an ``EventLog``.
///
/// Keys are matched to fields like CSV headers (see ``ColumnMapping``), without regard to case;
/// other keys are ignored. Per field:
/// - `user`, `item`: a non-empty string, or an integer (`42` becomes the id `"42"`);
/// - `kind`: a string; absent or `null` gives the mapping's default kind;
/// - `timestamp`: seconds since 1970 as a number, or a string holding seconds or an ISO-8601
///   date. When the file's first line has no timestamp, every event's timestamp is its row
///   number; when it has one, a later line without one is invalid (`missing_timestamp`);
/// - `value`: a number, a string holding one, or absent/`null`/`""` for none.
///
/// Lines are parsed by a strict hand-written JSON parser straight from the read buffer; empty
/// lines are skipped. Errors and `skipInvalid` behave as in ``CSVEventReader``.
public struct JSONLinesEventReader: Sendable {
    /// Which keys hold each field.
    public var mapping: ColumnMapping
    /// Whether bad lines are skipped (and counted) rather than thrown.
    public var skipInvalid: Bool

    /// Creates a reader.
    public init(mapping: ColumnMapping = .automatic, skipInvalid: Bool = false) {
        self.mapping = mapping
        self.skipInvalid = skipInvalid
    }

    /// Appends the events of the file at `path` to `log`, in file order.
    ///
    /// - Throws: `TacitError.io` when the file cannot be read, `.format` when it is a JSON array
    ///   rather than JSON lines, `.invalidRow` at the first bad line unless `skipInvalid`.
    /// - Complexity: O(file size), one pass.
    public func read(path: String, into log: inout EventLog) throws(TacitError) -> ImportReport {
        let timer = ImportTimer()
        let source = try ByteChunkReader(path: path)
        if let lines = source.estimatedLineCount() { log.reserveCapacity(log.count + lines) }
        var lines = LineScanner(source: source)
        var sink = EventRowSink(path: path, mapping: mapping, skipInvalid: skipInvalid)
        var parser = JSONEventLineParser(mapping: mapping)
        do throws(TacitError) {
            while let text = try lines.next() {
                let line = ByteParsing.trimmed(text)
                if line.isEmpty { continue }
                if sink.report.rowsRead == 0 && line[0] == 0x5B {
                    throw TacitError.format(
                        path: path, reason: "expected JSON lines (one object per line), but the file starts with '[' (a JSON array)")
                }
                sink.report.rowsRead += 1
                try parser.readLine(line, number: lines.line, sink: &sink, into: &log)
            }
        } catch {
            sink.flush(into: &log)          // the lines accepted before the error stay
            throw error
        }
        sink.flush(into: &log)
        sink.report.seconds = timer.seconds
        return sink.report
    }
}

/// Parses one JSON line into an event's fields and hands them to an ``EventRowSink``.
struct JSONEventLineParser {
    private let mapping: ColumnMapping
    private let scratch = ByteScratch()
    /// Keys seen so far (raw bytes) and the field each one holds (`nil`: not read).
    private var keys = IDMap()
    private var keyFields: [(field: Int, priority: Int)?] = []
    private var tokens = [JSONCursor.Token?](repeating: nil, count: ColumnMapping.Field.allCases.count)
    private var priorities = [Int](repeating: .max, count: ColumnMapping.Field.allCases.count)
    /// Whether the file's first valid line had a timestamp (decided there).
    private var hasTimestamps: Bool?

    init(mapping: ColumnMapping) { self.mapping = mapping }

    mutating func readLine(
        _ line: UnsafeBufferPointer<UInt8>, number: Int, sink: inout EventRowSink, into log: inout EventLog
    ) throws(TacitError) {
        do {
            try parse(line)
        } catch {
            return try sink.reject(.badJSON, line: number, "invalid JSON: \(error.message) at column \(error.offset + 1)")
        }
        func bytes(_ span: JSONCursor.Span) -> UnsafeBufferPointer<UInt8> {
            span.inScratch ? scratch.bytes(span.range) : UnsafeBufferPointer(rebasing: line[span.range])
        }
        func id(_ field: ColumnMapping.Field) -> Result<UnsafeBufferPointer<UInt8>, IDProblem> {
            switch tokens[field.index] {
            case .string(let span)?: return .success(bytes(span))
            case .number(let range)?:
                let text = UnsafeBufferPointer(rebasing: line[range])
                let isInteger = text.allSatisfy { $0 == ByteParsing.minus || ByteParsing.digit($0) != nil }
                return isInteger ? .success(text) : .failure(.notInteger(ByteParsing.excerpt(text)))
            case nil, .null?: return .failure(.missing)
            case .bool?, .array?, .object?: return .failure(.wrongType)
            }
        }
        let user: UnsafeBufferPointer<UInt8>, item: UnsafeBufferPointer<UInt8>
        switch id(.user) {
        case .success(let text): user = text
        case .failure(let problem): return try reject(problem, .user, line: number, sink: &sink)
        }
        switch id(.item) {
        case .success(let text): item = text
        case .failure(let problem): return try reject(problem, .item, line: number, sink: &sink)
        }
        var kind: UnsafeBufferPointer<UInt8>?
        switch tokens[ColumnMapping.Field.kind.index] {
        case .string(let span)?: kind = bytes(span)
        case nil, .null?: kind = nil
        default: return try sink.reject(.badKind, line: number, "kind must be a string")
        }
        var timestamp: UnsafeBufferPointer<UInt8>?
        switch tokens[ColumnMapping.Field.timestamp.index] {
        case .string(let span)?: timestamp = bytes(span)
        case .number(let range)?: timestamp = UnsafeBufferPointer(rebasing: line[range])
        case nil, .null?:
            if hasTimestamps == true {
                return try sink.reject(
                    .missingTimestamp, line: number,
                    "no timestamp (accepted keys: \(mapping.acceptedKeys(for: .timestamp))), but the first line has one")
            }
        default: return try sink.reject(.badTimestamp, line: number, "timestamp must be a number or a string")
        }
        if hasTimestamps == nil { hasTimestamps = timestamp != nil }
        var value: UnsafeBufferPointer<UInt8>?
        switch tokens[ColumnMapping.Field.value.index] {
        case .string(let span)?: value = bytes(span)
        case .number(let range)?: value = UnsafeBufferPointer(rebasing: line[range])
        case nil, .null?: value = nil
        default: return try sink.reject(.badValue, line: number, "value must be a number")
        }
        try sink.accept(user: user, item: item, kind: kind, timestamp: timestamp, value: value, line: number, into: &log)
    }

    private enum IDProblem: Error {
        case missing, wrongType, notInteger(String)
    }

    private func reject(
        _ problem: IDProblem, _ field: ColumnMapping.Field, line: Int, sink: inout EventRowSink
    ) throws(TacitError) {
        switch problem {
        case .missing:
            try sink.reject(
                field == .user ? .missingUser : .missingItem, line: line,
                "no \(field.rawValue) id (accepted keys: \(mapping.acceptedKeys(for: field)))")
        case .wrongType:
            try sink.reject(.badID, line: line, "\(field.rawValue) id must be a string or an integer")
        case .notInteger(let text):
            try sink.reject(.badID, line: line, "\(field.rawValue) id \(text) is not an integer")
        }
    }

    /// Walks the object's members, keeping the best-matching token for each field.
    private mutating func parse(_ line: UnsafeBufferPointer<UInt8>) throws(JSONCursor.SyntaxError) {
        scratch.removeAll()
        for k in 0..<tokens.count {
            tokens[k] = nil
            priorities[k] = .max
        }
        var cursor = JSONCursor(line)
        var more = try cursor.openObject()
        while more {
            let key = try cursor.key(scratch: scratch)
            let token = try cursor.value(scratch: scratch)
            let keyBytes = key.inScratch ? scratch.bytes(key.range) : UnsafeBufferPointer(rebasing: line[key.range])
            if let (field, priority) = field(ofKey: keyBytes), priority <= priorities[field] {
                tokens[field] = token
                priorities[field] = priority
            }
            more = try cursor.nextMember()
        }
        try cursor.finish()
    }

    private mutating func field(ofKey bytes: UnsafeBufferPointer<UInt8>) -> (field: Int, priority: Int)? {
        let k = Int(keys.intern(bytes: bytes))
        if k == keyFields.count {
            let match = mapping.field(forKey: String(decoding: bytes, as: UTF8.self))
            keyFields.append(match.map { ($0.field.index, $0.priority) })
        }
        return keyFields[k]
    }
}

extension ColumnMapping.Field {
    /// The field's position in `allCases`.
    var index: Int {
        switch self {
        case .user: return 0
        case .item: return 1
        case .kind: return 2
        case .timestamp: return 3
        case .value: return 4
        }
    }
}
