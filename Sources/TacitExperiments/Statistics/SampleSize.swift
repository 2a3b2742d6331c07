import Foundation

/// How many users an experiment needs.
public enum SampleSize {
    /// Users per arm for a two-sided two-proportion z-test to detect a relative change
    /// `relativeEffect` of `baseline` with `power` at level `alpha` (equal arms):
    ///
    /// `n = (z_{1−α/2} √(2 p̄ q̄) + z_{power} √(p₁q₁ + p₂q₂))² / (p₂ − p₁)²`,
    /// `p₂ = p₁(1 + relativeEffect)`, `p̄ = (p₁ + p₂)/2` — Fleiss, Levin & Paik, *Statistical
    /// Methods for Rates and Proportions* (3rd ed., eq. 4.14), without continuity correction,
    /// which is the test ``HypothesisTests/twoProportionZ(controlSuccesses:controlTrials:treatmentSuccesses:treatmentTrials:confidence:)``
    /// runs. Rounded up. `p = 0.10`, 10 % relative, `α = 0.05`, power 0.8 → 14 751.
    ///
    /// - Throws: ``ExperimentError`` when a rate leaves (0, 1) or α, power are not in (0, 1).
    public static func twoProportions(baseline: Double, relativeEffect: Double, alpha: Double = 0.05,
                                      power: Double = 0.8) throws(ExperimentError) -> Int {
        let p1 = baseline, p2 = baseline * (1 + relativeEffect)
        guard p1 > 0, p1 < 1 else { throw .invalidValue("baseline", "must be in (0, 1), got \(baseline)") }
        guard relativeEffect != 0, p2 > 0, p2 < 1 else {
            throw .invalidValue("relative_effect", "must be non-zero and keep the rate in (0, 1), got \(relativeEffect)")
        }
        guard alpha > 0, alpha < 1 else { throw .invalidValue("alpha", "must be in (0, 1), got \(alpha)") }
        guard power > 0, power < 1 else { throw .invalidValue("power", "must be in (0, 1), got \(power)") }
        let pBar = (p1 + p2) / 2
        let za = Normal.quantile(1 - alpha / 2), zb = Normal.quantile(power)
        let root = za * (2 * pBar * (1 - pBar)).squareRoot() + zb * (p1 * (1 - p1) + p2 * (1 - p2)).squareRoot()
        return Int((root * root / ((p2 - p1) * (p2 - p1))).rounded(.up))
    }

    /// The power of that test with `usersPerArm` users in each arm (the inverse of
    /// ``twoProportions(baseline:relativeEffect:alpha:power:)``, ignoring the far tail).
    public static func power(baseline: Double, relativeEffect: Double, usersPerArm: Int, alpha: Double = 0.05) -> Double {
        let p1 = baseline, p2 = baseline * (1 + relativeEffect), n = Double(usersPerArm)
        let pBar = (p1 + p2) / 2
        let za = Normal.quantile(1 - alpha / 2)
        let numerator = abs(p2 - p1) * n.squareRoot() - za * (2 * pBar * (1 - pBar)).squareRoot()
        return Normal.cdf(numerator / (p1 * (1 - p1) + p2 * (1 - p2)).squareRoot())
    }
}
