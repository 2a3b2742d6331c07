import Foundation

/// The special functions behind the distributions: regularized incomplete beta and gamma.
///
/// Both follow Press et al., *Numerical Recipes* (3rd ed., §6.2 and §6.4): a power series where
/// it converges fast and Lentz's modified continued fraction elsewhere, to about 1e-14 relative
/// accuracy.
enum SpecialFunctions {
    private static let epsilon = 1e-15
    private static let tiny = 1e-300
    private static let maximumIterations = 10_000

    /// The regularized incomplete beta function `I_x(a, b)` for `a, b > 0`, `0 ≤ x ≤ 1`.
    static func regularizedIncompleteBeta(_ x: Double, a: Double, b: Double) -> Double {
        precondition(a > 0 && b > 0, "incomplete beta needs a, b > 0")
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let logFront = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x)
        // The continued fraction converges fast for x < (a + 1) / (a + b + 2); use symmetry otherwise.
        if x < (a + 1) / (a + b + 2) {
            return exp(logFront) * betaContinuedFraction(x, a: a, b: b) / a
        }
        return 1 - exp(logFront) * betaContinuedFraction(1 - x, a: b, b: a) / b
    }

    /// The continued fraction of the incomplete beta function (modified Lentz).
    private static func betaContinuedFraction(_ x: Double, a: Double, b: Double) -> Double {
        let qab = a + b, qap = a + 1, qam = a - 1
        var c = 1.0
        var d = 1 - qab * x / qap
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1...maximumIterations {
            let m = Double(m), m2 = 2 * m
            var aa = m * (b - m) * x / ((qam + m2) * (a + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < epsilon { break }
        }
        return h
    }

    /// The regularized upper incomplete gamma function `Q(a, x) = Γ(a, x) / Γ(a)` for `a > 0`.
    static func regularizedUpperGamma(_ a: Double, _ x: Double) -> Double {
        precondition(a > 0, "incomplete gamma needs a > 0")
        if x <= 0 { return 1 }
        let logFront = -x + a * log(x) - lgamma(a)
        if x < a + 1 {
            // Series for P(a, x).
            var sum = 1 / a, term = sum, ap = a
            for _ in 0..<maximumIterations {
                ap += 1
                term *= x / ap
                sum += term
                if abs(term) < abs(sum) * epsilon { break }
            }
            return 1 - sum * exp(logFront)
        }
        // Continued fraction for Q(a, x) (modified Lentz).
        var b = x + 1 - a
        var c = 1 / tiny
        var d = 1 / b
        var h = d
        for i in 1...maximumIterations {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < epsilon { break }
        }
        return exp(logFront) * h
    }
}
