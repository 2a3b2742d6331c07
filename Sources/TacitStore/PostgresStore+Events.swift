import PostgresNIO
import TacitCore

extension PostgresStore {
    static let eventColumns = "sequence, event_id, user_id, item_id, kind, timestamp, value, recommendation_id"
    /// Rows per multi-row `INSERT` (7 parameters each; PostgreSQL allows 65535 per statement).
    static let eventsPerStatement = 1000

    /// Stores `events` in one transaction with multi-row `INSERT ... ON CONFLICT (event_id) DO
    /// NOTHING RETURNING sequence, event_id` statements.
    ///
    /// Repeated ids within the batch are dropped before sending (the first occurrence is stored).
    /// A `BIGSERIAL` default is drawn row by row in `VALUES` order, so the returned sequences,
    /// sorted, belong to the sent rows that were not skipped, in order; the skipped rows' stored
    /// sequences are then looked up by id. The transaction holds the shared insert lock
    /// (see ``PostgresStore`` on ordering).
    public func insert(_ events: [StoredEvent]) async throws -> InsertSummary {
        try await insert(events, beforeCommit: nil)
    }

    /// ``insert(_:)``, running `beforeCommit` after the rows are written (tests use it to hold a
    /// transaction open).
    func insert(
        _ events: [StoredEvent], beforeCommit: (@Sendable () async throws -> Void)?
    ) async throws -> InsertSummary {
        if events.isEmpty { return InsertSummary(inserted: 0, duplicates: 0, sequences: []) }
        // The first index of each event id; rows to send (first occurrences and id-less events).
        var firstIndex: [String: Int] = [:]
        var rows: [Int] = []
        rows.reserveCapacity(events.count)
        for (index, event) in events.enumerated() {
            if let id = event.eventID {
                if firstIndex[id] != nil { continue }
                firstIndex[id] = index
            }
            rows.append(index)
        }
        let rowsToSend = rows
        let firstOf = firstIndex
        return try await withTransaction("insert events") { connection in
            try await connection.query(PostgresQuery(unsafeSQL: Self.insertLockSQL), logger: Self.logger)
            var sequences = [Int64](repeating: 0, count: events.count)
            var inserted = 0
            var skippedIDs: [String] = []
            var start = 0
            while start < rowsToSend.count {
                let chunk = rowsToSend[start..<min(start + Self.eventsPerStatement, rowsToSend.count)]
                start = chunk.endIndex
                let returned = try await Self.insertChunk(chunk.map { events[$0] }, on: connection)
                let storedIDs = Set(returned.compactMap(\.eventID))
                var storedRows: [Int] = []
                for index in chunk {
                    if let id = events[index].eventID, !storedIDs.contains(id) {
                        skippedIDs.append(id)
                    } else {
                        storedRows.append(index)
                    }
                }
                guard storedRows.count == returned.count else {
                    throw StoreError.operationFailed(
                        self.description, operation: "insert events",
                        reason: "the database returned \(returned.count) sequences for \(storedRows.count) new rows")
                }
                for (index, row) in zip(storedRows, returned) { sequences[index] = row.sequence }
                inserted += returned.count
            }
            var stored: [String: Int64] = [:]
            if !skippedIDs.isEmpty {
                let query: PostgresQuery = "SELECT event_id, sequence FROM events WHERE event_id = ANY(\(skippedIDs))"
                for try await (id, sequence) in try await connection.query(query, logger: Self.logger).decode((String, Int64).self) {
                    stored[id] = sequence
                }
            }
            for (index, event) in events.enumerated() {
                guard let id = event.eventID else { continue }
                guard let first = firstOf[id] else { continue }
                if first == index, let sequence = stored[id] {
                    sequences[index] = sequence
                } else if first != index {
                    sequences[index] = sequences[first]
                }
            }
            try await beforeCommit?()
            return InsertSummary(inserted: inserted, duplicates: events.count - inserted, sequences: sequences)
        }
    }

