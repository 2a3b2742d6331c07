/// One worker's gradients for every parameter of a ``ParameterSet``: a dense buffer per dense
/// parameter, a ``SparseRowGradient`` per embedding table.
///
/// Data-parallel training gives each worker its own instance, sums them in worker order with
/// ``add(_:)`` (so a run is reproducible for a given thread count) and hands the sum to an optimizer.
public final class Gradients: @unchecked Sendable {
    // `@unchecked`: one worker writes an instance during a parallel phase; others read it only after.
    private let dense: [FloatBuffer?]
    private let sparse: [SparseRowGradient?]

    public init(_ parameters: ParameterSet) {
        dense = parameters.parameters.map { $0.kind == .dense ? FloatBuffer(count: $0.count) : nil }
        sparse = parameters.parameters.map { $0.kind == .embedding ? SparseRowGradient(rows: $0.rows, columns: $0.columns) : nil }
    }

    /// The dense gradient of a dense parameter (same layout as its values).
    @inline(__always)
    public func dense(_ parameter: Parameter) -> UnsafeMutablePointer<Float> { dense[parameter.id]!.pointer }

    /// The row gradients of an embedding table.
    @inline(__always)
    public func sparse(_ parameter: Parameter) -> SparseRowGradient { sparse[parameter.id]! }

    /// Resets every gradient to zero. - Complexity: O(dense values + touched rows).
    public func zero() {
        for buffer in dense { buffer?.zero() }
        for rows in sparse { rows?.clear() }
    }

    /// Adds `other` (built for the same parameter set) into this one.
    public func add(_ other: Gradients) {
        for (a, b) in zip(dense, other.dense) {
            guard let a, let b else { continue }
            for i in 0..<a.count { a.buffer[i] += b.buffer[i] }
        }
        for (a, b) in zip(sparse, other.sparse) {
            guard let a, let b else { continue }
            a.add(b)
        }
    }

    /// The squared Euclidean norm of every gradient together (in `Double`).
    /// - Complexity: O(dense values + touched rows · columns).
    public func squaredNorm() -> Double {
        var total = 0.0
        for buffer in dense {
            guard let buffer else { continue }
            for i in 0..<buffer.count { total += Double(buffer.buffer[i]) * Double(buffer.buffer[i]) }
        }
        for rows in sparse {
            guard let rows else { continue }
            for k in rows.rows.indices {
                let row = rows.packedRow(k)
                for c in 0..<rows.columns { total += Double(row[c]) * Double(row[c]) }
            }
        }
        return total
    }

    /// Multiplies every gradient by `factor`. - Complexity: O(dense values + touched rows · columns).
    public func scale(by factor: Float) {
        for buffer in dense {
            guard let buffer else { continue }
            for i in 0..<buffer.count { buffer.buffer[i] *= factor }
        }
        for rows in sparse {
            guard let rows else { continue }
            for k in rows.rows.indices {
                let row = rows.packedRow(k)
                for c in 0..<rows.columns { row[c] *= factor }
            }
        }
    }

    /// Scales the gradients down to a global norm of at most `maximum` (Pascanu et al. 2013's
    /// clipping by global norm) and returns the norm before clipping.
    @discardableResult
    public func clip(globalNorm maximum: Float) -> Double {
        let norm = squaredNorm().squareRoot()
        if norm > Double(maximum), norm.isFinite { scale(by: Float(Double(maximum) / norm)) }
        return norm
    }

    /// The gradient of `parameter` as a dense array (untouched embedding rows are zero), for tests.
    public func denseCopy(of parameter: Parameter) -> [Float] {
        if let buffer = dense[parameter.id] { return buffer.array }
        var result = [Float](repeating: 0, count: parameter.count)
        let rows = sparse[parameter.id]!
        for (k, r) in rows.rows.enumerated() {
            for c in 0..<parameter.columns { result[Int(r) * parameter.columns + c] = rows.packedRow(k)[c] }
        }
        return result
    }
}
