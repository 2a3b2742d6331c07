import TacitCore

/// The held-out relevance of each evaluable user, in the training matrix's indices.
///
/// Per EVALUATION.md: a test user must have training data (others are counted in
/// ``skippedUsers``); their relevant items are their test items not in their training data.
/// Test items unknown to the training catalog stay relevant (they count in recall and ideal DCG)
/// but can never be ranked. Users left with no relevant item are dropped and counted in
/// ``repeatOnlyUsers``; the relevant items no model can rank in ``unrankableItems``.
public struct TestSet: Sendable {
    /// Evaluated users (training indices), ascending.
    public let users: [UserIndex]
    /// Per user: relevant catalog items, sorted ascending.
    public let relevant: [[ItemIndex]]
    /// Per user: the size of the relevant set including items outside the catalog.
    public let relevantCounts: [Int]
    /// Test users with no training data.
    public let skippedUsers: Int
    /// Test users with training data left out because every test item of theirs is already in
    /// their training history (the protocol asks only for new items: a repeat-heavy log loses
    /// these users silently otherwise).
    public let repeatOnlyUsers: Int
    /// Relevant test items (user and item pairs) outside the training catalog: they count as
    /// misses, since no model ranks an item it has not seen (rank them with candidates).
    public let unrankableItems: Int
    /// Per user: the time of their earliest test event — the request time of a model that ranks
    /// as of a time (``TimedRecommender``); nil for a test set over candidates.
    public let requestTimes: [Int64]?

    /// Builds the test set of `test` against the training matrix. With `allowRepeats`, a test
    /// item already in the user's training data stays relevant (`--allow-repeats`: "buy it
    /// again" counts), so no user is left out as repeat-only.
    public init(test: EventLog, training: InteractionMatrix, allowRepeats: Bool = false) {
        var perUser: [Int32: (known: Set<ItemIndex>, unknown: Set<Int32>, earliest: Int64)] = [:]
        var skipped = Set<Int32>()
        let userLookup = (0..<Int32(test.users.count)).map { training.users.index(of: test.users.id(at: $0)) }
        let itemLookup = (0..<Int32(test.items.count)).map { training.items.index(of: test.items.id(at: $0)) }
        for p in 0..<test.count {
            guard let user = userLookup[Int(test.userIndices[p])] else { skipped.insert(test.userIndices[p]); continue }
            let testItem = test.itemIndices[p]
            var entry = perUser[user] ?? ([], [], .max)
            entry.earliest = min(entry.earliest, test.timestamps[p])
            if let item = itemLookup[Int(testItem)] {
                if allowRepeats || !training.contains(user: Int(user), item: item) { entry.known.insert(item) }
            } else {
                entry.unknown.insert(testItem)
            }
            perUser[user] = entry
        }
        var users: [UserIndex] = [], relevant: [[ItemIndex]] = [], counts: [Int] = [], times: [Int64] = []
        var repeatOnly = 0, unrankable = 0
        for user in perUser.keys.sorted() {
            guard let entry = perUser[user] else { continue }
            let total = entry.known.count + entry.unknown.count
            guard total > 0 else { repeatOnly += 1; continue }
            unrankable += entry.unknown.count
            users.append(user)
            times.append(entry.earliest)
            relevant.append(entry.known.sorted())
            counts.append(total)
        }
        self.users = users
        self.relevant = relevant
        self.relevantCounts = counts
        self.skippedUsers = skipped.count
        repeatOnlyUsers = repeatOnly
        unrankableItems = unrankable
        requestTimes = times
    }

    private init(users: [UserIndex], relevant: [[ItemIndex]], relevantCounts: [Int], skippedUsers: Int, repeatOnlyUsers: Int) {
        self.users = users
        self.relevant = relevant
        self.relevantCounts = relevantCounts
        self.skippedUsers = skippedUsers
        self.repeatOnlyUsers = repeatOnlyUsers
        unrankableItems = 0
        requestTimes = nil
    }

    /// The test set for ranking among `candidates`: a user's relevant items are their test items
    /// that are candidates (as candidate positions, see ``CandidateSet``) and not in their
    /// training data; test items outside the candidates are not asked for. Users left with no
    /// relevant candidate are dropped (those whose candidate test items are all in their history
    /// counted in ``repeatOnlyUsers``); users without training data are skipped as always.
    public init(test: EventLog, training: InteractionMatrix, candidates: CandidateSet) {
        var byID: [ItemID: Int] = [:]
        for (p, record) in candidates.records.enumerated() { byID[record.id] = p }
        var perUser: [Int32: Set<ItemIndex>] = [:]
        var skipped = Set<Int32>(), repeated = Set<Int32>()
        let userLookup = (0..<Int32(test.users.count)).map { training.users.index(of: test.users.id(at: $0)) }
        let itemLookup = (0..<Int32(test.items.count)).map { byID[test.items.id(at: $0)] }
        for p in 0..<test.count {
            guard let user = userLookup[Int(test.userIndices[p])] else { skipped.insert(test.userIndices[p]); continue }
            guard let position = itemLookup[Int(test.itemIndices[p])] else { continue }
            if let item = candidates.trainingIndex[position], training.contains(user: Int(user), item: item) { repeated.insert(user); continue }
            perUser[user, default: []].insert(ItemIndex(position))
        }
        let users = perUser.keys.sorted()
        let relevant = users.map { (perUser[$0] ?? []).sorted() }
        self.init(users: users, relevant: relevant, relevantCounts: relevant.map(\.count), skippedUsers: skipped.count,
                  repeatOnlyUsers: repeated.subtracting(perUser.keys).count)
    }
}
