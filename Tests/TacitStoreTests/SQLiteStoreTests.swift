import Foundation
import GRDB
import Testing
import TacitCore
@testable import TacitStore
import TacitTestSupport

/// The ``EventStore`` conformance suite on SQLite (a temporary file per check).
@Suite struct SQLiteConformanceTests {
    @Test(arguments: EventStoreConformance.checks)
    func conforms(_ check: ConformanceCheck) async throws {
        try await check.body(.sqlite)
    }
}

/// What only the SQLite store does: files, WAL, open errors.
@Suite struct SQLiteStoreTests {
    @Test func opensInWALModeAndDescribesItsPath() async throws {
        let path = Fixtures.temporaryDirectory().appendingPathComponent("events.db").path
        let store = try SQLiteStore(path: path)
        #expect(store.description == "sqlite:\(path)")
        _ = try await store.insert([StoredEvent(user: "u", item: "i", kind: .view, timestamp: 1)])
        #expect(FileManager.default.fileExists(atPath: path + "-wal"), "a write goes to the write-ahead log")
        try await store.close()
    }

    @Test func aDirectoryThatDoesNotExistIsACannotOpenErrorNamingThePath() throws {
        let path = "/nonexistent-\(UUID().uuidString)/events.db"
        do {
            _ = try SQLiteStore(path: path)
            Issue.record("opened \(path)")
        } catch let error as StoreError {
            #expect(error.code == .cannotOpen)
            #expect(error.description.contains(path), "\(error)")
        }
    }

    @Test func aFileThatIsNotADatabaseIsACannotOpenError() throws {
        let path = Fixtures.temporaryDirectory().appendingPathComponent("notes.txt").path
        try Data(String(repeating: "not a database\n", count: 100).utf8).write(to: URL(fileURLWithPath: path))
        do {
            _ = try SQLiteStore(path: path)
            Issue.record("opened a text file as a database")
        } catch let error as StoreError {
            #expect(error.code == .cannotOpen)
            #expect(error.description.contains(path), "\(error)")
        }
    }

    @Test func storesOpenCreatesMissingParentDirectories() async throws {
        let directory = Fixtures.temporaryDirectory()
        let path = directory.appendingPathComponent("a/b/c/events.db").path
        let store = try await Stores.open(path)
        #expect(store is SQLiteStore)
        #expect(store.description == "sqlite:\(path)")
        #expect(FileManager.default.fileExists(atPath: path))
        try await store.close()
        let prefixed = try await Stores.open("sqlite:" + path)
        #expect(prefixed.description == "sqlite:\(path)")
        try await prefixed.close()
        try? FileManager.default.removeItem(at: directory)
    }

    @Test func sqlitePathsDropThePrefixAndExpandTheHomeDirectory() {
        #expect(Stores.sqlitePath("sqlite:/tmp/x.db") == "/tmp/x.db")
        #expect(Stores.sqlitePath("sqlite:///tmp/x.db") == "/tmp/x.db")
        #expect(Stores.sqlitePath("data/x.db") == "data/x.db")
        #expect(Stores.sqlitePath("~/x.db") == NSString(string: "~/x.db").expandingTildeInPath)
    }
}

/// Opening a database written by an older schema converts it.
@Suite struct SQLiteMigrationTests {
    /// `model_versions` as the first schema created it (keyed by version alone).
    static let firstModelVersions = """
        CREATE TABLE model_versions (
            version INTEGER PRIMARY KEY NOT NULL, model TEXT NOT NULL, parameters TEXT NOT NULL DEFAULT '{}',
            path TEXT NOT NULL, created_at INTEGER NOT NULL, last_sequence INTEGER NOT NULL,
            first_event_time INTEGER, last_event_time INTEGER, events INTEGER NOT NULL, users INTEGER NOT NULL,
            items INTEGER NOT NULL, fit_seconds REAL NOT NULL, metrics TEXT NOT NULL DEFAULT '{}');
        """

    /// A database at `path` whose migrations `applied` ran as `sql` (the first) and no-ops (the others).
    static func oldDatabase(at path: String, applied: [String], _ sql: String) throws {
        let queue = try DatabaseQueue(path: path)
        var migrator = DatabaseMigrator()
        for (index, name) in applied.enumerated() {
            migrator.registerMigration(name) { db in if index == 0 { try db.execute(sql: sql) } }
        }
        try migrator.migrate(queue)
        try queue.close()
    }

    @Test func firstSchemaImpressionRowsBecomeOneListPerResponse() async throws {
        let directory = Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("old.db").path
        try Self.oldDatabase(at: path, applied: ["v1"], """
            CREATE TABLE impressions (
                id INTEGER PRIMARY KEY, recommendation_id TEXT NOT NULL, user_id TEXT NOT NULL, item_id TEXT NOT NULL,
                position INTEGER NOT NULL, scene TEXT NOT NULL, model TEXT NOT NULL, timestamp INTEGER NOT NULL);
            CREATE INDEX impressions_recommendation ON impressions (recommendation_id);
            CREATE INDEX impressions_user ON impressions (user_id);
            CREATE TABLE events (sequence INTEGER PRIMARY KEY, recommendation_id TEXT, timestamp INTEGER NOT NULL);
            \(Self.firstModelVersions)
            INSERT INTO impressions (recommendation_id, user_id, item_id, position, scene, model, timestamp) VALUES
                ('r1', 'u1', 'b', 1, 'home', 'als-2', 10), ('r2', 'u2', 'x', 0, 'cart', 'fallback', 11),
                ('r1', 'u1', 'a', 0, 'home', 'als-2', 10), ('r1', 'u1', 'c', 2, 'home', 'als-2', 10);
            """)
        // The real v1 migration created more tables; the store's v1 is recorded as applied, so
        // only v2 and later run (of v1's other tables, v3's index needs `events.recommendation_id`,
        // v4 re-keys `model_versions` and v5 indexes `events.timestamp`).
        let store = try SQLiteStore(path: path)
        #expect(try await store.impression(recommendationID: "r1")
                == Impression(recommendationID: "r1", user: "u1", scene: "home", model: "als-2", items: ["a", "b", "c"], timestamp: 10))
        #expect(try await store.impression(recommendationID: "r2")?.items == ["x"])
        try await store.close()
    }

    @Test func firstSchemaModelVersionsKeepTheirNumbersAndAreKeyedByModel() async throws {
        let directory = Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("old.db").path
        // The later migrations of other tables are recorded as applied; the re-keying runs, then
        // v5 (which indexes the timestamps of v1's events and v2's impressions).
        try Self.oldDatabase(at: path, applied: ["v1", "v2-impression-lists", "v3-experiment-indexes"],
                             Self.firstModelVersions + EventStoreConformance.firstSchemaModelVersionRows + """
                             CREATE TABLE events (sequence INTEGER PRIMARY KEY, timestamp INTEGER NOT NULL);
                             CREATE TABLE impressions (recommendation_id TEXT PRIMARY KEY, timestamp INTEGER NOT NULL);
                             """)
        let store = try SQLiteStore(path: path)
        try await EventStoreConformance.expectFirstSchemaModelVersionsKeyedByModel(store)
        try await store.close()
    }
}
