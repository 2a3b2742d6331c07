import TacitCore

/// The held-out relevance of the test users that have **no** training data (new users, user cold
/// start), with the attributes each is known by — the users ``TestSet`` skips.
///
/// A new user has no training history, so nothing is excluded: their relevant items are all
/// their test items. Test items unknown to the training catalog stay relevant (they count in
/// recall and ideal DCG) but can never be ranked, as in ``TestSet``.
public struct NewUserTestSet: Sendable {
    /// The new users' external ids, in order of first appearance in the test events.
    public let users: [UserID]
    /// Per user: their record (attributes) when `side` has one, else `nil`.
    public let attributes: [UserRecord?]
    /// Per user: relevant catalog items, sorted ascending.
    public let relevant: [[ItemIndex]]
    /// Per user: the size of the relevant set including items outside the catalog.
    public let relevantCounts: [Int]
    /// Test users that do have training data (evaluated by ``TestSet``, not here).
    public let knownUsers: Int

    /// The new users of `test` against the training matrix; attributes come from `side.users`.
    public init(test: EventLog, training: InteractionMatrix, side: SideInformation = .none) {
        var order: [Int32] = []
        var perUser: [Int32: (known: Set<ItemIndex>, unknown: Set<Int32>)] = [:]
        var known = Set<Int32>()
        let itemLookup = (0..<Int32(test.items.count)).map { training.items.index(of: test.items.id(at: $0)) }
        for p in 0..<test.count {
            let user = test.userIndices[p]
            if training.users.index(of: test.users.id(at: user)) != nil { known.insert(user); continue }
            if perUser[user] == nil { order.append(user) }
            let item = test.itemIndices[p]
            if let index = itemLookup[Int(item)] {
                perUser[user, default: ([], [])].known.insert(index)
            } else {
                perUser[user, default: ([], [])].unknown.insert(item)
            }
        }
        users = order.map { test.users.id(at: $0) }
        attributes = users.map { side.users[$0] }
        relevant = order.map { (perUser[$0]?.known ?? []).sorted() }
        relevantCounts = order.map { (perUser[$0]?.known.count ?? 0) + (perUser[$0]?.unknown.count ?? 0) }
        knownUsers = known.count
    }

    /// Number of new users.
    public var count: Int { users.count }

    /// How many of the new users have a record in `side`.
    public var usersWithAttributes: Int { attributes.filter { $0 != nil }.count }
}
