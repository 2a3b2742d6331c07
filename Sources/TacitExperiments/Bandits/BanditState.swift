/// What a bandit knows: per arm, how often it was played and the rewards it earned.
///
/// A plain value: the service keeps one per running experiment behind its lock, calls
/// ``record(arm:reward:)`` as outcomes arrive and ``Bandit/allocation(_:)`` when it refreshes
/// the split (every few seconds or every few hundred outcomes — batched updates, as deployed
/// bandits do).
public struct BanditState: Sendable, Hashable, Codable {
    /// One arm's tallies.
    public struct Arm: Sendable, Hashable, Codable {
        /// Outcomes recorded (plays whose reward is known).
        public var pulls = 0
        /// The sum of their rewards (each in [0, 1]; successes for 0/1 rewards).
        public var rewardSum = 0.0

        public init(pulls: Int = 0, rewardSum: Double = 0) {
            self.pulls = pulls
            self.rewardSum = rewardSum
        }

        /// The mean reward (0 before any pull).
        public var mean: Double { pulls > 0 ? rewardSum / Double(pulls) : 0 }
    }

    /// The arms, in the experiment's variant order.
    public private(set) var arms: [Arm]

    /// A state with `arms` arms and no outcomes.
    public init(arms: Int) { self.arms = Array(repeating: Arm(), count: arms) }

    /// A state from existing tallies (after a restart, from the logs).
    public init(arms: [Arm]) { self.arms = arms }

    /// All outcomes recorded.
    public var totalPulls: Int { arms.reduce(0) { $0 + $1.pulls } }

    /// Records the outcome of one play of `arm`; `reward` is clamped to [0, 1].
    public mutating func record(arm: Int, reward: Double) {
        arms[arm].pulls += 1
        arms[arm].rewardSum += min(1, max(0, reward))
    }

    /// Records `pulls` plays of `arm` with `successes` rewards of 1 (a batch of 0/1 outcomes).
    public mutating func record(arm: Int, pulls: Int, successes: Int) {
        arms[arm].pulls += pulls
        arms[arm].rewardSum += Double(successes)
    }
}
