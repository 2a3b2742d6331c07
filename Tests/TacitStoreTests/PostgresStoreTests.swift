import Foundation
import Testing
import TacitCore
@testable import TacitStore

/// The ``EventStore`` conformance suite on PostgreSQL (a fresh schema per check).
@Suite(.enabled(if: TestPostgres.isAvailable, TestPostgres.skipMessage))
struct PostgresConformanceTests {
    @Test(arguments: EventStoreConformance.checks)
    func conforms(_ check: ConformanceCheck) async throws {
        try await check.body(.postgres)
    }
}

/// What only the PostgreSQL store does: URLs, sockets, connection errors.
@Suite(.enabled(if: TestPostgres.isAvailable, TestPostgres.skipMessage))
struct PostgresStoreTests {
    @Test func storesOpenGivesAPostgresStoreForPostgresURLs() async throws {
        let location = try StoreHarness.postgres.freshLocation()
        let store = try await Stores.open(location)
        #expect(store is PostgresStore)
        #expect(store.description.hasPrefix("postgres://"))
        #expect(store.description.contains("schema=t_"))
        try await (store as? PostgresStore)?.dropSchema()
        try await store.close()
    }

    @Test(.enabled(if: TestPostgres.server?.socketURL != nil, "no unix-socket URL (TACIT_TEST_POSTGRES_SOCKET_URL)"))
    func connectsOverAUnixSocket() async throws {
        let url = TestPostgres.server!.socketURL! + "&schema=t_socket_\(UInt32.random(in: 0...UInt32.max))"
        let store = try await PostgresStore(url: url)
        if case .unixSocket = store.location.endpoint {} else { Issue.record("not a socket endpoint: \(store.location)") }
        let summary = try await store.insert([StoredEvent(eventID: "s1", user: "u", item: "i", kind: .view, timestamp: 1)])
        #expect(try await store.events(after: 0, limit: 1).map(\.sequence) == summary.sequences)
        try await store.dropSchema()
        try await store.close()
    }

    @Test func anUnreachableServerFailsWithTheURLButNotThePassword() async throws {
        let clock = ContinuousClock()
        let start = clock.now
        do {
            _ = try await PostgresStore(url: "postgres://tacit:s3cret@127.0.0.1:1/nowhere?connect_timeout=5")
            Issue.record("connected to port 1")
        } catch let error as StoreError {
            #expect(error.code == .cannotOpen)
            #expect(error.description.contains("127.0.0.1:1/nowhere"), "\(error)")
            #expect(!error.description.contains("s3cret"), "\(error)")
        }
        // Not a speed check: a guard that the pool gives up (connect_timeout=5, with retries)
        // instead of retrying forever.
        #expect(clock.now - start < .seconds(60))
    }

    @Test func aMissingDatabaseIsACannotOpenErrorWithTheServersMessage() async throws {
        var components = URLComponents(string: TestPostgres.server!.tcpURL)!
        components.path = "/tacit_no_such_database"
        do {
            _ = try await PostgresStore(url: components.string!)
            Issue.record("opened a database that does not exist")
        } catch let error as StoreError {
            #expect(error.code == .cannotOpen)
            #expect(error.description.contains("tacit_no_such_database"), "\(error)")
            #expect(error.description.contains("does not exist"), "\(error)")
        }
    }

