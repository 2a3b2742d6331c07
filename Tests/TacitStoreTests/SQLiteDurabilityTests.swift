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

/// Concurrent inserts share transactions (``InsertQueue``) yet each gets its own exact summary.
@Suite struct SQLiteGroupCommitTests {
    @Test func concurrentInsertsEachGetTheirOwnSummary() async throws {
        let path = Fixtures.temporaryDirectory().appendingPathComponent("events.db").path
        let store = try SQLiteStore(path: path)
        // 200 calls at once: ids 0..<100 twice each (one of each pair is a duplicate), plus
        // calls of three events where the middle one repeats the first.
        let summaries = try await withThrowingTaskGroup(of: (Int, InsertSummary).self) { group in
            for call in 0..<200 {
                group.addTask {
                    let id = "e\(call % 100)"
                    let events = call < 150
                        ? [StoredEvent(eventID: id, user: "u\(call % 7)", item: "i\(call)", kind: .view, timestamp: Int64(call))]
                        : [StoredEvent(eventID: "b\(call)", user: "u", item: "x", kind: .view, timestamp: 1),
                           StoredEvent(eventID: "b\(call)", user: "u", item: "x", kind: .view, timestamp: 1),
                           StoredEvent(user: "u", item: "y", kind: .click, timestamp: 2)]
                    return (call, try await store.insert(events))
                }
            }
            var all: [Int: InsertSummary] = [:]
            for try await (call, summary) in group { all[call] = summary }
            return all
        }
        let stored = try await store.events(after: 0, limit: 10_000)
        let sequenceOf = Dictionary(stored.compactMap { e in e.eventID.map { ($0, e.sequence) } }, uniquingKeysWith: { a, _ in a })
        // e0..e49 were sent twice (calls k and k+100 for k < 50), e50..e99 once; b150..b199 once each.
        #expect(stored.count == 100 + 50 * 2)
        var inserted = 0
        for (call, summary) in summaries {
            inserted += summary.inserted
            if call < 150 {
                #expect(summary.sequences == [sequenceOf["e\(call % 100)"]!])
            } else {
                #expect(summary.inserted == 2 && summary.duplicates == 1)
                #expect(summary.sequences[0] == sequenceOf["b\(call)"]! && summary.sequences[1] == summary.sequences[0])
            }
        }
        #expect(inserted == stored.count)
        #expect(stored.map(\.sequence) == stored.map(\.sequence).sorted())
        try await store.close()
    }
}
