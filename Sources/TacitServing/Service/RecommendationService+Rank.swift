import TacitCore
import TacitModels

extension SceneConfig {
    /// The scene behind `GET /v1/items/{id}/similar` when the configuration has no `similar`
    /// scene: the model's neighbours of the item (shared attributes for items the model has not
    /// seen), a little content, never the item itself, popular items as the fallback.
    public static let similarItems = SceneConfig(
        sources: [SourceWeight(.similar, weight: 1), SourceWeight(.content, weight: 0.2)],
        filters: Filters(excludeSeen: false, excludePurchased: false, excludeContext: true),
        fallback: [.trending, .popular])
}

extension RecommendationService {
    /// Gathers the scene's candidate lists and ranks them (``SceneRanker``).
    func rank(scene: SceneConfig, count: Int, context: RecommendationContext, request: RecommendationRequest) -> [RankedItem] {
        var context = context
        let catalog = context.catalog
        let limit = max(scene.sources.map { $0.limit ?? 4 * count }.max() ?? 4 * count, 4 * count)
        let categories = request.categories.isEmpty ? scene.filters.categories : request.categories
        let sources = self.sources
        if scene.ranker, scene.sources.contains(where: { $0.source == .personal }), let model = context.model,
           let ranker = model.recommender as? RankerModel {
            // The personal source and the ranking stage both read the ranker's lists: once per request.
            context.ranker = sources.rankerInput(context, model: model, ranker: ranker)
        }
        var lists = sources.gather(Set(scene.sources.map(\.source) + scene.fallback), context: context, limit: limit)
        // With a category filter, the fallbacks are the category's own trending/popular items, so
        // a filtered response still fills up.
        if let categories, !categories.isEmpty {
            let members = categories.flatMap { catalog.items(inCategory: $0) }
            let group = categories.map { $0.lowercased() }.sorted().joined(separator: "|")
            for (kind, counter) in [(CandidateSourceKind.trending, ActivityCounters.Kind.trending), (.popular, .popular)] where lists[kind] != nil {
                lists[kind] = activity.top(counter, group: group, items: members, count: limit).map { Candidate(item: $0.item, score: Double($0.score)) }
            }
        }
        let filters = RequestFilters(
            categories: request.categories.isEmpty ? nil : request.categories, minPrice: request.minPrice, maxPrice: request.maxPrice,
            excluded: request.exclude.compactMap { catalog.index(of: $0) })
        let model = context.model
        // The ranking stage, when the scene has one and the request's model is a learned ranker.
        var rerank: (([Int32]) -> [Float])?
        if scene.ranker, let model, let ranker = model.recommender as? RankerModel {
            // The personal source's items carry the trees' scores already (same lists, request and
            // features): only the other sources' items are featurized and scored here.
            let scored = ItemTable(capacity: lists[.personal]?.count ?? 0)
            var personal: [Float] = []
            for candidate in lists[.personal] ?? [] where scored[candidate.item] == nil {
                scored.set(candidate.item, Int32(personal.count))
                personal.append(Float(candidate.score))
            }
            rerank = { [context] items in
                let rest = items.filter { scored[$0] == nil }
                var computed = sources.rankerScores(of: rest, context: context, model: model, ranker: ranker).makeIterator()
                return items.map { item in scored[item].map { personal[Int($0)] } ?? computed.next() ?? .nan }
            }
        }
        return SceneRanker(scene: scene).rank(
            count: count, sources: lists, fallbacks: lists, catalog: catalog, history: context.events,
            context: context.contextItems, filters: filters, similarity: { a, b in model?.similarity(a, b) }, rerank: rerank)
    }
}
