import PostgresNIO
import TacitCore

extension PostgresStore {
    public func impressions(experiment: String, after: String?, limit: Int) async throws -> [Impression] {
        try StoreError.checkLimit(limit, store: description, operation: "impressions of experiment")
        if limit == 0 { return [] }
        let after = after ?? ""
        return try await withConnection("impressions of experiment", id: experiment) { connection in
            let rows = try await connection.query("""
                SELECT recommendation_id, user_id, scene, model, items::text, timestamp, experiment, variant, propensity
                FROM impressions WHERE experiment = \(experiment) AND recommendation_id > \(after)
                ORDER BY recommendation_id LIMIT \(limit)
                """, logger: Self.logger)
            var result: [Impression] = []
            for try await (recommendation, user, scene, model, items, timestamp, experiment, variant, propensity)
                in rows.decode((String, String, String, String, String, Int64, String?, String?, Double?).self) {
                result.append(Impression(
                    recommendationID: recommendation, user: user, scene: scene, model: model,
                    items: try RecordCoding.decode([String].self, from: items, store: "PostgreSQL", table: "impressions",
                                                   id: recommendation, field: "items"),
                    timestamp: timestamp, experiment: experiment, variant: variant, propensity: propensity))
            }
            return result
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
