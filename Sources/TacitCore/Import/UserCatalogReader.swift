/// Reads a user file (CSV/TSV with a header row, or JSON lines) into ``UserRecord``s: the id
/// column plus every other non-empty column as an attribute (name as written in the header).
///
/// The id column is found among ``idAliases`` (without regard to case) unless ``idColumn`` names
/// it, so ML-100K's `user_id,age,gender,occupation,zip_code` loads as is. JSON arrays become
/// `|`-joined attribute values. Error rules are those of ``ItemCatalogReader``.
public struct UserCatalogReader: Sendable {
    /// Header names recognised for the user id, most preferred first.
    public static let idAliases = ["user_id", "id", "userid", "user", "visitorid", "visitor_id", "customer_id", "uid"]

    /// The id column's name; `nil` looks among ``idAliases``.
    public var idColumn: String?
    /// The delimiter for CSV input; `nil` detects it as ``ColumnMapping/delimiter`` does.
    public var delimiter: UInt8?
    /// Whether bad rows are skipped (and counted) rather than thrown.
    public var skipInvalid: Bool

    /// Creates a reader.
    public init(idColumn: String? = nil, delimiter: UInt8? = nil, skipInvalid: Bool = false) {
        self.idColumn = idColumn
        self.delimiter = delimiter
        self.skipInvalid = skipInvalid
    }

    /// Reads every user of the file at `path`, in file order.
    ///
    /// - Throws: `TacitError.io`, `.format` (no id column), `.invalidRow` unless `skipInvalid`.
    public func read(path: String) throws(TacitError) -> (users: [UserRecord], report: ImportReport) {
        let timer = ImportTimer()
        let names = idColumn.map { [ByteParsing.trim($0).lowercased()] } ?? Self.idAliases
        var rows = try CatalogRowReader(path: path, delimiter: delimiter)
        var report = ImportReport(path: path)
        if let header = rows.header, !header.contains(where: { names.contains($0.lowercased()) }) {
            throw TacitError.format(
                path: path, reason: "no user id column: the header is '\(header.joined(separator: ","))'; "
                    + "accepted names: \(names.joined(separator: ", "))")
        }
        var users: [UserRecord] = []
        var lineOfID: [String: Int] = [:]
        while let row = try rows.next(report: &report, skipInvalid: skipInvalid) {
            guard let (idName, idValue) = row.value(forAnyOf: names), let id = ItemCatalogReader.text(idValue) else {
                try report.reject(.emptyID, line: row.line, skipInvalid: skipInvalid,
                                  "no user id (accepted names: \(names.joined(separator: ", ")))")
                continue
            }
            if let problem = ExternalID.problem(id) {
                try report.reject(.badID, line: row.line, skipInvalid: skipInvalid, "user id \(problem)")
                continue
            }
            if let first = lineOfID[id] {
                try report.reject(.duplicateID, line: row.line, skipInvalid: skipInvalid,
                                  "user id '\(id)' already appeared on line \(first)")
                continue
            }
            if let field = row.fieldWithNUL {
                try report.reject(.badAttribute, line: row.line, skipInvalid: skipInvalid, "\(field): must not contain NUL (U+0000)")
                continue
            }
            let user = UserRecord(id: id, attributes: row.attributes(excluding: [idName]))
            lineOfID[id] = row.line
            users.append(user)
            report.accepted += 1
        }
        report.seconds = timer.seconds
        return (users, report)
    }
}
