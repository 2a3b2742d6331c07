import TacitCore

extension UserHistories {
    /// Up to `count` distinct users with remembered events, drawn uniformly at random by
    /// `generator` (fewer when fewer users are known).
    /// - Complexity: O(count × users / shards): a dictionary has no random access by position, so
    ///   each draw walks part of one shard.
    public func sample(_ count: Int, using generator: inout some RandomNumberGenerator) -> [UserID] {
        let wanted = max(0, count)
        let sizes = shards.map { $0.withLock { $0.count } }
        let total = sizes.reduce(0, +)
        if wanted == 0 || total == 0 { return [] }
        if total <= wanted {
            // Every user fits: all of them, in a random order.
            var everyone = shards.flatMap { $0.withLock { Array($0.keys) } }.sorted()
            everyone.shuffle(using: &generator)
            return Array(everyone.prefix(wanted))
        }
        var chosen: [UserID] = []
        var seen = Set<UserID>()
        var attempts = 0
        while chosen.count < wanted && attempts < wanted * 8 {
            attempts += 1
            var position = Int.random(in: 0..<total, using: &generator)
            var shard = 0
            while shard < sizes.count - 1 && position >= sizes[shard] {
                position -= sizes[shard]
                shard += 1
            }
            // Users may have come or gone since the sizes were read: clamp to the shard's size.
            let user: UserID? = shards[shard].withLock { map in
                guard !map.isEmpty else { return nil }
                return map[map.index(map.startIndex, offsetBy: min(position, map.count - 1))].key
            }
            if let user, seen.insert(user).inserted { chosen.append(user) }
        }
        return chosen
    }
}
