import GRDB
import TacitCore

extension SQLiteStore {
    public func impressions(experiment: String, after: String?, limit: Int) async throws -> [Impression] {
        try StoreError.checkLimit(limit, store: description, operation: "impressions of experiment")
        if limit == 0 { return [] }
        return try await read("impressions of experiment", id: experiment) { db in
            let statement = try db.cachedStatement(sql: """
                SELECT \(Self.impressionColumns) FROM impressions WHERE experiment = ? AND recommendation_id > ? ORDER BY recommendation_id LIMIT ?
                """)
            var result: [Impression] = []
            let rows = try Row.fetchCursor(statement, arguments: [experiment, after ?? "", limit])
            while let row = try rows.next() { result.append(try Self.impression(row, store: "SQLite")) }
            return result
        }
    }

    public func outcomes(experiment: String, after sequence: Int64, limit: Int) async throws -> [StoredEvent] {
        try StoreError.checkLimit(limit, store: description, operation: "outcomes of experiment")
        if limit == 0 { return [] }
        return try await read("outcomes of experiment", id: experiment) { db in
            let statement = try db.cachedStatement(sql: """
                SELECT e.sequence, e.event_id, e.user_id, e.item_id, e.kind, e.timestamp, e.value, e.recommendation_id
                FROM events e
                JOIN impressions i ON i.recommendation_id = e.recommendation_id
                WHERE i.experiment = ? AND e.sequence > ? ORDER BY e.sequence LIMIT ?
                """)
            return try Self.fetchEvents(statement, [experiment, sequence, limit])
        }
    }
}
