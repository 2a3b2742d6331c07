import GRDB
import TacitCore

extension SQLiteStore {
    public func impressions(of user: UserID) async throws -> [Impression] {
        try await read("impressions of user", id: user) { db in
            let statement = try db.cachedStatement(sql: "SELECT \(Self.impressionColumns) FROM impressions WHERE user_id = ? ORDER BY timestamp, recommendation_id")
            return try Row.fetchAll(statement, arguments: [user]).map { try Self.impression($0, store: self.description) }
        }
    }

    public func forgottenUsers() async throws -> [UserID: Int64] {
        try await read("forgotten users") { db in
            var result: [UserID: Int64] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT user_id, sequence FROM forgotten_users") { result[row[0]] = row[1] }
            return result
        }
    }

    public func pruneForgottenUsers(before sequence: Int64) async throws {
        try await write("prune forgotten users") { db in
            try db.execute(sql: "DELETE FROM forgotten_users WHERE sequence < ?", arguments: [sequence])
        }
    }

    public func deleteEvents(before timestamp: Int64, limit: Int) async throws -> [StoredEvent] {
        try StoreError.checkLimit(limit, store: description, operation: "delete events before")
        if limit == 0 { return [] }
        return try await write("delete events before") { db in
            let statement = try db.cachedStatement(sql: """
                DELETE FROM events WHERE sequence IN
                    (SELECT sequence FROM events WHERE timestamp < ? ORDER BY sequence LIMIT ?)
                RETURNING \(Self.eventColumns)
                """)
            return try Self.fetchEvents(statement, [timestamp, limit]).sorted { $0.sequence < $1.sequence }
        }
    }

    public func deleteImpressions(before timestamp: Int64) async throws -> Int {
        try await write("delete impressions before") { db in
            try db.execute(sql: "DELETE FROM impressions WHERE timestamp < ?", arguments: [timestamp])
            return db.changesCount
        }
    }
}
