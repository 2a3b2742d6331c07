/// Reads an item catalog (CSV/TSV with a header row, or JSON lines) into ``ItemRecord``s.
///
/// Columns (or JSON keys) are found by name without regard to case, from ``Field/aliases``, or
/// named explicitly in ``columns``. Only the id is required; every other column — not a field's
/// explicit name or alias — becomes an attribute under its header name (MovieLens' `year`, a
/// shop's `colour`), which the content model's `attribute:` group reads.
/// - `tags`: split on `|` or `;` (a JSON array is taken as is), trimmed, empties dropped;
/// - `genres`/`genre` columns become the tags, and the first genre becomes the category when
///   there is no category column — so ML-100K's `item_id,title,year,genres` loads as is;
/// - `price`: a decimal number; `created_at`: seconds since 1970 or an ISO-8601 date;
///   `available`: `true`/`false`, `1`/`0`, `yes`/`no` (empty: available);
/// - empty text fields are `nil`.
///
/// Bad rows (and a repeated id) throw `TacitError.invalidRow` with their line, or are skipped and
/// counted with `skipInvalid`.
public struct ItemCatalogReader: Sendable {
    /// The fields of an ``ItemRecord`` that come from columns.
    public enum Field: String, Sendable, Hashable, CaseIterable {
        case id, title, category, brand, price, tags
        case createdAt = "created_at"
        case available

        /// Header names recognised for this field, most preferred first (lowercase).
        public var aliases: [String] {
            switch self {
            case .id: return ["item_id", "id", "itemid", "item", "product_id", "productid", "movie_id", "sku"]
            case .title: return ["title", "name"]
            case .category: return ["category", "category_name", "categoryid", "category_id"]
            case .brand: return ["brand", "manufacturer"]
            case .price: return ["price"]
            case .tags: return ["tags", "genres", "genre", "labels", "keywords"]
            case .createdAt: return ["created_at", "createdat", "created", "added_at", "published_at"]
            case .available: return ["available", "is_available", "in_stock", "availability"]
            }
        }
    }

    /// Explicit column names for some fields (the rest are found by alias).
    public var columns: [Field: String]
    /// The delimiter for CSV input; `nil` detects it as ``ColumnMapping/delimiter`` does.
    public var delimiter: UInt8?
    /// Whether bad rows are skipped (and counted) rather than thrown.
    public var skipInvalid: Bool

    /// Creates a reader.
    public init(columns: [Field: String] = [:], delimiter: UInt8? = nil, skipInvalid: Bool = false) {
        self.columns = columns
        self.delimiter = delimiter
        self.skipInvalid = skipInvalid
    }

    /// The names a field is looked up by: the explicit one, else the aliases.
    private func names(_ field: Field) -> [String] {
        columns[field].map { [ByteParsing.trim($0).lowercased()] } ?? field.aliases
    }

    /// The value of `field` in `row`: its explicit column, else the first alias not among the
    /// `claimed` (explicitly named) columns.
    private func value(_ field: Field, in row: CatalogRow, claimed: Set<String>) -> (name: String, value: CatalogValue)? {
        if columns[field] != nil { return row.value(forAnyOf: names(field)) }
        return row.value(forAnyOf: field.aliases, excluding: claimed)
    }

