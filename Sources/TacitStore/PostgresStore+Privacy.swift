import PostgresNIO
import TacitCore

extension PostgresStore {
    public func impressions(of user: UserID) async throws -> [Impression] {
        try await withConnection("impressions of user", id: user) { connection in
            let rows = try await connection.query("""
                SELECT \(unescaped: Self.impressionColumns) FROM impressions WHERE user_id = \(user) ORDER BY timestamp, recommendation_id
                """, logger: Self.logger)
            return try await Self.impressions(from: rows, store: self.description)
        }
    }

    public func forgottenUsers() async throws -> [UserID: Int64] {
        try await withConnection("forgotten users") { connection in
            var result: [UserID: Int64] = [:]
            let rows = try await connection.query("SELECT user_id, sequence FROM forgotten_users", logger: Self.logger)
            for try await (user, sequence) in rows.decode((String, Int64).self) { result[user] = sequence }
            return result
        }
    }

    public func pruneForgottenUsers(before sequence: Int64) async throws {
        try await withConnection("prune forgotten users") { connection in
            _ = try await connection.query("DELETE FROM forgotten_users WHERE sequence < \(sequence)", logger: Self.logger)
        }
    }

    public func deleteEvents(before timestamp: Int64, limit: Int) async throws -> [StoredEvent] {
        try StoreError.checkLimit(limit, store: description, operation: "delete events before")
        if limit == 0 { return [] }
        return try await withConnection("delete events before") { connection in
            let query: PostgresQuery = """
                DELETE FROM events WHERE sequence IN
                    (SELECT sequence FROM events WHERE timestamp < \(timestamp) ORDER BY sequence LIMIT \(limit))
                RETURNING \(unescaped: Self.eventColumns)
                """
            return try await Self.fetchEvents(query, on: connection).sorted { $0.sequence < $1.sequence }
        }
    }

    public func deleteImpressions(before timestamp: Int64) async throws -> Int {
        try await withConnection("delete impressions before") { connection in
            try await Self.fetchInt("""
                WITH removed AS (DELETE FROM impressions WHERE timestamp < \(timestamp) RETURNING 1) SELECT count(*) FROM removed
                """, on: connection)
        }
    }
}
