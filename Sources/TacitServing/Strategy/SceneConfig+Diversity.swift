import TacitCore
extension SceneConfig {
    /// How a scene spreads its results: maximal marginal relevance and a per-category cap.
    ///
    /// JSON keys: `mmr_lambda`, `max_per_category`.
    public struct Diversity: Sendable, Equatable {
        /// The MMR trade-off in [0, 1]: each pick maximises `λ·relevance − (1−λ)·max similarity
        /// to the items already picked`; 1 is pure relevance. nil (the default) turns MMR off.
        ///
        /// Carbonell & Goldstein, "The use of MMR, diversity-based reranking for reordering
        /// documents and producing summaries", SIGIR 1998.
        public var mmrLambda: Double?
        /// At most this many items of one category (≥ 1), categories compared as the catalog
        /// spells them; items without a category are not capped. nil (the default) turns the cap off. When the capped items cannot fill a
        /// response, the cap is relaxed as a last resort (see ``SceneRanker``).
        public var maxPerCategory: Int?

        public init(mmrLambda: Double? = nil, maxPerCategory: Int? = nil) {
            self.mmrLambda = mmrLambda
            self.maxPerCategory = maxPerCategory
        }

        /// Checks the ranges; `path` is the object's own path (`scenes.home.diversity`).
        func validate(path: String) throws(StrategyConfigError) {
            if let mmrLambda, !(0...1).contains(mmrLambda) {
                throw .invalidValue(
                    StrategyConfigError.path(path, "mmr_lambda"), "must be in [0, 1], got \(StrategyConfigError.format(mmrLambda))")
            }
            if let maxPerCategory, maxPerCategory < 1 {
                throw .invalidValue(StrategyConfigError.path(path, "max_per_category"), "must be ≥ 1, got \(maxPerCategory)")
            }
        }
    }
}

extension SceneConfig.Diversity: Codable {
    static let keys = ["mmr_lambda", "max_per_category"]

    public init(from decoder: any Decoder) throws {
        try self.init(from: decoder, base: Self())
    }

    /// Decodes the keys present over `base` (the inherited values).
    init(from decoder: any Decoder, base: Self) throws(StrategyConfigError) {
        let object = try ConfigObject(decoder, known: Self.keys)
        mmrLambda = try object.nullable("mmr_lambda", as: Double.self, expected: "a number", current: base.mmrLambda)
        maxPerCategory = try object.nullableWholeNumber("max_per_category", current: base.maxPerCategory)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: ConfigKey.self)
        try container.encode(mmrLambda, forKey: ConfigKey("mmr_lambda"))
        try container.encode(maxPerCategory, forKey: ConfigKey("max_per_category"))
    }
}
