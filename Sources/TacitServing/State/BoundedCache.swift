/// A sharded, bounded key → value cache for per-model results (a user's personal candidates, an
/// item's neighbours). A full shard is emptied before it takes a new entry, so memory stays
/// under `capacity` entries without bookkeeping on reads.
final class BoundedCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private let shards: [Locked<[Key: Value]>]
    private let perShard: Int

    /// - Parameter capacity: the most entries kept (0 disables the cache).
    init(capacity: Int, shards: Int = 32) {
        self.shards = (0..<shards).map { _ in Locked([:]) }
        perShard = capacity <= 0 ? 0 : max(1, capacity / shards)
    }

    private func shard(_ key: Key) -> Locked<[Key: Value]> {
        shards[Int(UInt(bitPattern: key.hashValue) % UInt(shards.count))]
    }

    subscript(key: Key) -> Value? {
        guard perShard > 0 else { return nil }
        return shard(key).withLock { $0[key] }
    }

    /// Stores `value`, emptying the shard first when it is full.
    func store(_ value: Value, for key: Key) {
        guard perShard > 0 else { return }
        shard(key).withLock { map in
            if map.count >= perShard { map.removeAll(keepingCapacity: true) }
            map[key] = value
        }
    }

    /// Removes and returns the entry of `key`, if held.
    func remove(_ key: Key) -> Value? {
        guard perShard > 0 else { return nil }
        return shard(key).withLock { $0.removeValue(forKey: key) }
    }

    /// Entries held now.
    var count: Int { shards.reduce(0) { $0 + $1.withLock { $0.count } } }
}
