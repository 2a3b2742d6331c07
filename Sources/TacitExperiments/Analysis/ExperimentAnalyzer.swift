/// Computes an ``ExperimentReport`` in one pass over ``ExposureRecord``s.
///
/// Feed every record with ``add(_:)`` (any order; memory is one small entry per user and
/// variant), then call ``report(alpha:sequential:)`` — as often as wanted: the sequential
/// p-values in it stay valid under repeated looks.
///
/// ```swift
/// var analyzer = try ExperimentAnalyzer(definition)
/// for record in records { analyzer.add(record) }
/// let report = analyzer.report()
/// if report.sampleRatio?.mismatch == true { /* stop: the assignment or logging is broken */ }
/// ```
public struct ExperimentAnalyzer: Sendable {
    /// The experiment analysed.
    public let definition: ExperimentDefinition
    private var arms: [ArmAccumulator]
    private var unmatched = 0
    private var withoutPropensity = 0

    /// - Throws: ``ExperimentError`` when the definition is invalid.
    public init(_ definition: ExperimentDefinition) throws(ExperimentError) {
        try definition.validate()
        self.definition = definition
        arms = definition.variants.map { _ in ArmAccumulator() }
    }

    /// Adds one record.
    public mutating func add(_ record: ExposureRecord) {
        guard let name = record.variant, let index = definition.variantIndex(named: name) else {
            unmatched += 1
            return
        }
        var propensity = definition.normalizedShares[index]
        if let recorded = record.propensity, recorded > 0, recorded <= 1 {
            propensity = recorded
        } else if definition.policy.isAdaptive {
            withoutPropensity += 1
        }
        arms[index].add(record, weight: 1 / propensity)
    }

    /// Adds many records.
    public mutating func add(contentsOf records: some Sequence<ExposureRecord>) {
        for record in records { add(record) }
    }

    /// The report: intervals at confidence `1 − alpha`, tests against the control, the
    /// sample-ratio check (fixed splits; flags at p < 0.001) and always-valid p-values.
    public func report(alpha: Double = 0.05, sequential: SequentialTest.Configuration = .init()) -> ExperimentReport {
        let confidence = 1 - alpha
        let days = arms.reduce(into: Set<Int>()) { $0.formUnion($1.daily.days) }.sorted()
        let variants = zip(definition.variants, arms).map { variant, arm in
            arm.summary(name: variant.name, confidence: confidence, days: days)
        }
        let c = definition.controlIndex
        let control = arms[c]
        var comparisons: [ExperimentReport.Comparison] = []
        for (index, arm) in arms.enumerated() where index != c {
            let controlCTR = variants[c].weighted.ctr, treatmentCTR = variants[index].weighted.ctr
            let difference = treatmentCTR.value - controlCTR.value
            let se = (controlCTR.standardError * controlCTR.standardError + treatmentCTR.standardError * treatmentCTR.standardError).squareRoot()
            comparisons.append(ExperimentReport.Comparison(
                variant: definition.variants[index].name, control: definition.control,
                conversion: HypothesisTests.twoProportionZ(
                    controlSuccesses: control.convertedUsers, controlTrials: control.users.count,
                    treatmentSuccesses: arm.convertedUsers, treatmentTrials: arm.users.count, confidence: confidence),
                ctr: HypothesisTests.twoProportionZ(
                    controlSuccesses: control.clickedImpressions, controlTrials: control.impressions,
                    treatmentSuccesses: arm.clickedImpressions, treatmentTrials: arm.impressions, confidence: confidence),
                revenuePerUser: HypothesisTests.welch(control: control.revenueMoments, treatment: arm.revenueMoments,
                                                      confidence: confidence),
                conversionSequentialPValue: SequentialTest.pValue(control: control.conversionMoments,
                                                                  treatment: arm.conversionMoments, configuration: sequential),
                revenueSequentialPValue: SequentialTest.pValue(control: control.revenueMoments, treatment: arm.revenueMoments,
                                                               configuration: sequential),
                weightedCTRDifference: .normal(value: difference, standardError: se, confidence: confidence)))
        }
        let sampleRatio: SampleRatioCheck? = definition.policy.isAdaptive ? nil
            : try? SampleRatioCheck(observed: arms.map(\.users.count), shares: definition.normalizedShares)
        return ExperimentReport(experiment: definition.id, alpha: alpha, variants: variants, comparisons: comparisons,
                                sampleRatio: sampleRatio, unmatchedRecords: unmatched,
                                recordsWithoutPropensity: withoutPropensity)
    }
}

