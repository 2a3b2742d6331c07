import TacitCore

/// Leave-last-out (EVALUATION.md, LOO): per user, events ordered by `(timestamp, position in
/// file)`; the last is the test event and the one before it the validation event.
///
/// A user with one event keeps it in training; with two, the last tests and there is no
/// validation event. Output logs list users in natural id order and each user's events oldest
/// first, which reproduces the provided `splits/loo` files row for row.
public struct LeaveLastOut: Sendable {
    /// Whether to hold out a validation event (default `true`).
    public var validation: Bool

    public init(validation: Bool = true) { self.validation = validation }

    public func split(_ log: EventLog) -> DataSplit {
        let (starts, order) = log.positionsByUser()
        var train: [Int] = [], valid: [Int] = [], test: [Int] = []
        train.reserveCapacity(log.count)
        for u in log.usersInNaturalOrder() {
            let events = order[starts[Int(u)]..<starts[Int(u) + 1]]
            var end = events.endIndex
            var testPosition: Int?, validPosition: Int?
            if events.count >= 2 { end -= 1; testPosition = events[end] }
            if validation, events.count >= 3 { end -= 1; validPosition = events[end] }
            train.append(contentsOf: events[events.startIndex..<end])
            if let validPosition { valid.append(validPosition) }
            if let testPosition { test.append(testPosition) }
        }
        return DataSplit(train: log.subset(train), validation: validation ? log.subset(valid) : nil, test: log.subset(test))
    }
}
