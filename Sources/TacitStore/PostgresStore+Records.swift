import PostgresNIO
import TacitCore

extension PostgresStore {
    /// Rows per multi-row impression insert (9 parameters each).
    static let impressionsPerStatement = 1000

    public func record(_ impressions: [Impression]) async throws {
        if impressions.isEmpty { return }
        // One statement cannot upsert a key twice: the last impression of a repeated id wins.
        var latest: [String: Int] = [:]
        for (index, impression) in impressions.enumerated() { latest[impression.recommendationID] = index }
        let unique = impressions.enumerated().filter { latest[$0.element.recommendationID] == $0.offset }.map(\.element)
        try await withTransaction("record impressions", id: unique[0].recommendationID) { connection in
            var start = 0
            while start < unique.count {
                let chunk = unique[start..<min(start + Self.impressionsPerStatement, unique.count)]
                start = chunk.endIndex
                var sql = """
                    INSERT INTO impressions (recommendation_id, user_id, scene, model, items, timestamp, experiment, variant, propensity) VALUES 
                    """
                var binds = PostgresBindings(capacity: chunk.count * 9)
                for (row, impression) in chunk.enumerated() {
                    let p = row * 9
                    sql += row == 0 ? "(" : ",("
                    sql += "$\(p + 1),$\(p + 2),$\(p + 3),$\(p + 4),$\(p + 5)::jsonb,$\(p + 6),$\(p + 7),$\(p + 8),$\(p + 9))"
                    binds.append(impression.recommendationID)
                    binds.append(impression.user)
                    binds.append(impression.scene)
                    binds.append(impression.model)
                    binds.append(RecordCoding.jsonArray(impression.items))
                    binds.append(impression.timestamp)
                    binds.append(impression.experiment)
                    binds.append(impression.variant)
                    binds.append(impression.propensity)
                }
                sql += """
                     ON CONFLICT (recommendation_id) DO UPDATE SET user_id = EXCLUDED.user_id, scene = EXCLUDED.scene,
                    model = EXCLUDED.model, items = EXCLUDED.items, timestamp = EXCLUDED.timestamp,
                    experiment = EXCLUDED.experiment, variant = EXCLUDED.variant, propensity = EXCLUDED.propensity
                    """
                try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: Self.logger)
            }
        }
    }

    public func impression(recommendationID: String) async throws -> Impression? {
        try await withConnection("impression", id: recommendationID) { connection in
            let rows = try await connection.query("""
                SELECT \(unescaped: Self.impressionColumns) FROM impressions WHERE recommendation_id = \(recommendationID)
                """, logger: Self.logger)
            return try await Self.impressions(from: rows, store: "PostgreSQL").first
        }
    }

    public func impressions(recommendationIDs: [String]) async throws -> [Impression] {
        var result: [Impression] = []
        let ids = Array(Set(recommendationIDs)).sorted()
        for start in stride(from: 0, to: ids.count, by: 1_000) {
            let part = Array(ids[start..<min(ids.count, start + 1_000)])
            result += try await withConnection("impressions by id", id: part[0]) { connection in
                let rows = try await connection.query("""
                    SELECT \(unescaped: Self.impressionColumns) FROM impressions WHERE recommendation_id = ANY(\(part)) ORDER BY recommendation_id
                    """, logger: Self.logger)
                return try await Self.impressions(from: rows, store: "PostgreSQL")
            }
        }
        return result
    }

    public func impressions(after: String?, before: Int64?, limit: Int) async throws -> [Impression] {
        try StoreError.checkLimit(limit, store: description, operation: "impressions")
        if limit == 0 { return [] }
        let after = after ?? "", before = before ?? .max
        return try await withConnection("impressions", id: after) { connection in
            let rows = try await connection.query("""
                SELECT \(unescaped: Self.impressionColumns) FROM impressions WHERE recommendation_id > \(after) AND timestamp < \(before)
                ORDER BY recommendation_id LIMIT \(limit)
                """, logger: Self.logger)
            return try await Self.impressions(from: rows, store: "PostgreSQL")
        }
    }

    public func save(_ version: ModelVersionRecord) async throws {
        try await withConnection("save model version", id: "\(version.model) v\(version.version)") { connection in
            let parameters = RecordCoding.json(version.parameters)
            let metrics = RecordCoding.json(metrics: version.metrics)
            _ = try await connection.query("""
                INSERT INTO model_versions (\(unescaped: Self.modelVersionColumns))
                VALUES (\(version.version), \(version.model), \(parameters)::jsonb, \(version.path), \(version.createdAt),
                    \(version.lastSequence), \(version.firstEventTime), \(version.lastEventTime), \(version.events),
                    \(version.users), \(version.items), \(version.fitSeconds), \(metrics)::jsonb)
                ON CONFLICT (model, version) DO UPDATE SET parameters = EXCLUDED.parameters,
                    path = EXCLUDED.path, created_at = EXCLUDED.created_at, last_sequence = EXCLUDED.last_sequence,
                    first_event_time = EXCLUDED.first_event_time, last_event_time = EXCLUDED.last_event_time,
                    events = EXCLUDED.events, users = EXCLUDED.users, items = EXCLUDED.items,
                    fit_seconds = EXCLUDED.fit_seconds, metrics = EXCLUDED.metrics
                """, logger: Self.logger)
        }
    }

    public func modelVersions() async throws -> [ModelVersionRecord] {
        try await withConnection("model versions") { connection in
            let rows = try await connection.query("""
                SELECT \(unescaped: Self.modelVersionSelect) FROM model_versions ORDER BY created_at, model, version
                """, logger: Self.logger)
            return try await self.modelVersions(rows)
        }
    }

    public func modelVersions(of model: String) async throws -> [ModelVersionRecord] {
        try await withConnection("model versions", id: model) { connection in
            let rows = try await connection.query("""
                SELECT \(unescaped: Self.modelVersionSelect) FROM model_versions WHERE model = \(model) ORDER BY version
                """, logger: Self.logger)
            return try await self.modelVersions(rows)
        }
    }

    /// Rows of ``modelVersionSelect`` as records.
    private func modelVersions(_ rows: PostgresRowSequence) async throws -> [ModelVersionRecord] {
        var versions: [ModelVersionRecord] = []
        for try await (version, model, parameters, path, createdAt, lastSequence, firstEventTime, lastEventTime,
            events, users, items, fitSeconds, metrics)
            in rows.decode((Int, String, String, String, Int64, Int64, Int64?, Int64?, Int, Int, Int, Double, String).self) {
            let id = "\(model) v\(version)"
            versions.append(ModelVersionRecord(
                version: version, model: model,
                parameters: try RecordCoding.decode(
                    [String: String].self, from: parameters, store: description, table: "model_versions", id: id, field: "parameters"),
                path: path, createdAt: createdAt, lastSequence: lastSequence, firstEventTime: firstEventTime,
                lastEventTime: lastEventTime, events: events, users: users, items: items, fitSeconds: fitSeconds,
                metrics: try RecordCoding.decode(
                    [String: Double].self, from: metrics, store: description, table: "model_versions", id: id, field: "metrics")))
        }
        return versions
    }

    /// The columns of ``modelVersions(_:)``, JSON as text.
    static let modelVersionSelect = """
        version, model, parameters::text, path, created_at, last_sequence, first_event_time, \
        last_event_time, events, users, items, fit_seconds, metrics::text
        """

    static let modelVersionColumns = """
        version, model, parameters, path, created_at, last_sequence, first_event_time, last_event_time, \
        events, users, items, fit_seconds, metrics
        """
}
