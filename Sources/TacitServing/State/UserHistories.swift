import TacitCore

/// Every user's recent events in memory, in catalog index space, newest last.
///
/// The store keeps the full log; this keeps the newest ``limit`` events per user so that a
/// request never waits on the database. Sharded by user id so concurrent requests rarely contend.
public final class UserHistories: Sendable {
    /// One remembered event: the history event plus the store's sequence number.
    public struct Entry: Sendable, Equatable {
        public var event: HistoryEvent
        public var sequence: Int64
    }

    let shards: [Locked<[UserID: [Entry]]>]
    /// The most events kept per user (older ones are dropped from memory, not from the store).
    public let limit: Int

    public init(limit: Int = 500, shards: Int = 64) {
        self.limit = max(1, limit)
        self.shards = (0..<max(1, shards)).map { _ in Locked([:]) }
    }

    private func shard(_ user: UserID) -> Locked<[UserID: [Entry]]> {
        var hasher = Hasher()
        hasher.combine(user)
        return shards[Int(UInt(bitPattern: hasher.finalize()) % UInt(shards.count))]
    }

    /// Appends events of one user, keeping the newest ``limit`` in sequence order, and returns
    /// the entries that were new: an entry whose sequence is already remembered (a duplicate
    /// event id the store resolved to the first event), or older than a full list's oldest, is
    /// skipped.
    @discardableResult
    public func append(_ entries: [Entry], for user: UserID) -> [Entry] {
        guard !entries.isEmpty else { return [] }
        return shard(user).withLock { map in
            var list = map[user, default: []]
            var accepted: [Entry] = []
            for entry in entries {
                if list.count >= limit, let oldest = list.first, entry.sequence < oldest.sequence { continue }
                // Concurrent batches may arrive out of sequence order: insert in place.
                var position = list.count
                while position > 0 && list[position - 1].sequence > entry.sequence { position -= 1 }
                if position > 0 && list[position - 1].sequence == entry.sequence { continue }
                list.insert(entry, at: position)
                accepted.append(entry)
            }
            if list.count > limit { list.removeFirst(list.count - limit) }
            map[user] = list
            return accepted
        }
    }

    /// The remembered events of `user`, oldest first (empty for an unknown user).
    public func entries(of user: UserID) -> [Entry] { shard(user).withLock { $0[user] ?? [] } }

    /// The remembered events of `user`, oldest first.
    public func history(of user: UserID) -> [HistoryEvent] { entries(of: user).map(\.event) }

    /// Forgets a user.
    public func remove(_ user: UserID) { _ = shard(user).withLock { $0.removeValue(forKey: user) } }

    /// Forgets the remembered events of `user` with one of `sequences` (events past retention).
    public func remove(sequences: Set<Int64>, of user: UserID) {
        shard(user).withLock { map in
            guard var list = map[user] else { return }
            list.removeAll { sequences.contains($0.sequence) }
            map[user] = list.isEmpty ? nil : list
        }
    }

    /// Number of users with remembered events.
    public var userCount: Int { shards.reduce(0) { $0 + $1.withLock { $0.count } } }
}
