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
        let trained = context.trainedUserWithoutNewEvents
        let events = context.events
        let request = RankerRequest(trainedUser: trained, history: trained == nil ? model.history(from: events) : SparseVector(pairs: []),
                                    sequence: trained == nil ? model.sequence(from: events) : [], events: model.timedEvents(from: events),
                                    time: context.time)
        let lists: RankerLists
        if trained != nil, cached, let hit = model.rankerListCache[context.user] {
            lists = hit
        } else {
            lists = ranker.lists(for: request, filter: filter)
            if trained != nil, cached { model.rankerListCache.store(lists, for: context.user) }
        }
        var candidates = ranker.candidates(from: lists, request: request)
        if let itemActivity {
            itemActivity.withLock { activity in ranker.addActivity(to: &candidates, activity: activity, index: { Int(model.catalogItem($0)) }) }
        } else {
            ranker.addActivity(to: &candidates, activity: ItemActivity(), index: { _ in nil })
        }
        return candidates
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
