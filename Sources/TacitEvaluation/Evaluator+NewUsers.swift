import TacitCore

extension Evaluator {
    /// Evaluates `model` on the users it was not trained on (`tacit evaluate --new-users`): each is
    /// ranked from their attributes alone (an empty history) through ``UserAttributeScoring``,
    /// every item a candidate; the metrics are those of ``evaluate(_:on:candidates:)``, in one pass.
    ///
    /// - Returns: the report (its `skippedUsers` are the test users that do have training data), or
    ///   `nil` when the model cannot rank a user without training data at all (it lacks
    ///   ``UserAttributeScoring``: matrix factorisation, item-kNN, EASE, content, SASRec).
    public func evaluate(_ model: any Recommender, newUsers: NewUserTestSet) -> MetricReport? {
        guard let scoring = model as? any UserAttributeScoring else { return nil }
        let training = model.trainingData
        let depth = cutoffs.last ?? 10
        var total = MetricAccumulator(cutoffs: cutoffs, itemPopularity: training.itemInteractionCounts, userCount: training.userCount,
                                      categories: categoryCodes(for: training))
        let empty = SparseVector(pairs: [])
        progress?(0, newUsers.count)
        let chunk = progress == nil ? 8192 : 1024
        for start in stride(from: 0, to: newUsers.count, by: chunk) {
            let end = min(newUsers.count, start + chunk)
            let lists = ResultSlots<[ScoredItem]>(count: end - start, initial: [])
            Parallel.forEach(start..<end, threads: threads) { k in
                lists[k - start] = scoring.recommend(history: empty, attributes: newUsers.attributes[k], count: depth, filter: .excludingHistory)
            }
            for (offset, list) in lists.values.enumerated() {
                let k = start + offset
                total.add(ranked: list.map(\.item), relevant: newUsers.relevant[k], relevantCount: newUsers.relevantCounts[k])
            }
            progress?(end, newUsers.count)
        }
        return total.report(skippedUsers: newUsers.knownUsers)
    }
}
