import TacitCore
import TacitModels
import TacitStore

extension RecommendationService {
    /// Counts a user's newly accepted events (`earlier`: what the user had before them) in the
    /// live item activity, when a ranker is served.
    func recordActivity(_ events: [HistoryEvent], earlier: [HistoryEvent]) {
        guard let itemActivity else { return }
        let weighting = configuration.weighting
        let previous = earlier.last { weighting.weight(of: $0.kind) > 0 }
        let counted = weighting.kept(events, after: previous)
        guard !counted.isEmpty else { return }
        itemActivity.withLock { activity in
            for event in counted { activity.record(item: Int(event.item), kind: event.kind, at: event.timestamp) }
        }
    }

    /// Counts the actions on recommendations among a user's newly accepted events: those that
    /// carry a recommendation id (`attributed`: their sequences), of a kind with a weight above 0.
    func recordActions(_ accepted: [UserHistories.Entry], attributed: Set<Int64>) {
        guard let itemActivity, !attributed.isEmpty else { return }
        let actions = accepted.filter { attributed.contains($0.sequence) && configuration.weighting.weight(of: $0.event.kind) > 0 }
        guard !actions.isEmpty else { return }
        itemActivity.withLock { activity in
            for entry in actions { activity.recordAction(item: Int(entry.event.item)) }
        }
    }

    /// Counts one exposure of each shown item (catalog indices; -1: not in the catalog) of a
    /// recorded response, when a ranker is served.
    func recordShown(_ items: [Int]) {
        itemActivity?.withLock { activity in
            for item in items { activity.recordShown(item: item) }
        }
    }

    /// Takes the exposures of removed impressions (a forgotten user's, or past retention) back
    /// from the live item activity.
    func removeShown(_ removed: [Impression]) {
        guard let itemActivity, !removed.isEmpty else { return }
        let snapshot = catalog.snapshot
        let items = removed.flatMap { $0.items.map { snapshot.index(of: $0).map(Int.init) ?? -1 } }
        itemActivity.withLock { activity in
            for item in items { activity.removeShown(item: item) }
        }
    }

    /// Loads the exposures of every stored impression into the live item activity (at start).
    func loadShown() async throws {
        guard itemActivity != nil else { return }
        try await store.forEachImpressionPage { page in
            let snapshot = catalog.snapshot
            recordShown(page.flatMap { $0.items.map { snapshot.index(of: $0).map(Int.init) ?? -1 } })
        }
    }

    /// Takes removed events (a forgotten user's, or past retention) back from the live item
    /// activity: per user in order of arrival, the ones that were counted, and the actions on
    /// recommendations among them.
    func removeActivity(_ removed: [StoredEvent]) {
        guard let itemActivity, !removed.isEmpty else { return }
        var byUser: [UserID: [StoredEvent]] = [:]
        for event in removed { byUser[event.user, default: []].append(event) }
        let taken = byUser.values.flatMap { events in
            configuration.weighting.kept(self.counted(events.sorted { $0.sequence < $1.sequence }, clamped: false))
        }
        let snapshot = catalog.snapshot
        let actions = removed.filter { $0.recommendationID != nil && configuration.weighting.weight(of: $0.kind) > 0 }
            .map { snapshot.index(of: $0.item).map(Int.init) ?? -1 }
        itemActivity.withLock { activity in
            for event in taken { activity.remove(item: Int(event.item), kind: event.kind, at: event.timestamp) }
            for item in actions { activity.removeAction(item: item) }
        }
    }
}

extension RecommendationService {
    /// The served ranker's candidates and feature rows for `user` at `time`, exactly as the
    /// personal source computes them for a request (nil when the main model is not a ranker).
    public func rankerCandidates(for user: UserID, at time: Int64) -> (model: ServingModel, candidates: RankerCandidates)? {
        guard let (model, ranker, context) = rankerContext(for: user, at: time) else { return nil }
        return (model, sources.rankerCandidates(context, model: model, ranker: ranker))
    }

    /// The served ranker's scores of `ids` for `user` at `time`, as a scene's ranking stage
    /// computes them (NaN for an id it cannot score; nil when the main model is not a ranker).
    func rankerScores(of ids: [ItemID], for user: UserID, at time: Int64) -> [Float]? {
        guard let (model, ranker, context) = rankerContext(for: user, at: time) else { return nil }
        let items = ids.map { context.catalog.index(of: $0) ?? -1 }
        var scores = sources.rankerScores(of: items.filter { $0 >= 0 }, context: context, model: model, ranker: ranker).makeIterator()
        return items.map { $0 >= 0 ? (scores.next() ?? .nan) : .nan }
    }

    /// The main model when it is a ranker, and a request of `user` at `time` for it.
    private func rankerContext(for user: UserID, at time: Int64) -> (ServingModel, RankerModel, RecommendationContext)? {
        guard let model = registry.current, let ranker = model.recommender as? RankerModel else { return nil }
        var context = RecommendationContext(user: user, history: histories.entries(of: user), contextItems: [], catalog: catalog.snapshot,
                                            model: model, attributes: userAttributes.record(of: user),
                                            trainedVectorRevoked: forgotten.revokes(user, lastSequence: model.info.lastSequence))
        context.time = time
        return (model, ranker, context)
    }

    /// The candidate sources over the live state.
    var sources: CandidateSources {
        CandidateSources(activity: activity, cooccurrence: cooccurrence, itemActivity: itemActivity, repeats: repeats)
    }
}
