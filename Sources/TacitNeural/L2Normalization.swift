import TacitCore

/// Row-wise L2 normalisation `y = x / max(‖x‖, ε)`, as `tf.math.l2_normalize` (ε = 1e-6 here on
/// the norm, 1e-12 on its square there).
public enum L2Normalization {
    /// The smallest norm divided by.
    public static let epsilon: Float = 1e-6

    /// Normalises `rows` rows of width `columns`; keeps each row's divisor in `norms` for the
    /// backward pass (`y` may be `x`). - Complexity: O(rows · columns).
    public static func forward(_ x: UnsafePointer<Float>, rows: Int, columns: Int, into y: UnsafeMutablePointer<Float>,
                               norms: UnsafeMutablePointer<Float>) {
        for r in 0..<rows {
            let xr = x + r * columns, yr = y + r * columns
            let n = max(LinearAlgebra.dot(xr, xr, count: columns).squareRoot(), epsilon)
            norms[r] = n
            let inverse = 1 / n
            for c in 0..<columns { yr[c] = xr[c] * inverse }
        }
    }

    /// `∂x = (∂y − y (y · ∂y)) / ‖x‖` from the outputs `y` and the kept norms (when the norm was
    /// clamped to ε, `∂x = ∂y / ε`). `dx` may be `dy`. - Complexity: O(rows · columns).
    public static func backward(output y: UnsafePointer<Float>, norms: UnsafePointer<Float>, outputGradient dy: UnsafePointer<Float>,
                                rows: Int, columns: Int, into dx: UnsafeMutablePointer<Float>) {
        for r in 0..<rows {
            let yr = y + r * columns, dyr = dy + r * columns, dxr = dx + r * columns
            let inverse = 1 / norms[r]
            let projection = norms[r] > epsilon ? LinearAlgebra.dot(yr, dyr, count: columns) : 0
            for c in 0..<columns { dxr[c] = (dyr[c] - yr[c] * projection) * inverse }
        }
    }
}
