/// How an experiment splits its traffic between variants.
///
/// `fixed` assigns each user once, by the shares; the bandit policies re-allocate traffic towards
/// the better arms as outcomes arrive (see ``Bandit``) and assign per request, recording the
/// propensity of each choice so the analysis can reweight (inverse propensity weighting).
public enum AllocationPolicy: Sendable, Hashable {
    /// A fixed split by the variants' shares; sticky per user.
    case fixed
    /// Thompson sampling with Beta(1, 1) priors (Thompson 1933; Chapelle & Li 2011): each arm's
    /// allocation is the posterior probability that it is the best.
    case thompson(floor: Double)
    /// UCB1 (Auer, Cesa-Bianchi & Fischer 2002): the arm with the highest upper confidence bound
    /// `mean + √(2 ln n / nᵢ)` takes the traffic above the floors.
    case ucb1(floor: Double)
    /// ε-greedy (Sutton & Barto 2018, §2.2): `ε` spread evenly, `1 − ε` to the best mean.
    case epsilonGreedy(epsilon: Double, floor: Double)

    /// The policy names of the JSON format.
    public static let names = ["fixed", "thompson", "ucb1", "epsilon_greedy"]

    /// The policy's name in the JSON format.
    public var name: String {
        switch self {
        case .fixed: "fixed"
        case .thompson: "thompson"
        case .ucb1: "ucb1"
        case .epsilonGreedy: "epsilon_greedy"
        }
    }

    /// Whether the policy adapts its allocation to outcomes (and assigns per request).
    public var isAdaptive: Bool { self != .fixed }

    /// The minimum allocation of every arm (0 for `fixed`).
    public var floor: Double {
        switch self {
        case .fixed: 0
        case let .thompson(floor), let .ucb1(floor), let .epsilonGreedy(_, floor): floor
        }
    }

    /// Checks the epsilon and the floor against the number of arms; paths are relative to the
    /// experiment (`policy.floor`).
    func validate(arms: Int) throws(ExperimentError) {
        if case let .epsilonGreedy(epsilon, _) = self, !(epsilon > 0 && epsilon <= 1) {
            throw .invalidValue("policy.epsilon", "must be in (0, 1], got \(ExperimentError.format(epsilon))")
        }
        let limit = 1 / Double(arms)
        guard floor.isFinite, floor >= 0, floor <= limit else {
            throw .invalidValue("policy.floor",
                                "must be in [0, 1/arms = \(limit)], got \(ExperimentError.format(floor))")
        }
    }
}