/// One variant's running totals.
struct ArmAccumulator: Sendable {
    /// Per user: purchases and revenue in this variant.
    var users: [String: (purchases: Int, revenue: Double)] = [:]
    var impressions = 0, clickedImpressions = 0, clicks = 0, purchases = 0
    var revenue = 0.0
    var weightSum = 0.0, weightSquaredSum = 0.0
    var clickSums = WeightedSums(), purchaseSums = WeightedSums(), revenueSums = WeightedSums()
    var daily = DailyAccumulator()

    mutating func add(_ record: ExposureRecord, weight: Double) {
        impressions += 1
        if record.clicks > 0 { clickedImpressions += 1 }
        clicks += record.clicks
        purchases += record.purchases
        revenue += record.revenue
        users[record.user, default: (0, 0)].purchases += record.purchases
        users[record.user, default: (0, 0)].revenue += record.revenue
        weightSum += weight
        weightSquaredSum += weight * weight
        clickSums.add(record.clicks > 0 ? 1 : 0, weight: weight)
        purchaseSums.add(record.purchases > 0 ? 1 : 0, weight: weight)
        revenueSums.add(record.revenue, weight: weight)
        if let timestamp = record.timestamp {
            daily.add(user: record.user, timestamp: timestamp, clicked: record.clicks > 0, purchased: record.purchases > 0)
        }
    }

    var convertedUsers: Int { users.values.reduce(0) { $0 + ($1.purchases > 0 ? 1 : 0) } }

    /// Revenue per user (zeros included), in a fixed order so the sums repeat exactly.
    var revenueMoments: Moments { Moments(users.sorted { $0.key < $1.key }.map(\.value.revenue)) }

    /// Converted (1) or not (0), per user.
    var conversionMoments: Moments { Moments(users.sorted { $0.key < $1.key }.map { $0.value.purchases > 0 ? 1.0 : 0.0 }) }

    func summary(name: String, confidence: Double, days: [Int]) -> ExperimentReport.Variant {
        let converted = convertedUsers
        return ExperimentReport.Variant(
            name: name, users: users.count, impressions: impressions, clickedImpressions: clickedImpressions, clicks: clicks,
            convertedUsers: converted, purchases: purchases, revenue: revenue,
            ctr: .wilson(successes: clickedImpressions, trials: impressions, confidence: confidence),
            conversion: .wilson(successes: converted, trials: users.count, confidence: confidence),
            revenuePerUser: .mean(revenueMoments, confidence: confidence),
            weighted: ExperimentReport.WeightedEstimates(
                ctr: clickSums.estimate(weightSum: weightSum, confidence: confidence),
                purchaseRate: purchaseSums.estimate(weightSum: weightSum, confidence: confidence),
                revenuePerImpression: revenueSums.estimate(weightSum: weightSum, confidence: confidence),
                effectiveImpressions: weightSquaredSum > 0 ? weightSum * weightSum / weightSquaredSum : 0),
            daily: daily.points(days: days))
    }
}

/// `Σw²`, `Σwy`, `Σw²y`, `Σw²y²` of one outcome, for the Hájek estimate and its standard error.
struct WeightedSums: Sendable {
    var w2 = 0.0, wy = 0.0, w2y = 0.0, w2y2 = 0.0

    mutating func add(_ y: Double, weight w: Double) {
        w2 += w * w
        wy += w * y
        w2y += w * w * y
        w2y2 += w * w * y * y
    }

    /// `μ̂ = Σwy / Σw`, `se = √(Σw²(y − μ̂)²) / Σw` (delta method for a ratio estimator).
    func estimate(weightSum: Double, confidence: Double) -> Estimate {
        guard weightSum > 0 else { return Estimate(value: 0, lower: -.infinity, upper: .infinity, standardError: .nan) }
        let mean = wy / weightSum
        let squared = max(0, w2y2 - 2 * mean * w2y + mean * mean * w2)
        return .normal(value: mean, standardError: squared.squareRoot() / weightSum, confidence: confidence)
    }
}
