import GRDB
import TacitCore

extension SQLiteStore {
    public func record(_ impressions: [Impression]) async throws {
        if impressions.isEmpty { return }
        try await write("record impressions", id: impressions[0].recommendationID) { db in
            let statement = try db.cachedStatement(sql: """
                INSERT OR REPLACE INTO impressions
                    (recommendation_id, user_id, scene, model, items, timestamp, experiment, variant, propensity)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for impression in impressions {
                statement.setUncheckedArguments([
                    impression.recommendationID, impression.user, impression.scene, impression.model,
                    RecordCoding.jsonArray(impression.items), impression.timestamp,
                    impression.experiment, impression.variant, impression.propensity,
                ])
                try statement.execute()
            }
        }
    }

    public func impression(recommendationID: String) async throws -> Impression? {
        try await read("impression", id: recommendationID) { db in
            let statement = try db.cachedStatement(sql: "SELECT \(Self.impressionColumns) FROM impressions WHERE recommendation_id = ?")
            return try Row.fetchOne(statement, arguments: [recommendationID]).map { try Self.impression($0, store: "SQLite") }
        }
    }

    public func impressions(recommendationIDs: [String]) async throws -> [Impression] {
        var result: [Impression] = []
        let ids = Array(Set(recommendationIDs)).sorted()
        for start in stride(from: 0, to: ids.count, by: 500) {
            let part = Array(ids[start..<min(ids.count, start + 500)])
            result += try await read("impressions by id", id: part[0]) { db in
                let marks = Array(repeating: "?", count: part.count).joined(separator: ", ")
                return try Row.fetchAll(db, sql: "SELECT \(Self.impressionColumns) FROM impressions WHERE recommendation_id IN (\(marks)) ORDER BY recommendation_id",
                                        arguments: StatementArguments(part)).map { try Self.impression($0, store: "SQLite") }
            }
        }
        return result
    }

    public func impressions(after: String?, before: Int64?, limit: Int) async throws -> [Impression] {
        try StoreError.checkLimit(limit, store: description, operation: "impressions")
        if limit == 0 { return [] }
        return try await read("impressions", id: after ?? "") { db in
            let statement = try db.cachedStatement(sql: """
                SELECT \(Self.impressionColumns) FROM impressions WHERE recommendation_id > ? AND timestamp < ? ORDER BY recommendation_id LIMIT ?
                """)
            var result: [Impression] = []
            let rows = try Row.fetchCursor(statement, arguments: [after ?? "", before ?? .max, limit])
            while let row = try rows.next() { result.append(try Self.impression(row, store: "SQLite")) }
            return result
        }
    }

    public func save(_ version: ModelVersionRecord) async throws {
        try await write("save model version", id: "\(version.model) v\(version.version)") { db in
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
            try Row.fetchAll(db, sql: "SELECT \(Self.modelVersionColumns) FROM model_versions ORDER BY created_at, model, version")
                .map(self.modelVersion)
        }
    }

    public func modelVersions(of model: String) async throws -> [ModelVersionRecord] {
        try await read("model versions", id: model) { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.modelVersionColumns) FROM model_versions WHERE model = ? ORDER BY version",
                             arguments: [model])
                .map(self.modelVersion)
        }
    }

    /// A row of ``modelVersionColumns`` as a record.
    private func modelVersion(_ row: Row) throws -> ModelVersionRecord {
        let version: Int = row[0]
        let model: String = row[1]
        let id = "\(model) v\(version)"
        let parameters = try RecordCoding.decode(
            [String: String].self, from: row[2], store: description, table: "model_versions", id: id, field: "parameters")
        let metrics = try RecordCoding.decode(
            [String: Double].self, from: row[12], store: description, table: "model_versions", id: id, field: "metrics")
        return ModelVersionRecord(
            version: version, model: model, parameters: parameters, path: row[3], createdAt: row[4],
            lastSequence: row[5], firstEventTime: row[6], lastEventTime: row[7], events: row[8],
            users: row[9], items: row[10], fitSeconds: row[11], metrics: metrics)
    }

    static let modelVersionColumns = """
        version, model, parameters, path, created_at, last_sequence, first_event_time, last_event_time, \
        events, users, items, fit_seconds, metrics
        """
}
