import Foundation
import TacitCore

/// Adam (Kingma & Ba 2015) with optional decoupled weight decay (AdamW, Loshchilov & Hutter 2019)
/// and lazy updates for embedding tables.
///
/// Per value, at step `t`: `m ← β₁m + (1−β₁)g`, `v ← β₂v + (1−β₂)g²`,
/// `x ← x − η (m/(1−β₁ᵗ)) / (√(v/(1−β₂ᵗ)) + ε) − η λ x`.
/// Lazy (the default, as TensorFlow's `LazyAdam`): an embedding table's moments and values change
/// only on the rows the step's gradient touched; dense Adam would decay every row's moments and
/// keep moving untouched rows by their momentum. When every row is touched the two are identical.
public final class Adam: Optimizer {
    /// Adam's settings.
    public struct Configuration: Sendable, Equatable {
        /// Step size `η`.
        public var learningRate: Float = 0.001
        /// First-moment decay `β₁`.
        public var beta1: Float = 0.9
        /// Second-moment decay `β₂`.
        public var beta2: Float = 0.999
        /// `ε` added to the root of the second moment.
        public var epsilon: Float = 1e-7
        /// Decoupled weight decay `λ` (0 = plain Adam; > 0 = AdamW); lazy tables decay touched rows only.
        public var weightDecay: Float = 0
        /// Update only the touched rows of embedding tables.
        public var lazy = true

        public init(learningRate: Float = 0.001, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-7,
                    weightDecay: Float = 0, lazy: Bool = true) {
            self.learningRate = learningRate
            self.beta1 = beta1
            self.beta2 = beta2
            self.epsilon = epsilon
            self.weightDecay = weightDecay
            self.lazy = lazy
        }
    }

    public let configuration: Configuration
    public var learningRate: Float
    public private(set) var steps = 0
    private let parameters: ParameterSet
    private let first: [FloatBuffer]
    private let second: [FloatBuffer]

    /// Worker threads of a step.
    public let threads: Int

    public init(_ configuration: Configuration, parameters: ParameterSet, threads: Int = 1) {
        self.configuration = configuration
        self.threads = max(1, threads)
        learningRate = configuration.learningRate
        self.parameters = parameters
        first = parameters.parameters.map { FloatBuffer(count: $0.count) }
        second = parameters.parameters.map { FloatBuffer(count: $0.count) }
    }

    /// - Complexity: O(dense values + touched rows · columns) lazily; O(all values) otherwise;
    ///   split over ``threads`` workers (every value's update is independent, so the result does
    ///   not depend on the thread count).
    public func step(_ gradients: Gradients) {
        steps += 1
        let c = configuration, t = Double(steps)
        let correction1 = Float(1 - Foundation.pow(Double(c.beta1), t)), correction2 = Float(1 - Foundation.pow(Double(c.beta2), t))
        let update = Update(rate: learningRate, beta1: c.beta1, beta2: c.beta2, epsilon: c.epsilon, decay: c.weightDecay,
                            inverse1: 1 / correction1, inverse2: 1 / correction2)
        // One parallel region: worker w updates the w-th block of every parameter's values (or
        // touched rows).
        let parameters = parameters.parameters, first = first, second = second, lazy = c.lazy, threads = threads
        Parallel.forEachBlock(0..<threads, threads: threads) { _, workers in
            for w in workers {
                func block(_ count: Int) -> Range<Int> { (count * w / threads)..<(count * (w + 1) / threads) }
                for p in parameters {
                    let m = first[p.id].pointer, v = second[p.id].pointer, x = p.values.pointer
                    switch p.kind {
                    case .dense:
                        let range = block(p.count), o = range.lowerBound, g = gradients.dense(p)
                        update.apply(x + o, m + o, v + o, g + o, count: range.count)
                    case .embedding:
                        let rows = gradients.sparse(p), n = p.columns
                        if lazy {
                            for k in block(rows.rows.count) {
                                let r = Int(rows.rows[k]) * n
                                update.apply(x + r, m + r, v + r, rows.packedRow(k), count: n)
                            }
                        } else {
                            let zero = [Float](repeating: 0, count: n)
                            zero.withUnsafeBufferPointer { zero in
                                for r in block(p.rows) {
                                    let g = rows.existingRow(r).map { UnsafePointer($0) } ?? zero.baseAddress!
                                    update.apply(x + r * n, m + r * n, v + r * n, g, count: n)
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// The moments of `parameter` (first, second), for tests.
    public func moments(of parameter: Parameter) -> (first: [Float], second: [Float]) {
        (first[parameter.id].array, second[parameter.id].array)
    }

    private struct Update: Sendable {
        let rate, beta1, beta2, epsilon, decay, inverse1, inverse2: Float

        /// The update of `count` consecutive values, eight lanes at a time.
        @inline(__always)
        func apply(_ x: UnsafeMutablePointer<Float>, _ m: UnsafeMutablePointer<Float>, _ v: UnsafeMutablePointer<Float>,
                   _ g: UnsafePointer<Float>, count: Int) {
            var i = 0
            while i + 8 <= count {
                let gi = load(g + i)
                let mi = beta1 * load(m + i) + (1 - beta1) * gi
                let vi = beta2 * load(v + i) + (1 - beta2) * gi * gi
                store(mi, m + i)
                store(vi, v + i)
                let xi = load(x + i)
                let step = (mi * inverse1) / ((vi * inverse2).squareRoot() + epsilon)
                store(xi - rate * step - rate * decay * xi, x + i)
                i += 8
            }
            while i < count {
                let gi = g[i]
                let mi = beta1 * m[i] + (1 - beta1) * gi
                let vi = beta2 * v[i] + (1 - beta2) * gi * gi
                m[i] = mi
                v[i] = vi
                let step = (mi * inverse1) / ((vi * inverse2).squareRoot() + epsilon)
                x[i] = x[i] - rate * step - rate * decay * x[i]
                i += 1
            }
        }

        @inline(__always) private func load(_ p: UnsafePointer<Float>) -> SIMD8<Float> { UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self) }
        @inline(__always) private func load(_ p: UnsafeMutablePointer<Float>) -> SIMD8<Float> { load(UnsafePointer(p)) }
        @inline(__always) private func store(_ value: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
            UnsafeMutableRawPointer(p).storeBytes(of: value, as: SIMD8<Float>.self)
        }
    }
}
