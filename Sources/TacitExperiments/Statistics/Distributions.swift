import Foundation

/// The standard normal distribution.
public enum Normal {
    /// `Φ(x)`, through `erfc` (accurate in both tails).
    public static func cdf(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }

    /// `1 − Φ(x)` without cancellation.
    public static func survival(_ x: Double) -> Double { 0.5 * erfc(x / 2.0.squareRoot()) }

    /// The density `φ(x)`.
    public static func density(_ x: Double) -> Double { exp(-0.5 * x * x) / (2 * Double.pi).squareRoot() }

    /// `Φ⁻¹(p)` for `0 < p < 1`: Acklam's rational approximation (relative error 1.15e-9) polished
    /// by one Halley step on `Φ`, which brings it to about 1e-15.
    public static func quantile(_ p: Double) -> Double {
        precondition(p > 0 && p < 1, "normal quantile needs 0 < p < 1")
        let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
        let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                 6.680131188771972e+01, -1.328068155288572e+01]
        let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                 -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
        let low = 0.02425
        var x: Double
        if p < low {
            let q = (-2 * log(p)).squareRoot()
            x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        } else if p <= 1 - low {
            let q = p - 0.5, r = q * q
            x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
                / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
        } else {
            let q = (-2 * log1p(-p)).squareRoot()
            x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        }
        // Halley refinement.
        let e = p < 0.5 ? cdf(x) - p : (1 - p) - survival(x)
        let u = e * (2 * Double.pi).squareRoot() * exp(x * x / 2)
        x -= u / (1 + x * u / 2)
        return x
    }
}

/// Student's t distribution with `degreesOfFreedom` (any real `ν > 0`, as Welch's test needs).
public struct StudentT: Sendable, Hashable {
    /// `ν`.
    public let degreesOfFreedom: Double

    public init(degreesOfFreedom: Double) {
        precondition(degreesOfFreedom > 0, "t distribution needs ν > 0")
        self.degreesOfFreedom = degreesOfFreedom
    }

    /// `P(|T| ≥ |t|) = I_{ν/(ν+t²)}(ν/2, 1/2)`: the two-sided p-value of `t`.
    public func twoSidedPValue(_ t: Double) -> Double {
        guard t.isFinite else { return t.isNaN ? .nan : 0 }
        let nu = degreesOfFreedom
        return SpecialFunctions.regularizedIncompleteBeta(nu / (nu + t * t), a: nu / 2, b: 0.5)
    }

    /// `P(T ≤ t)`.
    public func cdf(_ t: Double) -> Double {
        let tail = twoSidedPValue(t) / 2
        return t > 0 ? 1 - tail : tail
    }

    /// The `p` quantile, by bisection on ``cdf(_:)`` (60 halvings: exact to double precision
    /// for the confidence levels a report uses).
    public func quantile(_ p: Double) -> Double {
        precondition(p > 0 && p < 1, "t quantile needs 0 < p < 1")
        if p == 0.5 { return 0 }
        // The t quantile is farther out than the normal one; widen until bracketed.
        var hi = max(abs(Normal.quantile(p)) * 2, 1)
        if p > 0.5 {
            while cdf(hi) < p { hi *= 2 }
        } else {
            while cdf(-hi) > p { hi *= 2 }
        }
        var lo = p > 0.5 ? 0 : -hi
        var up = p > 0.5 ? hi : 0
        for _ in 0..<200 {
            let mid = (lo + up) / 2
            if cdf(mid) < p { lo = mid } else { up = mid }
            if up - lo <= 1e-14 * max(1, abs(mid)) { break }
        }
        return (lo + up) / 2
    }
}

/// The chi-square distribution with `degreesOfFreedom`.
public struct ChiSquare: Sendable, Hashable {
    /// `k`.
    public let degreesOfFreedom: Double

    public init(degreesOfFreedom: Double) {
        precondition(degreesOfFreedom > 0, "chi-square needs k > 0")
        self.degreesOfFreedom = degreesOfFreedom
    }

    /// `P(X ≥ x) = Q(k/2, x/2)`: the p-value of a chi-square statistic.
    public func survival(_ x: Double) -> Double {
        SpecialFunctions.regularizedUpperGamma(degreesOfFreedom / 2, max(0, x) / 2)
    }
}
