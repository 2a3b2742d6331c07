import Foundation
import Hummingbird

/// Typed access to a request's query parameters; every failure names the parameter.
struct Query {
    let parameters: [String: [String]]

    init(_ request: Request) throws {
        var parameters: [String: [String]] = [:]
        for (key, value) in request.uri.queryParameters {
            parameters[String(key), default: []].append(String(value))
        }
        self.parameters = parameters
    }

    func string(_ name: String) -> String? {
        guard let value = parameters[name]?.last, !value.isEmpty else { return nil }
        return value
    }

    /// A list from repeated parameters and/or comma-separated values.
    func list(_ name: String) -> [String] {
        (parameters[name] ?? []).flatMap { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }.filter { !$0.isEmpty }
    }

    func int(_ name: String, range: ClosedRange<Int>) throws -> Int? {
        guard let text = string(name) else { return nil }
        guard let value = Int(text) else { throw APIError.badRequest("\(name): '\(text)' is not an integer") }
        guard range.contains(value) else { throw APIError.badRequest("\(name): must be between \(range.lowerBound) and \(range.upperBound), got \(value)") }
        return value
    }

    func double(_ name: String) throws -> Double? {
        guard let text = string(name) else { return nil }
        guard let value = Double(text), value.isFinite else { throw APIError.badRequest("\(name): '\(text)' is not a number") }
        return value
    }
}
