import Foundation
import Hummingbird


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
        return string
    }

    func string(_ field: String) throws -> String? {
        guard let value = object[field], !(value is NSNull) else { return nil }
        guard let string = value as? String else { throw APIError.badRequest("\(name(field)): must be a string") }
        return string
    }

    func number(_ field: String) throws -> Double? {
        guard let value = object[field], !(value is NSNull) else { return nil }
        guard let number = value as? NSNumber, !Self.isBool(number), number.doubleValue.isFinite else {
            throw APIError.badRequest("\(name(field)): must be a finite number")
        }
        return number.doubleValue
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
            return s
        }
    }

    func stringMap(_ field: String) throws -> [String: String]? {
        guard let value = object[field], !(value is NSNull) else { return nil }
        guard let map = value as? [String: Any] else { throw APIError.badRequest("\(name(field)): must be an object of strings") }
        var result: [String: String] = [:]
        for (key, element) in map {
            if let s = element as? String { result[key] = s }
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
