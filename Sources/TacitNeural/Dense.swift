import TacitCore

/// A fully connected layer `y = x W + b` over a block of rows, by GEMM (`cblas_sgemm`).
///
/// `W` is `inputs x outputs` (row-major), `b` is `1 x outputs`. Rows are independent, so a batch
/// can be split across workers, each calling ``forward(_:rows:into:)`` and
/// ``backward(input:outputGradient:rows:inputGradient:gradients:)`` on its own rows with its own
/// ``Gradients``.
public struct Dense: Sendable {
    public let weight: Parameter
    public let bias: Parameter?

    /// Adds the layer's parameters (`name.weight`, Glorot-uniform; `name.bias`, zeros) to `set`.
    public init(_ set: ParameterSet, name: String, inputs: Int, outputs: Int, bias: Bool = true) {
        weight = set.add("\(name).weight", rows: inputs, columns: outputs, initializer: .glorotUniform)
        self.bias = bias ? set.add("\(name).bias", rows: 1, columns: outputs, initializer: .zeros) : nil
    }

    public var inputs: Int { weight.rows }
    public var outputs: Int { weight.columns }

    /// `y = x W + b` for `rows` contiguous rows of `x` (`rows x inputs`) into `y` (`rows x outputs`).
    /// - Complexity: O(rows · inputs · outputs).
    public func forward(_ x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>) {
        guard rows > 0 else { return }
        let n = outputs
        if let bias {
            for r in 0..<rows { (y + r * n).update(from: bias.values.pointer, count: n) }
        }
        LinearAlgebra.gemm(m: rows, n: n, k: inputs, a: x, lda: inputs, b: weight.values.pointer, ldb: n,
                           beta: bias == nil ? 0 : 1, c: y, ldc: n)
    }

    /// Accumulates `∂W += xᵀ ∂y` and `∂b += Σ_rows ∂y` into `gradients`, and writes
    /// `∂x = ∂y Wᵀ` into `inputGradient` when given.
    /// - Complexity: O(rows · inputs · outputs).
    public func backward(input x: UnsafePointer<Float>, outputGradient dy: UnsafePointer<Float>, rows: Int,
                         inputGradient dx: UnsafeMutablePointer<Float>?, gradients: Gradients) {
        guard rows > 0 else { return }
        let n = outputs, k = inputs
        LinearAlgebra.gemm(transposeA: true, m: k, n: n, k: rows, a: x, lda: k, b: dy, ldb: n, beta: 1,
                           c: gradients.dense(weight), ldc: n)
        if let bias {
            let db = gradients.dense(bias)
            for r in 0..<rows { LinearAlgebra.axpy(1, dy + r * n, db, count: n) }
        }
        if let dx {
            LinearAlgebra.gemm(transposeB: true, m: rows, n: k, k: n, a: dy, lda: n, b: weight.values.pointer, ldb: n,
                               c: dx, ldc: k)
        }
    }
}
