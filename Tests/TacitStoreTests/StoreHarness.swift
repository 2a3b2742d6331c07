import Foundation
import Testing
import TacitCore
@testable import TacitStore
import TacitTestSupport

/// Which store a conformance check runs against, and how it gets a fresh, private location.
///
/// SQLite: a file in a new temporary directory (which ``Stores/open(_:)`` must create).
/// PostgreSQL: the test server's URL with a new `schema=t_<random>` (dropped afterwards), so
/// checks are independent and run in parallel.
struct StoreHarness: Sendable, CustomStringConvertible {
    enum Kind: String, Sendable { case sqlite, postgres }

    let kind: Kind
    var description: String { kind.rawValue }

    static let sqlite = StoreHarness(kind: .sqlite)
    static let postgres = StoreHarness(kind: .postgres)

    /// A location no other check uses (nothing is created yet).
    func freshLocation() throws -> String {
        let token = UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        switch kind {
        case .sqlite:
            return FileManager.default.temporaryDirectory
                .appendingPathComponent("tacit-store-\(token)").appendingPathComponent("db/events.sqlite").path
        case .postgres:
            guard let url = TestPostgres.server?.tcpURL else { throw TestPostgres.unavailable }
            return url + (url.contains("?") ? "&" : "?") + "schema=t_\(token.prefix(20))"
        }
    }

    func open(_ location: String) async throws -> any EventStore {
        try await Stores.open(location)
    }

    /// Deletes everything at `location`.
    func remove(_ location: String) async {
        switch kind {
        case .sqlite:
            let directory = URL(fileURLWithPath: location).deletingLastPathComponent().deletingLastPathComponent()
            try? FileManager.default.removeItem(at: directory)
        case .postgres:
            if let store = try? await PostgresStore(url: location) {
                try? await store.dropSchema()
                try? await store.close()
            }
        }
    }

    /// Runs `body` with a fresh location, removing it afterwards (also when `body` throws).
    func withLocation(_ body: (String) async throws -> Void) async throws {
        let location = try freshLocation()
        do {
            try await body(location)
        } catch {
            await remove(location)
            throw error
        }
        await remove(location)
    }

    /// Runs `body` with a store open on a fresh location, closing and removing it afterwards.
    func withStore(_ body: (any EventStore) async throws -> Void) async throws {
        try await withLocation { location in
            let store = try await open(location)
            do {
                try await body(store)
            } catch {
                try? await store.close()
                throw error
            }
            try await store.close()
        }
    }
}

/// The PostgreSQL server the tests use.
///
/// `TACIT_TEST_POSTGRES_URL` (and optionally `TACIT_TEST_POSTGRES_SOCKET_URL`) name one, as
/// `scripts/test.sh` exports them. When it is unset and PostgreSQL's `initdb` is installed, the
/// tests start a private throwaway cluster with `scripts/postgres-test-server.sh`, which stops
/// and deletes it when this test process exits. Otherwise (and with `TACIT_TEST_POSTGRES=off`)
/// the PostgreSQL suites are skipped with ``skipMessage``.
enum TestPostgres {
    struct Server: Sendable {
        var tcpURL: String
        var socketURL: String?
    }

    static let server: Server? = {
        let environment = ProcessInfo.processInfo.environment
        if let url = environment["TACIT_TEST_POSTGRES_URL"], !url.isEmpty {
            return Server(tcpURL: url, socketURL: environment["TACIT_TEST_POSTGRES_SOCKET_URL"])
        }
        if environment["TACIT_TEST_POSTGRES"] == "off" { return nil }
        return startPrivateServer()
    }()

    static var isAvailable: Bool { server != nil }

    static let skipMessage: Comment = """
        PostgreSQL store tests skipped: TACIT_TEST_POSTGRES_URL is unset and no private server was \
        started (TACIT_TEST_POSTGRES=off, PostgreSQL not installed, or its start failed: see stderr; \
        scripts/postgres-test-server.sh start prints a URL to use)
        """

    struct Unavailable: Error, CustomStringConvertible {
        var description: String { "no PostgreSQL test server" }
    }
    static let unavailable = Unavailable()

    /// Starts a cluster owned by this process (`--owner-pid`): it is stopped when we exit.
    private static func startPrivateServer() -> Server? {
        guard let versions = try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql"),
            versions.contains(where: { FileManager.default.isExecutableFile(atPath: "/usr/lib/postgresql/\($0)/bin/initdb") })
        else { return nil }
        let script = Fixtures.packageRoot.appendingPathComponent("scripts/postgres-test-server.sh").path
        let pid = ProcessInfo.processInfo.processIdentifier
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tacit-pg-test-\(pid)").path
        let command = "TACIT_PG_DIR='\(directory)' /bin/bash '\(script)'"
        guard let tcp = firstLine(of: "\(command) start --owner-pid \(pid)") else { return nil }
        return Server(tcpURL: tcp, socketURL: firstLine(of: "\(command) url --socket"))
    }

    /// The first line a shell command prints, or nil when it fails.
    ///
    /// `popen` rather than Foundation's `Process`, whose `waitUntilExit` was seen to hang here
    /// (the child exited but its SIGCHLD never reached Foundation's watcher).
    private static func firstLine(of command: String) -> String? {
        guard let stream = popen(command, "r") else { return nil }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = fread(&buffer, 1, buffer.count, stream)
            if count <= 0 { break }
            bytes += buffer[0..<count]
        }
        guard pclose(stream) == 0 else { return nil }
        let line = String(decoding: bytes, as: UTF8.self).split(separator: "\n").first.map(String.init)
        return line?.isEmpty == false ? line : nil
    }
}
