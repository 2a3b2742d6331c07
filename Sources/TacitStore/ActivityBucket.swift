/// The events of one time bucket, for the operator's overview (``EventStore/activity(from:to:bucketSeconds:)``).
public struct ActivityBucket: Sendable, Equatable {
    /// The bucket's first second (since 1970): a multiple of the bucket width, so day buckets
    /// start at UTC midnight.
    public var start: Int64
    /// Events per kind name (`view`, `purchase`, ...); kinds without events are absent.
    public var kinds: [String: Int]
    /// Distinct users with at least one event in the bucket.
    public var users: Int

    public init(start: Int64, kinds: [String: Int], users: Int) {
        self.start = start
        self.kinds = kinds
        self.users = users
    }

    /// Events of every kind.
    public var events: Int { kinds.values.reduce(0, +) }

    /// The start of the bucket of width `width` that holds `timestamp` (floor, also before 1970).
    public static func start(of timestamp: Int64, width: Int64) -> Int64 {
        let rest = timestamp % width
        return rest < 0 ? timestamp - rest - width : timestamp - rest
    }

    /// Checks the arguments of ``EventStore/activity(from:to:bucketSeconds:)``.
    static func check(from: Int64, to: Int64, bucketSeconds: Int64, store: String) throws {
        guard bucketSeconds > 0 else {
            throw StoreError.invalidArgument(store, operation: "activity", reason: "bucket width must be > 0 seconds, got \(bucketSeconds)")
        }
        guard from <= to else {
            throw StoreError.invalidArgument(store, operation: "activity", reason: "from (\(from)) is after to (\(to))")
        }
    }

    /// Joins per-kind and per-user rows of the two GROUP BY queries into buckets, oldest first.
    static func merge(kinds: [(start: Int64, kind: String, count: Int)], users: [(start: Int64, users: Int)]) -> [ActivityBucket] {
        var buckets: [Int64: ActivityBucket] = [:]
        for row in kinds {
            buckets[row.start, default: ActivityBucket(start: row.start, kinds: [:], users: 0)].kinds[row.kind, default: 0] += row.count
        }
        for row in users { buckets[row.start, default: ActivityBucket(start: row.start, kinds: [:], users: 0)].users = row.users }
        return buckets.values.sorted { $0.start < $1.start }
    }

    /// The SQL expression of a row's bucket start (floor of `timestamp` to a multiple of the
    /// width bound as `width`, right for negative timestamps too; `%` truncates in both stores).
    static func bucketSQL(_ width: String) -> String { "timestamp - (((timestamp % \(width)) + \(width)) % \(width))" }
}
