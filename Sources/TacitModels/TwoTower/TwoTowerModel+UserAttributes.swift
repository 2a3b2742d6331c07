import TacitCore

extension TwoTowerModel: UserAttributeScoring {
    /// Ranks from the query tower on `history` (its most recent `historyLength` entries) and the
    /// tokens of `attributes` (no user-id embedding). Empty when the history holds no training item
    /// and no attribute has a row: the query would carry no information.
    /// - Complexity: that of ``foldIn(_:attributes:)`` plus O(items · dimension) scoring.
    public func recommend(history: SparseVector, attributes: UserRecord?, count: Int, filter: ItemFilter) -> [ScoredItem] {
        guard let q = foldIn(history, attributes: attributes), trainingData.itemCount > 0 else { return [] }
        return history.indices.withUnsafeBufferPointer { items in
            q.withUnsafeBufferPointer { scorer.recommend(user: $0.baseAddress!, history: items, count: count, filter: filter) }
        }
    }

    /// The query embedding (scaled by `1/τ`) of a user known by `history` and `attributes`: the
    /// history pooled as in ``foldIn(_:)``, the attribute tokens that have a row mean-pooled, no
    /// user-id embedding. `nil` when neither a training item of `history` nor an attribute with a
    /// row is present.
    /// - Complexity: O(|history| log |history| + (historyLength + attributes) · dimension + width · dimension).
    public func foldIn(_ history: SparseVector, attributes: UserRecord?) -> [Float]? {
        let recent = TwoTowerHistories.recent(history, historyLength: settings.historyLength, itemCount: trainingData.itemCount)
        let bag = network.userAttributes == nil ? [] : features.userBag(attributes)
        guard !recent.items.isEmpty || !bag.isEmpty else { return nil }
        let rows = features.itemRows.bag(recent.items, weights: recent.weights)
        return network.queryEmbedding(history: rows.rows, weights: rows.weights, attributes: bag, scale: 1 / settings.temperature)
    }
}
