import Foundation
import TacitCore

/// Turns a bandit's state into an allocation: the probability each arm gets the next request.
///
/// Every policy leaves at least ``floor`` to every arm, so each keeps getting traffic (the
/// analysis needs data on all arms and the propensities stay bounded away from 0): the policy's
/// own allocation `a` becomes `floor + (1 − arms · floor) · a`.
///
/// - `thompson`: `a_i = P(arm i is best)` under independent Beta(1 + successes, 1 + failures)
///   posteriors, estimated from ``Configuration/thompsonDraws`` seeded joint draws (Beta by two
///   Gamma draws, Marsaglia–Tsang). Allocating by this probability is Thompson sampling in
///   batches (Chapelle & Li, "An Empirical Evaluation of Thompson Sampling", NIPS 2011).
/// - `ucb1`: all of `a` on the arm(s) with the largest `mean + √(2 ln n / nᵢ)`; unplayed arms first
///   (Auer, Cesa-Bianchi & Fischer, Machine Learning 47, 2002).
/// - `epsilon_greedy`: `ε / arms` to every arm and `1 − ε` to the best mean (ties share).
/// - `fixed`: the definition's shares.
public struct Bandit: Sendable {
    /// Knobs of the allocation computation.
    public struct Configuration: Sendable, Hashable {
        /// Joint posterior draws per Thompson allocation. Default 2 000 (standard error of an
        /// arm's probability ≤ 0.011).
        public var thompsonDraws: Int
        /// Seed of the Thompson draws; each call to ``Bandit/allocation(_:)`` mixes in the
        /// state's total pulls, so successive allocations use fresh draws yet repeat exactly.
        public var seed: UInt64

        public init(thompsonDraws: Int = 2_000, seed: UInt64 = 42) {
            self.thompsonDraws = thompsonDraws
            self.seed = seed
        }
    }

    /// The policy.
    public let policy: AllocationPolicy
    /// The fixed split's normalised shares (also the allocation before any outcome).
    public let shares: [Double]
    public let configuration: Configuration

    /// The bandit of an experiment.
    /// - Throws: ``ExperimentError`` when the definition is invalid.
    public init(_ definition: ExperimentDefinition, configuration: Configuration = Configuration()) throws(ExperimentError) {
        try definition.validate()
        self.init(policy: definition.policy, shares: definition.normalizedShares, configuration: configuration)
    }

    /// A bandit over `shares.count` arms (`shares` are normalised).
    public init(policy: AllocationPolicy, shares: [Double], configuration: Configuration = Configuration()) {
        let total = shares.reduce(0, +)
        self.policy = policy
        self.shares = shares.map { $0 / total }
        self.configuration = configuration
    }

    /// The minimum allocation of every arm.
    public var floor: Double { policy.floor }

    /// The allocation over the arms for `state`: non-negative, sums to 1, every entry at least
    /// the floor. Before any outcome, the definition's shares (with the floor applied).
    /// - Complexity: O(arms) except Thompson, O(draws × arms).
    public func allocation(_ state: BanditState) -> [Double] {
        precondition(state.arms.count == shares.count, "state and bandit must have the same arms")
        let own: [Double]
        switch policy {
        case .fixed:
            return shares
        case _ where state.totalPulls == 0:
            own = shares
        case .thompson:
            own = thompson(state)
        case .ucb1:
            own = Self.spread(over: ucbBest(state), arms: shares.count)
        case let .epsilonGreedy(epsilon, _):
            let greedy = Self.spread(over: Self.argmax(state.arms.map(\.mean)), arms: shares.count)
            own = greedy.map { epsilon / Double(shares.count) + (1 - epsilon) * $0 }
        }
        let floor = policy.floor
        let rest = 1 - Double(shares.count) * floor
        return own.map { floor + rest * $0 }
    }

    private func thompson(_ state: BanditState) -> [Double] {
        var rng = SeededGenerator.stream(seed: configuration.seed, index: UInt64(state.totalPulls))
        var wins = [Int](repeating: 0, count: shares.count)
        let draws = max(1, configuration.thompsonDraws)
        var sample = [Double](repeating: 0, count: shares.count)
        for _ in 0..<draws {
            for (i, arm) in state.arms.enumerated() {
                sample[i] = rng.nextBeta(1 + arm.rewardSum, 1 + Double(arm.pulls) - arm.rewardSum)
            }
            var best = 0
            for i in 1..<sample.count where sample[i] > sample[best] { best = i }
            wins[best] += 1
        }
        return wins.map { Double($0) / Double(draws) }
    }

    private func ucbBest(_ state: BanditState) -> [Int] {
        let unplayed = state.arms.indices.filter { state.arms[$0].pulls == 0 }
        if !unplayed.isEmpty { return unplayed }
        let logTotal = log(Double(state.totalPulls))
        return Self.argmax(state.arms.map { $0.mean + (2 * logTotal / Double($0.pulls)).squareRoot() })
    }

    /// The indices of the largest values (all of them when tied).
    static func argmax(_ values: [Double]) -> [Int] {
        let best = values.max() ?? 0
        return values.indices.filter { values[$0] == best }
    }

    /// Probability 1 shared evenly by `winners`.
    static func spread(over winners: [Int], arms: Int) -> [Double] {
        var allocation = [Double](repeating: 0, count: arms)
        for winner in winners { allocation[winner] = 1 / Double(winners.count) }
        return allocation
    }
}
