import Foundation
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
