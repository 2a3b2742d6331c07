/// Receives progress from a training run (epochs, losses, validation scores).
public protocol TrainingObserver: Sendable {
    /// Called after each iteration or epoch with a short human-readable message and named numbers.
    func progress(step: Int, of total: Int, message: String, values: [String: Double])
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
