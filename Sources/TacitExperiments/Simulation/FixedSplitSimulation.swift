import TacitCore

/// Runs many simulated fixed-split experiments (control vs one treatment) and counts how often
/// each test rejects: with no planted lift that is the false-positive rate (it should be `α`),
/// with a lift it is the power.
///
/// Each experiment assigns users `u0, u1, …` with ``ExperimentAssigner`` (a fresh salt per
/// experiment, 50/50), draws their outcomes from the ``SimulatedPopulation``, and tests at the
/// end: conversion with the two-proportion z-test and revenue per user with Welch's t-test. It
/// also takes ``Configuration/looks`` equally spaced interim looks as users arrive, to show
/// what peeking does: "stop at the first look with z-test p < α" against "stop at the first look
/// with mSPRT p < α" (``SequentialTest``).
public struct FixedSplitSimulation: Sendable {
    public struct Configuration: Sendable, Hashable {
        /// Experiments to run. Default 2 000.
        public var experiments = 2_000
        /// Expected users per arm (the total is twice this; arms vary with the hash). Default 10 000.
        public var usersPerArm = 10_000
        /// The population.
        public var population = SimulatedPopulation()
        /// The treatment's planted relative lift (0: an A/A test). Default 0.
        public var lift = 0.0
        /// Significance level. Default 0.05.
        public var alpha = 0.05
        /// Interim looks for the peeking comparison (the last is the end). Default 10.
        public var looks = 10
        /// The mSPRT mixture.
        public var sequential = SequentialTest.Configuration()
        /// Seed of every draw; the results do not depend on ``threads``. Default 42.
        public var seed: UInt64 = 42
        /// Worker threads. Default: all cores.
        public var threads = Parallel.defaultThreads

        public init() {}
    }

    /// What the experiments found.
    public struct Result: Sendable, Hashable, Codable {
        public var experiments: Int
        public var usersPerArm: Int
        public var lift: Double
        public var alpha: Double
        public var looks: Int
        /// z-test on conversion at the end.
        public var conversion: RejectionRate
        /// Welch's t-test on revenue per user at the end.
        public var revenue: RejectionRate
        /// z-test on conversion, rejecting at the first of the looks with p < α (peeking).
        public var peekingConversion: RejectionRate
        /// mSPRT on conversion, rejecting at the first look with always-valid p < α.
        public var sequentialConversion: RejectionRate
        /// Sample-ratio mismatch flags (p < 0.001) of the 50/50 hash split.
        public var sampleRatioFlags: RejectionRate
        /// Mean observed relative lift in conversion.
        public var meanObservedLift: Double
    }

    public let configuration: Configuration

    public init(_ configuration: Configuration) throws(ExperimentError) {
        try configuration.population.validate()
        guard configuration.experiments >= 1, configuration.usersPerArm >= 2, configuration.looks >= 1 else {
            throw .invalidValue("", "needs at least 1 experiment, 2 users per arm and 1 look")
        }
        guard configuration.alpha > 0, configuration.alpha < 1 else { throw .invalidValue("alpha", "must be in (0, 1)") }
        self.configuration = configuration
    }

    /// Runs every experiment (in parallel; deterministic for a seed).
    public func run() -> Result {
        let c = configuration
        let outcomes = ResultSlots<Outcome>(count: c.experiments, initial: Outcome())
        Parallel.forEach(0..<c.experiments, threads: c.threads, chunk: 1) { k in outcomes[k] = runOne(k) }
        let all = outcomes.values
        func rate(_ flag: (Outcome) -> Bool) -> RejectionRate {
            RejectionRate(rejections: all.count(where: flag), experiments: all.count)
        }
        let lifts = all.map(\.observedLift).filter(\.isFinite)
        return Result(experiments: c.experiments, usersPerArm: c.usersPerArm, lift: c.lift, alpha: c.alpha, looks: c.looks,
                      conversion: rate(\.conversion), revenue: rate(\.revenue), peekingConversion: rate(\.peeking),
                      sequentialConversion: rate(\.sequential), sampleRatioFlags: rate(\.sampleRatio),
                      meanObservedLift: lifts.isEmpty ? 0 : lifts.reduce(0, +) / Double(lifts.count))
    }

    struct Outcome: Sendable {
        var conversion = false, revenue = false, peeking = false, sequential = false, sampleRatio = false
        var observedLift = Double.nan
    }

    /// One experiment: users arrive in index order, with interim looks.
    func runOne(_ k: Int) -> Outcome {
        let c = configuration
        let definition = ExperimentDefinition(id: "simulation", salt: "simulation-\(c.seed)-\(k)",
                                              variants: [.init(name: "control"), .init(name: "treatment")])
        let assigner = try! ExperimentAssigner(definition)
        var rng = SeededGenerator.stream(seed: c.seed, index: UInt64(k))
        let total = 2 * c.usersPerArm
        var conversions = [Moments(), Moments()], revenues = [Moments(), Moments()]
        var outcome = Outcome()
        var nextLook = 1
        for i in 0..<total {
            let arm = assigner.assign(user: "u\(i)")!.variantIndex!
            let rate = c.population.userRate(&rng)
            let (converted, revenue) = c.population.outcome(rate: rate, lift: arm == 1 ? c.lift : 0, &rng)
            conversions[arm].add(converted ? 1 : 0)
            revenues[arm].add(revenue)
            guard i + 1 == total * nextLook / c.looks else { continue }
            nextLook += 1
            let z = zTest(conversions)
            if z.pValue < c.alpha { outcome.peeking = true }
            let sequential = SequentialTest.pValue(control: conversions[0], treatment: conversions[1], configuration: c.sequential)
            if sequential < c.alpha { outcome.sequential = true }
        }
        let z = zTest(conversions)
        outcome.conversion = z.pValue < c.alpha
        outcome.observedLift = z.relativeLift
        outcome.revenue = HypothesisTests.welch(control: revenues[0], treatment: revenues[1]).pValue < c.alpha
        let srm = try? SampleRatioCheck(observed: [conversions[0].count, conversions[1].count], shares: [1, 1])
        outcome.sampleRatio = srm?.mismatch ?? false
        return outcome
    }

    private func zTest(_ conversions: [Moments]) -> TestResult {
        HypothesisTests.twoProportionZ(
            controlSuccesses: Int(conversions[0].sum.rounded()), controlTrials: conversions[0].count,
            treatmentSuccesses: Int(conversions[1].sum.rounded()), treatmentTrials: conversions[1].count)
    }
}
