import TacitCore

/// An embedding table (`rows x dimension`) with lookups and weighted mean pooling over
/// variable-length bags; its gradients are sparse rows (lazy optimizer updates).
///
/// A negative index means "absent": it contributes zero and receives no gradient, so missing
/// features (an item without a brand, a new item without a trained id row) need no special row.
public struct Embedding: Sendable {
    public let table: Parameter

    /// Adds the table `name` (uniform in ±`scale`, Keras' embedding default) to `set`.
    public init(_ set: ParameterSet, name: String, rows: Int, dimension: Int, scale: Float = 0.05) {
        table = set.add(name, rows: rows, columns: dimension, kind: .embedding, initializer: .uniform(scale: scale))
    }

    public var dimension: Int { table.columns }
    public var rows: Int { table.rows }

    /// Copies row `index` into `y` (zeros when `index` is negative or out of range).
    @inline(__always)
    public func lookup(_ index: Int32, into y: UnsafeMutablePointer<Float>) {
        if index >= 0 && Int(index) < rows { y.update(from: table.row(Int(index)), count: dimension) }
        else { y.update(repeating: 0, count: dimension) }
    }

    /// Adds `∂y` to the gradient of row `index` (nothing for an absent index).
    @inline(__always)
    public func backwardLookup(_ index: Int32, outputGradient dy: UnsafePointer<Float>, gradients: Gradients) {
        guard index >= 0 && Int(index) < rows else { return }
        LinearAlgebra.axpy(1, dy, gradients.sparse(table).row(Int(index)), count: dimension)
    }

    /// The mean of rows `a` and `b` into `y` (a hashed id's two rows); row `a` alone when `b` is
    /// negative, exactly ``lookup(_:into:)``.
    @inline(__always)
    public func lookup(_ a: Int32, _ b: Int32, into y: UnsafeMutablePointer<Float>) {
        lookup(a, into: y)
        guard b >= 0 && Int(b) < rows && a >= 0 && Int(a) < rows else { return }
        let other = table.row(Int(b))
        for c in 0..<dimension { y[c] = (y[c] + other[c]) * 0.5 }
    }

    /// Backward of ``lookup(_:_:into:)``: each of the two rows receives `∂y / 2`.
    @inline(__always)
    public func backwardLookup(_ a: Int32, _ b: Int32, outputGradient dy: UnsafePointer<Float>, gradients: Gradients) {
        guard b >= 0 && Int(b) < rows && a >= 0 && Int(a) < rows else { return backwardLookup(a, outputGradient: dy, gradients: gradients) }
        let rowsGradient = gradients.sparse(table)
        LinearAlgebra.axpy(0.5, dy, rowsGradient.row(Int(a)), count: dimension)
        LinearAlgebra.axpy(0.5, dy, rowsGradient.row(Int(b)), count: dimension)
    }

    /// `y = Σ_j w_j e_{bag_j} / Σ_j w_j` over the present entries (unit weights when `weights` is
    /// `nil`); zeros for an empty bag or a zero total weight.
    /// - Returns: the total weight of the present entries.
    /// - Complexity: O(|bag| · dimension).
    @discardableResult
    public func meanPool(_ bag: UnsafeBufferPointer<Int32>, weights: UnsafeBufferPointer<Float>?, into y: UnsafeMutablePointer<Float>) -> Float {
        y.update(repeating: 0, count: dimension)
        let total = totalWeight(bag, weights: weights)
        guard total > 0 else { return 0 }
        for j in 0..<bag.count where bag[j] >= 0 && Int(bag[j]) < rows {
            LinearAlgebra.axpy((weights?[j] ?? 1) / total, table.row(Int(bag[j])), y, count: dimension)
        }
        return total
    }

    /// Backward of ``meanPool(_:weights:into:)``: row `bag_j` receives `w_j / Σw · ∂y`.
    public func backwardMeanPool(_ bag: UnsafeBufferPointer<Int32>, weights: UnsafeBufferPointer<Float>?,
                                 outputGradient dy: UnsafePointer<Float>, gradients: Gradients) {
        let total = totalWeight(bag, weights: weights)
        guard total > 0 else { return }
        let rowsGradient = gradients.sparse(table)
        for j in 0..<bag.count where bag[j] >= 0 && Int(bag[j]) < rows {
            LinearAlgebra.axpy((weights?[j] ?? 1) / total, dy, rowsGradient.row(Int(bag[j])), count: dimension)
        }
    }

    @inline(__always)
    private func totalWeight(_ bag: UnsafeBufferPointer<Int32>, weights: UnsafeBufferPointer<Float>?) -> Float {
        var total: Float = 0
        for j in 0..<bag.count where bag[j] >= 0 && Int(bag[j]) < rows { total += weights?[j] ?? 1 }
        return total
    }
}