    /// Reads every item of the file at `path`, in file order.
    ///
    /// - Throws: `TacitError.io`, `.format` (no id column), `.invalidRow` unless `skipInvalid`.
    public func read(path: String) throws(TacitError) -> (items: [ItemRecord], report: ImportReport) {
        let timer = ImportTimer()
        var rows = try CatalogRowReader(path: path, delimiter: delimiter)
        var report = ImportReport(path: path)
        if let header = rows.header {
            let lowered = Set(header.map { $0.lowercased() })
            for field in Field.allCases where columns[field] != nil || field == .id {
                guard names(field).contains(where: lowered.contains) else {
                    throw TacitError.format(
                        path: path, reason: "no \(field.rawValue) column: the header is '\(header.joined(separator: ","))'; "
                            + "accepted names: \(names(field).joined(separator: ", "))")
                }
            }
        }
        let claimed = Set(columns.values.map { ByteParsing.trim($0).lowercased() })
        let fieldNames = claimed.union(Field.allCases.flatMap(\.aliases))
        var items: [ItemRecord] = []
        var lineOfID: [String: Int] = [:]
        while let row = try rows.next(report: &report, skipInvalid: skipInvalid) {
            func find(_ field: Field) -> (name: String, value: CatalogValue)? { value(field, in: row, claimed: claimed) }
            guard let id = find(.id).flatMap({ Self.text($0.value) }) else {
                try report.reject(.emptyID, line: row.line, skipInvalid: skipInvalid,
                                  "no item id (accepted names: \(names(.id).joined(separator: ", ")))")
                continue
            }
            if let problem = ExternalID.problem(id) {
                try report.reject(.badID, line: row.line, skipInvalid: skipInvalid, "item id \(problem)")
                continue
            }
            if let first = lineOfID[id] {
                try report.reject(.duplicateID, line: row.line, skipInvalid: skipInvalid,
                                  "item id '\(id)' already appeared on line \(first)")
                continue
            }
            if let field = row.fieldWithNUL {
                try report.reject(.badAttribute, line: row.line, skipInvalid: skipInvalid, "\(field): must not contain NUL (U+0000)")
                continue
            }
            var item = ItemRecord(id: id, attributes: row.attributes(excluding: fieldNames))
            item.title = find(.title).flatMap { Self.text($0.value) }
            item.brand = find(.brand).flatMap { Self.text($0.value) }
            item.category = find(.category).flatMap { Self.text($0.value) }
            if let (name, value) = find(.tags) {
                item.tags = Self.tags(value)
                if item.category == nil && (name == "genres" || name == "genre") { item.category = item.tags.first }
            }
            do throws(CatalogFieldError) {
                item.price = try Self.parse(find(.price), "price", "a number from 0 to 1e12") {
                    ByteParsing.double($0).flatMap { ItemRecord.priceRange.contains($0) ? $0 : nil }
                }
                item.createdAt = try Self.parse(find(.createdAt), "created_at", "a number or ISO-8601 date from 1970 to 9999") {
                    ByteParsing.timestamp($0).flatMap { ItemRecord.createdAtRange.contains($0) ? $0 : nil }
                }
                item.available = try Self.parse(find(.available), "available", "true or false", Self.flag) ?? true
            } catch {
                try report.reject(.badAttribute, line: row.line, skipInvalid: skipInvalid, error.message)
                continue
            }
            lineOfID[id] = row.line
            items.append(item)
            report.accepted += 1
        }
        report.seconds = timer.seconds
        return (items, report)
    }

    /// A non-empty, trimmed text value (lists are joined with `|`).
    static func text(_ value: CatalogValue) -> String? {
        let text: String
        switch value {
        case .text(let t): text = ByteParsing.trim(t)
        case .list(let items): text = items.joined(separator: "|")
        }
        return text.isEmpty ? nil : text
    }

    /// Tags from `A|B|C` or `A;B`, or from a list.
    static func tags(_ value: CatalogValue) -> [String] {
        let parts: [String]
        switch value {
        case .text(let t): parts = t.split(whereSeparator: { $0 == "|" || $0 == ";" }).map(String.init)
        case .list(let items): parts = items
        }
        return parts.map { ByteParsing.trim($0) }.filter { !$0.isEmpty }
    }

    /// `true`/`false`, `1`/`0`, `yes`/`no`, `y`/`n`, `t`/`f` (any case).
    static func flag(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool? {
        switch String(decoding: bytes, as: UTF8.self).lowercased() {
        case "true", "1", "yes", "y", "t": return true
        case "false", "0", "no", "n", "f": return false
        default: return nil
        }
    }

    /// The parsed value of a field; `nil` when absent or empty.
    static func parse<T>(
        _ found: (name: String, value: CatalogValue)?, _ label: String, _ expected: String,
        _ parser: (UnsafeBufferPointer<UInt8>) -> T?
    ) throws(CatalogFieldError) -> T? {
        guard let found, var text = text(found.value) else { return nil }
        let parsed = text.withUTF8 { parser($0) }
        guard let parsed else {
            throw CatalogFieldError(message: "\(label) '\(text.prefix(40))' is not \(expected)")
        }
        return parsed
    }
}

/// A catalog field that cannot be read.
struct CatalogFieldError: Error {
    var message: String
}
