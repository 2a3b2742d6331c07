import GRDB
import TacitCore

extension SQLiteStore {
    /// A user's events newest first in time (sorts the user's rows, found by `events_user`).
    public func recentEvents(of user: UserID, offset: Int, limit: Int?) async throws -> [StoredEvent] {
        try StoreError.checkLimit(limit, store: description, operation: "recent events of user")
        guard offset >= 0 else {
            throw StoreError.invalidArgument(description, operation: "recent events of user", reason: "offset must be >= 0, got \(offset)")
        }
        if limit == 0 { return [] }
        return try await read("recent events of user", id: user) { db in
            let statement = try db.cachedStatement(sql: """
                SELECT \(Self.eventColumns) FROM events WHERE user_id = ?
                ORDER BY timestamp DESC, sequence DESC LIMIT ? OFFSET ?
                """)
            return try Self.fetchEvents(statement, [user, limit ?? -1, offset])   // LIMIT -1: no limit
        }
    }

    /// Two `GROUP BY` queries in one read transaction: events per bucket and kind, distinct
    /// users per bucket.
    public func activity(from: Int64, to: Int64, bucketSeconds: Int64) async throws -> [ActivityBucket] {
        try ActivityBucket.check(from: from, to: to, bucketSeconds: bucketSeconds, store: description)
        if from == to { return [] }
        let bucket = ActivityBucket.bucketSQL("?1")
        return try await read("activity") { db in
            var kinds: [(start: Int64, kind: String, count: Int)] = []
            let byKind = try Row.fetchCursor(db, sql: """
                SELECT \(bucket) AS b, kind, count(*) FROM events WHERE timestamp >= ?2 AND timestamp < ?3 GROUP BY b, kind
                """, arguments: [bucketSeconds, from, to])
            while let row = try byKind.next() { kinds.append((row[0], row[1], row[2])) }
            var users: [(start: Int64, users: Int)] = []
            let byUser = try Row.fetchCursor(db, sql: """
                SELECT \(bucket) AS b, count(DISTINCT user_id) FROM events WHERE timestamp >= ?2 AND timestamp < ?3 GROUP BY b
                """, arguments: [bucketSeconds, from, to])
            while let row = try byUser.next() { users.append((row[0], row[1])) }
            return ActivityBucket.merge(kinds: kinds, users: users)
        }
    }
}
