import TacitCore

/// A seeded random holdout: each user with at least two events gives `fraction` of them (at
/// least one) to the test log, and as many again to validation when `validation` is set.
public struct RandomHoldout: Sendable {
    public var fraction: Double
    public var seed: UInt64
    public var validation: Bool

    public init(fraction: Double = 0.2, seed: UInt64 = 42, validation: Bool = false) {
        self.fraction = fraction
        self.seed = seed
        self.validation = validation
    }

    public func split(_ log: EventLog) -> DataSplit {
        let (starts, order) = log.positionsByUser()
        var train: [Int] = [], valid: [Int] = [], test: [Int] = []
        for u in log.usersInNaturalOrder() {
            var events = Array(order[starts[Int(u)]..<starts[Int(u) + 1]])
            guard events.count >= 2 else { train.append(contentsOf: events); continue }
            var rng = SeededGenerator.stream(seed: seed, index: UInt64(u))
            events.shuffle(using: &rng)
            let held = max(1, Int((Double(events.count) * fraction).rounded()))
            let testPart = events.prefix(min(held, events.count - 1))
            var rest = events.dropFirst(testPart.count)
            if validation, rest.count >= 2 {
                let validPart = rest.prefix(min(held, rest.count - 1))
                valid.append(contentsOf: validPart)
                rest = rest.dropFirst(validPart.count)
            }
            test.append(contentsOf: testPart)
            train.append(contentsOf: rest)
        }
        return DataSplit(train: log.subset(train.sorted()), validation: validation ? log.subset(valid.sorted()) : nil,
                         test: log.subset(test.sorted()))
    }
}
