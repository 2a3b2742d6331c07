import Foundation
import TacitCore

/// Trains Bayesian Personalized Ranking matrix factorisation (Rendle, Freudenthaler, Gantner &
/// Schmidt-Thieme 2009, "BPR: Bayesian Personalized Ranking from Implicit Feedback").
///
/// BPR maximises `Σ_(u,i,j) ln σ(x̂_uij) − λ (‖x_u‖² + ‖y_i‖² + ‖y_j‖² + b_i² + b_j²)` over
/// triples of a user `u`, an item `i` of their history and an item `j` outside it, where
/// `x̂_uij = x_uᵀ(y_i − y_j) + b_i − b_j` and `b` is a per-item bias. Each epoch draws `nnz`
/// triples (LearnBPR, stochastic gradient ascent with bootstrap sampling): `(u, i)` is a uniformly
/// drawn training entry, `j` a negative drawn uniformly or by popularity. With
/// `z = 1 − σ(x̂_uij)` and learning rate `η` each triple updates
///
///     x_u += η (z (y_i − y_j) − λ x_u)
///     y_i += η (z x_u − λ y_i),   b_i += η (z − λ b_i)
///     y_j += η (−z x_u − λ y_j),  b_j += η (−z − λ b_j)
///
/// Epochs run lock-free on `threads` workers (Hogwild!, Recht et al. 2011; see `BPR+SGD.swift`).
/// Interactions are binary: the confidence values of the matrix are ignored.
///
/// Conventions follow the `implicit` library's `BayesianPersonalizedRanking` so the two compare
/// at equal `factors`, `epochs`, `learning_rate` and `regularization`: factors start uniform in
/// `[−0.5, 0.5) / factors` (zero for users and items without interactions), the bias is an item
/// term (implicit keeps it as an extra factor with the user side fixed to 1, which scores the
/// same), regularisation is applied at every update, and `sampling=popularity` with exponent 1
/// draws a random training entry's item exactly as implicit does, skipping the triple when that
/// item is in the user's history. Differences: the defaults sample negatives ∝ `count^0.5` and
/// decay the learning rate linearly to a tenth (implicit: ∝ `count`, constant;
/// `sampling_exponent=1 schedule=constant` gives implicit's procedure), triples are drawn a small
/// batch ahead of their updates, and all randomness comes from ``Configuration/seed`` (one stream
/// per epoch and worker).
public struct BPR: Trainer {
    /// Typed configuration with documented defaults.
    public struct Configuration: Sendable, Equatable {
        /// How negative items are drawn.
        public enum NegativeSampling: String, Sendable, CaseIterable {
            /// Every item equally likely (Rendle et al. 2009).
            case uniform
            /// Item `j` with probability ∝ `n_j^samplingExponent`, `n_j` its interaction count
            /// (exponent 1 is the `implicit` library's sampler; 0.75 is word2vec's).
            case popularity
        }

        /// How the learning rate changes from epoch to epoch (it is constant within an epoch).
        public enum Schedule: String, Sendable, CaseIterable {
            /// `η_t = η` (the `implicit` library's behaviour).
            case constant
            /// Linear decay from `η` at the first epoch to `finalLearningRate · η` at the last.
            case linear
            /// Inverse-time decay `η_t = η / (1 + κ t)` for epochs `t = 0 ..< T`, with `κ` chosen
            /// so the last epoch runs at `finalLearningRate · η`.
            case inverse
        }

        /// Latent factors per user and item (the item bias comes on top). Default 64.
        public var factors: Int = 64
        /// Passes over the data; each draws `nnz` triples. Default 100 (as `implicit`).
        public var epochs: Int = 100
        /// SGD learning rate `η` of the first epoch. Default 0.05 (`implicit`: 0.01, constant).
        public var learningRate: Double = 0.05
        /// L2 regularisation `λ`, applied at every update. Default 0.01 (as `implicit`).
        public var regularization: Double = 0.01
        /// Default ``NegativeSampling/popularity``.
        public var sampling: NegativeSampling = .popularity
        /// The exponent of the popularity sampler. Default 0.5 (`implicit`: 1; on MovieLens 100K
        /// 0.5 lifts NDCG@10 by about 15%, docs/models.md).
        public var samplingExponent: Double = 0.5
        /// Skip a triple whose negative is in the user's history (`implicit`'s
        /// `verify_negative_samples`). Default `true`.
        public var verifyNegatives: Bool = true
        /// Default ``Schedule/linear`` (`implicit`: constant).
        public var schedule: Schedule = .linear
        /// The last epoch's learning rate as a fraction of ``learningRate`` (linear and inverse
        /// schedules). Default 0.1.
        public var finalLearningRate: Double = 0.1
        /// Seed of the initial factors and of every sampling stream. Default 42.
        public var seed: UInt64 = 42
        /// How the fitted user and item factors are kept (and saved); item biases stay f32.
        /// Default ``TablePrecision/f32``.
        public var precision = TablePrecision.f32
        /// Worker threads. Only `threads = 1` is bitwise reproducible. Default: all cores.
        public var threads: Int = Parallel.defaultThreads

