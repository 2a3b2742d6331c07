import TacitCore

/// Compares allocation policies on simulated traffic by their cumulative regret.
///
/// Each run sends ``Configuration/horizon`` requests (one new user each) to arms whose true
/// conversion rates are ``Configuration/rates``. The policy's allocation is refreshed every
/// ``Configuration/batch`` requests from the outcomes so far (as a service would), each
/// request's arm is drawn with ``ExperimentAssigner/assign(user:request:allocation:at:)``, and
/// the run adds `best rate − chosen arm's rate` to the regret: the expected conversions lost to
/// not always serving the best arm. Runs are repeated ``Configuration/runs`` times.
public struct BanditSimulation: Sendable {
    public struct Configuration: Sendable, Hashable {
        /// The arms' true conversion rates. Default 0.10, 0.11, 0.12, 0.13.
        public var rates: [Double] = [0.10, 0.11, 0.12, 0.13]
        /// Requests per run. Default 50 000.
        public var horizon = 50_000
        /// Requests between allocation refreshes. Default 500.
        public var batch = 500
        /// Independent runs per policy. Default 200.
        public var runs = 200
        /// ε of ε-greedy. Default 0.1.
        public var epsilon = 0.1
        /// The per-arm floor of the bandit policies. Default 0.01.
        public var floor = 0.01
        /// Posterior draws per Thompson allocation. Default 1 000.
        public var thompsonDraws = 1_000
        /// Seed; results do not depend on ``threads``. Default 42.
        public var seed: UInt64 = 42
        /// Worker threads. Default: all cores.
        public var threads = Parallel.defaultThreads

        public init() {}

        /// The policies compared: Thompson, UCB1, ε-greedy and the fixed even split.
        public var policies: [AllocationPolicy] {
            [.thompson(floor: floor), .ucb1(floor: floor), .epsilonGreedy(epsilon: epsilon, floor: floor), .fixed]
        }
    }

    /// One policy's results over all runs.
    public struct PolicyResult: Sendable, Hashable, Codable {
        /// The policy's name.
        public var policy: String
        /// Mean cumulative regret over the runs (expected conversions lost).
        public var meanRegret: Double
        /// Its standard error over the runs.
        public var regretStandardError: Double
        /// Mean fraction of requests served by the best arm.
        public var bestArmShare: Double
        /// Mean conversions per request.
        public var conversionRate: Double
        /// Mean absolute error of the per-arm IPW (Hájek) conversion estimates against the true
        /// rates, over arms and runs; shows that the propensities make estimates usable.
        public var weightedEstimateError: Double
    }

    public let configuration: Configuration

    public init(_ configuration: Configuration) throws(ExperimentError) {
        let c = configuration
        guard c.rates.count >= 2, c.rates.allSatisfy({ $0 >= 0 && $0 <= 1 }) else {
            throw .invalidValue("rates", "needs at least 2 rates in [0, 1]")
        }
        guard c.horizon >= 1, c.batch >= 1, c.runs >= 1 else { throw .invalidValue("", "horizon, batch and runs must be ≥ 1") }
        try AllocationPolicy.epsilonGreedy(epsilon: c.epsilon, floor: c.floor).validate(arms: c.rates.count)
        self.configuration = configuration
    }

    /// Runs every policy (the same random outcomes stream per run index for each policy).
    public func run() -> [PolicyResult] {
        let c = configuration
        return c.policies.map { policy in
            let runs = ResultSlots<Run>(count: c.runs, initial: Run())
            Parallel.forEach(0..<c.runs, threads: c.threads, chunk: 1) { r in runs[r] = runOne(policy, index: r) }
            let all = runs.values
            let regrets = Moments(all.map(\.regret))
            func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(values.count) }
            return PolicyResult(policy: policy.name, meanRegret: regrets.mean,
                                regretStandardError: (regrets.variance / Double(all.count)).squareRoot(),
                                bestArmShare: mean(all.map(\.bestShare)), conversionRate: mean(all.map(\.conversionRate)),
                                weightedEstimateError: mean(all.map(\.estimateError)))
        }
    }

    struct Run: Sendable {
        var regret = 0.0, bestShare = 0.0, conversionRate = 0.0, estimateError = 0.0
    }

    func runOne(_ policy: AllocationPolicy, index: Int) -> Run {
        let c = configuration
        let arms = c.rates.count
        let definition = ExperimentDefinition(id: "bandit", salt: "bandit-\(c.seed)-\(index)",
                                              variants: (0..<arms).map { .init(name: "arm\($0)") }, policy: policy)
        let assigner = try! ExperimentAssigner(definition)
        let bandit = Bandit(policy: policy, shares: definition.normalizedShares,
                            configuration: .init(thompsonDraws: c.thompsonDraws, seed: c.seed &+ UInt64(index)))
        var rng = SeededGenerator.stream(seed: c.seed ^ 0xba4d_17, index: UInt64(index))
        let best = c.rates.max()!
        var state = BanditState(arms: arms)
        var allocation = bandit.allocation(state)
        var run = Run()
        var bestPulls = 0, conversions = 0
        var weightSums = [Double](repeating: 0, count: arms), weightedRewards = [Double](repeating: 0, count: arms)
        for t in 0..<c.horizon {
            if t > 0, t % c.batch == 0 { allocation = bandit.allocation(state) }
            let assignment = assigner.assign(user: "u\(t)", request: UInt64(t), allocation: allocation)!
            let arm = assignment.variantIndex!
            let converted = rng.nextUnit() < c.rates[arm]
            state.record(arm: arm, reward: converted ? 1 : 0)
            run.regret += best - c.rates[arm]
            if c.rates[arm] == best { bestPulls += 1 }
            if converted { conversions += 1 }
            let weight = 1 / assignment.propensity
            weightSums[arm] += weight
            if converted { weightedRewards[arm] += weight }
        }
        run.bestShare = Double(bestPulls) / Double(c.horizon)
        run.conversionRate = Double(conversions) / Double(c.horizon)
        var error = 0.0
        for arm in 0..<arms {
            let estimate = weightSums[arm] > 0 ? weightedRewards[arm] / weightSums[arm] : 0
            error += abs(estimate - c.rates[arm])
        }
        run.estimateError = error / Double(arms)
        return run
    }
}
