import Testing
@testable import TacitExperiments

/// Reference values from scipy 1.17 (`scipy.stats`), computed with python3 as noted per case.
struct StatisticsTests {
    @Test func studentTMatchesScipy() {
        // 2 * stats.t.sf(2, 10) = 0.07338803477074037
        #expect(abs(StudentT(degreesOfFreedom: 10).twoSidedPValue(2.0) - 0.07338803477074037) < 1e-13)
        // 2 * stats.t.sf(1.5, 3.7) = 0.2135981692020135 (non-integer df, as Welch's test needs)
        #expect(abs(StudentT(degreesOfFreedom: 3.7).twoSidedPValue(1.5) - 0.2135981692020135) < 1e-13)
        // stats.t.ppf(0.975, 10) = 2.228138851986274
        #expect(abs(StudentT(degreesOfFreedom: 10).quantile(0.975) - 2.228138851986274) < 1e-10)
        #expect(abs(StudentT(degreesOfFreedom: 10).cdf(-2.0) - 0.07338803477074037 / 2) < 1e-13)
        #expect(StudentT(degreesOfFreedom: 5).twoSidedPValue(0) == 1)
    }

    @Test func normalAndChiSquareMatchScipy() {
        // stats.norm.ppf(0.975), ppf(0.8), ppf(1e-10)
        #expect(abs(Normal.quantile(0.975) - 1.959963984540054) < 1e-13)
        #expect(abs(Normal.quantile(0.8) - 0.8416212335729143) < 1e-13)
        #expect(abs(Normal.quantile(1e-10) - -6.361340902404056) < 1e-10)
        #expect(abs(Normal.cdf(1.959963984540054) - 0.975) < 1e-15)
        // stats.chi2.sf(16, 1), sf(7, 3), sf(50, 3), sf(3.2, 4)
        #expect(abs(ChiSquare(degreesOfFreedom: 1).survival(16) - 6.334248366623988e-05) < 1e-17)
        #expect(abs(ChiSquare(degreesOfFreedom: 3).survival(7) - 0.07189777249646509) < 1e-14)
        #expect(abs(ChiSquare(degreesOfFreedom: 3).survival(50) / 7.989179244951495e-11 - 1) < 1e-10)
        #expect(abs(ChiSquare(degreesOfFreedom: 4).survival(3.2) - 0.5249309467861041) < 1e-14)
    }

    @Test func twoProportionZTest() {
        // 100/1000 vs 130/1000: pooled p = 0.115, se = √(0.115·0.885·2/1000),
        // z = 0.03 / se = 2.102740605622114, p = 2·norm.sf(z) = 0.03548845046647471
        let result = HypothesisTests.twoProportionZ(controlSuccesses: 100, controlTrials: 1000,
                                                    treatmentSuccesses: 130, treatmentTrials: 1000)
        #expect(abs(result.statistic - 2.102740605622114) < 1e-12)
        #expect(abs(result.pValue - 0.03548845046647471) < 1e-13)
        #expect(abs(result.difference.value - 0.03) < 1e-15)
        #expect(abs(result.relativeLift - 0.3) < 1e-14)
        // Unpooled se √(0.1·0.9/1000 + 0.13·0.87/1000) = 0.014251315728731857.
        #expect(abs(result.difference.standardError - 0.014251315728731857) < 1e-15)
        #expect(result.isSignificant(alpha: 0.05) && !result.isSignificant(alpha: 0.01))
    }

    @Test func welchTTest() {
        // stats.ttest_ind([2,4,6,8,10,12], [1,2,3,4,5], equal_var=False):
        // statistic 2.3763541031440183, pvalue 0.04928433820673053, df 6.972255729794934
        let result = HypothesisTests.welch(control: Moments([1, 2, 3, 4, 5]), treatment: Moments([2, 4, 6, 8, 10, 12]))
        #expect(abs(result.statistic - 2.3763541031440183) < 1e-12)
        #expect(abs(result.degreesOfFreedom! - 6.972255729794934) < 1e-12)
        #expect(abs(result.pValue - 0.04928433820673053) < 1e-12)
        #expect(result.difference.value == 4)
        // Too little data: NaN, never a crash.
        #expect(HypothesisTests.welch(control: Moments([1]), treatment: Moments([1, 2])).pValue.isNaN)
    }

    @Test func wilsonInterval() {
        // stats.binomtest(10, 100).proportion_ci(method='wilson') = (0.05522913706067508, 0.17436566150491345)
        let interval = Estimate.wilson(successes: 10, trials: 100)
        #expect(interval.value == 0.1)
        #expect(abs(interval.lower - 0.05522913706067508) < 1e-14)
        #expect(abs(interval.upper - 0.17436566150491345) < 1e-14)
        // 0 of 10 keeps a positive upper bound (Wald's would be [0, 0]): z²/(n + z²) = 0.27753...
        let zero = Estimate.wilson(successes: 0, trials: 10)
        let z2 = 1.959963984540054 * 1.959963984540054
        #expect(zero.lower == 0 && abs(zero.upper - z2 / (10 + z2)) < 1e-12)
        #expect(Estimate.wilson(successes: 0, trials: 0).upper == 1)
    }

