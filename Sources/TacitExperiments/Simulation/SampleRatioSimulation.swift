import TacitCore

/// Shows the sample-ratio-mismatch check at work on a 50/50 experiment.
///
/// - A healthy experiment: ``Configuration/users`` users assigned by hash, every impression
///   logged, analysed through ``ExperimentAnalyzer``: no flag.
/// - The textbook case: the same number of users observed as 52 % / 48 %: flagged.
/// - A logging bug that loses ``Configuration/lossRate`` of the treatment's users: flagged.
/// - ``Configuration/experiments`` healthy experiments: the false-flag rate (about the
///   threshold, 0.001).
public struct SampleRatioSimulation: Sendable {
    public struct Configuration: Sendable, Hashable {
        /// Users per experiment. Default 10 000.
        public var users = 10_000
        /// Fraction of the treatment's users whose impressions are lost by the simulated bug.
        /// Default 0.10.
        public var lossRate = 0.10
        /// Healthy experiments run to measure the false-flag rate. Default 2 000.
        public var experiments = 2_000
        /// Seed. Default 42.
        public var seed: UInt64 = 42
        /// Worker threads. Default: all cores.
        public var threads = Parallel.defaultThreads

        public init() {}
    }

    /// The checks of the named scenarios, and the false-flag rate.
    public struct Result: Sendable, Hashable, Codable {
        public var healthy: SampleRatioCheck
        public var skewed52To48: SampleRatioCheck
        public var loggingBug: SampleRatioCheck
        public var healthyFlags: RejectionRate
        /// The healthy experiment's report (through ``ExperimentAnalyzer``).
        public var healthyReport: ExperimentReport
    }

    public let configuration: Configuration

    public init(_ configuration: Configuration) throws(ExperimentError) {
        guard configuration.users >= 2, configuration.experiments >= 1, (0...1).contains(configuration.lossRate) else {
            throw .invalidValue("", "needs at least 2 users, 1 experiment and a loss rate in [0, 1]")
        }
        self.configuration = configuration
    }

    public func run() throws(ExperimentError) -> Result {
        let c = configuration
        let population = SimulatedPopulation()
        // The healthy experiment, through the analyzer.
        let definition = ExperimentDefinition(id: "srm", salt: "srm-\(c.seed)", variants: [.init(name: "control"), .init(name: "treatment")])
        let assigner = try ExperimentAssigner(definition)
        var analyzer = try ExperimentAnalyzer(definition)
        var buggy = [0, 0]
        var rng = SeededGenerator(seed: c.seed)
        for i in 0..<c.users {
            let user = "u\(i)"
            let assignment = assigner.assign(user: user)!
            let (converted, revenue) = population.outcome(rate: population.userRate(&rng), lift: 0, &rng)
            analyzer.add(ExposureRecord(user: user, variant: assignment.variant, propensity: assignment.propensity,
                                        clicks: converted || rng.nextUnit() < 0.3 ? 1 : 0, purchases: converted ? 1 : 0,
                                        revenue: revenue))
            let lost = assignment.variantIndex == 1 && rng.nextUnit() < c.lossRate
            if !lost { buggy[assignment.variantIndex!] += 1 }
        }
        let report = analyzer.report()
        let skewed = [c.users * 52 / 100, c.users - c.users * 52 / 100]
        let flags = ResultSlots<Bool>(count: c.experiments, initial: false)
        Parallel.forEach(0..<c.experiments, threads: c.threads, chunk: 4) { k in
            let salted = ExperimentDefinition(id: "srm", salt: "srm-\(c.seed)-\(k)", variants: definition.variants)
            let assigner = try! ExperimentAssigner(salted)
            var counts = [0, 0]
            for i in 0..<c.users { counts[assigner.assign(user: "u\(i)")!.variantIndex!] += 1 }
            flags[k] = (try? SampleRatioCheck(observed: counts, shares: [1, 1]))?.mismatch ?? false
        }
        return Result(healthy: report.sampleRatio!, skewed52To48: try SampleRatioCheck(observed: skewed, shares: [1, 1]),
                      loggingBug: try SampleRatioCheck(observed: buggy, shares: [1, 1]),
                      healthyFlags: RejectionRate(rejections: flags.values.count(where: { $0 }), experiments: c.experiments),
                      healthyReport: report)
    }
}
