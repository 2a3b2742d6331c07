import TacitCore

/// The held-out relevance of each evaluable user, in the training matrix's indices.
///
/// Per EVALUATION.md: a test user must have training data (others are counted in
/// ``skippedUsers``); their relevant items are their test items not in their training data.
/// Test items unknown to the training catalog stay relevant (they count in recall and ideal DCG)
/// but can never be ranked. Users left with no relevant item are dropped.
public struct TestSet: Sendable {
    /// Evaluated users (training indices), ascending.
    public let users: [UserIndex]
    /// Per user: relevant catalog items, sorted ascending.
    public let relevant: [[ItemIndex]]
    /// Per user: the size of the relevant set including items outside the catalog.
    public let relevantCounts: [Int]
    /// Test users with no training data.
    public let skippedUsers: Int

    /// Builds the test set of `test` against the training matrix.
    public init(test: EventLog, training: InteractionMatrix) {
        var perUser: [Int32: (known: Set<ItemIndex>, unknown: Set<Int32>)] = [:]
        var skipped = Set<Int32>()
        let userLookup = (0..<Int32(test.users.count)).map { training.users.index(of: test.users.id(at: $0)) }
        let itemLookup = (0..<Int32(test.items.count)).map { training.items.index(of: test.items.id(at: $0)) }
        for p in 0..<test.count {
            guard let user = userLookup[Int(test.userIndices[p])] else { skipped.insert(test.userIndices[p]); continue }
            let testItem = test.itemIndices[p]
            var entry = perUser[user] ?? ([], [])
            if let item = itemLookup[Int(testItem)] {
                if !training.contains(user: Int(user), item: item) { entry.known.insert(item) }
            } else {
                entry.unknown.insert(testItem)
            }
            perUser[user] = entry
        }
        var users: [UserIndex] = [], relevant: [[ItemIndex]] = [], counts: [Int] = []
        for user in perUser.keys.sorted() {
            let entry = perUser[user]!
            let total = entry.known.count + entry.unknown.count
            guard total > 0 else { continue }
            users.append(user)
            relevant.append(entry.known.sorted())
            counts.append(total)
        }
        self.users = users
        self.relevant = relevant
        self.relevantCounts = counts
        self.skippedUsers = skipped.count
    }
}
