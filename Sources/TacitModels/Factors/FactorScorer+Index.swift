import TacitCore

extension FactorScorer {
    /// The dimension of the vectors an index over these items holds: the factors, plus one for
    /// the item bias when there is one.
    public var indexDimension: Int { factors + (itemBias == nil ? 0 : 1) }

    /// Builds a maximum-inner-product index over the items: their factors, with the bias as one
    /// more dimension (the query's is 1) when there is one, so the index ranks by the same score.
    public func makeIndex(_ configuration: MIPSIndex.Configuration = MIPSIndex.Configuration()) -> MIPSIndex {
        let d = indexDimension
        var vectors = [Float](repeating: 0, count: itemCount * d)
        if let base = itemFactors.buffer.baseAddress {
            for i in 0..<itemCount {
                for j in 0..<factors { vectors[i * d + j] = base[i * factors + j] }
                if let itemBias { vectors[i * d + factors] = itemBias[i] }
            }
        }
        return vectors.withUnsafeBufferPointer { MIPSIndex(vectors: $0, dimension: d, configuration: configuration) }
    }

    /// Builds the index that finds similar items: over the items' unit vectors (a zero vector
    /// stays zero), where the inner product is the cosine similarity; with each item's nearest
    /// leaf mate (``nearestItem(to:)``).
    public func makeSimilarIndex(_ configuration: MIPSIndex.Configuration = MIPSIndex.Configuration()) -> MIPSIndex {
        var vectors = [Float](repeating: 0, count: itemCount * factors)
        for i in 0..<itemCount { vectors.replaceSubrange((i * factors)..<((i + 1) * factors), with: unitVector(of: ItemIndex(i))) }
        return vectors.withUnsafeBufferPointer { MIPSIndex(vectors: $0, dimension: factors, configuration: configuration, nearestInLeaf: true) }
    }

    /// The item most similar to `item` by cosine (never `item` itself): with the similar-items
    /// index, the nearest of `item`'s own leaf (found when the index was built; at most as similar
    /// as the nearest, and the same for most items), else the first of
    /// ``similarItems(to:count:filter:)``.
    public func nearestItem(to item: ItemIndex) -> ItemIndex? {
        guard item >= 0, Int(item) < itemCount else { return nil }
        if let nearest = similarIndex?.nearestInLeaf(of: item) { return nearest }
        return similarItems(to: item, count: 1, filter: .none).first?.item
    }

    /// Item `item`'s factors divided by their norm (zeros for a zero vector).
    func unitVector(of item: ItemIndex) -> [Float] {
        let norm = itemNorms[Int(item)]
        return vector(of: Int(item)).map { norm > 0 ? $0 / norm : 0 }
    }

    /// The best `count` items for the user vector `user` through `index` (built by
    /// ``makeIndex(_:)``), skipping `history` (sorted ascending) when the filter excludes history
    /// and what the filter excludes; scores are exact (as ``recommend(user:history:count:filter:)``'s).
    public func recommend(user: UnsafePointer<Float>, history: UnsafeBufferPointer<Int32>, count: Int, filter: ItemFilter, index: MIPSIndex,
                          probes: Int? = nil, rescore: Int? = nil) -> [ScoredItem] {
        guard index.itemCount == itemCount, index.dimension == indexDimension, let base = itemFactors.buffer.baseAddress else { return [] }
        let d = indexDimension
        return withUnsafeTemporaryAllocation(of: Float.self, capacity: d) { query in
            for j in 0..<factors { query[j] = user[j] }
            if itemBias != nil { query[factors] = 1 }
            let plain = filter.excluded.isEmpty && filter.allowed == nil
            return index.search(query.baseAddress!, count: count, probes: probes, rescore: rescore, admits: { item in
                if filter.excludeHistory && Self.contains(history, item) { return false }
                return plain || filter.admits(item)
            }, exact: { item in
                LinearAlgebra.dot(user, base + Int(item) * factors, count: factors) + (itemBias?[Int(item)] ?? 0)
            })
        }
    }

    /// Whether the ascending `sorted` holds `item`. - Complexity: O(log n).
    static func contains(_ sorted: UnsafeBufferPointer<Int32>, _ item: Int32) -> Bool {
        var lo = 0, hi = sorted.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if sorted[mid] < item { lo = mid + 1 } else { hi = mid }
        }
        return lo < sorted.count && sorted[lo] == item
    }
}
