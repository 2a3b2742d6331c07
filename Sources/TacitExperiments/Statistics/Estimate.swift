/// A point estimate with its two-sided confidence interval.
public struct Estimate: Sendable, Hashable, Codable {
    /// The estimate.
    public var value: Double
    /// The interval's lower end.
    public var lower: Double
    /// The interval's upper end.
    public var upper: Double
    /// The standard error of ``value`` (for a Wilson interval, the plain binomial one).
    public var standardError: Double

    public init(value: Double, lower: Double, upper: Double, standardError: Double) {
        self.value = value
        self.lower = lower
        self.upper = upper
        self.standardError = standardError
    }

    /// The Wilson score interval of a proportion `successes / trials` at `confidence` (Wilson
    /// 1927; Brown, Cai & DasGupta 2001 recommend it over the Wald interval, which undercovers
    /// at small counts and rates near 0 or 1):
    /// `(p̂ + z²/2n ± z √(p̂(1−p̂)/n + z²/4n²)) / (1 + z²/n)`.
    /// With no trials the estimate is 0 and the interval [0, 1].
    public static func wilson(successes: Int, trials: Int, confidence: Double = 0.95) -> Estimate {
        guard trials > 0 else { return Estimate(value: 0, lower: 0, upper: 1, standardError: .nan) }
        let n = Double(trials), p = Double(successes) / n
        let z = Normal.quantile(0.5 + confidence / 2)
        let z2 = z * z
        let denominator = 1 + z2 / n
        let center = (p + z2 / (2 * n)) / denominator
        let half = z / denominator * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot()
        return Estimate(value: p, lower: max(0, center - half), upper: min(1, center + half),
                        standardError: (p * (1 - p) / n).squareRoot())
    }

    /// The t interval of a mean, `x̄ ± t_{n−1} · s / √n`, from the running moments.
    /// With fewer than two observations the interval is unbounded (NaN standard error).
    public static func mean(_ moments: Moments, confidence: Double = 0.95) -> Estimate {
        guard moments.count >= 2 else {
            return Estimate(value: moments.mean, lower: -.infinity, upper: .infinity, standardError: .nan)
        }
        let se = (moments.variance / Double(moments.count)).squareRoot()
        let t = StudentT(degreesOfFreedom: Double(moments.count - 1)).quantile(0.5 + confidence / 2)
        return Estimate(value: moments.mean, lower: moments.mean - t * se, upper: moments.mean + t * se, standardError: se)
    }

    /// A normal (Wald) interval `value ± z · standardError`.
    public static func normal(value: Double, standardError: Double, confidence: Double = 0.95) -> Estimate {
        let z = Normal.quantile(0.5 + confidence / 2)
        return Estimate(value: value, lower: value - z * standardError, upper: value + z * standardError,
                        standardError: standardError)
    }
}

/// Count, mean and sum of squared deviations of a stream of numbers (Welford 1962), so the
/// variance is accurate in one pass.
public struct Moments: Sendable, Hashable, Codable {
    /// The number of observations.
    public private(set) var count = 0
    /// Their mean (0 when empty).
    public private(set) var mean = 0.0
    private var squaredDeviations = 0.0

    public init() {}

    /// The moments of `values`.
    public init(_ values: some Sequence<Double>) {
        for value in values { add(value) }
    }

    /// Adds one observation.
    public mutating func add(_ value: Double) {
        count += 1
        let delta = value - mean
        mean += delta / Double(count)
        squaredDeviations += delta * (value - mean)
    }

    /// The unbiased sample variance (NaN below two observations).
    public var variance: Double { count >= 2 ? squaredDeviations / Double(count - 1) : .nan }

    /// The sum of the observations.
    public var sum: Double { mean * Double(count) }
}
