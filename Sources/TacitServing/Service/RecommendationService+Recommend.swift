import Foundation
import TacitCore
import TacitModels
import TacitStore

extension RecommendationService {
    /// Recommendations for one request: the scene's candidate sources, blended, filtered,
    /// diversified, backfilled to exactly `count`, with an explanation per item.
    ///
    /// Never fails for an unknown user: with no history the personal source is empty and the
    /// scene's fallbacks fill the list. Fails only for an unknown scene or a bad count.
    public func recommend(_ request: RecommendationRequest) throws(ServiceError) -> RecommendationResponse {
        let strategy = configuration.strategy
        let sceneName = request.scene ?? strategy.defaultScene
        guard var scene = strategy.scenes[sceneName] else {
            throw .unknownScene(sceneName, valid: strategy.scenes.keys.sorted())
        }
        let now = Date().timeIntervalSince1970
        let recommendationID = RecommendationID.make(secondsSince1970: now)
        // A running experiment on the scene: its variant's scene serves the request and its model
        // ranks it (the holdout keeps the request's own scene and the main model).
        let decision = experiments.decide(user: request.user, scene: sceneName, at: Int64(now), recommendationID: recommendationID)
        if let variantScene = decision?.scene, let configured = strategy.scenes[variantScene] { scene = configured }
        let count = try checkedCount(request.count, scene: scene)
        let catalog = catalog.snapshot
        let (model, standingInFor) = rankingModel(for: decision?.model)
        let context = RecommendationContext(
            user: request.user, history: histories.entries(of: request.user),
            contextItems: request.contextItems.compactMap { catalog.index(of: $0) }, catalog: catalog, model: model,
            attributes: userAttributes.record(of: request.user),
            trainedVectorRevoked: model.map { forgotten.revokes(request.user, lastSequence: $0.info.lastSequence) } ?? false)
        let ranked = rank(scene: scene, count: count, context: context, request: request)
        // The version is reported when the model ranked something: personal or similar items;
        // the main model standing in for a variant's untrained model says so.
        let personal = ranked.contains { $0.source == .personal || $0.source == .similar }
        let label = model.map { model in standingInFor.map { "\(model.label) (\($0) not trained yet)" } ?? model.label }
        let assignment = decision?.assignment
        let response = RecommendationResponse(
            recommendationID: recommendationID, user: request.user, scene: sceneName,
            model: personal ? label : nil, items: ranked.map { describe($0, catalog: catalog) },
            experiment: assignment?.isHoldout == false ? assignment?.experiment : nil, variant: assignment?.variant)
        if configuration.serving.recordImpressions, impressions.add(Impression(
            recommendationID: response.recommendationID, user: request.user, scene: sceneName,
            model: response.model ?? "fallback", items: response.items.map(\.id), timestamp: Int64(now),
            experiment: assignment?.experiment, variant: assignment?.variant, propensity: assignment?.propensity)) {
            recordShown(ranked.map { Int($0.item) })
        }
        return response
    }

    /// Items similar to `item` (the `similar` scene when configured, else the built-in one).
    public func similar(to item: ItemID, count: Int?) throws(ServiceError) -> [RecommendedItem] {
        let catalog = catalog.snapshot
        guard let index = catalog.index(of: item) else { throw .notFound("item", item) }
        let scene = configuration.strategy.scenes["similar"] ?? SceneConfig.similarItems
        let context = RecommendationContext(user: "", history: [], contextItems: [index], catalog: catalog, model: registry.current)
        let request = RecommendationRequest(user: "", contextItems: [item])
        return rank(scene: scene, count: try checkedCount(count, scene: scene), context: context, request: request)
            .map { describe($0, catalog: catalog) }
    }

    /// The most popular (all time) or trending (recent, time-decayed) available items.
    public func top(_ kind: ActivityCounters.Kind, count: Int?, category: String?) throws(ServiceError) -> [RecommendedItem] {
        let n = try checkedCount(count, scene: nil)
        let catalog = catalog.snapshot
        let source: CandidateSourceKind = kind == .popular ? .popular : .trending
        let list: [ScoredItem]
        if let category {
            list = activity.top(kind, among: catalog.items(inCategory: category), count: n * 2 + 10)
        } else {
            list = activity.top(kind)
        }
        var result: [RecommendedItem] = []
        let explainer = Explainer(catalog: catalog, history: [], context: [])
        for scored in list where catalog.isAvailable(scored.item) {
            let ranked = RankedItem(item: scored.item, score: Double(scored.score), source: source,
                                    explanation: explainer.explain(scored.item, source: source, anchor: nil))
            result.append(describe(ranked, catalog: catalog))
            if result.count == n { break }
        }
        return result
    }

    func checkedCount(_ requested: Int?, scene: SceneConfig?) throws(ServiceError) -> Int {
        let maximum = scene?.maxCount ?? 100
        let count = requested ?? scene?.count ?? 10
        guard count >= 1, count <= maximum else { throw .invalidField("count", "must be between 1 and \(maximum), got \(count)") }
        return count
    }

    func describe(_ ranked: RankedItem, catalog: CatalogSnapshot) -> RecommendedItem {
        RecommendedItem(id: catalog.id(ranked.item), score: ranked.score, source: ranked.source,
                        explanation: ranked.explanation, record: catalog.record(ranked.item))
    }
}
