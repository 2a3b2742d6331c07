import Foundation
import TacitCore

/// A fitted BPR model (Rendle et al. 2009): user factors, item factors and item biases, scoring
/// `x_uᵀ y_i + b_i` through ``FactorScorer`` (single users, blocked-GEMM batches, cosine similar
/// items), with fold-in of new histories by the same SGD as training on the user side only.
public struct BPRModel: FoldIn, ItemSimilarity {
    /// What fold-in needs to replay training's updates for a new user.
    public struct FoldInSettings: Sendable, Equatable {
        /// The learning rate of each trained epoch; fold-in makes one pass per entry.
        public var learningRates: [Float]
        /// L2 regularisation `λ`.
        public var regularization: Float
        /// The negative sampler of training.
        public var sampling: BPR.Configuration.NegativeSampling
        /// The popularity sampler's exponent.
        public var samplingExponent: Double
        /// Whether negatives are checked against the history.
        public var verifyNegatives: Bool
        /// The training seed, mixed with a hash of each history.
        public var seed: UInt64
    }

    public let trainingData: InteractionMatrix
    /// Latent factor count (without the bias).
    public let factors: Int
    /// User factors, `users x factors`, row-major.
    public let userFactors: StorageBuffer<Float>
    /// Scoring against the item factors and biases.
    public internal(set) var scorer: FactorScorer
    public let foldInSettings: FoldInSettings
    /// Training's negative sampler, rebuilt from the training data.
    let sampler: NegativeSampler

    init(trainingData: InteractionMatrix, factors: Int, userFactors: StorageBuffer<Float>, itemFactors: StorageBuffer<Float>,
         itemBias: StorageBuffer<Float>, foldIn: FoldInSettings) {
        precondition(userFactors.count == trainingData.userCount * factors && itemFactors.count == trainingData.itemCount * factors
                     && itemBias.count == trainingData.itemCount, "factor shapes do not match the training data")
        self.trainingData = trainingData
        self.factors = factors
        self.userFactors = userFactors
        self.scorer = FactorScorer(factors: factors, itemFactors: itemFactors, itemBias: itemBias)
        self.foldInSettings = foldIn
        self.sampler = NegativeSampler(data: trainingData, sampling: foldIn.sampling, exponent: foldIn.samplingExponent,
                                       verify: foldIn.verifyNegatives)
    }

    /// The trained vector of `user`.
    public func vector(of user: UserIndex) -> UnsafeBufferPointer<Float> {
        UnsafeBufferPointer(rebasing: userFactors.buffer[(Int(user) * factors)..<((Int(user) + 1) * factors)])
    }

    public func recommend(for user: UserIndex, count: Int, filter: ItemFilter) -> [ScoredItem] {
        guard factors > 0, trainingData.itemCount > 0 else { return [] }
        return scorer.recommend(user: vector(of: user).baseAddress!, history: trainingData.row(Int(user)).items, count: count, filter: filter)
    }

    /// Blocked GEMM over all items plus bounded top-K, in parallel (see ``FactorScorer``).
    public func recommendAll(users: [UserIndex], count: Int, filter: ItemFilter, threads: Int) -> [[ScoredItem]] {
        scorer.recommendAll(userFactors: userFactors, users: users, histories: trainingData, count: count, filter: filter, threads: threads)
    }

    public func recommend(history: SparseVector, count: Int, filter: ItemFilter) -> [ScoredItem] {
        guard trainingData.itemCount > 0 else { return [] }
        let x = foldIn(history)
        return history.indices.withUnsafeBufferPointer { items in
            x.withUnsafeBufferPointer { scorer.recommend(user: $0.baseAddress!, history: items, count: count, filter: filter) }
        }
    }

    /// The user vector for a history, fitted with the item factors and biases fixed.
    ///
    /// Starting from zero, fold-in replays training's schedule on the user side: one pass per
    /// trained epoch at that epoch's learning rate, each of `|history|` triples — a positive drawn
    /// uniformly from the history, a negative from training's sampler, verified against the
    /// history — updating only `x_u` (the item side of each update is discarded). Weights are
    /// ignored, as in training. The generator is seeded from the training seed and a hash of the
    /// history's items, so the same history always gives the same vector; a training user's own
    /// history gives a vector close to (not equal to) the trained one, since training moved the
    /// items while it moved the user. An empty history gives zero, ranking items by bias.
    /// - Complexity: O(epochs · |history| · (factors + log |history|)).
    public func foldIn(_ history: SparseVector) -> [Float] {
        var x = [Float](repeating: 0, count: factors)
        let known = history.indices.filter { $0 >= 0 && Int($0) < trainingData.itemCount }
        guard !known.isEmpty else { return x }
        var random = SeededGenerator(seed: foldInSettings.seed ^ Self.hash(known))
        let cursor = sampler.cursor()
        let f = factors, lambda = foldInSettings.regularization
        var positive = [Float](repeating: 0, count: f), negative = [Float](repeating: 0, count: f)
        let items = scorer.itemFactors.buffer.baseAddress!, bias = scorer.itemBias!.buffer
        known.withUnsafeBufferPointer { row in
            x.withUnsafeMutableBufferPointer { user in
                positive.withUnsafeMutableBufferPointer { p in
                    negative.withUnsafeMutableBufferPointer { n in
                        for rate in foldInSettings.learningRates {
                            for _ in 0..<row.count {
                                let i = row[Int(random.next().multipliedFullWidth(by: UInt64(row.count)).high)]
                                guard let j = cursor.negative(for: row, positive: i, random: &random) else { continue }
                                p.baseAddress!.update(from: items + Int(i) * f, count: f)
                                n.baseAddress!.update(from: items + Int(j) * f, count: f)
                                var bi = bias[Int(i)], bj = bias[Int(j)]
                                _ = BPR.update(user: user.baseAddress!, positive: p.baseAddress!, negative: n.baseAddress!,
                                               positiveBias: &bi, negativeBias: &bj, factors: f, learningRate: rate, regularization: lambda)
                            }
                        }
                    }
                }
            }
        }
        return x
    }

    /// Items closest by cosine similarity of their factors (the bias is not part of it; `implicit`
    /// includes its bias column in the cosine).
    public func similarItems(to item: ItemIndex, count: Int, filter: ItemFilter) -> [ScoredItem] {
        scorer.similarItems(to: item, count: count, filter: filter)
    }

    /// FNV-1a over the item indices: the per-history part of the fold-in seed.
    static func hash(_ items: [Int32]) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for item in items {
            h = (h ^ UInt64(UInt32(bitPattern: item))) &* 0x0000_0100_0000_01b3
        }
        return h
    }
}
