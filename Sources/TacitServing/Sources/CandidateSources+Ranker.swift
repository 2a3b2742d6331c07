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
    /// the request. `cached`: `filter` is the personal source's (history excluded), so a trained
    /// user's lists may come from, and go to, the model version's cache.
    func rankerCandidates(_ context: RecommendationContext, model: ServingModel, ranker: RankerModel,
                          filter: ItemFilter = .excludingHistory, cached: Bool = true) -> RankerCandidates {
        let request = Self.rankerRequest(context, model: model)
        var candidates = ranker.candidates(from: rankerLists(context, model: model, ranker: ranker, request: request, filter: filter, cached: cached),
                                           request: request)
        addActivity(to: &candidates, model: model, ranker: ranker)
        return candidates
    }

    /// The ranking stage of a scene: the ranker's scores of the given catalog items for the
    /// request (NaN for an item the model does not know).
    func rankerScores(of items: [Int32], context: RecommendationContext, model: ServingModel, ranker: RankerModel) -> [Float] {
        let request = Self.rankerRequest(context, model: model)
        let known = items.compactMap { model.modelItem($0) }
        var candidates = ranker.candidates(known, from: rankerLists(context, model: model, ranker: ranker, request: request,
                                                                    filter: .excludingHistory, cached: true), request: request)
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

    /// The ranker's sources' lists for the request (cached per model version for a trained user).
    private func rankerLists(_ context: RecommendationContext, model: ServingModel, ranker: RankerModel, request: RankerRequest,
                             filter: ItemFilter, cached: Bool) -> RankerLists {
        let cacheable = cached && request.trainedUser != nil
        if cacheable, let hit = model.rankerListCache[context.user] { return hit }
        let lists = ranker.lists(for: request, filter: filter)
        if cacheable { model.rankerListCache.store(lists, for: context.user) }
        return lists
    }

    /// The live item activity of the candidates (catalog-indexed in the service).
    private func addActivity(to candidates: inout RankerCandidates, model: ServingModel, ranker: RankerModel) {
        if let itemActivity {
            itemActivity.withLock { activity in ranker.addActivity(to: &candidates, activity: activity, index: { Int(model.catalogItem($0)) }) }
        } else {
            ranker.addActivity(to: &candidates, activity: ItemActivity(), index: { _ in nil })
        }
    }
}

extension ServingModel {
    /// Remembered events (catalog indices, oldest first) as the ranker's features read them, in
    /// model indices: as the training log's sequences keep them — kinds the weighting counts,
    /// items the model knows, an exact repeat (item, kind and time) of the previous kept event
    /// dropped when the weighting drops duplicates.
    func timedEvents(from events: [HistoryEvent]) -> [TimedEvent] {
        var result: [TimedEvent] = []
        result.reserveCapacity(events.count)
        for event in events {
            guard weighting.weight(of: event.kind) > 0, let item = modelItem(event.item) else { continue }
            let timed = TimedEvent(item: item, kind: event.kind, time: event.timestamp)
            if weighting.dropDuplicates, result.last == timed { continue }
            result.append(timed)
        }
        return result
    }
}
