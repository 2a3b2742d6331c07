import TacitBoosting
import TacitCore

/// A fitted two-stage recommender: the retrieval sources gather candidates, the boosted trees
/// order them by their features (``RankerFeatures``).
public struct RankerModel: Recommender {
    let features: RankerFeatures
    /// The gradient-boosted trees.
    public let booster: BoostedRanker
    /// What the fit measured on its own held-out events.
    public let summary: Summary

    /// The fit's held-out measurements.
    public struct Summary: Sendable, Equatable {
        /// Users whose latest event was held out to train the trees.
        public var labeledUsers: Int
        /// The share of them whose held-out item was among their candidates (candidate recall).
        public var candidateRecall: Double
        /// The mean number of candidates per user.
        public var meanCandidates: Double
        /// Each feature's total gain in the trees, by name.
        public var gains: [String: Double]
    }

    public var trainingData: InteractionMatrix { features.data }

    /// The names of the features, in column order.
    public var featureNames: [String] { features.names }

    public func recommend(for user: UserIndex, count: Int, filter: ItemFilter) -> [ScoredItem] {
        guard count > 0, Int(user) >= 0, Int(user) < trainingData.userCount else { return [] }
        let (items, rows) = features.candidates(for: Int(user), filter: filter)
        let scores = booster.scores(rows)
        // Best score first; the lower item index first on ties, as every model ranks.
        let ranked = zip(items, scores).map { ScoredItem(item: $0, score: $1) }
            .sorted { $0.score != $1.score ? $0.score > $1.score : $0.item < $1.item }
        return Array(ranked.prefix(count))
    }
}
