/// Any key of a JSON object; ``StrictObject`` checks them against the keys a type defines.
struct AnyKey: CodingKey, Hashable {
    let stringValue: String
    var intValue: Int? { nil }

    init(_ stringValue: String) { self.stringValue = stringValue }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// One JSON object of the experiments format, read strictly: every key must be one the type
/// defines (a typo is an error, never ignored), every value must have the right JSON type, and
/// every error is an ``ExperimentError`` naming the field's full path.
struct StrictObject {
    private let container: KeyedDecodingContainer<AnyKey>
    /// The object's own path (`experiments[0].policy`).
    let path: String

    /// Opens the object `decoder` points at and rejects keys outside `known`.
    init(_ decoder: any Decoder, known: [String]) throws(ExperimentError) {
        path = ExperimentError.path(decoder.codingPath)
        do {
            container = try decoder.container(keyedBy: AnyKey.self)
        } catch {
            throw Self.converting(error, at: path, expected: "an object")
        }
        // The smallest unknown key, so the message does not depend on dictionary order.
        if let unknown = container.allKeys.map(\.stringValue).filter({ !known.contains($0) }).min() {
            throw .unknownKey(self.path(unknown), key: unknown, valid: known)
        }
    }

    /// The path of one of the object's fields.
    func path(_ key: String) -> String { ExperimentError.path(path, key) }

    /// The value of `key`, or nil when the key is absent; `null` is a type error.
    func value<T: Decodable>(_ key: String, as type: T.Type, expected: String) throws(ExperimentError) -> T? {
        let codingKey = AnyKey(key)
        guard container.contains(codingKey) else { return nil }
        do {
            if try container.decodeNil(forKey: codingKey) {
                throw ExperimentError.wrongType(path(key), expected: expected, found: "null")
            }
            return try container.decode(type, forKey: codingKey)
        } catch {
            throw Self.converting(error, at: path(key), expected: expected)
        }
    }

    /// A required value.
    func required<T: Decodable>(_ key: String, as type: T.Type, expected: String) throws(ExperimentError) -> T {
        guard let value = try value(key, as: type, expected: expected) else { throw .missingKey(path(key)) }
        return value
    }

    /// A decoder for the nested value of `key`, or nil when absent.
    func nested(_ key: String) throws(ExperimentError) -> (any Decoder)? {
        let codingKey = AnyKey(key)
        guard container.contains(codingKey) else { return nil }
        do { return try container.superDecoder(forKey: codingKey) } catch {
            throw Self.converting(error, at: path(key), expected: "a value")
        }
    }

    /// The elements of the array under `key` as decoders, or nil when the key is absent.
    func array(_ key: String) throws(ExperimentError) -> [any Decoder]? {
        let codingKey = AnyKey(key)
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

    /// A time as seconds since 1970: a JSON number, or an ISO 8601 string
    /// (`2024-06-01` or `2024-06-01T08:00:00Z`).
    func time(_ key: String) throws(ExperimentError) -> Int64? {
        let codingKey = AnyKey(key)
        guard container.contains(codingKey) else { return nil }
        if let seconds = try? container.decode(Double.self, forKey: codingKey) {
            guard seconds.isFinite, seconds == seconds.rounded(), abs(seconds) < 1e15 else {
                throw .invalidValue(path(key), "must be whole seconds since 1970, got \(ExperimentError.format(seconds))")
            }
            return Int64(seconds)
        }
        let text = try required(key, as: String.self, expected: "seconds since 1970 or an ISO 8601 time")
        guard let seconds = ISOTime.parse(text) else {
            throw .invalidValue(path(key), "must be an ISO 8601 time like 2024-06-01 or 2024-06-01T08:00:00Z, got '\(text)'")
        }
        return seconds
    }

    /// A `DecodingError` from JSONDecoder as an ``ExperimentError`` at `path`.
    static func converting(_ error: any Error, at path: String, expected: String) -> ExperimentError {
        if let error = error as? ExperimentError { return error }
        guard let error = error as? DecodingError else { return .invalidValue(path, "\(error)") }
        switch error {
        case let .typeMismatch(_, context):
            return .wrongType(path, expected: expected, found: found(in: context.debugDescription))
        case .valueNotFound:
            return .wrongType(path, expected: expected, found: "null")
        case let .keyNotFound(key, _):
            return .missingKey(ExperimentError.path(path, key.stringValue))
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
        for (needle, name) in [("string", "a string"), ("number", "a number"), ("dictionary", "an object"),
                               ("object", "an object"), ("array", "an array"), ("bool", "true or false"), ("null", "null")]
        where what.contains(needle) {
            return name
        }
        return String(what)
    }
}
