/// Everything the analysis of an experiment found: per variant, comparisons with the control,
/// and the sample-ratio check. `Codable` with the field names below (the service's report
/// route returns it as JSON).
///
/// Definitions (see `docs/experiments.md`):
/// - `users`: distinct users with at least one impression in the variant;
/// - `ctr`: clicked impressions / impressions (an impression with ≥ 1 click counts once);
/// - `conversion`: users with ≥ 1 purchase / users — per user, the unit of randomisation, so
///   the z-test's independence assumption holds;
/// - `revenue_per_user`: total revenue / users (the mean over users, zeros included).
public struct ExperimentReport: Sendable, Hashable, Codable {
    /// One variant's numbers.
    public struct Variant: Sendable, Hashable, Codable {
        public var name: String
        /// Distinct users.
        public var users: Int
        /// Impressions (shown responses).
        public var impressions: Int
        /// Impressions with at least one click.
        public var clickedImpressions: Int
        /// All click events.
        public var clicks: Int
        /// Users with at least one purchase.
        public var convertedUsers: Int
        /// All purchase events.
        public var purchases: Int
        /// Total revenue.
        public var revenue: Double
        /// Clicked impressions / impressions, Wilson interval.
        public var ctr: Estimate
        /// Converted users / users, Wilson interval.
        public var conversion: Estimate
        /// Revenue per user, t interval.
        public var revenuePerUser: Estimate
        /// Inverse-propensity-weighted (self-normalised) per-impression estimates, which stay
        /// unbiased when a bandit changed the allocation during the experiment.
        public var weighted: WeightedEstimates
        /// Cumulative estimates at the end of each UTC day with impressions (in any variant, so
        /// every variant has the same days), oldest first; empty when no record has a timestamp.
        public var daily: [DailyPoint]
    }

    /// A variant's cumulative numbers up to the end of one UTC day: what an analyst watches
    /// over time. Only records with a timestamp count; a user's conversion counts from the day
    /// of the first impression with a purchase attributed to it.
    public struct DailyPoint: Sendable, Hashable, Codable {
        /// The UTC day, `YYYY-MM-DD`.
        public var day: String
        /// Distinct users with an impression on or before the day.
        public var users: Int
        /// Impressions on or before the day.
        public var impressions: Int
        /// Of them, impressions with at least one click.
        public var clickedImpressions: Int
        /// Users with a purchase attributed to an impression on or before the day.
        public var convertedUsers: Int
        /// `convertedUsers / users` (0 without users).
        public var conversion: Double
        /// `clickedImpressions / impressions` (0 without impressions).
        public var ctr: Double
    }

    /// Per-impression means weighted by `1 / propensity` (Hájek's self-normalised estimator:
    /// `Σ wᵢ yᵢ / Σ wᵢ`), with delta-method standard errors `√(Σ wᵢ² (yᵢ − μ̂)²) / Σ wᵢ`.
    public struct WeightedEstimates: Sendable, Hashable, Codable {
        /// P(click) per impression.
        public var ctr: Estimate
        /// P(purchase) per impression.
        public var purchaseRate: Estimate
        /// Revenue per impression.
        public var revenuePerImpression: Estimate
        /// `(Σw)² / Σw²`: the effective sample size of the weighting (equals the impressions when
        /// every propensity is the same).
        public var effectiveImpressions: Double
    }

    /// One treatment against the control.
    public struct Comparison: Sendable, Hashable, Codable {
        /// The treatment variant.
        public var variant: String
        /// The control variant.
        public var control: String
        /// Two-proportion z-test on conversion (per user).
        public var conversion: TestResult
        /// Two-proportion z-test on CTR (per impression; impressions of one user are not
        /// independent, so read it as indicative).
        public var ctr: TestResult
        /// Welch's t-test on revenue per user.
        public var revenuePerUser: TestResult
        /// Always-valid (mSPRT) p-value of the conversion difference: safe to check at every
        /// report (see ``SequentialTest``).
        public var conversionSequentialPValue: Double
        /// Always-valid (mSPRT) p-value of the revenue-per-user difference.
        public var revenueSequentialPValue: Double
        /// Difference of the IPW CTRs (treatment − control), normal interval.
        public var weightedCTRDifference: Estimate
    }

    /// The experiment's id.
    public var experiment: String
    /// The significance level the intervals (1 − α) and decisions use.
    public var alpha: Double
    /// The variants, in definition order.
    public var variants: [Variant]
    /// Each non-control variant against the control.
    public var comparisons: [Comparison]
    /// Users per variant against the configured shares (nil for bandits, whose split is
    /// meant to move).
    public var sampleRatio: SampleRatioCheck?
    /// Records whose variant is missing or not in the definition.
    public var unmatchedRecords: Int
    /// Records with a missing or non-positive propensity in a bandit experiment (their
    /// variant's share was used).
    public var recordsWithoutPropensity: Int
}
