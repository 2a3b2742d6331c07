import TacitCore
import TacitModels

extension CandidateSources {
    /// The learned ranker's list for the request (model indices), best first: its sources'
    /// candidates for the user as they are now, ordered by the trees from features as of the
    /// request time — the user's remembered events and the live item activity.
    func ranked(_ context: RecommendationContext, model: ServingModel, ranker: RankerModel, count: Int) -> [ScoredItem] {
        ranker.ranked(rankerCandidates(context, model: model, ranker: ranker), count: count)
    }

    /// The ranker's candidates (its sources' lists under `filter`) and complete feature rows for
    /// the request. `cached`: `filter` is the personal source's (history excluded), so the lists
    /// may be the request's or the model version's (``rankerInput(_:model:ranker:)``).
    func rankerCandidates(_ context: RecommendationContext, model: ServingModel, ranker: RankerModel,
                          filter: ItemFilter = .excludingHistory, cached: Bool = true) -> RankerCandidates {
        let (request, lists) = cached ? rankerInput(context, model: model, ranker: ranker)
            : { let request = Self.rankerRequest(context, model: model); return (request, ranker.lists(for: request, filter: filter)) }()
        var candidates = ranker.candidates(from: lists, request: request)
        addActivity(to: &candidates, model: model, ranker: ranker)
        return candidates
    }

    /// The ranking stage of a scene: the ranker's scores of the given catalog items for the
    /// request (NaN for an item the model does not know).
    func rankerScores(of items: [Int32], context: RecommendationContext, model: ServingModel, ranker: RankerModel) -> [Float] {
        let (request, lists) = rankerInput(context, model: model, ranker: ranker)
        let known = items.compactMap { model.modelItem($0) }
        var candidates = ranker.candidates(known, from: lists, request: request)
        addActivity(to: &candidates, model: model, ranker: ranker)
        var scores = ranker.scores(candidates).makeIterator()
        return items.map { model.modelItem($0) == nil ? .nan : (scores.next() ?? .nan) }
    }

    /// The request as the ranker reads it: the trained user when nothing happened since
    /// training, else the remembered history folded in; the events and the request time.
    static func rankerRequest(_ context: RecommendationContext, model: ServingModel) -> RankerRequest {
        let trained = context.trainedUserWithoutNewEvents
        let events = context.events
        return RankerRequest(trainedUser: trained, history: trained == nil ? model.history(from: events) : SparseVector(pairs: []),
                             sequence: trained == nil ? model.sequence(from: events) : [], events: model.timedEvents(from: events),
                             time: context.time)
    }

    /// Fills the model version's cache with a trained user's lists (the warm-up after a swap).
    func warmRankerLists(_ context: RecommendationContext, model: ServingModel, ranker: RankerModel) {
        _ = rankerInput(context, model: model, ranker: ranker)
    }

    /// The request and the ranker's sources' lists with the user's history excluded: the
    /// context's when computed already, else from the model version's cache (a trained user's
    /// lists) or the sources.
    func rankerInput(_ context: RecommendationContext, model: ServingModel, ranker: RankerModel) -> (request: RankerRequest, lists: RankerLists) {
        if let input = context.ranker { return input }
        let request = Self.rankerRequest(context, model: model)
        guard request.trainedUser != nil else { return (request, ranker.lists(for: request, filter: .excludingHistory)) }
        if let hit = model.rankerListCache[context.user] { return (request, hit) }
        let lists = ranker.lists(for: request, filter: .excludingHistory)
        model.rankerListCache.store(lists, for: context.user)
        return (request, lists)
    }

    /// The live item activity of the candidates (catalog-indexed in the service).
    private func addActivity(to candidates: inout RankerCandidates, model: ServingModel, ranker: RankerModel) {
        if let itemActivity {
            // Only the counters are copied under the lock; the features are computed after it.
            let readings = itemActivity.withLock { activity in
                ranker.activityReadings(of: candidates, activity: activity, index: { Int(model.catalogItem($0)) })
            }
            ranker.addActivity(to: &candidates, readings: readings)
        } else {
            ranker.addActivity(to: &candidates, activity: ItemActivity(), index: { _ in nil })
        }
    }
}

extension ServingModel {
    /// Remembered events (catalog indices, oldest first) as the ranker's features read them, in
    /// model indices: as the training log's sequences keep them (``WeightingPolicy/kept(_:after:where:)``),
    /// among the items the model knows.
    func timedEvents(from events: [HistoryEvent]) -> [TimedEvent] {
        weighting.kept(events, where: { modelItem($0.item) != nil }).compactMap { event in
            modelItem(event.item).map { TimedEvent(item: $0, kind: event.kind, time: event.timestamp) }
        }
    }
}
