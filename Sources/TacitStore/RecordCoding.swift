import Foundation
import TacitCore

/// The column encodings both stores share: JSON text for lists and maps, the lowercased search
/// text of an item, and `LIKE` patterns with escaped wildcards.
///
/// Keeping them in one place makes the SQLite and PostgreSQL stores read and write the same
/// representation, so the conformance suite's expectations hold for both.
enum RecordCoding {
    /// Separates the fields of ``searchText(of:)``; it never appears in a query (see ``likePattern(_:)``).
    static let fieldSeparator: Character = "\u{1F}"

    /// Compact JSON with sorted keys (so equal maps give equal text).
    static func json<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding lists and maps of strings cannot fail (doubles go through `json(metrics:)`).
        if let data = try? encoder.encode(value), let text = String(data: data, encoding: .utf8) {
            return text
        }
        return "null"
    }

    /// A list of strings as compact JSON, written by hand: impressions write one per response,
    /// and `JSONEncoder` costs more than the insert.
    static func jsonArray(_ strings: [String]) -> String {
        var out = "["
        for (index, string) in strings.enumerated() {
            if index > 0 { out += "," }
            out += "\""
            if string.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
                for scalar in string.unicodeScalars {
                    switch scalar {
                    case "\"": out += "\\\""
                    case "\\": out += "\\\\"
                    case "\n": out += "\\n"
                    case "\r": out += "\\r"
                    case "\t": out += "\\t"
                    case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
                    default: out.unicodeScalars.append(scalar)
                    }
                }
            } else {
                out += string
            }
            out += "\""
        }
        return out + "]"
    }

    /// A map of finite metric values as JSON; non-finite values (NaN, ±inf) are kept as strings.
    static func json(metrics: [String: Double]) -> String {
        if metrics.values.allSatisfy(\.isFinite) { return json(metrics) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        if let data = try? encoder.encode(metrics), let text = String(data: data, encoding: .utf8) {
            return text
        }
        return "{}"
    }

    /// Decodes `text` as `T`, throwing ``StoreError/corruptRow(_:table:id:field:reason:)``.
    static func decode<T: Decodable>(
        _ type: T.Type, from text: String?, store: String, table: String, id: String, field: String
    ) throws -> T {
        guard let text else {
            throw StoreError.corruptRow(store, table: table, id: id, field: field, reason: "missing JSON")
        }
        let decoder = JSONDecoder()
        if T.self == [String: Double].self {
            decoder.nonConformingFloatDecodingStrategy = .convertFromString(
                positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        }
        do {
            return try decoder.decode(T.self, from: Data(text.utf8))
        } catch {
            throw StoreError.corruptRow(store, table: table, id: id, field: field, reason: "invalid JSON \(text.prefix(80)): \(error)")
        }
    }

    /// The text item search runs over: id, title, category, brand and every tag, lowercased,
    /// separated by ``fieldSeparator`` so a match never spans two fields.
    static func searchText(of item: ItemRecord) -> String {
        var fields = [item.id, item.title ?? "", item.category ?? "", item.brand ?? ""]
        fields.append(contentsOf: item.tags)
        return fields.joined(separator: String(fieldSeparator)).lowercased()
    }

    /// The escape character of ``likePattern(_:)`` (both stores declare `ESCAPE '\'`).
    static let likeEscape: Character = "\\"

    /// A `LIKE` pattern matching any text that contains `text` (lowercased) literally: `%`, `_`
    /// and the escape character itself are escaped. The field separator is dropped.
    static func likePattern(_ text: String) -> String {
        var pattern = "%"
        for character in text.lowercased() where character != fieldSeparator {
            if character == "%" || character == "_" || character == likeEscape {
                pattern.append(likeEscape)
            }
            pattern.append(character)
        }
        pattern.append("%")
        return pattern
    }
}
