import Foundation

/// Any key of a JSON object; ``ConfigObject`` checks them against the keys a type defines.
public struct ConfigKey: CodingKey, Hashable {
    public let stringValue: String
    public var intValue: Int? { nil }

    public init(_ stringValue: String) { self.stringValue = stringValue }
    public init(stringValue: String) { self.stringValue = stringValue }
    public init?(intValue: Int) { nil }
}

/// One JSON object of a configuration format (strategy scenes, experiments), read strictly: every
/// key must be one the type defines (a typo such as `mmr_lamda` is an error, never ignored), every
/// value must have the right JSON type, and every error is a ``ConfigError`` naming the field's
/// full path.
public struct ConfigObject {
    private let container: KeyedDecodingContainer<ConfigKey>
    /// The object's own path (`scenes.home.filters`).
    public let path: String

    /// Opens the object `decoder` points at and rejects keys outside `known` (listed in the
    /// error in the order given); nil accepts any key (a dictionary of names, such as `scenes`).
    public init(_ decoder: any Decoder, known: [String]?) throws(ConfigError) {
        path = ConfigError.path(decoder.codingPath)
        do {
            container = try decoder.container(keyedBy: ConfigKey.self)
        } catch {
            throw Self.converting(error, at: path, expected: "an object")
        }
        // The smallest unknown key, so the message does not depend on dictionary order.
        if let known, let unknown = container.allKeys.map(\.stringValue).filter({ !known.contains($0) }).min() {
            throw .unknownKey(self.path(unknown), key: unknown, valid: known)
        }
    }

    /// The path of one of the object's fields.
    public func path(_ key: String) -> String { ConfigError.path(path, key) }

    /// The object's keys, sorted (for dictionaries such as `scenes`).
    public var keys: [String] { container.allKeys.map(\.stringValue).sorted() }

    public func contains(_ key: String) -> Bool { container.contains(ConfigKey(key)) }

    /// The value of `key`, or nil when the key is absent; `null` is a type error.
    public func value<T: Decodable>(_ key: String, as type: T.Type, expected: String) throws(ConfigError) -> T? {
        let codingKey = ConfigKey(key)
        guard container.contains(codingKey) else { return nil }
        do {
            if try container.decodeNil(forKey: codingKey) {
                throw ConfigError.wrongType(path(key), expected: expected, found: "null")
            }
            return try container.decode(type, forKey: codingKey)
        } catch {
            throw Self.converting(error, at: path(key), expected: expected)
        }
    }

    /// A required value.
    public func required<T: Decodable>(_ key: String, as type: T.Type, expected: String) throws(ConfigError) -> T {
        guard let value = try value(key, as: type, expected: expected) else { throw .missingKey(path(key)) }
        return value
    }

    /// A time as seconds since 1970: a JSON number, or an ISO 8601 string
    /// (`2024-06-01` or `2024-06-01T08:00:00Z`).
    public func time(_ key: String) throws(ConfigError) -> Int64? {
        let codingKey = ConfigKey(key)
        guard container.contains(codingKey) else { return nil }
        if let seconds = try? container.decode(Double.self, forKey: codingKey) {
            guard seconds.isFinite, seconds == seconds.rounded(), abs(seconds) < 1e15 else {
                throw .invalidValue(path(key), "must be whole seconds since 1970, got \(ConfigError.format(seconds))")
            }
            return Int64(seconds)
        }
        let text = try required(key, as: String.self, expected: "seconds since 1970 or an ISO 8601 time")
        guard let seconds = ISOTime.parse(text) else {
            throw .invalidValue(path(key), "must be an ISO 8601 time like 2024-06-01 or 2024-06-01T08:00:00Z, got '\(text)'")
        }
        return seconds
    }

    /// The value of a field that may be `null`: `current` when the key is absent (the value is
    /// inherited), nil for `null`, the value otherwise.
    public func nullable<T: Decodable>(_ key: String, as type: T.Type, expected: String, current: T?) throws(ConfigError) -> T? {
        let codingKey = ConfigKey(key)
        guard container.contains(codingKey) else { return current }
        do {
            if try container.decodeNil(forKey: codingKey) { return nil }
        } catch {
            throw Self.converting(error, at: path(key), expected: expected)
        }
        return try value(key, as: type, expected: expected)
    }

