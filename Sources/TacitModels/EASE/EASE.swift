import Foundation
import TacitCore

/// Trains EASE, the embarrassingly shallow autoencoder (H. Steck, "Embarrassingly Shallow
/// Autoencoders for Sparse Data", WWW 2019).
///
/// EASE learns one item × item weight matrix `B` that reconstructs every user's row from the
/// user's *other* items:
///
///     min_B ‖X − X B‖²_F + λ ‖B‖²_F   subject to   diag(B) = 0
///
/// with the closed form `P = (XᵀX + λI)⁻¹`, `B_ij = −P_ij / P_jj` for `i ≠ j` and `B_jj = 0`.
/// A user's score for item `j` is `Σ_i x_ui · B_ij`, the sum of the `B` rows of their items.
///
/// `X` is binary by default (every stored interaction is 1, as in the paper); with
/// ``Configuration/Input-swift.enum/confidence`` it holds the weighted confidences. An optional
/// recency discount of the history when scoring (as item-kNN's) makes it a next-item model.
///
/// The Gram matrix `G = XᵀX` is built densely (blocks of user rows, BLAS `ssyrk`) or sparsely
/// (co-occurrences, in parallel over items), whichever costs less (see `EASE+Gram.swift`);
/// `G + λI` is inverted in place by Cholesky (LAPACK `spotrf` + `spotri`) and turned into `B`
/// in the same memory. The model is one dense `items × items` Float matrix, so catalogs above
/// ``Configuration/maxItems`` are refused with the memory they would need.
public struct EASE: Trainer {
    /// Typed configuration with documented defaults.
    public struct Configuration: Sendable, Equatable {
        /// What the entries of `X` are.
        public enum Input: String, Sendable, CaseIterable {
            /// Every stored interaction is 1, whatever its weight (the paper's setting; the default).
            case binary
            /// The weighted confidence of the ``WeightingPolicy``.
            case confidence
        }
        /// L2 regularisation λ added to the diagonal of the Gram matrix. Larger values shrink
        /// the weights towards zero and favour popular items less. Default 500 (Steck's value
        /// for MovieLens 20M).
        public var lambda: Double = 500
        /// The largest catalog accepted: fitting needs `4 · items²` bytes, so more items are
        /// refused with that figure. Default 30,000 (3.4 GiB).
        public var maxItems: Int = 30_000
        /// Default ``Input-swift.enum/binary``.
        public var input: Input = .binary
        /// History recency half-life, in events, when scoring: a history item with `n` newer
        /// items behind it weighs `0.5^(n / recency)` (needs timestamps; training is unchanged).
        /// `0` (default) = off.
        public var recency: Double = 0
        /// Worker threads, also the BLAS threads of the factorisation. Default: all cores.
        public var threads: Int = Parallel.defaultThreads

        public init() {}

        /// Checks ranges; throws naming the field.
        public func validate() throws(TacitError) {
            guard lambda > 0, lambda.isFinite else { throw .invalidArgument("ease: lambda must be > 0, got \(lambda)") }
            guard recency >= 0, recency.isFinite else { throw .invalidArgument("ease: recency must be >= 0, got \(recency)") }
            guard maxItems >= 1 else { throw .invalidArgument("ease: max_items must be >= 1, got \(maxItems)") }
            guard threads >= 1 else { throw .invalidArgument("ease: threads must be >= 1, got \(threads)") }
        }
    }

    public let configuration: Configuration

    public init(_ configuration: Configuration = .init()) { self.configuration = configuration }

    /// Bytes of the dense `items × items` Float matrix that fitting holds.
    static func matrixBytes(items: Int) -> Double { 4 * Double(items) * Double(items) }

    /// Refuses catalogs above ``Configuration/maxItems``, naming the memory they would need.
    func checkSize(items: Int) throws(TacitError) {
        guard items > configuration.maxItems else { return }
        let gib = Self.matrixBytes(items: items) / Double(1 << 30)
        throw .invalidArgument(
            "ease: \(items) items need \(String(format: "%.1f", gib)) GiB for the dense item × item matrix "
                + "(the Gram matrix, inverted in place into the weights; limit max_items=\(configuration.maxItems)); "
                + "raise max_items if the machine has that memory, or use als or itemknn, which scale to large catalogs")
    }

    /// - Complexity: O(min(users · items², Σ_u |u|²)) for the Gram matrix plus O(items³) for the
    ///   inverse; memory O(items²).
    public func fit(_ data: InteractionMatrix, observer: some TrainingObserver) async throws -> EASEModel {
        try configuration.validate()
        try checkSize(items: data.itemCount)
        let n = data.itemCount, threads = configuration.threads
        let binary = configuration.input == .binary
        let memory = UnsafeMutableBufferPointer<Float>.allocate(capacity: max(1, n * n))
        let matrix = UnsafeMutableBufferPointer(rebasing: memory[0..<(n * n)])
        var adopted = false
        defer { if !adopted { memory.deallocate() } }

        let method = Self.gramMethod(for: data)
        Self.gram(data, binary: binary, method: method, threads: threads, into: matrix)
        observer.progress(step: 1, of: 2, message: "Gram matrix \(n) x \(n) (\(method))", values: [:])

        if n > 0 {
            let lambda = Float(configuration.lambda)
            for i in 0..<n { matrix[i * n + i] += lambda }
            let inverted = LinearAlgebra.withThreads(threads) {
                LinearAlgebra.invertSymmetricPositiveDefinite(n: n, a: matrix.baseAddress!)
            }
            guard inverted else {
                throw TacitError.invalidArgument("ease: G + λI is not positive definite in Float32 (lambda=\(configuration.lambda)); increase lambda")
            }
            Self.weightsFromInverse(matrix, n: n, threads: threads)
        }
        observer.progress(step: 2, of: 2, message: "weights \(n) x \(n), λ = \(configuration.lambda)", values: [:])
        adopted = true
        return EASEModel(trainingData: data, weights: StorageBuffer(adopting: matrix), input: configuration.input,
                         lambda: configuration.lambda, recency: configuration.recency)
    }

    /// Turns `P = (G + λI)⁻¹` into `B` in place: `B_ij = −P_ij / P_jj`, `B_jj = 0`.
    /// - Complexity: O(items²), parallel over rows.
    static func weightsFromInverse(_ matrix: UnsafeMutableBufferPointer<Float>, n: Int, threads: Int) {
        let scale = (0..<n).map { -1 / matrix[$0 * n + $0] }
        let shared = SharedMutableBuffer(matrix)
        Parallel.forEach(0..<n, threads: threads) { i in
            let row = shared.base.baseAddress! + i * n
            scale.withUnsafeBufferPointer { scale in
                for j in 0..<n { row[j] *= scale[j] }
            }
            row[i] = 0
        }
    }
}
