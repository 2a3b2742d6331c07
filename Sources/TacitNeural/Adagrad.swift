/// Adagrad (Duchi, Hazan & Singer 2011): `a ← a + g²`, `x ← x − η g / (√a + ε)`.
///
/// Embedding tables update only their touched rows; since a zero gradient changes neither the
/// accumulator nor the value, that is exactly dense Adagrad, only cheaper.
public final class Adagrad: Optimizer {
    /// Adagrad's settings.
    public struct Configuration: Sendable, Equatable {
        /// Step size `η`.
        public var learningRate: Float = 0.01
        /// The accumulator's initial value (TensorFlow uses 0.1).
        public var initialAccumulator: Float = 0.1
        /// `ε` added to the root of the accumulator.
        public var epsilon: Float = 1e-7

        public init(learningRate: Float = 0.01, initialAccumulator: Float = 0.1, epsilon: Float = 1e-7) {
            self.learningRate = learningRate
            self.initialAccumulator = initialAccumulator
            self.epsilon = epsilon
        }
    }

    public let configuration: Configuration
    public var learningRate: Float
    public private(set) var steps = 0
    private let parameters: ParameterSet
    private let accumulators: [FloatBuffer]

    public init(_ configuration: Configuration, parameters: ParameterSet) {
        self.configuration = configuration
        learningRate = configuration.learningRate
        self.parameters = parameters
        accumulators = parameters.parameters.map { p in
            let buffer = FloatBuffer(count: p.count)
            buffer.buffer.update(repeating: configuration.initialAccumulator)
            return buffer
        }
    }

    /// - Complexity: O(dense values + touched rows · columns).
    public func step(_ gradients: Gradients) {
        steps += 1
        for p in parameters.parameters {
            let a = accumulators[p.id].pointer, x = p.values.pointer
            switch p.kind {
            case .dense:
                apply(x, a, gradients.dense(p), count: p.count)
            case .embedding:
                let rows = gradients.sparse(p), n = p.columns
                for k in 0..<rows.rows.count {
                    let r = Int(rows.rows[k]) * n
                    apply(x + r, a + r, rows.packedRow(k), count: n)
                }
            }
        }
    }

    /// The accumulator of `parameter`, for tests.
    public func accumulator(of parameter: Parameter) -> [Float] { accumulators[parameter.id].array }

    @inline(__always)
    private func apply(_ x: UnsafeMutablePointer<Float>, _ a: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>, count: Int) {
        let rate = learningRate, epsilon = configuration.epsilon
        for i in 0..<count {
            let ai = a[i] + g[i] * g[i]
            a[i] = ai
            x[i] -= rate * g[i] / (ai.squareRoot() + epsilon)
        }
    }
}
