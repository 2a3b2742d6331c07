import GRDB
import TacitCore

extension SQLiteStore {
    static let eventColumns = "sequence, event_id, user_id, item_id, kind, timestamp, value, recommendation_id"

    /// Stores `events` in one transaction through one prepared statement.
    ///
    /// `INSERT ... ON CONFLICT (event_id) DO NOTHING` skips an event whose id is stored (or was
    /// stored earlier in this batch); the skipped event's summary entry is the stored sequence.
    /// SQLite has one writer at a time, so sequences are also in commit order: a reader paging
    /// with ``events(after:limit:)`` never sees a later sequence before an earlier one.
    /// Calls that arrive while a write runs share the next transaction (group commit, see
    /// ``InsertQueue``): with `durability: full` they share its `fsync`.
    /// - Complexity: O(n log N) for n events into N stored.
    public func insert(_ events: [StoredEvent]) async throws -> InsertSummary {
        if events.isEmpty { return InsertSummary(inserted: 0, duplicates: 0, sequences: []) }
        return try await inserts.submit(events, to: self)
    }

    /// Inserts the batches of several calls in one write transaction, a summary per batch.
    func insertTransaction(_ batches: [[StoredEvent]]) async throws -> [InsertSummary] {
        try await write("insert events") { db in
            try batches.map { try self.insertRows($0, db) }
        }
    }

    /// Inserts `events` in the current transaction (see ``insert(_:)``).
    func insertRows(_ events: [StoredEvent], _ db: Database) throws -> InsertSummary {
        let insert = try db.cachedStatement(sql: """
            INSERT INTO events (event_id, user_id, item_id, kind, timestamp, value, recommendation_id)
            VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING
            """)
        var sequences: [Int64] = []
        sequences.reserveCapacity(events.count)
        var inserted = 0
        for event in events {
            insert.setUncheckedArguments([
                event.eventID, event.user, event.item, event.kind.name, event.timestamp,
                event.value.map { Double($0) }, event.recommendationID,
            ])
            try insert.execute()
            if db.changesCount > 0 {
                sequences.append(db.lastInsertedRowID)
                inserted += 1
            } else {
                // Only an event with an id can conflict.
                let lookup = try db.cachedStatement(sql: "SELECT sequence FROM events WHERE event_id = ?")
                guard let eventID = event.eventID, let stored = try Int64.fetchOne(lookup, arguments: [eventID]) else {
                    throw StoreError.operationFailed(
                        self.description, operation: "insert events", id: event.eventID,
                        reason: "the event was not stored and no event with its id exists")
                }
                sequences.append(stored)
            }
        }
        return InsertSummary(inserted: inserted, duplicates: events.count - inserted, sequences: sequences)
    }

    public func events(of user: UserID, limit: Int?) async throws -> [StoredEvent] {
        try StoreError.checkLimit(limit, store: description, operation: "events of user")
        if limit == 0 { return [] }
        return try await read("events of user", id: user) { db in
            if let limit {
                let statement = try db.cachedStatement(sql: """
                    SELECT \(Self.eventColumns) FROM events WHERE user_id = ? ORDER BY sequence DESC LIMIT ?
                    """)
                return try Self.fetchEvents(statement, [user, limit]).reversed()
            }
            let statement = try db.cachedStatement(sql: """
                SELECT \(Self.eventColumns) FROM events WHERE user_id = ? ORDER BY sequence
                """)
            return try Self.fetchEvents(statement, [user])
        }
    }

    public func events(after sequence: Int64, limit: Int) async throws -> [StoredEvent] {
        try StoreError.checkLimit(limit, store: description, operation: "events after")
        if limit == 0 { return [] }
        return try await read("events after") { db in
            let statement = try db.cachedStatement(sql: """
                SELECT \(Self.eventColumns) FROM events WHERE sequence > ? ORDER BY sequence LIMIT ?
                """)
            return try Self.fetchEvents(statement, [sequence, limit])
        }
    }

    public func eventCount() async throws -> Int {
        try await read("event count") { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM events") ?? 0
        }
    }

    public func lastSequence() async throws -> Int64 {
        try await read("last sequence") { db in
            try Int64.fetchOne(db, sql: "SELECT coalesce(max(sequence), 0) FROM events") ?? 0
        }
    }

    /// Decodes the rows of a `SELECT \(eventColumns)` statement.
    static func fetchEvents(_ statement: Statement, _ arguments: StatementArguments) throws -> [StoredEvent] {
        var events: [StoredEvent] = []
        let rows = try Row.fetchCursor(statement, arguments: arguments)
        while let row = try rows.next() {
            let value: Double? = row[6]
            events.append(StoredEvent(
                sequence: row[0], eventID: row[1], user: row[2], item: row[3], kind: EventKind(row[4] as String),
                timestamp: row[5], value: value.map(Float.init), recommendationID: row[7]))
        }
        return events
    }
}
