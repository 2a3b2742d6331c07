/// One scene of a strategy: which candidate sources it blends with which weights, what it
/// filters out, how it diversifies and what it backfills with.
///
/// The built-in scenes are ``home``, ``product`` and ``cart``; ``StrategyConfig/standard`` holds
/// them. See ``StrategyConfig`` for the JSON format and ``SceneRanker`` for what each field does
/// at request time.
public struct SceneConfig: Sendable, Equatable {
    /// The blended sources with their weights; not empty, no source twice.
    public var sources: [SourceWeight]
    /// What the scene never returns. Default: `Filters()` (available only, no bought or context items).
    public var filters: Filters
    /// MMR and the per-category cap. Default: off.
    public var diversity: Diversity
    /// The sources that backfill a response the blend cannot fill, in order. Default
    /// `[.trending, .popular]`.
    public var fallback: [CandidateSourceKind]
    /// The number of items a request without a count gets (≥ 1). Default 10.
    public var count: Int
    /// The most items a request may ask for (≥ `count`); larger requests are clamped.
    /// Default 100.
    public var maxCount: Int
    /// The ranking stage: when the request's model is a learned `ranker`, its trees re-order
    /// the blended candidates of the scene's sources (from their features as of the request)
    /// before the filters and diversity; with any other model the blend stands. Default off.
    public var ranker = false

    public init(
        sources: [SourceWeight], filters: Filters = Filters(), diversity: Diversity = Diversity(),
        fallback: [CandidateSourceKind] = [.trending, .popular], count: Int = 10, maxCount: Int = 100
    ) {
        self.sources = sources
        self.filters = filters
        self.diversity = diversity
        self.fallback = fallback
        self.count = count
        self.maxCount = maxCount
    }

    /// The home page: the user's personal ranking with a little trending and content, nothing
    /// the user has seen or bought, MMR at λ = 0.8 and at most 4 items per category.
    public static let home = SceneConfig(
        sources: [SourceWeight(.personal, weight: 1), SourceWeight(.trending, weight: 0.2), SourceWeight(.content, weight: 0.1)],
        filters: Filters(excludeSeen: true, excludePurchased: true),
        diversity: Diversity(mmrLambda: 0.8, maxPerCategory: 4),
        fallback: [.trending, .popular]
    )

    /// A product page: items similar to and bought with the page's item, never the item itself;
    /// items the user has seen may come back (bought ones do not).
    public static let product = SceneConfig(
        sources: [SourceWeight(.similar, weight: 1), SourceWeight(.complementary, weight: 0.3), SourceWeight(.content, weight: 0.2)],
        filters: Filters(excludeSeen: false, excludePurchased: true, excludeContext: true),
        fallback: [.trending, .popular]
    )

    /// The cart: items bought with the cart's items, never the cart's items or bought ones.
    public static let cart = SceneConfig(
        sources: [SourceWeight(.complementary, weight: 1), SourceWeight(.similar, weight: 0.3)],
        filters: Filters(excludeSeen: false, excludePurchased: true, excludeContext: true),
        fallback: [.popular]
    )

    /// The number of items to return for a request that asks for `requested` (nil: the
    /// scene's `count`), clamped to `0...maxCount`.
    public func resolvedCount(_ requested: Int?) -> Int {
        min(max(requested ?? count, 0), maxCount)
    }

    /// Checks every field; `path` is the scene's own path (`scenes.home`).
    func validate(path: String) throws(StrategyConfigError) {
        let sourcesPath = StrategyConfigError.path(path, "sources")
        guard !sources.isEmpty else { throw .invalidValue(sourcesPath, "must name at least one source") }
        for (index, entry) in sources.enumerated() {
            let entryPath = "\(sourcesPath)[\(index)]"
            if let first = sources[..<index].firstIndex(where: { $0.source == entry.source }) {
                throw .invalidValue(
                    StrategyConfigError.path(entryPath, "source"),
                    "duplicate source '\(entry.source.rawValue)' (also sources[\(first)])")
            }
            try entry.validate(path: entryPath)
            // "Buy it again" lists the user's own items: a filter that drops them would leave it empty.
            if entry.source == .repeatPurchase || fallback.contains(.repeatPurchase) {
                for (name, on) in [("exclude_purchased", filters.excludePurchased), ("exclude_seen", filters.excludeSeen)] where on {
                    throw .invalidValue(
                        StrategyConfigError.path(StrategyConfigError.path(path, "filters"), name),
                        "must be false in a scene with the repeat source, which lists the user's own purchases")
                }
            }
        }
        try filters.validate(path: StrategyConfigError.path(path, "filters"))
        try diversity.validate(path: StrategyConfigError.path(path, "diversity"))
        for (index, kind) in fallback.enumerated() {
            if let first = fallback[..<index].firstIndex(of: kind) {
                throw .invalidValue(
                    "\(StrategyConfigError.path(path, "fallback"))[\(index)]",
                    "duplicate source '\(kind.rawValue)' (also fallback[\(first)])")
            }
        }
        guard count >= 1 else { throw .invalidValue(StrategyConfigError.path(path, "count"), "must be ≥ 1, got \(count)") }
        guard maxCount >= count else {
            throw .invalidValue(StrategyConfigError.path(path, "max_count"), "must be ≥ count (\(count)), got \(maxCount)")
        }
    }
}
