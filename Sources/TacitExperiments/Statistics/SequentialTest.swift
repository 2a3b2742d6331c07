import Foundation

/// The guard against peeking: the mixture sequential probability ratio test (mSPRT) with a
/// normal mixture, whose p-value stays valid however often and whenever one looks (Johari,
/// Koomen, Pekelis & Walsh, "Peeking at A/B Tests: Why it matters, and what to do about it",
/// KDD 2017; Robbins 1970).
///
/// A classical p-value is valid only at one look planned in advance: checking a running
/// experiment every day and stopping at the first `p < 0.05` raises the false-positive rate
/// to 20–30 %. The mSPRT instead tracks a likelihood ratio that, under "no difference", is a
/// non-negative martingale with mean 1, so by Ville's inequality it exceeds `1/α` at *any* time
/// with probability at most `α`. For a difference estimate `θ̂` with variance `V` (the sum of
/// the arms' `s²/n`) and the mixture `θ ~ N(0, τ²)` over plausible effects:
///
/// `Λ = √(V / (V + τ²)) · exp(τ² θ̂² / (2V(V + τ²)))`,  always-valid `p = min over looks of 1/Λ`.
///
/// `τ` is where the test has most power: effects near `τ` are detected soonest. Tacit sets it
/// relative to the control's mean (``Configuration/relativeEffectScale``, default 10 %), the
/// size of effects recommenders usually chase. The price of validity under peeking is power:
/// at a single planned look the fixed-horizon test needs fewer users.
public struct SequentialTest: Sendable, Hashable, Codable {
    /// Where the mixture puts its weight.
    public struct Configuration: Sendable, Hashable, Codable {
        /// `τ / |control mean|`: the relative effect size the test is tuned for. Default 0.1.
        public var relativeEffectScale: Double

        public init(relativeEffectScale: Double = 0.1) { self.relativeEffectScale = relativeEffectScale }
    }

    /// The mixture's scale.
    public let configuration: Configuration
    /// The always-valid p-value so far: the minimum of `1/Λ` over every look (1 before any).
    public private(set) var pValue = 1.0
    /// How many looks were taken.
    public private(set) var looks = 0

    public init(_ configuration: Configuration = Configuration()) { self.configuration = configuration }

    /// Takes a look at the current data (control and treatment moments, per user) and returns
    /// the updated always-valid p-value. Reject "no difference" once it is below `α`.
    @discardableResult
    public mutating func update(control: Moments, treatment: Moments) -> Double {
        looks += 1
        pValue = min(pValue, Self.pValue(control: control, treatment: treatment, configuration: configuration))
        return pValue
    }

    /// `min(1, 1/Λ)` at one look: an always-valid p-value on its own (a report that is
    /// recomputed from scratch can show it; ``update(control:treatment:)`` keeps the running
    /// minimum). 1 when an arm has fewer than two observations or no variance.
    public static func pValue(control: Moments, treatment: Moments, configuration: Configuration = Configuration()) -> Double {
        guard control.count >= 2, treatment.count >= 2 else { return 1 }
        let variance = control.variance / Double(control.count) + treatment.variance / Double(treatment.count)
        let tau = configuration.relativeEffectScale * abs(control.mean)
        guard variance > 0, tau > 0 else { return 1 }
        let logLambda = logLikelihoodRatio(difference: treatment.mean - control.mean, variance: variance, tau2: tau * tau)
        return min(1, exp(-logLambda))
    }

    /// `log Λ` of the normal-mixture SPRT for a difference estimate with `variance` and mixture
    /// variance `tau2`.
    public static func logLikelihoodRatio(difference: Double, variance: Double, tau2: Double) -> Double {
        0.5 * log(variance / (variance + tau2)) + tau2 * difference * difference / (2 * variance * (variance + tau2))
    }
}
