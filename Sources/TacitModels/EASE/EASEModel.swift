import TacitCore

/// A fitted EASE model (Steck 2019): the item × item weights `B` with a zero diagonal.
///
/// A history `x` scores item `j` as `Σ_i x_i · d_i · B_ij`, the sum of the `B` rows of its
/// items, weighted 1 each (``EASE/Configuration/Input-swift.enum/binary``) or by their
/// confidences, and optionally discounted by recency (`d_i = 0.5^(n_i / recency)` for an item
/// with `n_i` strictly newer items in the history; `d_i = 1` when off). Training users and
/// folded-in histories are scored the same way, straight from the history vector: no user
/// state is stored.
public struct EASEModel: FoldIn, ItemSimilarity {
    public let trainingData: InteractionMatrix
    /// `B`, `items x items`, row-major: row `i` holds what a history containing item `i` adds to
    /// every item's score. Owned in memory after training, mapped from the file when loaded.
    public let weights: StorageBuffer<Float>
    /// Whether histories count as binary or weighted by their confidences.
    public let input: EASE.Configuration.Input
    /// The λ the weights were fitted with.
    public let lambda: Double
    /// History half-life in events for scoring (0 = off).
    public let recency: Double

    /// The number of items.
    public var itemCount: Int { trainingData.itemCount }

    init(trainingData: InteractionMatrix, weights: StorageBuffer<Float>, input: EASE.Configuration.Input, lambda: Double,
         recency: Double) {
        precondition(weights.count == trainingData.itemCount * trainingData.itemCount, "weights do not match the item count")
        self.trainingData = trainingData
        self.weights = weights
        self.input = input
        self.lambda = lambda
        self.recency = recency
    }

    /// `B_ij`: how much a history containing `from` adds to the score of `to`.
    public func weight(from: ItemIndex, to: ItemIndex) -> Float { weights[Int(from) * itemCount + Int(to)] }

    public func recommend(for user: UserIndex, count: Int, filter: ItemFilter) -> [ScoredItem] {
        let row = trainingData.row(Int(user))
        return withUnsafeTemporaryAllocation(of: Float.self, capacity: max(1, itemCount)) { scratch in
            recommend(items: row.items, values: row.values, timestamps: trainingData.rowTimestamps(Int(user)), count: count,
                      filter: filter, scratch: scratch.baseAddress!)
        }
    }

    /// Scores the history vector directly (with its timestamps, when it has them and
    /// ``recency`` is on); items outside the training catalog are ignored.
    public func recommend(history: SparseVector, count: Int, filter: ItemFilter) -> [ScoredItem] {
        history.indices.withUnsafeBufferPointer { items in
            history.values.withUnsafeBufferPointer { values in
                withUnsafeTemporaryAllocation(of: Float.self, capacity: max(1, itemCount)) { scratch in
                    guard let timestamps = history.timestamps else {
                        return recommend(items: items, values: values, timestamps: nil, count: count, filter: filter, scratch: scratch.baseAddress!)
                    }
                    return timestamps.withUnsafeBufferPointer {
                        recommend(items: items, values: values, timestamps: $0, count: count, filter: filter, scratch: scratch.baseAddress!)
                    }
                }
            }
        }
    }

    /// Sums `B` rows per user, in parallel over users with one score buffer per worker: memory
    /// O(threads · items), never a users × items matrix.
    /// - Complexity: O(Σ_u |u| · items + users · items · log count) / threads.
    public func recommendAll(users: [UserIndex], count: Int, filter: ItemFilter, threads: Int) -> [[ScoredItem]] {
        let results = ResultSlots<[ScoredItem]>(count: users.count, initial: [])
        let n = itemCount
        Parallel.forEach(0..<users.count, threads: threads, makeState: { [Float](repeating: 0, count: max(1, n)) }) { scratch, k in
            let user = Int(users[k]), row = trainingData.row(user)
            results[k] = scratch.withUnsafeMutableBufferPointer {
                recommend(items: row.items, values: row.values, timestamps: trainingData.rowTimestamps(user), count: count,
                          filter: filter, scratch: $0.baseAddress!)
            }
        }
        return results.values
    }

    /// The items whose score a one-item history `{item}` raises most: the largest entries of
    /// row `item` of `B` (`B_item,j`), never `item` itself. With binary input this is exactly
    /// the fold-in of that history. - Complexity: O(items · log count).
    public func similarItems(to item: ItemIndex, count: Int, filter: ItemFilter) -> [ScoredItem] {
        guard item >= 0, Int(item) < itemCount, let base = weights.buffer.baseAddress else { return [] }
        let row = base + Int(item) * itemCount
        var top = TopK(count)
        for j in 0..<itemCount where j != Int(item) {
            let s = row[j]
            if let worst = top.threshold, s < worst.score { continue }
            if !filter.admits(ItemIndex(j)) { continue }
            top.insert(ItemIndex(j), score: s)
        }
        return top.sorted()
    }

    /// The weight `x_i · d_i` of each history entry.
    func historyWeights(values: UnsafeBufferPointer<Float>, timestamps: UnsafeBufferPointer<Int64>?) -> [Float] {
        let base = input == .binary ? [Float](repeating: 1, count: values.count) : Array(values)
        guard recency > 0 else { return base }
        return base.withUnsafeBufferPointer { RecencyDiscount.apply($0, timestamps: timestamps, halfLife: recency) }
    }

    /// Writes `Σ_i x_i · d_i · B_i,:` into `scratch` (`items` long) and selects the top `count`.
    /// `items` is sorted ascending. - Complexity: O(|items| · items + items · log count).
    func recommend(items: UnsafeBufferPointer<Int32>, values: UnsafeBufferPointer<Float>, timestamps: UnsafeBufferPointer<Int64>?,
                   count: Int, filter: ItemFilter, scratch: UnsafeMutablePointer<Float>) -> [ScoredItem] {
        let n = itemCount
        guard n > 0, let base = weights.buffer.baseAddress else { return [] }
        scratch.update(repeating: 0, count: n)
        let x = historyWeights(values: values, timestamps: timestamps)
        for k in 0..<items.count {
            let i = Int(items[k])
            guard i >= 0, i < n else { continue }
            LinearAlgebra.axpy(x[k], base + i * n, scratch, count: n)
        }
        return FactorScorer.select(UnsafeMutableBufferPointer(start: scratch, count: n), history: items, count: count, filter: filter)
    }
}
