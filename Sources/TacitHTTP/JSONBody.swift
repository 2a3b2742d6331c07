import Foundation
import Hummingbird
import TacitCore


/// Reads and checks JSON request bodies, with errors that name the field.
///
/// Parsing goes through `JSONSerialization` and explicit field checks rather than `Decodable`, so
/// a message says `events[3].user_id: required, a non-empty string` instead of a coding path dump.
struct JSONBody {
    /// The largest body accepted, in bytes.
    let limit: Int

    /// The body parsed as a JSON value; 413 when too large, 400 when not JSON.
    func read(_ request: Request) async throws -> Any {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: limit)
        } catch {
            throw APIError(.contentTooLarge, "request body larger than \(limit) bytes")
        }
        guard buffer.readableBytes > 0 else { throw APIError.badRequest("request body is empty; expected JSON") }
        let data = Data(buffer.readableBytesView)
        do {
            return try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            throw APIError.badRequest("invalid JSON: \(Self.reason(error))")
        }
    }

    /// The body as a JSON object.
    func object(_ request: Request) async throws -> [String: Any] {
        guard let object = try await read(request) as? [String: Any] else { throw APIError.badRequest("expected a JSON object") }
        return object
    }

    private static func reason(_ error: any Error) -> String {
        let ns = error as NSError
        return (ns.userInfo[NSDebugDescriptionErrorKey] as? String) ?? ns.localizedDescription
    }
}

/// Typed access to a JSON object's fields; every failure names `path.field`.
struct JSONFields {
    let object: [String: Any]
    /// Where this object is in the body (`events[3]`), "" at the top.
    let path: String

    func name(_ field: String) -> String { path.isEmpty ? field : "\(path).\(field)" }

    /// Fails on fields not in `known` (a typo must not be ignored silently).
    func rejectUnknown(_ known: Set<String>) throws {
        if let extra = object.keys.sorted().first(where: { !known.contains($0) }) {
            throw APIError.badRequest("\(name(extra)): unknown field; valid: \(known.sorted().joined(separator: ", "))")
        }
    }

    func requiredString(_ field: String) throws -> String {
        guard let value = object[field], !(value is NSNull) else { throw APIError.badRequest("\(name(field)): required, a non-empty string") }
        guard let string = value as? String, !string.isEmpty else { throw APIError.badRequest("\(name(field)): must be a non-empty string") }
        return try Self.text(string, name(field))
    }

    /// A string field; `nil` when absent or null. Text may not hold NUL (U+0000): SQLite would cut
    /// the string there and PostgreSQL refuses it, so it could not be stored as sent.
    func string(_ field: String) throws -> String? {
        guard let value = object[field], !(value is NSNull) else { return nil }
        guard let string = value as? String else { throw APIError.badRequest("\(name(field)): must be a string") }
        return try Self.text(string, name(field))
    }

    /// A required id, checked against the id rules (``ExternalID``).
    func requiredID(_ field: String) throws -> String {
        guard let value = object[field], !(value is NSNull) else { throw APIError.badRequest("\(name(field)): required, a non-empty string") }
        guard let string = value as? String else { throw APIError.badRequest("\(name(field)): must be a non-empty string") }
        return try Self.id(string, name(field))
    }

    /// An optional id (absent or null: `nil`), checked against the id rules (``ExternalID``):
    /// an empty string is not an id.
    func id(_ field: String) throws -> String? {
        guard let value = object[field], !(value is NSNull) else { return nil }
        guard let string = value as? String else { throw APIError.badRequest("\(name(field)): must be a string") }
        return try Self.id(string, name(field))
    }

    static func id(_ string: String, _ name: String) throws -> String {
        if let problem = ExternalID.problem(string) { throw APIError.badRequest("\(name): \(problem)") }
        return string
    }

    static func text(_ string: String, _ name: String) throws -> String {
        guard !string.unicodeScalars.contains("\u{0}") else { throw APIError.badRequest("\(name): must not contain NUL (U+0000)") }
        return string
    }

    /// A finite number; `nil` when absent or null; 400 when outside `range` (when given).
    func number(_ field: String, in range: ClosedRange<Double>? = nil) throws -> Double? {
        guard let value = object[field], !(value is NSNull) else { return nil }
        guard let number = value as? NSNumber, !Self.isBool(number), number.doubleValue.isFinite else {
            throw APIError.badRequest("\(name(field)): must be a finite number")
        }
        let double = number.doubleValue
        if let range, !range.contains(double) {
            throw APIError.badRequest("\(name(field)): must be between \(Self.format(range.lowerBound)) and \(Self.format(range.upperBound)), got \(double)")
        }
        return double
    }

    private static func format(_ bound: Double) -> String {
        bound.magnitude < 1e15 && bound == bound.rounded() ? String(Int64(bound)) : "\(bound)"
    }

    func bool(_ field: String) throws -> Bool? {
        guard let value = object[field], !(value is NSNull) else { return nil }
        guard let number = value as? NSNumber, Self.isBool(number) else { throw APIError.badRequest("\(name(field)): must be true or false") }
        return number.boolValue
    }

    func strings(_ field: String) throws -> [String]? {
        guard let value = object[field], !(value is NSNull) else { return nil }
        guard let array = value as? [Any] else { throw APIError.badRequest("\(name(field)): must be an array of strings") }
        return try array.enumerated().map { k, element in
            guard let s = element as? String else { throw APIError.badRequest("\(name(field))[\(k)]: must be a string") }
            return try Self.text(s, "\(name(field))[\(k)]")
        }
    }

    func stringMap(_ field: String) throws -> [String: String]? {
        guard let value = object[field], !(value is NSNull) else { return nil }
        guard let map = value as? [String: Any] else { throw APIError.badRequest("\(name(field)): must be an object of strings") }
        var result: [String: String] = [:]
        for (key, element) in map {
            _ = try Self.text(key, "\(name(field)) key")
            if let s = element as? String { result[key] = try Self.text(s, "\(name(field)).\(key)") }
            else if let n = element as? NSNumber, !Self.isBool(n) { result[key] = n.stringValue }
            else if let n = element as? NSNumber { result[key] = n.boolValue ? "true" : "false" }
            else { throw APIError.badRequest("\(name(field)).\(key): must be a string, number or boolean") }
        }
        return result
    }

    func objects(_ field: String) throws -> [[String: Any]]? {
        guard let value = object[field], !(value is NSNull) else { return nil }
        guard let array = value as? [Any] else { throw APIError.badRequest("\(name(field)): must be an array of objects") }
        return try array.enumerated().map { k, element in
            guard let o = element as? [String: Any] else { throw APIError.badRequest("\(name(field))[\(k)]: must be an object") }
            return o
        }
    }

    /// Whether an `NSNumber` from `JSONSerialization` is a JSON boolean.
    static func isBool(_ number: NSNumber) -> Bool {
        #if canImport(Darwin)
        return CFGetTypeID(number) == CFBooleanGetTypeID()
        #else
        // swift-corelibs-foundation parses JSON booleans as __NSCFBoolean, type code "c";
        // numbers come out as "i" (integers) or "d" (reals), never "c".
        return String(cString: number.objCType) == "c"
        #endif
    }
}
