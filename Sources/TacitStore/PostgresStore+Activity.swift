import PostgresNIO
import TacitCore

extension PostgresStore {
    /// A user's events newest first in time (sorts the user's rows, found by `events_user`).
    public func recentEvents(of user: UserID, offset: Int, limit: Int?) async throws -> [StoredEvent] {
        try StoreError.checkLimit(limit, store: description, operation: "recent events of user")
        guard offset >= 0 else {
            throw StoreError.invalidArgument(description, operation: "recent events of user", reason: "offset must be >= 0, got \(offset)")
        }
        if limit == 0 { return [] }
        return try await withConnection("recent events of user", id: user) { connection in
            if let limit {
                return try await Self.fetchEvents("""
                    SELECT \(unescaped: Self.eventColumns) FROM events WHERE user_id = \(user)
                    ORDER BY timestamp DESC, sequence DESC LIMIT \(limit) OFFSET \(offset)
                    """, on: connection)
            }
            return try await Self.fetchEvents("""
                SELECT \(unescaped: Self.eventColumns) FROM events WHERE user_id = \(user)
                ORDER BY timestamp DESC, sequence DESC OFFSET \(offset)
                """, on: connection)
        }
    }

    /// Two `GROUP BY` queries on one connection: events per bucket and kind, distinct users per
    /// bucket.
    public func activity(from: Int64, to: Int64, bucketSeconds: Int64) async throws -> [ActivityBucket] {
        try ActivityBucket.check(from: from, to: to, bucketSeconds: bucketSeconds, store: description)
        if from == to { return [] }
        let bucket = ActivityBucket.bucketSQL("$1::bigint")
        return try await withConnection("activity") { connection in
            var binds = PostgresBindings(capacity: 3)
            binds.append(bucketSeconds)
            binds.append(from)
            binds.append(to)
            var kinds: [(start: Int64, kind: String, count: Int)] = []
            let byKind = try await connection.query(PostgresQuery(unsafeSQL: """
                SELECT \(bucket) AS b, kind, count(*) FROM events WHERE timestamp >= $2 AND timestamp < $3 GROUP BY b, kind
                """, binds: binds), logger: Self.logger)
            for try await (start, kind, count) in byKind.decode((Int64, String, Int64).self) { kinds.append((start, kind, Int(count))) }
            var users: [(start: Int64, users: Int)] = []
            let byUser = try await connection.query(PostgresQuery(unsafeSQL: """
                SELECT \(bucket) AS b, count(DISTINCT user_id) FROM events WHERE timestamp >= $2 AND timestamp < $3 GROUP BY b
                """, binds: binds), logger: Self.logger)
            for try await (start, count) in byUser.decode((Int64, Int64).self) { users.append((start, Int(count))) }
            return ActivityBucket.merge(kinds: kinds, users: users)
        }
    }
}
