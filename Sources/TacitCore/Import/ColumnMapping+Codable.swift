import Foundation

/// A mapping is stored as a small JSON object — the "dataset file" — with the same keys and
/// values as the CLI overrides:
///
/// ```json
/// { "user": "visitorid", "item": "itemid", "kind": "event", "value": "-",
///   "delimiter": ";", "default_kind": "view" }
/// ```
///
/// Keys left out are automatic. The keys may also sit under a `"columns"` object; other keys
/// (a dataset's name, its paths) are ignored.
extension ColumnMapping: Codable {
    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
        static let columns = Key(stringValue: "columns")
        static let delimiter = Key(stringValue: "delimiter")
        static let defaultKind = Key(stringValue: "default_kind")
    }

    /// Decodes a mapping from a dataset file's keys (see above).
    public init(from decoder: any Decoder) throws {
        self.init()
        var container = try decoder.container(keyedBy: Key.self)
        if container.contains(.columns) {
            container = try container.nestedContainer(keyedBy: Key.self, forKey: .columns)
        }
        for field in Field.allCases {
            guard let text = try container.decodeIfPresent(String.self, forKey: Key(stringValue: field.rawValue)) else {
                continue
            }
            do { self[field] = try Self.column(text, for: field) } catch {
                throw DecodingError.dataCorruptedError(
                    forKey: Key(stringValue: field.rawValue), in: container, debugDescription: error.description)
            }
        }
        if let text = try container.decodeIfPresent(String.self, forKey: .delimiter) {
            do { delimiter = try Self.delimiter(named: text) } catch {
                throw DecodingError.dataCorruptedError(forKey: .delimiter, in: container, debugDescription: error.description)
            }
        }
        if let name = try container.decodeIfPresent(String.self, forKey: .defaultKind) {
            defaultKind = EventKind(name)
        }
    }

    /// Encodes the non-automatic choices with the dataset file's keys.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        for field in Field.allCases {
            switch self[field] {
            case .automatic: continue
            case .named(let name): try container.encode(name, forKey: Key(stringValue: field.rawValue))
            case .ignored: try container.encode("-", forKey: Key(stringValue: field.rawValue))
            }
        }
        if let delimiter {
            try container.encode(String(decoding: [delimiter], as: UTF8.self), forKey: .delimiter)
        }
        if defaultKind != .interaction { try container.encode(defaultKind.name, forKey: .defaultKind) }
    }

    /// Loads a mapping from a JSON dataset file (see the format above).
    public init(datasetFile path: String) throws(TacitError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TacitError.io(path: path, reason: "cannot read the dataset file")
        }
        do {
            self = try JSONDecoder().decode(ColumnMapping.self, from: data)
        } catch let error as DecodingError {
            throw TacitError.format(path: path, reason: "invalid dataset file: \(Self.describe(error))")
        } catch {
            throw TacitError.format(path: path, reason: "invalid dataset file: \(error)")
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .dataCorrupted(let context), .typeMismatch(_, let context), .valueNotFound(_, let context),
             .keyNotFound(_, let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            let detail = context.underlyingError.map { " (\($0.localizedDescription))" } ?? ""
            return (path.isEmpty ? "" : "\(path): ") + context.debugDescription + detail
        @unknown default:
            return "\(error)"
        }
    }
}
