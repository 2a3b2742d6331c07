import GRDB
import TacitCore

extension SQLiteStore {
    public func record(_ impressions: [Impression]) async throws {
        if impressions.isEmpty { return }
        try await write("record impressions", id: impressions[0].recommendationID) { db in
            let statement = try db.cachedStatement(sql: """
                INSERT INTO impressions (recommendation_id, user_id, item_id, position, scene, model, timestamp)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """)
            for impression in impressions {
                statement.setUncheckedArguments([
                    impression.recommendationID, impression.user, impression.item, impression.position,
                    impression.scene, impression.model, impression.timestamp,
                ])
                try statement.execute()
            }
        }
    }

    /// The impressions of one response, by position (then in recording order).
    public func impressions(recommendationID: String) async throws -> [Impression] {
        try await read("impressions", id: recommendationID) { db in
            let statement = try db.cachedStatement(sql: """
                SELECT recommendation_id, user_id, item_id, position, scene, model, timestamp
                FROM impressions WHERE recommendation_id = ? ORDER BY position, id
                """)
            return try Row.fetchAll(statement, arguments: [recommendationID]).map { row in
                Impression(
                    recommendationID: row[0], user: row[1], item: row[2], position: row[3],
                    scene: row[4], model: row[5], timestamp: row[6])
            }
        }
    }

    public func save(_ version: ModelVersionRecord) async throws {
        try await write("save model version", id: String(version.version)) { db in
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO model_versions (\(Self.modelVersionColumns))
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    version.version, version.model, RecordCoding.json(version.parameters), version.path,
                    version.createdAt, version.lastSequence, version.firstEventTime, version.lastEventTime,
                    version.events, version.users, version.items, version.fitSeconds,
                    RecordCoding.json(metrics: version.metrics),
                ])
        }
    }

    public func modelVersions() async throws -> [ModelVersionRecord] {
        try await read("model versions") { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.modelVersionColumns) FROM model_versions ORDER BY version").map { row in
                let version: Int = row[0]
                let parameters = try RecordCoding.decode(
                    [String: String].self, from: row[2], store: self.description, table: "model_versions",
                    id: String(version), field: "parameters")
                let metrics = try RecordCoding.decode(
                    [String: Double].self, from: row[12], store: self.description, table: "model_versions",
                    id: String(version), field: "metrics")
                return ModelVersionRecord(
                    version: version, model: row[1], parameters: parameters, path: row[3], createdAt: row[4],
                    lastSequence: row[5], firstEventTime: row[6], lastEventTime: row[7], events: row[8],
                    users: row[9], items: row[10], fitSeconds: row[11], metrics: metrics)
            }
        }
    }

    static let modelVersionColumns = """
        version, model, parameters, path, created_at, last_sequence, first_event_time, last_event_time, \
        events, users, items, fit_seconds, metrics
        """
}