        public init() {}

        /// Checks ranges; throws naming the field.
        public func validate() throws(TacitError) {
            guard (1...4096).contains(factors) else { throw .invalidArgument("bpr: factors must be in 1...4096, got \(factors)") }
            guard epochs >= 1 else { throw .invalidArgument("bpr: epochs must be >= 1, got \(epochs)") }
            guard learningRate > 0, learningRate.isFinite else { throw .invalidArgument("bpr: learning_rate must be > 0, got \(learningRate)") }
            guard regularization >= 0, regularization.isFinite else {
                throw .invalidArgument("bpr: regularization must be >= 0, got \(regularization)")
            }
            guard (0...4).contains(samplingExponent) else {
                throw .invalidArgument("bpr: sampling_exponent must be in 0...4, got \(samplingExponent)")
            }
            guard finalLearningRate > 0, finalLearningRate <= 1 else {
                throw .invalidArgument("bpr: final_learning_rate must be in (0, 1], got \(finalLearningRate)")
            }
            guard (1...65_535).contains(threads) else { throw .invalidArgument("bpr: threads must be in 1...65535, got \(threads)") }
        }

        /// The learning rate of epoch `epoch` (0-based) under the schedule.
        public func learningRate(epoch: Int) -> Double {
            guard epochs > 1 else { return learningRate }
            let t = Double(min(max(epoch, 0), epochs - 1)), last = Double(epochs - 1)
            switch schedule {
            case .constant: return learningRate
            case .linear: return learningRate * (1 - (1 - finalLearningRate) * t / last)
            case .inverse: return learningRate / (1 + (1 / finalLearningRate - 1) / last * t)
            }
        }
    }

    public let configuration: Configuration
    /// Early stopping on held-out data, checked after each epoch.
    public let earlyStopping: EarlyStopping?

    public init(_ configuration: Configuration = .init(), earlyStopping: EarlyStopping? = nil) {
        self.configuration = configuration
        self.earlyStopping = earlyStopping
    }

    /// Runs the epochs, reporting the sampled training AUC (the fraction of triples ranked
    /// correctly before their update), the share of skipped triples, the learning rate and, when
    /// the observer wants details, the mean BPR loss `−ln σ(x̂_uij)` of the epoch's triples. With
    /// early stopping the model is scored after every epoch and the best one is kept. A learning
    /// rate too high for the data makes SGD diverge: once an epoch sees a score difference beyond
    /// ±10⁶ training stops and returns the model so far (its factors still finite), or throws when
    /// the factors have already overflowed within that epoch.
    /// - Complexity: O(epochs · nnz · (factors + log |u|)) time, O((users + items) · factors + nnz)
    ///   memory (a `(user, item)` pair per training entry; `implicit` keeps a user index per entry).
    public func fit(_ data: InteractionMatrix, observer: some TrainingObserver) async throws -> BPRModel {
        try configuration.validate()
        let config = configuration
        let state = BPRState(data: data, configuration: config)
        var tracker = earlyStopping.map(EarlyStopping.Tracker<BPRModel>.init)
        for epoch in 0..<config.epochs {
            try Task.checkCancellation()
            let rate = config.learningRate(epoch: epoch)
            let stats = state.runEpoch(epoch, learningRate: Float(rate), measureLoss: observer.wantsDetails)
            var values: [String: Double] = ["auc": stats.auc, "skipped": stats.skippedShare, "learning_rate": rate]
            if observer.wantsDetails { values["loss"] = stats.meanLoss }
            var message = "epoch (\(config.factors) factors, auc \(String(format: "%.4f", stats.auc)))"
            if stats.divergent > 0 {
                // The learning rate is too high: stop while the factors are still finite.
                guard state.isFinite else {
                    throw TacitError.invalidArgument("bpr: training diverged in epoch \(epoch + 1) (factors overflowed); "
                                                     + "lower learning_rate (\(config.learningRate)) or raise regularization")
                }
                values["diverging"] = Double(stats.divergent)
                message = "stopping: diverging (\(stats.divergent) score differences beyond ±\(Int(BPRState.divergenceLimit))); lower learning_rate"
                observer.progress(step: epoch + 1, of: config.epochs, message: message, values: values)
                return tracker?.best?.model ?? state.finish()
            }
            if let stop = tracker?.record(state.model(epochs: epoch + 1), values: &values, unit: "epochs") {
                observer.progress(step: epoch + 1, of: config.epochs, message: stop.message, values: values)
                return stop.model
            }
            observer.progress(step: epoch + 1, of: config.epochs, message: message, values: values)
        }
        return tracker?.best?.model ?? state.finish()
    }
}
