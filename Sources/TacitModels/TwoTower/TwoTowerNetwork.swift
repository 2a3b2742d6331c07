import TacitCore
import TacitNeural

/// The two towers: their parameters and the forward and backward passes over blocks of rows.
///
/// - Query tower: `[user-id embedding] ‖ weighted mean of history-item embeddings ‖ [weighted
///   mean of the most recent `recent` history items, from a table of their own] ‖ [mean of
///   user-attribute embeddings]` → Dense(dimension) → L2-normalise.
/// - Candidate tower: `item-id embedding ‖ [category] ‖ [brand] ‖ [price bucket] ‖ [mean of tag
///   embeddings]` → Dense(dimension) → L2-normalise.
///
/// Every part is `dimension` wide; parts in brackets exist when the user-id option is on, `recent`
/// is positive or the metadata has that feature (a feature absent for one item contributes zeros). The history items
/// have their own embedding table (each tower owns its embeddings). Frozen once training ends, so
/// fitted models share it among threads.
final class TwoTowerNetwork: Sendable {
    /// The sizes that determine the parameters.
    struct Shape: Sendable, Equatable {
        var users: Int
        var items: Int
        var dimension: Int
        var userEmbedding: Bool
        var userAttributes: Int
        var categories: Int
        var brands: Int
        var priceBuckets: Int
        var tags: Int
        /// The number of most recent history items pooled again into a part of their own (0 = none).
        var recent: Int
        /// The hash buckets of the id tables (0 = one row per training user and item): a table
        /// with more ids than buckets has `hashBuckets` rows (``FeatureHashing``). The feature
        /// counts above are already their tables' rows.
        var hashBuckets: Int

        /// The number of ``integers``.
        static let integerCount = 11

        var integers: [Int64] {
            [users, items, dimension, userEmbedding ? 1 : 0, userAttributes, categories, brands, priceBuckets, tags, recent, hashBuckets].map(Int64.init)
        }

        init(users: Int, items: Int, dimension: Int, userEmbedding: Bool, userAttributes: Int, categories: Int, brands: Int,
             priceBuckets: Int, tags: Int, recent: Int = 0, hashBuckets: Int = 0) {
            (self.users, self.items, self.dimension, self.userEmbedding) = (users, items, dimension, userEmbedding)
            (self.userAttributes, self.categories, self.brands, self.priceBuckets, self.tags) = (userAttributes, categories, brands, priceBuckets, tags)
            (self.recent, self.hashBuckets) = (recent, hashBuckets)
        }

        init?(integers v: [Int64]) {
            guard v.count == Self.integerCount, v.allSatisfy({ $0 >= 0 && $0 < Int64(Int32.max) }), (1...4096).contains(v[2]) else { return nil }
            self.init(users: Int(v[0]), items: Int(v[1]), dimension: Int(v[2]), userEmbedding: v[3] == 1, userAttributes: Int(v[4]),
                      categories: Int(v[5]), brands: Int(v[6]), priceBuckets: Int(v[7]), tags: Int(v[8]), recent: Int(v[9]), hashBuckets: Int(v[10]))
        }

        /// The hashing of the id tables.
        var hashing: FeatureHashing? { FeatureHashing(buckets: hashBuckets) }
        /// The rows of every embedding table together (what their values take is `dimension`
        /// floats a row), without building them.
        var embeddingRows: Int {
            (userEmbedding ? userRows : 0) + itemRows * (recent > 0 ? 3 : 2) + userAttributes + categories + brands + priceBuckets + tags
        }

        /// The rows of the user-id table and of each item-id table.
        var userRows: Int { hashing.rows(users) }
        var itemRows: Int { hashing.rows(items) }
    }

    let shape: Shape
    let parameters: ParameterSet
    let user: Embedding?
    let history: Embedding
    let recent: Embedding?
    let userAttributes: Embedding?
    let queryLayout: Concatenation
    let queryDense: Dense
    let item: Embedding
    let category: Embedding?
    let brand: Embedding?
    let price: Embedding?
    let tags: Embedding?
    let candidateLayout: Concatenation
    let candidateDense: Dense

    init(_ shape: Shape, seed: UInt64) {
        self.shape = shape
        let set = ParameterSet(seed: seed), d = shape.dimension
        func table(_ name: String, _ rows: Int) -> Embedding? { rows > 0 ? Embedding(set, name: name, rows: rows, dimension: d) : nil }
        user = shape.userEmbedding ? table("query.user", shape.userRows) : nil
        history = Embedding(set, name: "query.history", rows: max(1, shape.itemRows), dimension: d)
        recent = shape.recent > 0 ? Embedding(set, name: "query.recent", rows: max(1, shape.itemRows), dimension: d) : nil
        userAttributes = table("query.user_attributes", shape.userAttributes)
        let queryParts = 1 + [user, recent, userAttributes].filter { $0 != nil }.count
        queryLayout = Concatenation(widths: [Int](repeating: d, count: queryParts))
        queryDense = Dense(set, name: "query.dense", inputs: queryLayout.width, outputs: d)
        item = Embedding(set, name: "candidate.item", rows: max(1, shape.itemRows), dimension: d)
        category = table("candidate.category", shape.categories)
        brand = table("candidate.brand", shape.brands)
        price = table("candidate.price", shape.priceBuckets)
        tags = table("candidate.tags", shape.tags)
        let parts = 1 + [category, brand, price, tags].filter { $0 != nil }.count
        candidateLayout = Concatenation(widths: [Int](repeating: d, count: parts))
        candidateDense = Dense(set, name: "candidate.dense", inputs: candidateLayout.width, outputs: d)
        parameters = set
    }

    var dimension: Int { shape.dimension }

