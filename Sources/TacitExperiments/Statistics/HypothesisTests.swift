/// The result of comparing a treatment with the control.
public struct TestResult: Sendable, Hashable, Codable {
    /// Treatment minus control, with its confidence interval (unpooled standard error).
    public var difference: Estimate
    /// `difference / control` (NaN when the control's value is 0).
    public var relativeLift: Double
    /// The test statistic (z or t).
    public var statistic: Double
    /// The degrees of freedom of a t statistic; nil for a z statistic.
    public var degreesOfFreedom: Double?
    /// The two-sided p-value.
    public var pValue: Double

    /// Whether the p-value is below `alpha`.
    public func isSignificant(alpha: Double) -> Bool { pValue < alpha }
}

/// Two-sample tests of a treatment against a control.
public enum HypothesisTests {
    /// The two-proportion z-test of `H₀: p_treatment = p_control`: with the pooled rate
    /// `p = (x₁ + x₂) / (n₁ + n₂)`, `z = (p̂₂ − p̂₁) / √(p(1−p)(1/n₁ + 1/n₂))`, two-sided
    /// `p = 2(1 − Φ(|z|))`. The difference's interval uses the unpooled standard error.
    /// Returns NaN statistics when an arm is empty or both rates are 0 or 1.
    public static func twoProportionZ(controlSuccesses: Int, controlTrials: Int, treatmentSuccesses: Int,
                                      treatmentTrials: Int, confidence: Double = 0.95) -> TestResult {
        let n1 = Double(controlTrials), n2 = Double(treatmentTrials)
        let p1 = n1 > 0 ? Double(controlSuccesses) / n1 : .nan
        let p2 = n2 > 0 ? Double(treatmentSuccesses) / n2 : .nan
        let pooled = Double(controlSuccesses + treatmentSuccesses) / (n1 + n2)
        let se0 = (pooled * (1 - pooled) * (1 / n1 + 1 / n2)).squareRoot()
        let z = se0 > 0 ? (p2 - p1) / se0 : .nan
        let se = (p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2).squareRoot()
        return TestResult(difference: .normal(value: p2 - p1, standardError: se, confidence: confidence),
                          relativeLift: p1 > 0 ? (p2 - p1) / p1 : .nan, statistic: z, degreesOfFreedom: nil,
                          pValue: z.isNaN ? .nan : 2 * Normal.survival(abs(z)))
    }

    /// Welch's unequal-variances t-test (Welch 1947): `t = (x̄₂ − x̄₁) / √(s₁²/n₁ + s₂²/n₂)` with
    /// the Welch–Satterthwaite degrees of freedom
    /// `ν = (s₁²/n₁ + s₂²/n₂)² / ((s₁²/n₁)²/(n₁−1) + (s₂²/n₂)²/(n₂−1))` and the exact Student-t
    /// tail. The interval is `x̄₂ − x̄₁ ± t_ν · se`. NaN when an arm has fewer than two values
    /// or both variances are 0.
    public static func welch(control: Moments, treatment: Moments, confidence: Double = 0.95) -> TestResult {
        let difference = treatment.mean - control.mean
        let lift = control.mean != 0 ? difference / control.mean : .nan
        guard control.count >= 2, treatment.count >= 2 else {
            return TestResult(difference: Estimate(value: difference, lower: -.infinity, upper: .infinity, standardError: .nan),
                              relativeLift: lift, statistic: .nan, degreesOfFreedom: nil, pValue: .nan)
        }
        let v1 = control.variance / Double(control.count), v2 = treatment.variance / Double(treatment.count)
        let se = (v1 + v2).squareRoot()
        guard se > 0 else {
            return TestResult(difference: Estimate(value: difference, lower: difference, upper: difference, standardError: 0),
                              relativeLift: lift, statistic: .nan, degreesOfFreedom: nil, pValue: .nan)
        }
        let df = (v1 + v2) * (v1 + v2) / (v1 * v1 / Double(control.count - 1) + v2 * v2 / Double(treatment.count - 1))
        let t = difference / se
        let distribution = StudentT(degreesOfFreedom: df)
        let q = distribution.quantile(0.5 + confidence / 2)
        return TestResult(difference: Estimate(value: difference, lower: difference - q * se, upper: difference + q * se,
                                               standardError: se),
                          relativeLift: lift, statistic: t, degreesOfFreedom: df, pValue: distribution.twoSidedPValue(t))
    }
}
