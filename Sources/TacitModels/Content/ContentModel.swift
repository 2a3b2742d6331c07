import Foundation
import TacitCore

/// A fitted content-based model: unit-length attribute profiles of the training items, scored by
/// cosine against a user's profile (the weighted sum of their items' profiles).
///
/// Scoring is sparse: the user's profile touches only the features of their items, and an
/// inverted index (features → items) finds the items sharing them; no users × items matrix is
/// ever built. Cosine and dot product rank a user's items identically (the item profiles have
/// unit length); cosine keeps scores in 0...1 and comparable across users.
public struct ContentModel: FoldIn, ItemSimilarity {
    public let trainingData: InteractionMatrix
    /// The fitted vectoriser (vocabulary, IDF, weights, price buckets).
    let featurizer: ItemFeaturizer
    /// Item profiles: rows are the training items, columns the features (CSR by item, CSC by feature).
    let profiles: InteractionMatrix
    /// History half-life in events (0 = off).
    let recency: Double
    /// Weight of the attribute prior in every score (0 = cosine alone).
    let priorWeight: Float
    /// Per feature: the mean `log(1 + users)` of the training items holding it, divided by the
    /// largest (0...1); an item's prior is its profile's dot product with these.
    let featurePriors: [Float]
    /// Per training item: its prior times ``priorWeight`` (empty when the weight is 0).
    let itemPriors: [Float]

    init(trainingData: InteractionMatrix, featurizer: ItemFeaturizer, profiles: InteractionMatrix, recency: Double,
         priorWeight: Float = 0, featurePriors: [Float] = []) {
        precondition(profiles.userCount == trainingData.itemCount, "one profile per training item")
        self.trainingData = trainingData
        self.featurizer = featurizer
        self.profiles = profiles
        self.recency = recency
        self.priorWeight = priorWeight
        self.featurePriors = featurePriors
        itemPriors = priorWeight > 0 && featurePriors.count == profiles.itemCount
            ? (0..<profiles.userCount).map { item in
                let row = profiles.row(item)
                return priorWeight * zip(row.items, row.values).reduce(0) { $0 + featurePriors[Int($1.0)] * $1.1 }
            }
            : []
    }

    /// Each feature's prior (see ``featurePriors``) from the training items' user counts.
    /// - Complexity: O(profile entries).
    static func featurePriors(profiles: InteractionMatrix, training: InteractionMatrix) -> [Float] {
        var sums = [Double](repeating: 0, count: profiles.itemCount), counts = [Int](repeating: 0, count: profiles.itemCount)
        for item in 0..<profiles.userCount {
            let popularity = log1p(Double(training.columnLength(item)))
            for feature in profiles.row(item).items {
                sums[Int(feature)] += popularity
                counts[Int(feature)] += 1
            }
        }
        let means = zip(sums, counts).map { $1 > 0 ? $0 / Double($1) : 0 }
        let largest = means.max() ?? 0
        return means.map { largest > 0 ? Float($0 / largest) : 0 }
    }

    /// The weighted prior of any record's profile (0 without a prior).
    func prior(of profile: SparseVector) -> Float {
        guard !itemPriors.isEmpty else { return 0 }
        return priorWeight * zip(profile.indices, profile.values).reduce(0) { $0 + featurePriors[Int($1.0)] * $1.1 }
    }

    /// The number of features in the vocabulary.
    public var featureCount: Int { profiles.itemCount }

    /// The profile of a training item, as (feature name, value) pairs in feature order.
    public func profile(of item: ItemIndex) -> [(feature: String, value: Float)] {
        let row = profiles.row(Int(item))
        return zip(row.items, row.values).map { (profiles.items.id(at: $0), $1) }
    }

    /// The unit-length profile of a weighted history: `Σ_j w_j d_j x_j / ‖·‖`, with `d_j` the
    /// recency discount. Empty when no history item has features.
    /// - Complexity: O(Σ_j |x_j| · log).
    public func userProfile(_ history: SparseVector) -> SparseVector {
        history.indices.withUnsafeBufferPointer { items in
            history.values.withUnsafeBufferPointer { weights in
                guard let timestamps = history.timestamps else { return userProfile(items: items, weights: weights, timestamps: nil) }
                return timestamps.withUnsafeBufferPointer { userProfile(items: items, weights: weights, timestamps: $0) }
            }
        }
    }

