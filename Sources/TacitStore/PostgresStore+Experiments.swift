import PostgresNIO
import TacitCore

extension PostgresStore {
    public func impressions(experiment: String, after: String?, limit: Int) async throws -> [Impression] {
        try StoreError.checkLimit(limit, store: description, operation: "impressions of experiment")
        if limit == 0 { return [] }
        let after = after ?? ""
        return try await withConnection("impressions of experiment", id: experiment) { connection in
            let rows = try await connection.query("""
                SELECT \(unescaped: Self.impressionColumns) FROM impressions WHERE experiment = \(experiment) AND recommendation_id > \(after)
                ORDER BY recommendation_id LIMIT \(limit)
                """, logger: Self.logger)
            return try await Self.impressions(from: rows, store: "PostgreSQL")
        }
    }

    public func outcomes(experiment: String, after sequence: Int64, limit: Int) async throws -> [StoredEvent] {
        try StoreError.checkLimit(limit, store: description, operation: "outcomes of experiment")
        if limit == 0 { return [] }
        return try await withConnection("outcomes of experiment", id: experiment) { connection in
            let query: PostgresQuery = """
                SELECT e.sequence, e.event_id, e.user_id, e.item_id, e.kind, e.timestamp, e.value, e.recommendation_id
                FROM events e JOIN impressions i ON i.recommendation_id = e.recommendation_id
                WHERE i.experiment = \(experiment) AND e.sequence > \(sequence) ORDER BY e.sequence LIMIT \(limit)
                """
            return try await Self.fetchEvents(query, on: connection)
        }
    }
}
