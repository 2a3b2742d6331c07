import Foundation
import TacitCore

/// Trains implicit alternating least squares (Hu, Koren & Volinsky 2008, "Collaborative
/// Filtering for Implicit Feedback Datasets").
///
/// Minimises `Σ_{u,i} c_ui (p_ui − x_uᵀ y_i)² + Σ_u λ_u ‖x_u‖² + Σ_i λ_i ‖y_i‖²` over all
/// user–item pairs, where `p_ui = 1` for observed pairs and `0` otherwise, and the confidence
/// `c_ui = 1 + alpha · w_ui` grows with the weighted interaction `w_ui` of the
/// ``WeightingPolicy`` (unobserved pairs have confidence 1). With `frequencyScaling` ν the
/// regularisation is `λ_u = λ · n_u^ν` for a user with `n_u` items (and likewise for items), as
/// recommended by Rendle et al. 2022, "Revisiting the Performance of iALS on Item Recommendation
/// Benchmarks"; ν = 0 is the classic constant λ.
///
/// Each iteration solves every item given the users, then every user given the items, in
/// parallel; `YᵀY` is computed once per half-step with BLAS (`ssyrk`). The per-row solve is either
/// the conjugate-gradient method of Takács, Pilászy & Tikk 2011 ("Applications of the conjugate
/// gradient method for implicit feedback collaborative filtering", as the `implicit` library does:
/// a few CG steps warm-started from the previous vector, never forming the `f x f` system), or an
/// exact Cholesky solve (LAPACK) of the normal equations, for checking and small factor counts.
/// Solving users last makes each trained user vector the solution for the final item factors,
/// which is exactly what fold-in computes for a new history.
public struct ImplicitALS: Trainer {
    /// Typed configuration with documented defaults.
    public struct Configuration: Sendable, Equatable {
        /// How each row's least-squares problem is solved.
        public enum Solver: String, Sendable, CaseIterable {
            /// Conjugate gradient, `cgSteps` steps per row and half-step (fast; the default).
            case cg
            /// Exact Cholesky solve of the `f x f` normal equations (LAPACK `spotrf`/`spotrs`).
            case cholesky
        }
        /// Latent factors per user and item. Default 64.
        public var factors: Int = 64
        /// Alternating iterations (each solves all items, then all users). Default 15.
        public var iterations: Int = 15
        /// L2 regularisation λ. Default 0.01.
        public var regularization: Double = 0.01
        /// Confidence slope: `c = 1 + alpha · w`. Default 1.
        public var alpha: Double = 1
        /// Frequency-scaling exponent ν of the regularisation (`λ · n^ν`); 0 (default) = off.
        public var frequencyScaling: Double = 0
        /// History recency half-life, in events: an entry of a user with `n` newer entries behind
        /// it has its weight multiplied by `0.5^(n / recency)` before the confidence is formed, in
        /// training and fold-in (needs timestamps). `0` (default) = off.
        public var recency: Double = 0
        /// Default ``Solver/cg``.
        public var solver: Solver = .cg
        /// Conjugate-gradient steps per row and half-step. Default 3.
        public var cgSteps: Int = 3
        /// Initial factors are uniform in `[0, initScale)`, drawn from `seed`. Default 0.01.
        public var initScale: Double = 0.01
        /// Random seed of the initial factors. Default 42.
        public var seed: UInt64 = 42
        /// How the fitted user and item factors are kept (and saved). Default ``TablePrecision/f32``.
        public var precision = TablePrecision.f32
        /// Worker threads. Default: all cores.
        public var threads: Int = Parallel.defaultThreads

        public init() {}

        /// Checks ranges; throws naming the field.
        public func validate() throws(TacitError) {
            guard (1...4096).contains(factors) else { throw .invalidArgument("als: factors must be in 1...4096, got \(factors)") }
            guard iterations >= 1 else { throw .invalidArgument("als: iterations must be >= 1, got \(iterations)") }
            guard regularization >= 0, regularization.isFinite else { throw .invalidArgument("als: regularization must be >= 0, got \(regularization)") }
            guard alpha >= 0, alpha.isFinite else { throw .invalidArgument("als: alpha must be >= 0, got \(alpha)") }
            guard frequencyScaling >= 0, frequencyScaling <= 4 else { throw .invalidArgument("als: frequency_scaling must be in 0...4, got \(frequencyScaling)") }
            guard recency >= 0, recency.isFinite else { throw .invalidArgument("als: recency must be >= 0, got \(recency)") }
            guard cgSteps >= 1 else { throw .invalidArgument("als: cg_steps must be >= 1, got \(cgSteps)") }
            guard initScale > 0 else { throw .invalidArgument("als: init_scale must be > 0, got \(initScale)") }
        }
    }

    public let configuration: Configuration
    /// Early stopping on held-out data, checked after each iteration.
    public let earlyStopping: EarlyStopping?

    public init(_ configuration: Configuration = .init(), earlyStopping: EarlyStopping? = nil) {
        self.configuration = configuration
        self.earlyStopping = earlyStopping
    }

    /// - Complexity: per iteration O(nnz · f · cgSteps + (users + items) · f² · cgSteps) with CG,
    ///   O(nnz · f² + (users + items) · f³) with Cholesky; memory O((users + items) · f).
    public func fit(_ data: InteractionMatrix, observer: some TrainingObserver) async throws -> ImplicitALSModel {
        try configuration.validate()
        let config = configuration
        let f = config.factors
        let state = ALSState(data: RecencyDiscount.matrix(data, halfLife: config.recency), original: data, configuration: config)
        var tracker = earlyStopping.map(EarlyStopping.Tracker<ImplicitALSModel>.init)
        for iteration in 1...config.iterations {
            try Task.checkCancellation()
            state.solveItems()
            state.solveUsers()
            var values: [String: Double] = [:]
            if observer.wantsDetails { values["loss"] = state.loss() }
            if let stop = tracker?.record(state.model(), values: &values, unit: "iterations") {
                observer.progress(step: iteration, of: config.iterations, message: stop.message, values: values)
                return stop.model
            }
            observer.progress(step: iteration, of: config.iterations, message: "iteration (\(f) factors)", values: values)
        }
        return tracker?.best?.model ?? state.finish()
    }
}