    /// Whether the item-id tables give each item two hashed rows (``IDRows``).
    var hashesItems: Bool { shape.hashing?.hashes(shape.items) ?? false }

    /// One query's inputs: the user's rows (`(-1, -1)` for none; a second row when hashed), a
    /// history of item rows (oldest first; two rows per item when the item tables are hashed,
    /// ``IDRows/bag(_:weights:)``) and its weights, attribute tokens.
    struct Query {
        var user: (Int32, Int32)
        var history: UnsafeBufferPointer<Int32>
        var weights: UnsafeBufferPointer<Float>
        var attributes: UnsafeBufferPointer<Int32>
        /// History entries per item: 1, or 2 with hashed item tables.
        var rowsPerItem = 1

        /// The last `count` items of the history and their weights.
        func latest(_ count: Int) -> (UnsafeBufferPointer<Int32>, UnsafeBufferPointer<Float>) {
            let lo = max(0, history.count - count * rowsPerItem)
            return (UnsafeBufferPointer(rebasing: history[lo...]), UnsafeBufferPointer(rebasing: weights[lo...]))
        }
    }

    /// Writes one query's concatenated input row.
    func queryInput(_ q: Query, into row: UnsafeMutablePointer<Float>) {
        var offset = 0
        let d = dimension
        if let user { user.lookup(q.user.0, q.user.1, into: row); offset += d }
        history.meanPool(q.history, weights: q.weights, into: row + offset)
        offset += d
        if let recent {
            let (items, weights) = q.latest(shape.recent)
            recent.meanPool(items, weights: weights, into: row + offset)
            offset += d
        }
        if let userAttributes { userAttributes.meanPool(q.attributes, weights: nil, into: row + offset) }
    }

    /// Backward of ``queryInput(_:into:)`` from the gradient of the input row.
    func queryInputBackward(_ q: Query, gradient row: UnsafePointer<Float>, gradients: Gradients) {
        var offset = 0
        let d = dimension
        if let user { user.backwardLookup(q.user.0, q.user.1, outputGradient: row, gradients: gradients); offset += d }
        history.backwardMeanPool(q.history, weights: q.weights, outputGradient: row + offset, gradients: gradients)
        offset += d
        if let recent {
            let (items, weights) = q.latest(shape.recent)
            recent.backwardMeanPool(items, weights: weights, outputGradient: row + offset, gradients: gradients)
            offset += d
        }
        if let userAttributes { userAttributes.backwardMeanPool(q.attributes, weights: nil, outputGradient: row + offset, gradients: gradients) }
    }

    /// Writes the concatenated input row of item `k` of `items`; `dropID` leaves out its id embedding.
    func candidateInput(_ items: TwoTowerFeatures.Items, _ k: Int, dropID: Bool, into row: UnsafeMutablePointer<Float>) {
        let d = dimension
        if dropID { item.lookup(-1, into: row) } else { item.lookup(items.ids[k], items.secondIDs[k], into: row) }
        var offset = d
        if let category { category.lookup(items.categories[k], into: row + offset); offset += d }
        if let brand { brand.lookup(items.brands[k], into: row + offset); offset += d }
        if let price { price.lookup(items.prices[k], into: row + offset); offset += d }
        if let tags {
            let p = items.tags.pointers
            _ = items.tags.indices.withUnsafeBufferPointer { all in
                tags.meanPool(UnsafeBufferPointer(rebasing: all[p[k]..<p[k + 1]]), weights: nil, into: row + offset)
            }
        }
    }

    /// Backward of ``candidateInput(_:_:dropID:into:)``.
    func candidateInputBackward(_ items: TwoTowerFeatures.Items, _ k: Int, dropID: Bool, gradient row: UnsafePointer<Float>, gradients: Gradients) {
        let d = dimension
        if !dropID { item.backwardLookup(items.ids[k], items.secondIDs[k], outputGradient: row, gradients: gradients) }
        var offset = d
        if let category { category.backwardLookup(items.categories[k], outputGradient: row + offset, gradients: gradients); offset += d }
        if let brand { brand.backwardLookup(items.brands[k], outputGradient: row + offset, gradients: gradients); offset += d }
        if let price { price.backwardLookup(items.prices[k], outputGradient: row + offset, gradients: gradients); offset += d }
        if let tags {
            let p = items.tags.pointers
            items.tags.indices.withUnsafeBufferPointer { all in
                tags.backwardMeanPool(UnsafeBufferPointer(rebasing: all[p[k]..<p[k + 1]]), weights: nil, outputGradient: row + offset,
                                      gradients: gradients)
            }
        }
    }

    /// Dense → L2-normalise for `rows` input rows: `pre` keeps the dense outputs, `norms` their norms.
    func head(_ dense: Dense, input: UnsafePointer<Float>, rows: Int, pre: UnsafeMutablePointer<Float>, norms: UnsafeMutablePointer<Float>,
              into output: UnsafeMutablePointer<Float>) {
        dense.forward(input, rows: rows, into: pre)
        L2Normalization.forward(pre, rows: rows, columns: dimension, into: output, norms: norms)
    }

    /// Backward of ``head(_:input:rows:pre:norms:into:)``: `dOutput` is overwritten with the dense
    /// outputs' gradient; the input gradient goes to `dInput`.
    func headBackward(_ dense: Dense, input: UnsafePointer<Float>, output: UnsafePointer<Float>, norms: UnsafePointer<Float>, rows: Int,
                      dOutput: UnsafeMutablePointer<Float>, dInput: UnsafeMutablePointer<Float>, gradients: Gradients) {
        L2Normalization.backward(output: output, norms: norms, outputGradient: dOutput, rows: rows, columns: dimension, into: dOutput)
        dense.backward(input: input, outputGradient: dOutput, rows: rows, inputGradient: dInput, gradients: gradients)
    }
}
