import Foundation
import GRDB
import Testing
import TacitCore
@testable import TacitStore
import TacitTestSupport

/// ``StoreOptions/Durability`` really sets `PRAGMA synchronous` on every SQLite connection.
@Suite struct SQLiteDurabilityTests {
    /// `PRAGMA synchronous` as SQLite reports it: 1 = NORMAL, 2 = FULL.
    static let pragmaValue: [StoreOptions.Durability: Int] = [.normal: 1, .full: 2]

    @Test(arguments: StoreOptions.Durability.allCases)
    func theDurabilitySetsSynchronousOnWriterAndReaders(_ durability: StoreOptions.Durability) async throws {
        let path = Fixtures.temporaryDirectory().appendingPathComponent("events.db").path
        let store = try await Stores.open(path, options: StoreOptions(durability: durability))
        let sqlite = try #require(store as? SQLiteStore)
        _ = try await store.insert([StoredEvent(eventID: "e1", user: "u", item: "i", kind: .view, timestamp: 1)])
        let writer = try await sqlite.pool.write { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }
        let reader = try await sqlite.pool.read { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }
        let journal = try await sqlite.pool.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(writer == Self.pragmaValue[durability])
        #expect(reader == Self.pragmaValue[durability])
        #expect(journal == "wal")
        try await store.close()
    }

    @Test func theDefaultIsFull() {
        #expect(StoreOptions().durability == .full)
        #expect(SQLiteStore.Configuration().durability == .full)
    }
}
