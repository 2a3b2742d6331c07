/// A fitted, immutable model that ranks items for the users it was trained on.
public protocol Recommender: Sendable {
    /// The training data the model was fitted on (ids, histories, popularity).
    var trainingData: InteractionMatrix { get }

    /// The top `count` items for a training user, best first, ties broken by lower item index.
    func recommend(for user: UserIndex, count: Int, filter: ItemFilter) -> [ScoredItem]
}

/// Capability: item-to-item similarity ("more like this").
public protocol ItemSimilarity: Sendable {
    /// The `count` items most similar to `item` (never `item` itself), best first.
    func similarItems(to item: ItemIndex, count: Int, filter: ItemFilter) -> [ScoredItem]
}

/// Capability: rank items for any history, without retraining (new or changed users).
public protocol FoldIn: Recommender {
    /// The top `count` items for a user whose weighted history is `history`.
    /// `filter.excludeHistory` excludes the items of `history`.
    func recommend(history: SparseVector, count: Int, filter: ItemFilter) -> [ScoredItem]
}

extension Recommender {
    /// Recommendations for many users at once, computed in parallel; element `i` is for `users[i]`.
    ///
    /// Models with a faster batch path (GEMM + top-K) provide their own.
    public func recommendAll(users: [UserIndex], count: Int, filter: ItemFilter = .excludingHistory,
                             threads: Int = Parallel.defaultThreads) -> [[ScoredItem]] {
        let results = ResultSlots<[ScoredItem]>(count: users.count, initial: [])
        Parallel.forEach(0..<users.count, threads: threads) { i in
            results[i] = recommend(for: users[i], count: count, filter: filter)
        }
        return results.values
    }
}
