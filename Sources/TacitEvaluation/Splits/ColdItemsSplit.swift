import TacitCore

/// The item cold-start protocol (`tacit split --protocol cold-items`): a seeded share of the items
/// with enough events is withheld, all their events test, and the models rank those items for
/// their users from attributes alone, among the withheld items (the candidates).
///
/// Items with at least ``minimumEvents`` events are eligible; ``fraction`` of them (rounded, at
/// least one when any is eligible), drawn with ``seed``, are the test items, and every event on
/// them is a test event. With ``validation``, the same share of the eligible items left is
/// withheld from training the same way for validation. Everything else trains. A test user
/// whose events are all on withheld items has no training data (counted as skipped).
public struct ColdItemsSplit: Sendable {
    public var fraction: Double
    public var minimumEvents: Int
    public var seed: UInt64
    public var validation: Bool

    /// The split and the withheld items, in natural id order.
    public struct Result: Sendable {
        public var split: DataSplit
        public var testItems: [ItemID]
        /// Empty without validation.
        public var validationItems: [ItemID]
    }

    public init(fraction: Double = 0.15, minimumEvents: Int = 5, seed: UInt64 = 42, validation: Bool = true) {
        self.fraction = fraction
        self.minimumEvents = minimumEvents
        self.seed = seed
        self.validation = validation
    }

    /// Checks the settings; throws naming the option.
    public func validate() throws(TacitError) {
        guard fraction > 0, fraction < 1 else { throw .invalidArgument("--fraction must be between 0 and 1 (exclusive), got \(fraction)") }
        guard minimumEvents >= 1 else { throw .invalidArgument("--min-item-events must be at least 1, got \(minimumEvents)") }
    }

    public func split(_ log: EventLog) -> Result {
        var counts = [Int](repeating: 0, count: log.items.count)
        for p in 0..<log.count { counts[Int(log.itemIndices[p])] += 1 }
        let order = log.items.naturalOrder()
        var eligible = order.filter { counts[Int($0)] >= minimumEvents }
        var rng = SeededGenerator(seed: seed)
        eligible.shuffle(using: &rng)
        let testCount = eligible.isEmpty ? 0 : max(1, Int((Double(eligible.count) * fraction).rounded()))
        let test = Set(eligible.prefix(testCount))
        let rest = eligible.dropFirst(testCount)
        let validationCount = !validation || rest.isEmpty ? 0 : max(1, Int((Double(rest.count) * fraction).rounded()))
        let valid = Set(rest.prefix(validationCount))
        var train: [Int] = [], validPositions: [Int] = [], testPositions: [Int] = []
        for p in 0..<log.count {
            let item = log.itemIndices[p]
            if test.contains(item) { testPositions.append(p) } else if valid.contains(item) { validPositions.append(p) } else { train.append(p) }
        }
        let natural = { (set: Set<Int32>) in order.filter { set.contains($0) }.map { log.items.id(at: $0) } }
        return Result(split: DataSplit(train: log.subset(train), validation: validation ? log.subset(validPositions) : nil, test: log.subset(testPositions)),
                      testItems: natural(test), validationItems: natural(valid))
    }
}
