/// Which group of an experiment a user (or one of their requests) belongs to, and how likely
/// the policy was to put them there.
public struct Assignment: Sendable, Hashable, Codable {
    /// The experiment's id.
    public var experiment: String
    /// The variant's name; nil for a user in the holdout (served the default, outside the
    /// comparison).
    public var variant: String?
    /// The variant's index in the definition; nil for the holdout.
    public var variantIndex: Int?
    /// The probability with which the policy chose this group for a user in the experiment
    /// window: the variant's normalised share (fixed split) or its current allocation (bandits),
    /// given the user is not held out; for the holdout, the holdout share. Record it with the
    /// impression: the analysis reweights bandit traffic by its inverse.
    public var propensity: Double

    public init(experiment: String, variant: String?, variantIndex: Int?, propensity: Double) {
        self.experiment = experiment
        self.variant = variant
        self.variantIndex = variantIndex
        self.propensity = propensity
    }

    /// Whether the user is in the holdout.
    public var isHoldout: Bool { variant == nil }
}

/// Assigns users and requests to an experiment's variants, deterministically.
///
/// - The holdout and the fixed split use one uniform `u = AssignmentHash.unit(user, salt)`:
///   `u < holdout` is the holdout; otherwise `(u − holdout) / (1 − holdout)` falls into the
///   variants' cumulative normalised shares. A user keeps their variant for the life of the
///   experiment (sticky) and nothing needs storing.
/// - Bandit policies keep the user's holdout status sticky, but draw each request's arm from
///   the current allocation with `AssignmentHash.unit(user, salt, request)`, and report that
///   allocation's probability as the propensity.
///
/// Different salts give independent uniforms, so experiments with different salts split users
/// independently of each other.
public struct ExperimentAssigner: Sendable {
    /// The experiment being assigned.
    public let definition: ExperimentDefinition
    private let cumulativeShares: [Double]

    /// - Throws: ``ExperimentError`` when the definition is invalid.
    public init(_ definition: ExperimentDefinition) throws(ExperimentError) {
        try definition.validate()
        self.definition = definition
        cumulativeShares = Self.cumulative(definition.normalizedShares)
    }

    /// The user's group for the fixed split (and the holdout decision for every policy), or nil
    /// when the experiment is not running at `time` (seconds since 1970; nil: ignore the window).
    public func assign(user: String, at time: Int64? = nil) -> Assignment? {
        if let time, !definition.isRunning(at: time) { return nil }
        let u = AssignmentHash.unit(user: user, salt: definition.salt)
        if u < definition.holdout { return holdout }
        let index = Self.pick((u - definition.holdout) / (1 - definition.holdout), cumulative: cumulativeShares)
        return variant(index, propensity: definition.normalizedShares[index])
    }

    /// The group of one request under a bandit `allocation` (one probability per variant, as
    /// ``Bandit/allocation(_:)`` returns), drawn with the request counter `request` (any number
    /// that differs between a user's requests: a per-user or global counter, a timestamp in
    /// milliseconds). Held-out users stay held out. With a fixed policy the allocation is
    /// ignored and the sticky fixed split is returned.
    /// - Precondition: `allocation` has one non-negative entry per variant, summing to 1.
    public func assign(user: String, request: UInt64, allocation: [Double], at time: Int64? = nil) -> Assignment? {
        guard definition.policy.isAdaptive else { return assign(user: user, at: time) }
        precondition(allocation.count == definition.variants.count, "one allocation entry per variant")
        if let time, !definition.isRunning(at: time) { return nil }
        if AssignmentHash.unit(user: user, salt: definition.salt) < definition.holdout { return holdout }
        let u = AssignmentHash.unit(user: user, salt: definition.salt, request: request)
        let index = Self.pick(u, cumulative: Self.cumulative(allocation))
        return variant(index, propensity: allocation[index])
    }

    private var holdout: Assignment {
        Assignment(experiment: definition.id, variant: nil, variantIndex: nil, propensity: definition.holdout)
    }

    private func variant(_ index: Int, propensity: Double) -> Assignment {
        Assignment(experiment: definition.id, variant: definition.variants[index].name, variantIndex: index,
                   propensity: propensity)
    }

    static func cumulative(_ shares: [Double]) -> [Double] {
        var total = 0.0
        return shares.map { total += $0; return total }
    }

    /// The first index whose cumulative share exceeds `u` (the last one for rounding at 1);
    /// zero-probability arms are never picked.
    static func pick(_ u: Double, cumulative: [Double]) -> Int {
        let scaled = u * (cumulative.last ?? 1)
        for (index, bound) in cumulative.enumerated() where scaled < bound { return index }
        for index in cumulative.indices.reversed() where cumulative[index] > (index > 0 ? cumulative[index - 1] : 0) {
            return index
        }
        return cumulative.count - 1
    }
}