    @Test func meanIntervalUsesStudentT() {
        // [1, 2, 3, 4, 5]: mean 3, s² = 2.5, se = √0.5, t(0.975, 4) = 2.7764451051977987
        let interval = Estimate.mean(Moments([1, 2, 3, 4, 5]))
        let half = 2.7764451051977987 * 0.5.squareRoot()
        #expect(abs(interval.lower - (3 - half)) < 1e-10 && abs(interval.upper - (3 + half)) < 1e-10)
    }

    @Test func sampleRatioMismatch() throws {
        // 5200 / 4800 against 50/50: χ² = 2 · 200² / 5000 = 16, p = chi2.sf(16, 1) = 6.33e-5 < 0.001.
        let skewed = try SampleRatioCheck(observed: [5200, 4800], shares: [0.5, 0.5])
        #expect(skewed.chiSquare == 16)
        #expect(skewed.degreesOfFreedom == 1)
        #expect(abs(skewed.pValue - 6.334248366623988e-05) < 1e-17)
        #expect(skewed.mismatch)
        // 5050 / 4950: χ² = 1, p = 0.3173: fine.
        let fine = try SampleRatioCheck(observed: [5050, 4950], shares: [1, 1])
        #expect(fine.chiSquare == 1 && !fine.mismatch)
        // Unequal shares: 3 groups 20/30/50 observed exactly → χ² = 0.
        #expect(try SampleRatioCheck(observed: [200, 300, 500], shares: [2, 3, 5]).chiSquare == 0)
        #expect(throws: ExperimentError.self) { try SampleRatioCheck(observed: [1, 2], shares: [1]) }
    }

    @Test func sampleSizeForTwoProportions() throws {
        // Fleiss eq. 4.14 without continuity correction, p₁ = 0.10, p₂ = 0.11, α = 0.05, power 0.8:
        // ((1.95996·√(2·0.105·0.895) + 0.84162·√(0.09 + 0.0979)) / 0.01)² = 14750.790469044954 → 14751
        #expect(try SampleSize.twoProportions(baseline: 0.10, relativeEffect: 0.10) == 14_751)
        #expect(abs(SampleSize.power(baseline: 0.10, relativeEffect: 0.10, usersPerArm: 14_751) - 0.8) < 1e-4)
        // A bigger effect needs fewer users, more power more.
        #expect(try SampleSize.twoProportions(baseline: 0.10, relativeEffect: 0.20) < 14_751)
        #expect(try SampleSize.twoProportions(baseline: 0.10, relativeEffect: 0.10, power: 0.9) > 14_751)
        #expect(throws: ExperimentError.self) { try SampleSize.twoProportions(baseline: 0, relativeEffect: 0.1) }
        #expect(throws: ExperimentError.self) { try SampleSize.twoProportions(baseline: 0.5, relativeEffect: 1.5) }
    }

    @Test func momentsAreWelfords() {
        let moments = Moments([2, 4, 4, 4, 5, 5, 7, 9])
        #expect(moments.count == 8 && moments.mean == 5 && abs(moments.variance - 32.0 / 7) < 1e-14)
        #expect(moments.sum == 40)
        #expect(Moments().variance.isNaN)
    }

    @Test func sequentialLikelihoodRatio() {
        // θ̂ = 0: Λ = √(V/(V+τ²)) < 1, so p = 1 at once.
        #expect(SequentialTest.pValue(control: Moments([0, 1, 0, 1]), treatment: Moments([0, 1, 0, 1])) == 1)
        // log Λ for θ̂ = 0.02, V = 1e-4, τ² = 1e-4: ½ log ½ + 1e-4·4e-4 / (2·1e-4·2e-4) = −0.34657 + 1
        let log = SequentialTest.logLikelihoodRatio(difference: 0.02, variance: 1e-4, tau2: 1e-4)
        #expect(abs(log - (0.5 * Foundation.log(0.5) + 1)) < 1e-12)
        var test = SequentialTest()
        test.update(control: Moments([0, 0, 0, 1, 0, 0, 0, 1]), treatment: Moments([1, 1, 0, 1, 1, 1, 0, 1]))
        let first = test.pValue
        test.update(control: Moments([0, 1, 0, 1]), treatment: Moments([0, 1, 0, 1]))
        #expect(test.pValue == first && test.looks == 2, "the always-valid p-value never goes up")
    }
}

import Foundation
