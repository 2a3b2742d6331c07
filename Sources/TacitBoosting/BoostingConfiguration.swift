import TacitCore

/// The settings of a gradient-boosted ranker, passed to XGBoost as booster parameters.
public struct BoostingConfiguration: Sendable, Equatable {
    /// XGBoost's learning objective: `rank:ndcg` (LambdaMART on NDCG), `rank:pairwise` or `rank:map`.
    public var objective = "rank:ndcg"
    /// Boosting rounds (trees).
    public var rounds = 50
    /// Shrinkage of each tree (`eta`).
    public var learningRate = 0.1
    /// Maximum depth of a tree.
    public var maxDepth = 4
    /// Minimum sum of hessians in a leaf.
    public var minChildWeight = 1.0
    /// Share of the training rows each tree samples.
    public var subsample = 1.0
    /// Share of the features each tree samples.
    public var columnSample = 1.0
    /// L2 regularisation of the leaf weights.
    public var lambda = 1.0
    /// Seed of XGBoost's sampling.
    public var seed: UInt64 = 42
    /// XGBoost's threads.
    public var threads = Parallel.defaultThreads

    public init() {}

    /// The objectives XGBoost offers for ranking.
    public static let objectives = ["rank:ndcg", "rank:pairwise", "rank:map"]

    /// - Throws: a ``TacitError`` naming the first invalid setting.
    public func validate() throws(TacitError) {
        guard Self.objectives.contains(objective) else { throw .unknownName("ranking objective", objective, valid: Self.objectives) }
        guard (1...10_000).contains(rounds) else { throw .invalidArgument("ranker: rounds must be in 1...10000, got \(rounds)") }
        guard learningRate > 0, learningRate <= 1 else { throw .invalidArgument("ranker: learning_rate must be in (0, 1], got \(learningRate)") }
        guard (1...32).contains(maxDepth) else { throw .invalidArgument("ranker: max_depth must be in 1...32, got \(maxDepth)") }
        guard minChildWeight >= 0, minChildWeight.isFinite else { throw .invalidArgument("ranker: min_child_weight must be >= 0, got \(minChildWeight)") }
        guard subsample > 0, subsample <= 1 else { throw .invalidArgument("ranker: subsample must be in (0, 1], got \(subsample)") }
        guard columnSample > 0, columnSample <= 1 else { throw .invalidArgument("ranker: column_sample must be in (0, 1], got \(columnSample)") }
        guard lambda >= 0, lambda.isFinite else { throw .invalidArgument("ranker: lambda must be >= 0, got \(lambda)") }
        guard (1...65_535).contains(threads) else { throw .invalidArgument("ranker: threads must be in 1...65535, got \(threads)") }
    }

    /// The booster parameters, as XGBoost names them.
    var boosterParameters: [(String, String)] {
        [("objective", objective), ("eta", "\(learningRate)"), ("max_depth", "\(maxDepth)"), ("min_child_weight", "\(minChildWeight)"),
         ("subsample", "\(subsample)"), ("colsample_bytree", "\(columnSample)"), ("lambda", "\(lambda)"),
         ("seed", "\(seed % UInt64(Int32.max))"), ("nthread", "\(threads)"), ("tree_method", "hist"), ("verbosity", "0")]
    }
}
