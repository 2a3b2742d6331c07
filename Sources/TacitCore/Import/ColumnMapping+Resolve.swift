/// The positions of an event's fields in the records of one delimited file.
struct ResolvedColumns: Equatable {
    var user: Int
    var item: Int
    var kind: Int?
    var timestamp: Int?
    var value: Int?
    /// The number of fields every record must have (the header's).
    var fieldCount: Int
}

extension ColumnMapping {
    /// Finds each field's column in `header`: explicitly named columns first, then the first alias
    /// among the columns not yet taken.
    ///
    /// - Throws: `TacitError.format` naming the file, the header and the accepted names when a
    ///   required field has no column or a named column is not in the header.
    func resolve(header: [String], path: String) throws(TacitError) -> ResolvedColumns {
        let names = header.map { ByteParsing.trim($0).lowercased() }
        let shown = header.map { ByteParsing.trim($0) }.joined(separator: ",")
        var found: [Field: Int] = [:]
        for field in Field.allCases {
            guard case .named(let name) = self[field] else { continue }
            guard let index = names.firstIndex(of: ByteParsing.trim(name).lowercased()) else {
                throw TacitError.format(
                    path: path, reason: "no column '\(name)' for \(field.rawValue); the header is '\(shown)'")
            }
            if let other = found.first(where: { $0.value == index })?.key {
                throw TacitError.format(
                    path: path, reason: "column '\(name)' is mapped to both \(other.rawValue) and \(field.rawValue)")
            }
            found[field] = index
        }
        for field in Field.allCases where self[field] == .automatic {
            let taken = Set(found.values)
            for alias in field.aliases {
                if let index = names.firstIndex(of: alias), !taken.contains(index) {
                    found[field] = index
                    break
                }
            }
        }
        guard let user = found[.user] else { throw missingColumn(.user, header: shown, path: path) }
        guard let item = found[.item] else { throw missingColumn(.item, header: shown, path: path) }
        return ResolvedColumns(
            user: user, item: item, kind: found[.kind], timestamp: found[.timestamp], value: found[.value],
            fieldCount: header.count)
    }

    private func missingColumn(_ field: Field, header: String, path: String) -> TacitError {
        let accepted: String
        switch self[field] {
        case .named(let name): accepted = "'\(name)'"
        case .automatic, .ignored: accepted = field.aliases.joined(separator: ", ")
        }
        return TacitError.format(
            path: path,
            reason: "no \(field.rawValue) column: the header is '\(header)'; accepted names: \(accepted) "
                + "(map another column with --column \(field.rawValue)=NAME)")
    }

    /// The field a JSON key holds, and its preference (0 is best) when several keys of one
    /// object hold the same field; `nil` when the key is not read.
    func field(forKey key: String) -> (field: Field, priority: Int)? {
        let lowered = ByteParsing.trim(key).lowercased()
        for field in Field.allCases {
            if case .named(let name) = self[field], ByteParsing.trim(name).lowercased() == lowered {
                return (field, 0)
            }
        }
        for field in Field.allCases where self[field] == .automatic {
            if let priority = field.aliases.firstIndex(of: lowered) { return (field, priority) }
        }
        return nil
    }

    /// A sentence listing the keys accepted for `field`, for messages about JSON lines.
    func acceptedKeys(for field: Field) -> String {
        switch self[field] {
        case .named(let name): return "'\(name)'"
        case .automatic, .ignored: return field.aliases.joined(separator: ", ")
        }
    }

    /// The delimiter for `path`: the explicit one, tab for `.tsv`/`.tab`, else the first of
    /// `,` tab `;` `|` in `headerLine`, else a comma.
    func delimiter(forPath path: String, headerLine: UnsafeBufferPointer<UInt8>) -> UInt8 {
        if let delimiter { return delimiter }
        let lowered = path.lowercased()
        if lowered.hasSuffix(".tsv") || lowered.hasSuffix(".tab") { return ByteParsing.tab }
        for candidate in [UInt8(ascii: ","), ByteParsing.tab, UInt8(ascii: ";"), UInt8(ascii: "|")]
        where headerLine.contains(candidate) {
            return candidate
        }
        return UInt8(ascii: ",")
    }
}
