/// The sample-ratio-mismatch check: do the observed users per group fit the configured split?
///
/// A mismatch (SRM) means the assignment or the logging is broken — a redirect that drops users
/// of one arm, a bot filter that hits one variant — and every other number of the experiment is
/// suspect (Fabijan et al., "Diagnosing Sample Ratio Mismatch in Online Controlled
/// Experiments", KDD 2019). The check is Pearson's chi-square goodness of fit,
/// `χ² = Σ (observed − expected)² / expected` with `groups − 1` degrees of freedom, and flags a
/// mismatch when `p < threshold` (0.001 by default: strict, because it runs on every report).
public struct SampleRatioCheck: Sendable, Hashable, Codable {
    /// Observed counts per group.
    public var observed: [Int]
    /// Expected counts per group (total × normalised share).
    public var expected: [Double]
    /// The chi-square statistic.
    public var chiSquare: Double
    /// `groups − 1`.
    public var degreesOfFreedom: Int
    /// `P(χ² ≥ statistic)`.
    public var pValue: Double
    /// The p-value below which a mismatch is flagged.
    public var threshold: Double
    /// Whether the split is off: `pValue < threshold`.
    public var mismatch: Bool

    /// Checks `observed` counts against `shares` (any positive weights; normalised).
    /// - Throws: ``ExperimentError`` when the lengths differ, there are fewer than two groups or
    ///   a share is not positive.
    public init(observed: [Int], shares: [Double], threshold: Double = 0.001) throws(ExperimentError) {
        guard observed.count == shares.count, observed.count >= 2 else {
            throw .invalidValue("", "sample ratio check needs one share per group and at least 2 groups")
        }
        guard shares.allSatisfy({ $0 > 0 && $0.isFinite }) else {
            throw .invalidValue("", "sample ratio check needs positive shares")
        }
        let total = Double(observed.reduce(0, +)), shareTotal = shares.reduce(0, +)
        self.observed = observed
        expected = shares.map { total * $0 / shareTotal }
        chiSquare = total > 0 ? zip(observed, expected).reduce(0) { $0 + (Double($1.0) - $1.1) * (Double($1.0) - $1.1) / $1.1 } : 0
        degreesOfFreedom = observed.count - 1
        pValue = total > 0 ? ChiSquare(degreesOfFreedom: Double(degreesOfFreedom)).survival(chiSquare) : 1
        self.threshold = threshold
        mismatch = pValue < threshold
    }
}
