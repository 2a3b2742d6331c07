/// Receives progress from a training run (epochs, losses, validation scores).
public protocol TrainingObserver: Sendable {
    /// Called after each iteration or epoch with a short human-readable message and named numbers.
    func progress(step: Int, of total: Int, message: String, values: [String: Double])
    /// Whether the observer shows per-iteration details that cost extra work (training loss).
    /// Trainers skip that work when `false` (the default).
    var wantsDetails: Bool { get }
}

/// An observer that ignores everything.
public struct SilentObserver: TrainingObserver {
    public init() {}
    public func progress(step: Int, of total: Int, message: String, values: [String: Double]) {}
}

/// Configuration plus a training procedure; keeps no state between fits.
public protocol Trainer: Sendable {
    associatedtype Model: Recommender
    /// Fits a model on `data`.
    func fit(_ data: InteractionMatrix, observer: some TrainingObserver) async throws -> Model
}

extension TrainingObserver {
    public var wantsDetails: Bool { false }
}

/// Early stopping on held-out data for iterative trainers.
///
/// After each iteration the trainer builds the current model and asks `score` for a quality
/// (higher is better, for example validation NDCG@10). Training stops once `patience`
/// iterations pass without improvement, and the best model seen is returned.
public struct EarlyStopping: Sendable {
    /// The name of the score, for progress messages (for example `NDCG@10`).
    public let metric: String
    /// Iterations without improvement before stopping.
    public let patience: Int
    /// Scores an intermediate model.
    public let score: @Sendable (any Recommender) -> Double

    public init(metric: String, patience: Int = 2, score: @escaping @Sendable (any Recommender) -> Double) {
        self.metric = metric
        self.patience = max(1, patience)
        self.score = score
    }
}
