/// A configuration document that cannot be used — unreadable, not JSON, or a field with a wrong
/// type, an unknown name or an out-of-range value — read by ``ConfigObject``. The strategy
/// (`ConfigError`) and experiment (`ExperimentError`) formats share it.
///
/// The message names the file, the exact field path and the reason, so it alone tells a user
/// what to fix:
///
/// ```
/// strategy.json: scenes.home.sources[1].weight: must be > 0, got -1
/// experiments.json: experiments[1].policy.type: unknown policy 'greedy'; valid: fixed, thompson, ucb1, epsilon_greedy
/// ```
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Kind: Sendable, Equatable {
        case unreadable(reason: String)
        case syntax(reason: String)
        case wrongType(expected: String, found: String?)
        case missingKey
        case unknownKey(key: String, valid: [String])
        case unknownName(kind: String, name: String, valid: [String])
        case invalidValue(reason: String)
    }

    private let kind: Kind
    /// The file the configuration came from, if it was loaded from one.
    public private(set) var file: String?
    /// The field's path from the document root, as `scenes.home.sources[1].weight`; empty for
    /// the whole document (an unreadable file, a syntax error).
    public private(set) var path: String

    private init(_ kind: Kind, path: String, file: String? = nil) {
        self.kind = kind
        self.path = path
        self.file = file
    }

    /// What is wrong with the field, without the file and path.
    public var reason: String {
        switch kind {
        case let .unreadable(reason), let .syntax(reason), let .invalidValue(reason):
            return reason
        case let .wrongType(expected, found):
            return "expected \(expected)" + (found.map { ", found \($0)" } ?? "")
        case .missingKey:
            return "required key is missing"
        case let .unknownKey(key, valid):
            return "unknown key '\(key)'; valid: \(valid.joined(separator: ", "))"
        case let .unknownName(kind, name, valid):
            return "unknown \(kind) '\(name)'; valid: \(valid.joined(separator: ", "))"
        }
    }

    /// `file: path: reason`, leaving out the parts that are unknown.
    public var description: String {
        [file, path.isEmpty ? nil : path, reason].compactMap { $0 }.joined(separator: ": ")
    }

    /// The file could not be read.
    public static func unreadable(_ reason: String) -> Self { .init(.unreadable(reason: reason), path: "") }
    /// The document is not valid JSON.
    public static func syntax(_ reason: String) -> Self { .init(.syntax(reason: reason), path: "") }
    /// The field holds a value of the wrong JSON type (`expected` and `found` as "a number").
    public static func wrongType(_ path: String, expected: String, found: String?) -> Self {
        .init(.wrongType(expected: expected, found: found), path: path)
    }
    /// A required field is absent.
    public static func missingKey(_ path: String) -> Self { .init(.missingKey, path: path) }
    /// An object has a key that the format does not define (a typo must not pass silently).
    public static func unknownKey(_ path: String, key: String, valid: [String]) -> Self {
        .init(.unknownKey(key: key, valid: valid), path: path)
    }
    /// A name (a source, a scene, a policy) is not one of the valid ones.
    public static func unknownName(_ path: String, kind: String, name: String, valid: [String]) -> Self {
        .init(.unknownName(kind: kind, name: name, valid: valid), path: path)
    }
    /// The value is out of range or inconsistent with another field; `path` may be empty for a
    /// function argument.
    public static func invalidValue(_ path: String, _ reason: String) -> Self { .init(.invalidValue(reason: reason), path: path) }

    /// The same error, attributed to `file`.
    public func located(in file: String) -> Self {
        var copy = self
        copy.file = file
        return copy
    }

    /// The same error with its path prefixed by `prefix` (the path of an enclosing document).
    public func nested(under prefix: String) -> Self {
        guard !prefix.isEmpty else { return self }
        var copy = self
        copy.path = path.isEmpty ? prefix : (path.hasPrefix("[") ? prefix + path : prefix + "." + path)
        return copy
    }
}

extension ConfigError {
    /// `scenes.home.sources[1].weight` from a decoder's coding path: keys joined by dots,
    /// array indices in brackets.
    public static func path(_ codingPath: [any CodingKey]) -> String {
        var out = ""
        for key in codingPath {
            if let index = key.intValue {
                out += "[\(index)]"
            } else {
                if !out.isEmpty { out += "." }
                out += key.stringValue
            }
        }
        return out
    }

    /// Appends a key to a path.
    public static func path(_ base: String, _ key: String) -> String { base.isEmpty ? key : base + "." + key }

    /// A number as a user wrote it: `-1` rather than `-1.0`.
    public static func format(_ value: Double) -> String {
        if value.isFinite, value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}
