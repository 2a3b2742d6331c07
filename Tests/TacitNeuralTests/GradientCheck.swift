import TacitCore
@testable import TacitNeural

/// Central finite differences for the layer tests.
///
/// Each check reduces a layer's output to the scalar `L = Σ r_k y_k` with fixed random weights
/// `r`, summed in `Double`; the analytic gradient of `L` (the backward pass fed `∂y = r`) must
/// match `(L(θ + ε) − L(θ − ε)) / 2ε` for every input and parameter value.
enum GradientCheck {
    /// Step `ε`: with Float32 forwards of values around 1, truncation (`ε²`) and rounding
    /// (`10⁻⁷/ε`) errors are both near 10⁻⁵.
    static let epsilon: Float = 1e-2 / 4

    /// `|a − n| ≤ 2·10⁻³ + 10⁻² |n|`: a wrong backward pass is off by O(1).
    static func matches(_ analytic: Float, _ numeric: Double) -> Bool {
        abs(Double(analytic) - numeric) <= 2e-3 + 1e-2 * abs(numeric)
    }

    /// The numeric gradient of `loss` with respect to each of `count` values at `values`.
    static func numeric(_ values: UnsafeMutablePointer<Float>, count: Int, loss: () -> Double) -> [Double] {
        (0..<count).map { k in
            let saved = values[k]
            values[k] = saved + epsilon
            let plus = loss()
            values[k] = saved - epsilon
            let minus = loss()
            values[k] = saved
            return (plus - minus) / Double(2 * epsilon)
        }
    }

    /// Failures where `analytic` and the numeric gradient disagree.
    static func compare(_ name: String, analytic: [Float], numeric: [Double]) -> [String] {
        precondition(analytic.count == numeric.count)
        return analytic.indices.compactMap { k in
            matches(analytic[k], numeric[k]) ? nil : "\(name)[\(k)]: analytic \(analytic[k]) vs numeric \(numeric[k])"
        }
    }

    /// `Σ r_k y_k` in Double.
    static func weightedSum(_ y: UnsafePointer<Float>, _ r: [Float]) -> Double {
        var total = 0.0
        for k in r.indices { total += Double(r[k]) * Double(y[k]) }
        return total
    }

    /// `count` seeded values uniform in `[-scale, scale)`.
    static func random(_ count: Int, seed: UInt64, scale: Float = 1) -> [Float] {
        var g = SeededGenerator(seed: seed)
        return (0..<count).map { _ in Float(g.nextUnit() * 2 - 1) * scale }
    }
}
