import TacitCore

/// Scores items as `u · v_i (+ b_i)`: the serving path shared by the factor models (iALS, BPR,
/// two-tower) — single users, batches by blocked GEMM with bounded top-K, and similar items by
/// cosine over item factors.
///
/// Never materialises a users × items matrix: a batch holds one block of users × items scores
/// per worker thread.
public struct FactorScorer: Sendable {
    /// The number of latent factors.
    public let factors: Int
    /// The number of items.
    public let itemCount: Int
    /// Item factors, `itemCount x factors`, row-major.
    public let itemFactors: StorageBuffer<Float>
    /// Optional per-item bias added to every score.
    public let itemBias: StorageBuffer<Float>?
    /// Euclidean norm of each item's factors (for cosine similarity).
    let itemNorms: [Float]
    /// The approximate maximum-inner-product index that ranks personal lists, when one is
    /// attached (``withIndex(_:)``); nil: every item is scored exactly.
    public private(set) var index: MIPSIndex?
    /// The index over the items' unit vectors that finds similar items (cosine), when attached.
    public private(set) var similarIndex: MIPSIndex?

    public init(factors: Int, itemFactors: StorageBuffer<Float>, itemBias: StorageBuffer<Float>? = nil) {
        precondition(factors > 0 && itemFactors.count % factors == 0, "item factors do not match the factor count")
        self.factors = factors
        self.itemCount = itemFactors.count / factors
        precondition(itemBias == nil || itemBias!.count == itemCount, "item bias does not match the item count")
        self.itemFactors = itemFactors
        self.itemBias = itemBias
        let base = itemFactors.buffer.baseAddress
        itemNorms = (0..<itemCount).map { i in
            guard let base else { return 0 }
            return LinearAlgebra.dot(base + i * factors, base + i * factors, count: factors).squareRoot()
        }
    }

    /// The factors of item `i`.
    public func vector(of item: Int) -> UnsafeBufferPointer<Float> {
        UnsafeBufferPointer(rebasing: itemFactors.buffer[(item * factors)..<((item + 1) * factors)])
    }

    /// Writes every item's score for `user` into `scores` (`itemCount` long).
    /// - Complexity: O(items · factors).
    public func scores(user: UnsafePointer<Float>, into scores: UnsafeMutablePointer<Float>) {
        guard let base = itemFactors.buffer.baseAddress else { return }
        for i in 0..<itemCount { scores[i] = LinearAlgebra.dot(user, base + i * factors, count: factors) }
        if let bias = itemBias { for i in 0..<itemCount { scores[i] += bias[i] } }
    }

    /// This scorer ranking personal lists through `index` (built by ``makeIndex(_:)`` over these
    /// items) and similar items through `similar` (``makeSimilarIndex(_:)``); nil: exactly.
    public func withIndex(_ index: MIPSIndex?, similar: MIPSIndex? = nil) -> FactorScorer {
        var copy = self
        copy.index = index.flatMap { $0.itemCount == itemCount && $0.dimension == indexDimension ? $0 : nil }
        copy.similarIndex = similar.flatMap { $0.itemCount == itemCount && $0.dimension == factors ? $0 : nil }
        return copy
    }

    /// The best `count` items for the user vector `user`, skipping `history` (sorted ascending)
    /// when the filter excludes history: through the index when one is attached, else exactly.
    public func recommend(user: UnsafePointer<Float>, history: UnsafeBufferPointer<Int32>, count: Int, filter: ItemFilter) -> [ScoredItem] {
        if let index { return recommend(user: user, history: history, count: count, filter: filter, index: index) }
        return withUnsafeTemporaryAllocation(of: Float.self, capacity: max(1, itemCount)) { scores in
            self.scores(user: user, into: scores.baseAddress!)
            return Self.select(UnsafeMutableBufferPointer(rebasing: scores[0..<itemCount]), history: history, count: count, filter: filter)
        }
    }

    /// Top-K over dense scores, skipping the history (when the filter excludes it) and what the
    /// filter excludes. History items are overwritten with `-∞` in `scores` first, so the scan is
    /// one comparison per item against the current K-th best; items come in index order, so a
    /// tie with the K-th best never displaces it (ties rank by lower index).
    /// - Complexity: O(items + inserted · log count).
    static func select(_ scores: UnsafeMutableBufferPointer<Float>, history: UnsafeBufferPointer<Int32>, count: Int, filter: ItemFilter) -> [ScoredItem] {
        if filter.excludeHistory {
            for item in history where Int(item) < scores.count { scores[Int(item)] = -.infinity }
        }
        var top = TopK(count)
        guard count > 0 else { return [] }
        var worst = -Float.infinity
        let plain = filter.excluded.isEmpty && filter.allowed == nil
        for i in 0..<scores.count {
            let s = scores[i]
            guard s > worst else { continue }
            if !plain && !filter.admits(ItemIndex(i)) { continue }
            top.insert(ItemIndex(i), score: s)
            if let threshold = top.threshold { worst = threshold.score }
        }
        return top.sorted()
    }