    /// A whole number, read as a JSON number so that `2.5` is reported as such rather than as
    /// a syntax error.
    public func wholeNumber(_ key: String) throws(ConfigError) -> Int? {
        guard let number = try value(key, as: Double.self, expected: "a whole number") else { return nil }
        return try Self.whole(number, at: path(key))
    }

    /// A whole number that may be `null` (see ``nullable(_:as:expected:current:)``).
    public func nullableWholeNumber(_ key: String, current: Int?) throws(ConfigError) -> Int? {
        let number = try nullable(key, as: Double.self, expected: "a whole number", current: current.map(Double.init))
        return try number.map { (value: Double) throws(ConfigError) -> Int in try Self.whole(value, at: path(key)) }
    }

    /// A decoder for the nested value of `key` (an object or array), or nil when absent.
    public func nested(_ key: String) throws(ConfigError) -> (any Decoder)? {
        let codingKey = ConfigKey(key)
        guard container.contains(codingKey) else { return nil }
        do { return try container.superDecoder(forKey: codingKey) } catch {
            throw Self.converting(error, at: path(key), expected: "a value")
        }
    }

    /// The elements of the array under `key` as decoders, or nil when the key is absent.
    public func array(_ key: String) throws(ConfigError) -> [any Decoder]? {
        let codingKey = ConfigKey(key)
        guard container.contains(codingKey) else { return nil }
        do {
            var elements = try container.nestedUnkeyedContainer(forKey: codingKey)
            var decoders: [any Decoder] = []
            while !elements.isAtEnd { decoders.append(try elements.superDecoder()) }
            return decoders
        } catch {
            throw Self.converting(error, at: path(key), expected: "an array")
        }
    }

    /// Reads a single JSON string from `decoder` (an array element).
    public static func string(_ decoder: any Decoder) throws(ConfigError) -> String {
        let path = ConfigError.path(decoder.codingPath)
        do {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() { throw ConfigError.wrongType(path, expected: "a string", found: "null") }
            return try container.decode(String.self)
        } catch {
            throw converting(error, at: path, expected: "a string")
        }
    }

    private static func whole(_ value: Double, at path: String) throws(ConfigError) -> Int {
        guard value == value.rounded() else {
            throw .invalidValue(path, "must be a whole number, got \(ConfigError.format(value))")
        }
        guard abs(value) < 1e15 else { throw .invalidValue(path, "out of range, got \(ConfigError.format(value))") }
        return Int(value)
    }

    /// A `DecodingError` from JSONDecoder as a ``ConfigError`` at `path`.
    public static func converting(_ error: any Error, at path: String, expected: String) -> ConfigError {
        if let error = error as? ConfigError { return error }
        guard let error = error as? DecodingError else {
            let description = "\(error)"
            return .invalidValue(path, description.contains("Representable") ? "number out of range" : description)
        }
        switch error {
        case let .typeMismatch(_, context):
            return .wrongType(path, expected: expected, found: found(in: context.debugDescription))
        case .valueNotFound:
            return .wrongType(path, expected: expected, found: "null")
        case let .keyNotFound(key, _):
            return .missingKey(ConfigError.path(path, key.stringValue))
        case let .dataCorrupted(context):
            let description = context.debugDescription
            if description.contains("Representable") || description.contains("does not fit") {
                return .invalidValue(path, "number out of range")
            }
            return .invalidValue(path, description)
        @unknown default:
            return .invalidValue(path, "\(error)")
        }
    }

    /// What JSONDecoder found instead ("Expected to decode Double but found a string instead.").
    private static func found(in description: String) -> String? {
        guard let start = description.range(of: "but found ")?.upperBound else { return nil }
        let rest = description[start...]
        let what = rest.range(of: " instead").map { rest[..<$0.lowerBound] } ?? rest
        if what.contains("string") { return "a string" }
        if what.contains("number") { return "a number" }
        if what.contains("dictionary") || what.contains("object") { return "an object" }
        if what.contains("array") { return "an array" }
        if what.contains("bool") { return "true or false" }
        if what.contains("null") { return "null" }
        return String(what)
    }
}
