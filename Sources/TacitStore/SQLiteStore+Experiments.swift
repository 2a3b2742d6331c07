import GRDB
import TacitCore

extension SQLiteStore {
    public func impressions(experiment: String, after: String?, limit: Int) async throws -> [Impression] {
        try StoreError.checkLimit(limit, store: description, operation: "impressions of experiment")
        if limit == 0 { return [] }
        return try await read("impressions of experiment", id: experiment) { db in
            let statement = try db.cachedStatement(sql: """
                SELECT recommendation_id, user_id, scene, model, items, timestamp, experiment, variant, propensity
                FROM impressions WHERE experiment = ? AND recommendation_id > ? ORDER BY recommendation_id LIMIT ?
                """)
            var result: [Impression] = []
            let rows = try Row.fetchCursor(statement, arguments: [experiment, after ?? "", limit])
            while let row = try rows.next() {
                let id: String = row[0]
                result.append(Impression(
                    recommendationID: id, user: row[1], scene: row[2], model: row[3],
                    items: try RecordCoding.decode([String].self, from: row[4], store: "SQLite", table: "impressions",
                                                   id: id, field: "items"),
                    timestamp: row[5], experiment: row[6], variant: row[7], propensity: row[8]))
            }
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