    func userProfile(items: UnsafeBufferPointer<Int32>, weights rawWeights: UnsafeBufferPointer<Float>,
                     timestamps: UnsafeBufferPointer<Int64>?) -> SparseVector {
        let weights = RecencyDiscount.apply(rawWeights, timestamps: timestamps, halfLife: recency)
        var pairs: [(Int32, Float)] = []
        for (k, item) in items.enumerated() where item >= 0 && Int(item) < profiles.userCount {
            let row = profiles.row(Int(item))
            for (m, feature) in row.items.enumerated() { pairs.append((feature, weights[k] * row.values[m])) }
        }
        let sum = SparseVector(pairs: pairs)
        let norm = sum.values.reduce(0) { $0 + $1 * $1 }.squareRoot()
        guard norm > 0 else { return SparseVector(pairs: []) }
        return SparseVector(sortedIndices: sum.indices, values: sum.values.map { $0 / norm })
    }

    public func recommend(for user: UserIndex, count: Int, filter: ItemFilter) -> [ScoredItem] {
        let row = trainingData.row(Int(user))
        let profile = userProfile(items: row.items, weights: row.values, timestamps: trainingData.rowTimestamps(Int(user)))
        return rank(profile, history: row.items, count: count, filter: filter)
    }

    public func recommend(history: SparseVector, count: Int, filter: ItemFilter) -> [ScoredItem] {
        let profile = userProfile(history)
        return history.indices.withUnsafeBufferPointer { rank(profile, history: $0, count: count, filter: filter) }
    }

    /// The items whose profiles are closest (cosine) to `item`'s; only items sharing a feature.
    public func similarItems(to item: ItemIndex, count: Int, filter: ItemFilter) -> [ScoredItem] {
        let row = profiles.row(Int(item))
        var top = TopK(count)
        withScores(features: row.items, values: row.values) { scores, touched in
            for i in touched where i != item && scores[Int(i)] > 0 && filter.admits(i) { top.insert(i, score: scores[Int(i)]) }
        }
        return top.sorted()
    }

    /// Every item's cosine with `profile` plus its weighted prior, then the best `count` admitted
    /// ones (without a prior, items sharing no feature score 0 and fill the list in index order).
    /// - Complexity: O(Σ_f |items with f| + items · log count).
    func rank(_ profile: SparseVector, history: UnsafeBufferPointer<Int32>, count: Int, filter: ItemFilter) -> [ScoredItem] {
        let mask = CandidateMask(filter: filter, history: history)
        var top = TopK(count)
        profile.indices.withUnsafeBufferPointer { features in
            profile.values.withUnsafeBufferPointer { values in
                withScores(features: features, values: values) { scores, _ in
                    let priors = itemPriors
                    for i in 0..<scores.count {
                        let item = ItemIndex(i)
                        let score = priors.isEmpty ? scores[i] : scores[i] + priors[i]
                        if let threshold = top.threshold, !ScoredItem.ranksBefore(ScoredItem(item: item, score: score), threshold) { continue }
                        if mask.admits(item) { top.insert(item, score: score) }
                    }
                }
            }
        }
        return top.sorted()
    }

    /// Calls `body` with the dot product of every item profile with the sparse vector
    /// (`features`, `values`), and the items it touched, through the inverted index.
    func withScores<R>(features: UnsafeBufferPointer<Int32>, values: UnsafeBufferPointer<Float>,
                       _ body: (UnsafeMutableBufferPointer<Float>, [Int32]) -> R) -> R {
        withUnsafeTemporaryAllocation(of: Float.self, capacity: max(1, profiles.userCount)) { raw in
            let scores = UnsafeMutableBufferPointer(rebasing: raw[0..<profiles.userCount])
            scores.initialize(repeating: 0)
            var touched: [Int32] = []
            for (k, feature) in features.enumerated() where Int(feature) < profiles.itemCount {
                let column = profiles.column(Int(feature))
                for (m, item) in column.users.enumerated() {
                    if scores[Int(item)] == 0 { touched.append(item) }
                    scores[Int(item)] += values[k] * column.values[m]
                }
            }
            return body(scores, touched)
        }
    }
}
