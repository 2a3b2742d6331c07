/// Feature hashing ("the hashing trick", Weinberger et al. 2009): a categorical value's embedding
/// row is a stable hash of its text modulo a fixed number of buckets, so a table's memory stays
/// bounded however many distinct values (item and user ids, brands, tags) the data holds.
///
/// The hash is FNV-1a over the UTF-8 bytes followed by the splitmix64 finaliser: the same on
/// every machine and run, so a model file read back maps every value to the row it trained.
/// Values sharing a bucket share its row (the price of the bound); a value never seen in training
/// lands on some trained row rather than none.
public struct FeatureHashing: Sendable, Equatable {
    /// The number of buckets (rows) of a hashed table.
    public let buckets: Int

    /// `nil` for `buckets <= 0` (exact tables).
    public init?(buckets: Int) {
        guard buckets > 0 else { return nil }
        self.buckets = buckets
    }

    /// The bucket of `value`, in `0 ..< buckets`.
    public func bucket(_ value: String) -> Int32 {
        var value = value
        return value.withUTF8 { Int32(truncatingIfNeeded: IDMap.hash($0) % UInt64(buckets)) }
    }

    /// The two buckets of an id (``IDRows``): `h mod B` and `⌊h / B⌋ mod B` of its hash `h`.
    public func buckets(_ value: String) -> (Int32, Int32) {
        var value = value
        let h = value.withUTF8 { IDMap.hash($0) }
        let b = UInt64(buckets)
        return (Int32(truncatingIfNeeded: h % b), Int32(truncatingIfNeeded: (h / b) % b))
    }

    /// Whether a table of `distinct` values is hashed: only when it has more values than buckets
    /// (a smaller table keeps one row per value and no collisions).
    public func hashes(_ distinct: Int) -> Bool { distinct > buckets }

    /// The rows of a table of `distinct` values: `buckets` when hashed, else `distinct`.
    public func rows(_ distinct: Int) -> Int { hashes(distinct) ? buckets : distinct }
}

extension FeatureHashing? {
    /// The rows of a table of `distinct` values under optional hashing.
    public func rows(_ distinct: Int) -> Int { self?.rows(distinct) ?? distinct }
}

/// The embedding rows of each user or item of an ``IDMap``: its own index, or (when hashing
/// shrinks the table) two buckets of its id, whose rows the id's embedding averages.
///
/// Two buckets, `h mod B` and `⌊h / B⌋ mod B` of the id's 64-bit hash `h` (the quotient-remainder
/// trick of Shi et al. 2020, "Compositional Embeddings Using Complementary Partitions", on a
/// hash): two ids share both rows only when both buckets collide, about once in `B²` pairs, so
/// the table tells ids apart far better than one bucket each (measured in docs/benchmarks.md).
public struct IDRows: Sendable, Equatable {
    /// The rows of the table.
    public let count: Int
    /// Both rows of every id, `2 · ids` values (nil: one row per id, its index).
    private let hashed: [Int32]?

    /// Rows for the ids of `map` under `hashing` (`nil`: one row per id).
    /// - Complexity: O(total id length) when hashed, O(1) otherwise.
    public init(_ map: IDMap, hashing: FeatureHashing?) {
        if let hashing, hashing.hashes(map.count) {
            count = hashing.buckets
            var rows = [Int32](repeating: 0, count: 2 * map.count)
            for i in 0..<map.count {
                (rows[2 * i], rows[2 * i + 1]) = hashing.buckets(map.id(at: Int32(i)))
            }
            hashed = rows
        } else {
            count = map.count
            hashed = nil
        }
    }

    /// Whether ids share hashed rows.
    public var isHashed: Bool { hashed != nil }

    /// The rows of id index `index`: `(index, -1)` unhashed, its two buckets hashed; `(-1, -1)`
    /// for a negative index (no row).
    public subscript(index: Int32) -> (Int32, Int32) {
        guard index >= 0 else { return (-1, -1) }
        guard let hashed else { return (index, -1) }
        return (hashed[2 * Int(index)], hashed[2 * Int(index) + 1])
    }

    /// The rows of `indices` as a bag to mean-pool with `weights`: each index once (unhashed),
    /// or both its rows with its weight each (hashed), so that the pooled vector is the weighted
    /// mean of the ids' embeddings.
    public func bag(_ indices: [Int32], weights: [Float]) -> (rows: [Int32], weights: [Float]) {
        guard isHashed else { return (indices, weights) }
        var rows: [Int32] = [], doubled: [Float] = []
        rows.reserveCapacity(2 * indices.count)
        doubled.reserveCapacity(2 * indices.count)
        for (index, weight) in zip(indices, weights) {
            let (a, b) = self[index]
            rows.append(a)
            rows.append(b)
            doubled.append(weight)
            doubled.append(weight)
        }
        return (rows, doubled)
    }
}
