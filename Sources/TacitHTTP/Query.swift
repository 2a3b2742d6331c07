import Foundation
import Hummingbird
import TacitCore

/// Typed access to a request's query parameters; every failure names the parameter.
///
/// Names and values are percent-decoded exactly once (RFC 3986; `+` stays a plus sign): a
/// malformed escape or bytes that are not UTF-8 answer 400 rather than reaching a route altered.
struct Query {
    let parameters: [String: [String]]

    init(_ request: Request) throws {
        var parameters: [String: [String]] = [:]
        for pair in (request.uri.query ?? "").split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = String(parts[0]).removingPercentEncoding else {
                throw APIError.badRequest("query: '\(parts[0])' is not valid percent-encoding of UTF-8")
            }
            let raw = parts.count > 1 ? String(parts[1]) : ""
            guard let value = raw.removingPercentEncoding else {
                throw APIError.badRequest("\(name): '\(raw)' is not valid percent-encoding of UTF-8")
            }
            guard !value.unicodeScalars.contains("\u{0}") else { throw APIError.badRequest("\(name): must not contain NUL (U+0000)") }
            parameters[name, default: []].append(value)
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

    /// A list of ids (as ``list(_:)``), each checked against the id rules (``ExternalID``).
    func ids(_ name: String) throws -> [String] {
        let ids = list(name)
        for id in ids {
            if let problem = ExternalID.problem(id) { throw APIError.badRequest("\(name): \(problem)") }
        }
        return ids
    }

    /// One id (not split at commas), checked against the id rules (``ExternalID``).
    func id(_ name: String) throws -> String? {
        guard let id = string(name) else { return nil }
        if let problem = ExternalID.problem(id) { throw APIError.badRequest("\(name): \(problem)") }
        return id
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
