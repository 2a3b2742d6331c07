import Foundation
import TacitCore

/// A simulated user population with known preferences, for checking the statistics and
/// comparing allocation policies before launch.
///
/// User `u`'s baseline conversion probability is `p_u ~ Beta(p κ, (1 − p) κ)` (mean `p` =
/// ``baseline``; concentration `κ` = ``heterogeneity``, smaller is more heterogeneous; 0 gives
/// every user exactly `p`). Under a variant with planted relative lift `ℓ` the user converts
/// with probability `min(1, p_u (1 + ℓ))`, so the population's conversion rate is exactly
/// `p (1 + ℓ)` — the truth the tests are checked against. A conversion brings log-normal revenue
/// with mean ``revenueMean``.
public struct SimulatedPopulation: Sendable, Hashable, Codable {
    /// Mean conversion probability under the control, in (0, 1). Default 0.10.
    public var baseline: Double
    /// Beta concentration `κ` of the users' probabilities around the baseline; 0 for none.
    /// Default 20 (the users' rates have standard deviation `√(p(1−p)/(κ+1))` ≈ 0.065).
    public var heterogeneity: Double
    /// Mean revenue of a conversion. Default 30.
    public var revenueMean: Double
    /// Log-scale standard deviation of a conversion's revenue. Default 0.8.
    public var revenueSpread: Double

    public init(baseline: Double = 0.10, heterogeneity: Double = 20, revenueMean: Double = 30, revenueSpread: Double = 0.8) {
        self.baseline = baseline
        self.heterogeneity = heterogeneity
        self.revenueMean = revenueMean
        self.revenueSpread = revenueSpread
    }

    /// Checks the ranges.
    public func validate() throws(ExperimentError) {
        guard baseline > 0, baseline < 1 else { throw .invalidValue("baseline", "must be in (0, 1), got \(baseline)") }
        guard heterogeneity >= 0, heterogeneity.isFinite else {
            throw .invalidValue("heterogeneity", "must be ≥ 0, got \(heterogeneity)")
        }
        guard revenueMean >= 0, revenueSpread >= 0 else { throw .invalidValue("revenue", "mean and spread must be ≥ 0") }
    }

    /// Draws one user's baseline probability.
    func userRate(_ rng: inout SeededGenerator) -> Double {
        guard heterogeneity > 0 else { return baseline }
        return rng.nextBeta(baseline * heterogeneity, (1 - baseline) * heterogeneity)
    }

    /// Whether a user with baseline probability `rate` converts under relative lift `lift`, and
    /// the revenue.
    func outcome(rate: Double, lift: Double, _ rng: inout SeededGenerator) -> (converted: Bool, revenue: Double) {
        guard rng.nextUnit() < min(1, rate * (1 + lift)) else { return (false, 0) }
        let s = revenueSpread
        return (true, revenueMean * exp(s * rng.nextGaussian() - s * s / 2))
    }
}

/// A rejection count over simulated experiments, as a rate with its binomial standard error.
public struct RejectionRate: Sendable, Hashable, Codable {
    /// Experiments that rejected.
    public var rejections: Int
    /// Experiments run.
    public var experiments: Int
    /// `rejections / experiments`.
    public var rate: Double
    /// `√(rate (1 − rate) / experiments)`.
    public var standardError: Double

    public init(rejections: Int, experiments: Int) {
        self.rejections = rejections
        self.experiments = experiments
        rate = experiments > 0 ? Double(rejections) / Double(experiments) : 0
        standardError = experiments > 0 ? (rate * (1 - rate) / Double(experiments)).squareRoot() : 0
    }
}