    /// Recommendations for many users whose vectors are rows of `userFactors` (`users x factors`,
    /// row-major), by blocked GEMM: each worker scores a block of users against all items, then
    /// selects each user's top `count`. Element `k` is for `users[k]`.
    /// - Complexity: O(users · items · factors / threads); memory O(threads · block · items).
    public func recommendAll(userFactors: StorageBuffer<Float>, users: [UserIndex], histories: InteractionMatrix,
                             count: Int, filter: ItemFilter, threads: Int) -> [[ScoredItem]] {
        let results = ResultSlots<[ScoredItem]>(count: users.count, initial: [])
        if let index, userFactors.count > 0 {
            // Through the index: one search per user, users in parallel.
            let scorer = self
            Parallel.forEach(0..<users.count, threads: threads) { k in
                let user = Int(users[k]), base = userFactors.buffer.baseAddress!
                results[k] = scorer.recommend(user: base + user * scorer.factors, history: histories.row(user).items, count: count, filter: filter,
                                              index: index)
            }
            return results.values
        }
        guard itemCount > 0, itemFactors.count > 0, userFactors.count > 0 else { return results.values }
        let items = itemFactors
        let block = max(1, min(256, (1 << 22) / max(1, itemCount)))
        let blocks = (users.count + block - 1) / block
        let factors = factors, itemCount = itemCount, bias = itemBias
        Parallel.forEach(0..<blocks, threads: threads, chunk: 1, makeState: {
            (gathered: [Float](repeating: 0, count: block * factors), scores: [Float](repeating: 0, count: block * itemCount))
        }) { state, b in
            let userBase = userFactors.buffer.baseAddress!, itemBase = items.buffer.baseAddress!
            let lo = b * block, hi = min(users.count, lo + block), rows = hi - lo
            state.gathered.withUnsafeMutableBufferPointer { gathered in
                for r in 0..<rows {
                    (gathered.baseAddress! + r * factors).update(from: userBase + Int(users[lo + r]) * factors, count: factors)
                }
                state.scores.withUnsafeMutableBufferPointer { scores in
                    LinearAlgebra.gemm(transposeB: true, m: rows, n: itemCount, k: factors, a: gathered.baseAddress!, lda: factors,
                                       b: itemBase, ldb: factors, c: scores.baseAddress!, ldc: itemCount)
                    for r in 0..<rows {
                        let row = scores.baseAddress! + r * itemCount
                        if let bias { for i in 0..<itemCount { row[i] += bias[i] } }
                        let history = histories.row(Int(users[lo + r])).items
                        results[lo + r] = Self.select(UnsafeMutableBufferPointer(start: row, count: itemCount), history: history, count: count, filter: filter)
                    }
                }
            }
        }
        return results.values
    }

    /// The `count` items closest to `item` by cosine similarity of their factors (never `item`
    /// itself): through the similar-items index when one is attached, else by scoring every item.
    /// - Complexity: O(items · factors) exactly.
    public func similarItems(to item: ItemIndex, count: Int, filter: ItemFilter) -> [ScoredItem] {
        guard let base = itemFactors.buffer.baseAddress, item >= 0, Int(item) < itemCount else { return [] }
        if let similarIndex {
            // An item's nearest neighbours by cosine sit in fewer leaves than a user's best items:
            // √leaves probed by default (100k ALS factors: recall@10 0.999 at 16 of 315 leaves).
            let probes = similarIndex.configuration.probes ?? max(8, Int(Double(similarIndex.leaves).squareRoot().rounded(.up)))
            return similarIndex.search(unitVector(of: item), count: count, probes: probes, admits: { $0 != item && filter.admits($0) },
                                       exact: { cosine(item, $0) })
        }
        let query = base + Int(item) * factors
        let queryNorm = itemNorms[Int(item)]
        var top = TopK(count)
        for j in 0..<itemCount where j != Int(item) {
            let denominator = queryNorm * itemNorms[j]
            let s = denominator > 0 ? LinearAlgebra.dot(query, base + j * factors, count: factors) / denominator : 0
            if let worst = top.threshold, s < worst.score { continue }
            if !filter.admits(ItemIndex(j)) { continue }
            top.insert(ItemIndex(j), score: s)
        }
        return top.sorted()
    }
}
