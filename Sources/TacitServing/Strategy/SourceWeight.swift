import TacitCore
/// One candidate source of a scene and how much it counts in the blend.
///
/// JSON: `{"source": "personal", "weight": 1.0, "limit": 200}`; `weight` and `limit` may be
/// left out.
public struct SourceWeight: Sendable, Equatable {
    /// Where the candidates come from.
    public var source: CandidateSourceKind
    /// The source's weight in the blended score; must be > 0. Default 1.
    public var weight: Double
    /// How many of the source's candidates (best first) take part; nil (the default) means
    /// 4 × the request's count. Must be ≥ 1.
    public var limit: Int?

    public init(_ source: CandidateSourceKind, weight: Double = 1, limit: Int? = nil) {
        self.source = source
        self.weight = weight
        self.limit = limit
    }

    /// The number of candidates taken from the source for a request of `count` items.
    func resolvedLimit(count: Int) -> Int { limit ?? 4 * count }

    /// Checks the ranges; `path` is the entry's own path (`scenes.home.sources[1]`).
    func validate(path: String) throws(StrategyConfigError) {
        guard weight.isFinite, weight > 0 else {
            throw .invalidValue(StrategyConfigError.path(path, "weight"), "must be > 0, got \(StrategyConfigError.format(weight))")
        }
        if let limit, limit < 1 {
            throw .invalidValue(StrategyConfigError.path(path, "limit"), "must be ≥ 1, got \(limit)")
        }
    }
}

extension SourceWeight: Codable {
    static let keys = ["source", "weight", "limit"]

    public init(from decoder: any Decoder) throws {
        let object = try ConfigObject(decoder, known: Self.keys)
        guard let name = try object.value("source", as: String.self, expected: "a string") else {
            throw StrategyConfigError.missingKey(object.path("source"))
        }
        self.init(try CandidateSourceKind.named(name, at: object.path("source")))
        weight = try object.value("weight", as: Double.self, expected: "a number") ?? 1
        limit = try object.nullableWholeNumber("limit", current: nil)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: ConfigKey.self)
        try container.encode(source.rawValue, forKey: ConfigKey("source"))
        try container.encode(weight, forKey: ConfigKey("weight"))
        try container.encode(limit, forKey: ConfigKey("limit"))
    }
}

extension CandidateSourceKind {
    /// The source called `name`, or an error at `path` listing the valid names.
    static func named(_ name: String, at path: String) throws(StrategyConfigError) -> CandidateSourceKind {
        guard let kind = CandidateSourceKind(rawValue: name) else {
            throw .unknownName(path, kind: "source", name: name, valid: allCases.map(\.rawValue))
        }
        return kind
    }
}
