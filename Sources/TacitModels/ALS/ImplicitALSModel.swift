import Foundation
import TacitCore

/// A fitted iALS model: user and item factors, with fold-in of new histories by the same
/// least-squares solve as training.
public struct ImplicitALSModel: FoldIn, ItemSimilarity {
    /// What fold-in needs to rebuild a user's normal equations.
    public struct SolverSettings: Sendable, Equatable {
        public var alpha: Double
        public var regularization: Double
        public var frequencyScaling: Double
        /// History half-life in events (0 = off), applied to the history before solving.
        public var recency: Double
    }

    public let trainingData: InteractionMatrix
    /// Latent factor count.
    public let factors: Int
    /// User factors, `users x factors`, row-major.
    public let userFactors: StorageBuffer<Float>
    /// Scoring against the item factors.
    public internal(set) var scorer: FactorScorer
    public let solverSettings: SolverSettings
    /// `YᵀY` of the item factors, for fold-in.
    let gram: [Float]

    init(trainingData: InteractionMatrix, factors: Int, userFactors: StorageBuffer<Float>, itemFactors: StorageBuffer<Float>,
         solverSettings: SolverSettings) {
        precondition(userFactors.count == trainingData.userCount * factors && itemFactors.count == trainingData.itemCount * factors,
                     "factor shapes do not match the training data")
        self.trainingData = trainingData
        self.factors = factors
        self.userFactors = userFactors
        self.scorer = FactorScorer(factors: factors, itemFactors: itemFactors)
        self.solverSettings = solverSettings
        var gram = [Float](repeating: 0, count: factors * factors)
        if trainingData.itemCount > 0 {
            gram.withUnsafeMutableBufferPointer {
                LinearAlgebra.gram(rows: trainingData.itemCount, columns: factors, a: itemFactors.buffer.baseAddress!, c: $0.baseAddress!)
            }
        }
        self.gram = gram
    }

    /// The trained vector of `user`.
    public func vector(of user: UserIndex) -> UnsafeBufferPointer<Float> {
        UnsafeBufferPointer(rebasing: userFactors.buffer[(Int(user) * factors)..<((Int(user) + 1) * factors)])
    }

    public func recommend(for user: UserIndex, count: Int, filter: ItemFilter) -> [ScoredItem] {
        scorer.recommend(user: vector(of: user).baseAddress!, history: trainingData.row(Int(user)).items, count: count, filter: filter)
    }

    /// Blocked GEMM over all items plus bounded top-K, in parallel (see ``FactorScorer``).
    public func recommendAll(users: [UserIndex], count: Int, filter: ItemFilter, threads: Int) -> [[ScoredItem]] {
        scorer.recommendAll(userFactors: userFactors, users: users, histories: trainingData, count: count, filter: filter, threads: threads)
    }

    public func recommend(history: SparseVector, count: Int, filter: ItemFilter) -> [ScoredItem] {
        let x = foldIn(history)
        return history.indices.withUnsafeBufferPointer { items in
            x.withUnsafeBufferPointer { scorer.recommend(user: $0.baseAddress!, history: items, count: count, filter: filter) }
        }
    }

    /// The user vector for a weighted history: the exact solution of the same normal equations
    /// training solves for a user, against the trained item factors (Cholesky).
    /// - Complexity: O(|history| · f² + f³).
    public func foldIn(_ history: SparseVector) -> [Float] {
        var x = [Float](repeating: 0, count: factors)
        let lambda = Float(solverSettings.regularization * Foundation.pow(Double(max(1, history.count)), solverSettings.frequencyScaling))
        let workspace = ALSWorkspace(factors: factors)
        gram.withUnsafeBufferPointer { g in
            history.indices.withUnsafeBufferPointer { indices in
                discounted(history).withUnsafeBufferPointer { weights in
                    x.withUnsafeMutableBufferPointer { x in
                        let solver = ALSRowSolver(factors: factors, alpha: Float(solverSettings.alpha), other: scorer.itemFactors.buffer.baseAddress!,
                                                  gram: g.baseAddress!)
                        solver.exact(x: x.baseAddress!, indices: indices, weights: weights, lambda: lambda, workspace: workspace)
                    }
                }
            }
        }
        return x
    }

    /// The history's weights, discounted by recency when the model was trained so.
    private func discounted(_ history: SparseVector) -> [Float] {
        history.values.withUnsafeBufferPointer { values in
            guard let timestamps = history.timestamps else { return Array(values) }
            return timestamps.withUnsafeBufferPointer { RecencyDiscount.apply(values, timestamps: $0, halfLife: solverSettings.recency) }
        }
    }

    /// Items closest by cosine similarity of their factors.
    public func similarItems(to item: ItemIndex, count: Int, filter: ItemFilter) -> [ScoredItem] {
        scorer.similarItems(to: item, count: count, filter: filter)
    }
}
