import Foundation
import Testing
@testable import TacitExperiments

struct AnalysisTests {
    let definition = ExperimentDefinition(id: "e", variants: [.init(name: "control"), .init(name: "treatment")])

    /// Control: u1 (two impressions, one clicked; a purchase worth 10), u2 (no click), u3 (a click).
    /// Treatment: u4 (click, purchase 20), u5 (click, 2 purchases 30), u6 (nothing).
    var records: [ExposureRecord] {
        [
            .init(user: "u1", variant: "control", propensity: 0.5, clicks: 2, purchases: 1, revenue: 10),
            .init(user: "u1", variant: "control", propensity: 0.5),
            .init(user: "u2", variant: "control", propensity: 0.5),
            .init(user: "u3", variant: "control", propensity: 0.5, clicks: 1),
            .init(user: "u4", variant: "treatment", propensity: 0.5, clicks: 1, purchases: 1, revenue: 20),
            .init(user: "u5", variant: "treatment", propensity: 0.5, clicks: 1, purchases: 2, revenue: 30),
            .init(user: "u6", variant: "treatment", propensity: 0.5),
            .init(user: "u7", variant: "other"),
            .init(user: "u8", variant: nil),
        ]
    }

    @Test func aReportWithUndefinedNumbersStillEncodes() throws {
        // Treatment has no users and control never converts: lifts and p-values are undefined
        // and come out as null. The report's own numbers do the same when not finite.
        var analyzer = try ExperimentAnalyzer(definition)
        analyzer.add(.init(user: "u1", variant: "control", propensity: 0.5))
        var report = analyzer.report()
        #expect(report.comparisons[0].conversion.pValue.isNaN)
        report.comparisons[0].conversionSequentialPValue = .nan
        report.variants[1].weighted.effectiveImpressions = .infinity
        let data = try JSONEncoder().encode(report)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"effectiveImpressions\":null") && text.contains("\"conversionSequentialPValue\":null"), "\(text)")
        let decoded = try JSONDecoder().decode(ExperimentReport.self, from: data)
        #expect(decoded.variants[0].users == 1 && decoded.variants[1].users == 0)
        #expect(decoded.variants[1].weighted.effectiveImpressions.isNaN && decoded.comparisons[0].conversionSequentialPValue.isNaN)
        #expect(decoded.comparisons[0].revenueSequentialPValue == report.comparisons[0].revenueSequentialPValue)
    }

    @Test func smallHandComputedReport() throws {
        var analyzer = try ExperimentAnalyzer(definition)
        analyzer.add(contentsOf: records)
        let report = analyzer.report()
        #expect(report.unmatchedRecords == 2)
        let control = report.variants[0], treatment = report.variants[1]
        #expect(control.users == 3 && control.impressions == 4 && control.clickedImpressions == 2 && control.clicks == 3)
        #expect(control.convertedUsers == 1 && control.purchases == 1 && control.revenue == 10)
        #expect(control.ctr.value == 0.5 && abs(control.conversion.value - 1.0 / 3) < 1e-15)
        #expect(abs(control.revenuePerUser.value - 10.0 / 3) < 1e-12)
        #expect(treatment.users == 3 && treatment.convertedUsers == 2 && treatment.purchases == 3 && treatment.revenue == 50)
        // Constant propensities: the IPW estimates equal the plain per-impression means.
        #expect(abs(control.weighted.ctr.value - 0.5) < 1e-15 && control.weighted.effectiveImpressions == 4)
        #expect(abs(treatment.weighted.revenuePerImpression.value - 50.0 / 3) < 1e-12)

        let comparison = try #require(report.comparisons.first)
        #expect(comparison.variant == "treatment" && comparison.control == "control")
        // Conversion 1/3 vs 2/3: pooled ½, z = (1/3) / √(¼ · 2/3) = 0.816496580927726, p = 0.4142161782425252.
        #expect(abs(comparison.conversion.statistic - 0.816496580927726) < 1e-12)
        #expect(abs(comparison.conversion.pValue - 0.4142161782425252) < 1e-12)
        // Revenue per user [10, 0, 0] vs [20, 30, 0]: scipy ttest_ind(equal_var=False):
        // t = 1.4142135623730951, df = 2.56, p = 0.2666930286514184.
        #expect(abs(comparison.revenuePerUser.statistic - 1.4142135623730951) < 1e-12)
        #expect(abs(comparison.revenuePerUser.degreesOfFreedom! - 2.56) < 1e-12)
        #expect(abs(comparison.revenuePerUser.pValue - 0.2666930286514184) < 1e-12)
        #expect(comparison.conversionSequentialPValue <= 1 && comparison.conversionSequentialPValue > comparison.conversion.pValue)
        // 3 vs 3 users of a 50/50 split: χ² = 0.
        #expect(report.sampleRatio?.chiSquare == 0 && report.sampleRatio?.mismatch == false)
        // The report encodes (undefined statistics become null) and decodes back.
        let data = try JSONEncoder().encode(report)
        #expect(try JSONDecoder().decode(ExperimentReport.self, from: data).variants[1].users == 3)
    }

    @Test func inversePropensityWeightingReweightsBanditTraffic() throws {
        var bandit = definition
        bandit.policy = .thompson(floor: 0.1)
        var analyzer = try ExperimentAnalyzer(bandit)
        // Control: a click at propensity ½ (weight 2) and a miss at ¼ (weight 4): Hájek 2 / 6 = ⅓,
        // while the plain CTR is ½. se = √(4·(1−⅓)² + 16·(⅓)²) / 6 = √(32/9) / 6.
        analyzer.add(.init(user: "a", variant: "control", propensity: 0.5, clicks: 1))
        analyzer.add(.init(user: "b", variant: "control", propensity: 0.25))
        analyzer.add(.init(user: "c", variant: "treatment", propensity: nil, clicks: 1))
        let report = analyzer.report()
        let weighted = report.variants[0].weighted
        #expect(abs(weighted.ctr.value - 1.0 / 3) < 1e-15)
        #expect(abs(weighted.ctr.standardError - (32.0 / 9).squareRoot() / 6) < 1e-15)
        #expect(abs(weighted.effectiveImpressions - 36.0 / 20) < 1e-12)
        #expect(report.variants[0].ctr.value == 0.5)
        #expect(report.recordsWithoutPropensity == 1)
        #expect(report.sampleRatio == nil, "a bandit's split is meant to move")
    }

    @Test func sampleRatioMismatchIsFlaggedInTheReport() throws {
        var analyzer = try ExperimentAnalyzer(definition)
        for i in 0..<10_000 { analyzer.add(.init(user: "u\(i)", variant: i < 5_200 ? "control" : "treatment")) }
        let check = try #require(analyzer.report().sampleRatio)
        #expect(check.observed == [5_200, 4_800] && check.mismatch)
    }
}
