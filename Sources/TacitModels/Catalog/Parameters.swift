import TacitCore

/// One hyper-parameter value as given on the command line (`--param key=value`) or by the tuner.
public enum ParameterValue: Sendable, Hashable, Codable, CustomStringConvertible {
    case integer(Int)
    case real(Double)
    case choice(String)

    public var description: String {
        switch self {
        case let .integer(v): return String(v)
        case let .real(v): return String(v)
        case let .choice(v): return v
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let v = try? container.decode(Int.self) { self = .integer(v) }
        else if let v = try? container.decode(Double.self) { self = .real(v) }
        else { self = .choice(try container.decode(String.self)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case let .integer(v): try container.encode(v)
        case let .real(v): try container.encode(v)
        case let .choice(v): try container.encode(v)
        }
    }
}

/// The documented description of one hyper-parameter: its type, default, valid range and the
/// range `tacit tune` searches.
public struct ParameterSpec: Sendable {
    /// The parameter's type and search space.
    public enum Domain: Sendable {
        /// An integer in `valid`; tuning samples `search` (log-uniformly when `log`).
        case integer(valid: ClosedRange<Int>, search: ClosedRange<Int>, log: Bool)
        /// A real number in `valid`; tuning samples `search` (log-uniformly when `log`).
        case real(valid: ClosedRange<Double>, search: ClosedRange<Double>, log: Bool)
        /// One of a fixed set of names; tuning samples them uniformly.
        case choice([String])
    }

    public let name: String
    public let summary: String
    public let domain: Domain
    public let defaultValue: ParameterValue
    /// Whether `tacit tune` searches this parameter (otherwise it keeps the default or the given value).
    public let tuned: Bool
    /// When set, the parameter only matters while the choice parameter `name` has one of
    /// `values` (for example BM25 settings with `similarity=bm25`); the tuner leaves it at its
    /// default otherwise.
    public let condition: (name: String, values: [String])?

    public init(_ name: String, _ summary: String, domain: Domain, default defaultValue: ParameterValue, tuned: Bool = true,
                when condition: (name: String, values: [String])? = nil) {
        self.name = name
        self.summary = summary
        self.domain = domain
        self.defaultValue = defaultValue
        self.tuned = tuned
        self.condition = condition
    }

    /// Whether this parameter has an effect under `parameters`.
    public func isActive(in parameters: Parameters) -> Bool {
        guard let condition else { return true }
        guard case let .choice(value)? = parameters[condition.name] else { return true }
        return condition.values.contains(value)
    }

    /// Parses and validates a command-line value for this parameter.
    public func parse(_ text: String) throws(TacitError) -> ParameterValue {
        switch domain {
        case let .integer(valid, _, _):
            guard let v = Int(text) ?? Double(text).flatMap({ $0 == $0.rounded() ? Int(exactly: $0) : nil }) else {
                throw .invalidArgument("parameter '\(name)': '\(text)' is not an integer")
            }
            guard valid.contains(v) else { throw .invalidArgument("parameter '\(name)': \(v) is outside \(valid.lowerBound)...\(valid.upperBound)") }
            return .integer(v)
        case let .real(valid, _, _):
            guard let v = Double(text), v.isFinite else { throw .invalidArgument("parameter '\(name)': '\(text)' is not a number") }
            guard valid.contains(v) else { throw .invalidArgument("parameter '\(name)': \(v) is outside \(valid.lowerBound)...\(valid.upperBound)") }
            return .real(v)
        case let .choice(options):
            guard options.contains(text) else { throw .unknownName("value for parameter '\(name)'", text, valid: options) }
            return .choice(text)
        }
    }

    /// A human-readable range, for `--help` and docs: the valid values, and what `tacit tune`
    /// searches — "not tuned" for a parameter it leaves at its value.
    public var rangeDescription: String {
        func searched(_ lower: some Numeric, _ upper: some Numeric, _ log: Bool) -> String {
            tuned ? ", tuned over \(lower)...\(upper)\(log ? " (log scale)" : "")" : ", not tuned"
        }
        switch domain {
        case let .integer(valid, search, log): return "integer \(valid.lowerBound)...\(valid.upperBound)" + searched(search.lowerBound, search.upperBound, log)
        case let .real(valid, search, log): return "number \(valid.lowerBound)...\(valid.upperBound)" + searched(search.lowerBound, search.upperBound, log)
        case let .choice(options): return "one of " + options.joined(separator: ", ") + (tuned ? "" : ", not tuned")
        }
    }

    /// The condition in words, for `--help` and docs.
    public var conditionDescription: String? {
        condition.map { "only with \($0.name)=\($0.values.joined(separator: "|"))" }
    }
}

/// A complete, validated assignment of a model's parameters (every documented parameter has a value).
public struct Parameters: Sendable, Hashable, Codable {
    public private(set) var values: [String: ParameterValue]

    public init(_ values: [String: ParameterValue] = [:]) { self.values = values }

    public subscript(name: String) -> ParameterValue? {
        get { values[name] }
        set { values[name] = newValue }
    }

    /// The integer value of `name` (a real is rounded).
    public func integer(_ name: String) -> Int {
        switch values[name] {
        case let .integer(v): return v
        case let .real(v): return Int(v.rounded())
        default: preconditionFailure("parameter '\(name)' is not set or not numeric")
        }
    }

    /// The real value of `name`.
    public func real(_ name: String) -> Double {
        switch values[name] {
        case let .integer(v): return Double(v)
        case let .real(v): return v
        default: preconditionFailure("parameter '\(name)' is not set or not numeric")
        }
    }

    /// The choice value of `name`.
    public func choice(_ name: String) -> String {
        guard case let .choice(v) = values[name] else { preconditionFailure("parameter '\(name)' is not a choice") }
        return v
    }

    /// Values as plain JSON-friendly strings, sorted by name.
    public var sortedPairs: [(String, ParameterValue)] { values.sorted { $0.key < $1.key } }
}