    @Test func firstSchemaImpressionRowsBecomeOneListPerResponse() async throws {
        let location = try StoreHarness.postgres.freshLocation()
        let first = try await PostgresStore(url: location)
        try await first.withConnection("legacy table") { connection in
            try await connection.query("DROP TABLE impressions", logger: PostgresStore.logger)
            try await connection.query("""
                CREATE TABLE impressions (
                    id BIGSERIAL PRIMARY KEY, recommendation_id TEXT NOT NULL, user_id TEXT NOT NULL, item_id TEXT NOT NULL,
                    position INTEGER NOT NULL, scene TEXT NOT NULL, model TEXT NOT NULL, timestamp BIGINT NOT NULL)
                """, logger: PostgresStore.logger)
            try await connection.query("CREATE INDEX impressions_recommendation ON impressions (recommendation_id)", logger: PostgresStore.logger)
            try await connection.query("CREATE INDEX impressions_user ON impressions (user_id)", logger: PostgresStore.logger)
            try await connection.query("""
                INSERT INTO impressions (recommendation_id, user_id, item_id, position, scene, model, timestamp) VALUES
                    ('r1', 'u1', 'b', 1, 'home', 'als-2', 10), ('r2', 'u2', 'x', 0, 'cart', 'fallback', 11),
                    ('r1', 'u1', 'a', 0, 'home', 'als-2', 10), ('r1', 'u1', 'c', 2, 'home', 'als-2', 10)
                """, logger: PostgresStore.logger)
        }
        try await first.close()
        let store = try await PostgresStore(url: location)
        #expect(try await store.impression(recommendationID: "r1")
                == Impression(recommendationID: "r1", user: "u1", scene: "home", model: "als-2", items: ["a", "b", "c"], timestamp: 10))
        #expect(try await store.impression(recommendationID: "r2")?.items == ["x"])
        try await store.record([Impression(recommendationID: "r3", user: "u1", scene: "home", model: "m", items: ["z"], timestamp: 12)])
        #expect(try await store.deleteUser("u1") == 0)
        #expect(try await store.impression(recommendationID: "r1") == nil)
        try await store.dropSchema()
        try await store.close()
    }

    @Test func firstSchemaModelVersionsKeepTheirNumbersAndAreKeyedByModel() async throws {
        let location = try StoreHarness.postgres.freshLocation()
        let first = try await PostgresStore(url: location)
        try await first.withConnection("legacy table") { connection in
            try await connection.query("DROP TABLE model_versions", logger: PostgresStore.logger)
            try await connection.query("""
                CREATE TABLE model_versions (
                    version BIGINT PRIMARY KEY, model TEXT NOT NULL, parameters JSONB NOT NULL DEFAULT '{}', path TEXT NOT NULL,
                    created_at BIGINT NOT NULL, last_sequence BIGINT NOT NULL, first_event_time BIGINT, last_event_time BIGINT,
                    events BIGINT NOT NULL, users BIGINT NOT NULL, items BIGINT NOT NULL, fit_seconds DOUBLE PRECISION NOT NULL,
                    metrics JSONB NOT NULL DEFAULT '{}')
                """, logger: PostgresStore.logger)
            try await connection.query("\(unescaped: EventStoreConformance.firstSchemaModelVersionRows)", logger: PostgresStore.logger)
        }
        try await first.close()
        let store = try await PostgresStore(url: location)
        try await EventStoreConformance.expectFirstSchemaModelVersionsKeyedByModel(store)
        try await store.close()
        // Opening again leaves the new key as it is.
        let again = try await PostgresStore(url: location)
        #expect(try await again.modelVersions().count == 4)
        try await again.dropSchema()
        try await again.close()
    }

    @Test func storesInDifferentSchemasAreIndependent() async throws {
        try await StoreHarness.postgres.withStore { first in
            try await StoreHarness.postgres.withStore { second in
                _ = try await first.insert([StoredEvent(user: "u", item: "i", kind: .view, timestamp: 1)])
                #expect(try await first.eventCount() == 1)
                #expect(try await second.eventCount() == 0)
            }
        }
    }
}

/// The ordering guarantee of ``PostgresStore``: a reader paging by sequence never sees a later
/// sequence while an earlier one is still uncommitted.
@Suite(.enabled(if: TestPostgres.isAvailable, TestPostgres.skipMessage))
struct PostgresOrderingTests {
    @Test func pagingWaitsForAnEarlierSequenceStillInFlight() async throws {
        try await StoreHarness.postgres.withStore { anyStore in
            let store = try #require(anyStore as? PostgresStore)
            let (drawn, signal) = AsyncStream<Void>.makeStream()
            let slow = Task {
                try await store.insert([StoredEvent(user: "slow", item: "i", kind: .view, timestamp: 1)]) {
                    signal.yield()
                    try await Task.sleep(for: .milliseconds(700))
                }
            }
            var iterator = drawn.makeAsyncIterator()
            await iterator.next()  // the slow insert has drawn its sequence and not committed
            let fast = try await store.insert([StoredEvent(user: "fast", item: "i", kind: .view, timestamp: 2)])
            let page = try await store.events(after: 0, limit: 10)
            let slowSequence = try await slow.value.sequences[0]
            #expect(slowSequence < fast.sequences[0])
            #expect(page.map(\.sequence) == [slowSequence, fast.sequences[0]], "the page waited for the slow insert")
            #expect(try await store.lastSequence() == fast.sequences[0])
        }
    }
}
