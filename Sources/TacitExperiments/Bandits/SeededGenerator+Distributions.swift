import Foundation
import TacitCore

extension SeededGenerator {
    /// A Gamma(shape, 1) sample: Marsaglia & Tsang, "A Simple Method for Generating Gamma
    /// Variables" (ACM TOMS 26(3), 2000) — a squeeze-accelerated rejection from a transformed
    /// normal, accepting about 96–99 % of proposals; shapes below 1 use
    /// `Gamma(a) = Gamma(a + 1) · U^{1/a}`.
    /// - Precondition: `shape > 0`.
    public mutating func nextGamma(shape: Double) -> Double {
        precondition(shape > 0, "gamma shape must be > 0")
        if shape < 1 {
            let u = max(nextUnit(), .leastNonzeroMagnitude)
            return nextGamma(shape: shape + 1) * pow(u, 1 / shape)
        }
        let d = shape - 1.0 / 3.0, c = 1 / (9 * d).squareRoot()
        while true {
            var x: Double, v: Double
            repeat {
                x = nextGaussian()
                v = 1 + c * x
            } while v <= 0
            v = v * v * v
            let u = nextUnit()
            if u < 1 - 0.0331 * x * x * x * x { return d * v }
            if log(u) < 0.5 * x * x + d * (1 - v + log(v)) { return d * v }
        }
    }

    /// A Beta(a, b) sample as `X / (X + Y)` with `X ~ Gamma(a)`, `Y ~ Gamma(b)`.
    public mutating func nextBeta(_ a: Double, _ b: Double) -> Double {
        let x = nextGamma(shape: a), y = nextGamma(shape: b)
        return x / (x + y)
    }
}
