import Testing
import TacitCore
@testable import TacitExperiments

/// Small simulations (a fraction of the CLI defaults); tolerances from the binomial standard
/// error of the rate, √(r(1−r)/n), at about 3.5 SE.
struct SimulationTests {
    @Test func aaTestsRejectAtRateAlphaAndTheSequentialTestSurvivesPeeking() throws {
        var configuration = FixedSplitSimulation.Configuration()
        configuration.experiments = 400
        configuration.usersPerArm = 2_000
        configuration.looks = 10
        configuration.threads = 2
        let result = try FixedSplitSimulation(configuration).run()
        let se = (0.05 * 0.95 / 400).squareRoot()
        #expect(abs(result.conversion.rate - 0.05) < 3.5 * se, "z-test false positives \(result.conversion.rate)")
        #expect(abs(result.revenue.rate - 0.05) < 3.5 * se, "Welch false positives \(result.revenue.rate)")
        // Peeking at 10 looks with the z-test inflates the error (≈ 0.19 in theory);
        // the mSPRT keeps it at most α.
        #expect(result.peekingConversion.rate > 0.05 + 3.5 * se, "peeking \(result.peekingConversion.rate)")
        #expect(result.sequentialConversion.rate <= 0.05 + 3.5 * se, "mSPRT \(result.sequentialConversion.rate)")
        #expect(abs(result.meanObservedLift) < 0.02)
        // Independent of the thread count.
        configuration.threads = 1
        configuration.experiments = 20
        var two = configuration
        two.threads = 2
        #expect(try FixedSplitSimulation(configuration).run() == FixedSplitSimulation(two).run())
    }

    @Test func experimentsSizedByTheCalculatorHaveThePromisedPower() throws {
        // A 30 % lift on 20 % needs few users: quick, and the power is the calculator's.
        let users = try SampleSize.twoProportions(baseline: 0.2, relativeEffect: 0.3)
        var configuration = FixedSplitSimulation.Configuration()
        configuration.experiments = 300
        configuration.usersPerArm = users
        configuration.lift = 0.3
        configuration.population = SimulatedPopulation(baseline: 0.2)
        configuration.looks = 1
        configuration.threads = 2
        let result = try FixedSplitSimulation(configuration).run()
        let se = (0.8 * 0.2 / 300).squareRoot()
        #expect(abs(result.conversion.rate - 0.8) < 3.5 * se, "detection \(result.conversion.rate) with \(users) per arm")
    }

    @Test func thompsonHasLessRegretThanEpsilonGreedy() throws {
        var configuration = BanditSimulation.Configuration()
        configuration.rates = [0.1, 0.2, 0.3]
        configuration.horizon = 10_000
        configuration.batch = 250
        configuration.runs = 16
        configuration.thompsonDraws = 500
        configuration.threads = 2
        let results = try BanditSimulation(configuration).run()
        let regret = Dictionary(uniqueKeysWithValues: results.map { ($0.policy, $0.meanRegret) })
        #expect(regret["thompson"]! < regret["epsilon_greedy"]!, "\(regret)")
        #expect(regret["epsilon_greedy"]! < regret["fixed"]!, "\(regret)")
        // Fixed even split: regret is exactly horizon × mean gap in expectation (0.1 · 10 000 = 1000).
        #expect(abs(regret["fixed"]! - 1_000) < 30, "\(regret)")
        // The propensities make the IPW estimates of every arm accurate.
        #expect(results.allSatisfy { $0.weightedEstimateError < 0.03 }, "\(results)")
    }

    @Test func sampleRatioScenarios() throws {
        var configuration = SampleRatioSimulation.Configuration()
        configuration.experiments = 200
        configuration.threads = 2
        let result = try SampleRatioSimulation(configuration).run()
        #expect(!result.healthy.mismatch)
        #expect(result.skewed52To48.mismatch && result.skewed52To48.observed == [5_200, 4_800])
        #expect(result.loggingBug.mismatch)
        #expect(result.healthyFlags.rejections <= 2)
        #expect(result.healthyReport.variants.map(\.users).reduce(0, +) == 10_000)
    }
}
