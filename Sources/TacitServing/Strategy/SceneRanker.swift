/// Turns one scene's candidate lists into a response of exactly `count` items: blend, filter,
/// diversify, backfill, explain.
///
/// 1. **Blend.** Each source list (best first, cut at the source's `limit`, default 4 × count)
///    is normalised by rank: rank `r` of `L` scores `1 − r/L`. An item's score is
///    `Σ weight · normalised` over the sources that list it; the source with the largest term
///    (the earlier source in the scene on ties) and its anchor explain the item.
///    **Ranking stage** (a scene with ``SceneConfig/ranker`` on, and a request whose model is a
///    learned ranker): the blended items are re-ordered by the ranker's scores and each one's
///    score becomes `1 − r/N` by its rank `r` of `N` (items it cannot score follow, in blended
///    order); the source and anchor that explain it stay the blend's.
/// 2. **Filter.** Availability (items without a record count as available), allowed
///    categories (case-insensitive; items without a category fail), price range (items without
///    a price fail), the user's seen or bought items, the context items, explicit exclusions.
///    The request's categories and prices replace the scene's.
/// 3. **Diversify.** With `mmr_lambda`, items are picked greedily by
///    `λ·rel − (1−λ)·max sim to the picked items` (rel scaled so the best is 1); the
///    similarity closure's value is clamped to [0, 1], and where it returns nil, items of the
///    same category count as 1 and others as 0. With `max_per_category`, a category at its cap
///    is skipped (items without a category are never capped). Categories equal ignoring case are
///    one category, as in the filters.
/// 4. **Backfill.** If fewer than `count` blended items pass, items from the fallback lists
///    follow, in the scene's fallback order and each list's order, under the same filters and
///    cap (no MMR). If still short, the cap is relaxed as a last resort: first the blended items
///    it held back (still by MMR), then the fallback items it held back.
///
/// The response lists the blended items (in pick order) and then the backfilled ones; it has
/// exactly `count` items, never a duplicate or a filtered item, unless the candidate and
/// fallback lists together hold fewer admissible items: then it has all of them.
/// Blended items carry their blended score; backfilled item `k` of `m` scores
/// `b · (m − k)/(m + 1)`, where `b` is the lowest blended score in the response (1 if none),
/// so every backfilled item scores below every blended one and the scores decrease.
///
/// The scene is used as given (``StrategyConfig/validate()`` checks one built in code); out of
/// range values are tolerated rather than trapped on: a source whose weight is not > 0 is
/// ignored, a limit below 1 takes nothing, `mmr_lambda` is clamped to [0, 1] and a cap below
/// 1 counts as 1.
///
/// - Complexity: O(C log C) for C candidates, plus one record lookup per candidate looked at;
///   with MMR, O(count · P) similarity calls for the P candidates at the top of the pool.
public struct SceneRanker: Sendable {
    /// The scene this ranker serves.
    public let scene: SceneConfig
    private let sceneCategories: CategorySet?

    public init(scene: SceneConfig) {
        self.scene = scene
        sceneCategories = scene.filters.categories.map(CategorySet.init)
    }

    /// Ranks one request.
    ///
    /// - Parameters:
    ///   - count: the number of items wanted; nil means the scene's `count`. Clamped to
    ///     `0...maxCount`; source limits default to 4 × this.
    ///   - sources: the candidate lists of the scene's sources, each best first; a missing
    ///     source counts as empty.
    ///   - fallbacks: the lists of the scene's fallback sources, best first (may be `sources`).
    ///   - catalog: item ids and records.
    ///   - history: the user's events, oldest first.
    ///   - context: the scene's context items (the product page's item, the cart's items).
    ///   - filters: the request's own filters.
    ///   - similarity: the similarity of two items for MMR, or nil when unknown.
    ///   - rerank: the ranking stage (used when the scene has ``SceneConfig/ranker`` on): the
    ///     scores of the given blended items, higher first, NaN where it cannot score; nil when the
    ///     request's model has no ranking stage.
    public func rank(
        count: Int? = nil,
        sources: [CandidateSourceKind: [Candidate]],
        fallbacks: [CandidateSourceKind: [Candidate]],
        catalog: any CatalogView,
        history: [HistoryEvent] = [],
        context: [Int32] = [],
        filters: RequestFilters = RequestFilters(),
        similarity: (Int32, Int32) -> Double? = { _, _ in nil },
        rerank: (([Int32]) -> [Float])? = nil
    ) -> [RankedItem] {
        let target = scene.resolvedCount(count)
        guard target > 0 else { return [] }
        let rules = AdmissionRules(
            filters: scene.filters, sceneCategories: sceneCategories, request: filters,
            history: history, context: context, itemCount: catalog.count)
        var pool = CandidatePool(sources: scene.sources, lists: sources, count: target, rules: rules)
        if scene.ranker, let rerank, pool.count > 0 { pool.rerank(by: rerank(pool.entries.map(\.item))) }
        var run = RankingRun(pool: pool, catalog: catalog, rules: rules, diversity: scene.diversity, target: target)

        run.pickBlended(capped: true, similarity: similarity)
        if !run.isFull { run.backfill(from: scene.fallback, lists: fallbacks) }
        if !run.isFull, scene.diversity.maxPerCategory != nil {
            run.pickBlended(capped: false, similarity: similarity)
            run.backfillDeferred()
        }

        let explainer = Explainer(catalog: catalog, history: history, context: context)
        var result: [RankedItem] = []
        result.reserveCapacity(run.picked.count + run.backfilled.count)
        var lowest = 1.0
        for s in run.picked.map(Int.init) {
            let item = pool.entries[s].item
            let source = pool.entries[s].source
            lowest = result.isEmpty ? pool.entries[s].relevance : min(lowest, pool.entries[s].relevance)
            result.append(RankedItem(
                item: item, score: pool.entries[s].relevance, source: source,
                explanation: explainer.explain(item, source: source, anchor: pool.entries[s].anchor)))
        }
        let backfilled = run.backfilled
        for (k, entry) in backfilled.enumerated() {
            let score = lowest * Double(backfilled.count - k) / Double(backfilled.count + 1)
            result.append(RankedItem(
                item: entry.item, score: score, source: entry.source,
                explanation: explainer.explain(entry.item, source: entry.source, anchor: entry.anchor)))
        }
        return result
    }
}