    /// One multi-row insert; returns the stored rows' sequences and ids, by sequence.
    private static func insertChunk(
        _ events: [StoredEvent], on connection: PostgresConnection
    ) async throws -> [(sequence: Int64, eventID: String?)] {
        var sql = "INSERT INTO events (event_id, user_id, item_id, kind, timestamp, value, recommendation_id) VALUES "
        sql.reserveCapacity(sql.utf8.count + events.count * 48)
        var binds = PostgresBindings(capacity: events.count * 7)
        for (row, event) in events.enumerated() {
            let base = row * 7
            sql += row == 0 ? "(" : ",("
            sql += "$\(base + 1),$\(base + 2),$\(base + 3),$\(base + 4),$\(base + 5),$\(base + 6),$\(base + 7))"
            binds.append(event.eventID)
            binds.append(event.user)
            binds.append(event.item)
            binds.append(event.kind.name)
            binds.append(event.timestamp)
            binds.append(event.value.map { Double($0) })
            binds.append(event.recommendationID)
        }
        sql += " ON CONFLICT (event_id) DO NOTHING RETURNING sequence, event_id"
        var returned: [(sequence: Int64, eventID: String?)] = []
        returned.reserveCapacity(events.count)
        let rows = try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
        for try await (sequence, id) in rows.decode((Int64, String?).self) {
            returned.append((sequence, id))
        }
        returned.sort { $0.sequence < $1.sequence }
        return returned
    }

    public func events(of user: UserID, limit: Int?) async throws -> [StoredEvent] {
        try StoreError.checkLimit(limit, store: description, operation: "events of user")
        if limit == 0 { return [] }
        return try await withConnection("events of user", id: user) { connection in
            if let limit {
                let query: PostgresQuery = """
                    SELECT \(unescaped: Self.eventColumns) FROM events WHERE user_id = \(user)
                    ORDER BY sequence DESC LIMIT \(limit)
                    """
                return try await Self.fetchEvents(query, on: connection).reversed()
            }
            let query: PostgresQuery = """
                SELECT \(unescaped: Self.eventColumns) FROM events WHERE user_id = \(user) ORDER BY sequence
                """
            return try await Self.fetchEvents(query, on: connection)
        }
    }

    /// Waits for the inserts in flight to end, so the page never skips a sequence that has yet
    /// to commit (see ``PostgresStore`` on ordering).
    public func events(after sequence: Int64, limit: Int) async throws -> [StoredEvent] {
        try StoreError.checkLimit(limit, store: description, operation: "events after")
        if limit == 0 { return [] }
        return try await withTransaction("events after") { connection in
            try await connection.query(PostgresQuery(unsafeSQL: Self.horizonLockSQL), logger: Self.logger)
            let query: PostgresQuery = """
                SELECT \(unescaped: Self.eventColumns) FROM events WHERE sequence > \(sequence)
                ORDER BY sequence LIMIT \(limit)
                """
            return try await Self.fetchEvents(query, on: connection)
        }
    }

    public func eventCount() async throws -> Int {
        try await withConnection("event count") { connection in
            try await Self.fetchInt("SELECT count(*) FROM events", on: connection)
        }
    }

    /// Waits for the inserts in flight to end, like ``events(after:limit:)``.
    public func lastSequence() async throws -> Int64 {
        try await withTransaction("last sequence") { connection in
            try await connection.query(PostgresQuery(unsafeSQL: Self.horizonLockSQL), logger: Self.logger)
            return Int64(try await Self.fetchInt("SELECT coalesce(max(sequence), 0) FROM events", on: connection))
        }
    }

    /// The single `BIGINT` a query returns.
    static func fetchInt(_ query: PostgresQuery, on connection: PostgresConnection) async throws -> Int {
        for try await (value) in try await connection.query(query, logger: logger).decode(Int64.self) {
            return Int(value)
        }
        return 0
    }

    /// Decodes the rows of a `SELECT \(eventColumns)` query.
    static func fetchEvents(_ query: PostgresQuery, on connection: PostgresConnection) async throws -> [StoredEvent] {
        var events: [StoredEvent] = []
        let rows = try await connection.query(query, logger: logger)
        for try await (sequence, eventID, user, item, kind, timestamp, value, recommendationID)
            in rows.decode((Int64, String?, String, String, String, Int64, Double?, String?).self) {
            events.append(StoredEvent(
                sequence: sequence, eventID: eventID, user: user, item: item, kind: EventKind(kind),
                timestamp: timestamp, value: value.map(Float.init), recommendationID: recommendationID))
        }
        return events
    }
}
