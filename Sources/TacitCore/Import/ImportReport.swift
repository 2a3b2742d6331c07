/// Why a row of an input file was rejected: a stable key for reports and scripts.
public enum InvalidRowReason: String, Sendable, Hashable, Codable, CodingKeyRepresentable, CaseIterable {
    /// A CSV/TSV record has more or fewer fields than the header.
    case wrongFieldCount = "wrong_field_count"
    /// A quoted field is still open at the end of the file.
    case unterminatedQuote = "unterminated_quote"
    /// Text follows a closing quote inside a field (`"ab"c`).
    case textAfterQuote = "text_after_quote"
    /// A JSON line is not one valid JSON object.
    case badJSON = "bad_json"
    /// The user id is empty.
    case emptyUser = "empty_user"
    /// The item id is empty.
    case emptyItem = "empty_item"
    /// A JSON line has no user key (or it is `null`).
    case missingUser = "missing_user"
    /// A JSON line has no item key (or it is `null`).
    case missingItem = "missing_item"
    /// An id is not a string or an integer (JSON), or breaks the id rules (``ExternalID``: empty,
    /// not UTF-8, longer than 256 bytes, or holding a control character).
    case badID = "bad_id"
    /// The kind is empty or not a string.
    case badKind = "bad_kind"
    /// The timestamp is neither a number of seconds nor an ISO-8601 date.
    case badTimestamp = "bad_timestamp"
    /// A JSON line lacks the timestamp that the file's first line has.
    case missingTimestamp = "missing_timestamp"
    /// The value is not a finite number.
    case badValue = "bad_value"
    /// A catalog row has no id or an empty one.
    case emptyID = "empty_id"
    /// A catalog id appears a second time.
    case duplicateID = "duplicate_id"
    /// A catalog field (price, created_at, available) cannot be read.
    case badAttribute = "bad_attribute"
}

/// How many rows were skipped for one reason, and the first of them.
public struct SkippedRows: Sendable, Hashable, Codable {
    /// Rows skipped for this reason.
    public var count: Int
    /// The 1-based line of the first such row.
    public var firstLine: Int
    /// The message for the first such row.
    public var firstMessage: String
}

/// What one import did: rows read, records accepted, rows skipped by reason, time taken.
public struct ImportReport: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The file, as given.
    public var path: String
    /// Data rows read (not counting the header and empty lines).
    public var rowsRead = 0
    /// Events (or catalog records) accepted.
    public var accepted = 0
    /// Rows skipped, by reason (only with `skipInvalid`; otherwise the first bad row throws).
    public var skipped: [InvalidRowReason: SkippedRows] = [:]
    /// Wall-clock seconds the import took.
    public var seconds: Double = 0

    /// Creates an empty report for `path`.
    public init(path: String) { self.path = path }

    /// Rows skipped for any reason.
    public var rowsSkipped: Int { skipped.values.reduce(0) { $0 + $1.count } }

    /// One line per file, then one per skip reason.
    public var description: String {
        var text = "\(path): \(rowsRead) rows, \(accepted) accepted, \(rowsSkipped) skipped"
            + " in \(Double(Int(seconds * 1000)) / 1000) s"
        for reason in InvalidRowReason.allCases {
            guard let rows = skipped[reason] else { continue }
            text += "\n  \(reason.rawValue): \(rows.count) (first: line \(rows.firstLine): \(rows.firstMessage))"
        }
        return text
    }

    /// Records a rejected row, or throws `TacitError.invalidRow` when not skipping invalid rows.
    mutating func reject(
        _ reason: InvalidRowReason, line: Int, skipInvalid: Bool, _ message: @autoclosure () -> String
    ) throws(TacitError) {
        guard skipInvalid else { throw TacitError.invalidRow(file: path, line: line, reason: message()) }
        if skipped[reason] != nil {
            skipped[reason]?.count += 1
        } else {
            skipped[reason] = SkippedRows(count: 1, firstLine: line, firstMessage: message())
        }
    }
}

/// Measures an import's wall-clock time.
struct ImportTimer {
    private let start = ContinuousClock.now

    var seconds: Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    }
}
