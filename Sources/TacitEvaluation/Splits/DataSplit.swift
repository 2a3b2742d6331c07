import TacitCore

/// A split of one event log into training, optional validation, and test events.
///
/// The three logs share the original log's id maps; positions keep file order.
public struct DataSplit: Sendable {
    public var train: EventLog
    public var validation: EventLog?
    public var test: EventLog

    public init(train: EventLog, validation: EventLog?, test: EventLog) {
        self.train = train
        self.validation = validation
        self.test = test
    }
}

/// The offline protocols of EVALUATION.md, plus a random per-user holdout.
public enum SplitProtocol: String, Sendable, Codable, CaseIterable {
    /// Leave-last-out: each user's last event tests, the one before validates. See ``LeaveLastOut``.
    case loo
    /// A global time cut at a quantile of timestamps. See ``TemporalSplit``.
    case temporal
    /// A seeded random share of each user's events. See ``RandomHoldout``.
    case random
    /// A seeded share of the items, all their events withheld: item cold start. See ``ColdItemsSplit``.
    case coldItems = "cold-items"

    /// Splits `log` with this protocol's defaults.
    public func split(_ log: EventLog, seed: UInt64 = 42) -> DataSplit {
        switch self {
        case .loo: return LeaveLastOut().split(log)
        case .temporal: return TemporalSplit().split(log)
        case .random: return RandomHoldout(seed: seed).split(log)
        case .coldItems: return ColdItemsSplit(seed: seed).split(log).split
        }
    }
}

extension EventLog {
    /// User indices in the natural order of their ids (see `IDMap.naturalOrder()`).
    public func usersInNaturalOrder() -> [Int32] { users.naturalOrder() }
}
