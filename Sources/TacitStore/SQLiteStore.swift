import Foundation
import GRDB
import TacitCore

/// The embedded store: one SQLite file through a GRDB `DatabasePool`.
///
/// - Journal: WAL, so readers never block the writer and the writer never blocks readers; GRDB's
///   pool runs one serialized writer connection and up to ``Configuration/maximumReaders`` readers.
/// - Durability: ``Configuration/durability`` (``StoreOptions/Durability``). `full`
///   (`synchronous = FULL`, the default): `COMMIT` returns after the `-wal` file is `fsync`ed,
///   so once a method returns its rows survive a power loss or kernel crash. `normal`
///   (`synchronous = NORMAL`): the transaction is appended to the `-wal` file by `write(2)`
///   before `COMMIT` returns, so its rows are in the operating system's page cache and survive
///   `kill -9` (or any crash) of this process, but a power loss or kernel crash can lose the last
///   transactions before the next checkpoint's `fsync`. In both modes the database is never
///   corrupted. docs/benchmarks.md measures what `full` costs.
/// - Concurrency: several processes may open the same file; a writer waits up to
///   ``Configuration/busyTimeout`` for another process's write transaction to finish.
///
/// The class is `Sendable` because its only state is the `DatabasePool` (itself `Sendable`, its
/// connections serialized on their own dispatch queues) and immutable values.
public final class SQLiteStore: EventStore {
    /// How the SQLite database is opened.
    public struct Configuration: Sendable {
        /// How long a write waits for another process's write transaction (default 5 seconds).
        public var busyTimeout: TimeInterval = 5
        /// At most this many concurrent reader connections (default 4).
        public var maximumReaders: Int = 4
        /// When a write is acknowledged: ``StoreOptions/Durability/full`` (an `fsync` per
        /// transaction; the default) or ``StoreOptions/Durability/normal``.
        public var durability: StoreOptions.Durability = .full

        public init() {}
    }

    /// The database file's path, as given.
    public let path: String
    /// `sqlite:<path>`.
    public let description: String
    let pool: DatabasePool
    /// Concurrent ``insert(_:)`` calls share transactions (group commit).
    let inserts = InsertQueue()

    /// Opens (creating when missing) the SQLite database at `path` and migrates its schema.
    ///
    /// The parent directory must exist (``Stores/open(_:)`` creates it). Throws
    /// ``StoreError/cannotOpen(_:reason:underlying:)`` naming the path when the file cannot be
    /// opened, is not a database, or its schema cannot be migrated.
    public init(path: String, configuration: Configuration = Configuration()) throws {
        self.path = path
        self.description = "sqlite:\(path)"
        guard !path.isEmpty else {
            throw StoreError.invalidLocation(path, reason: "empty SQLite path")
        }
        var config = GRDB.Configuration()
        config.busyMode = .timeout(configuration.busyTimeout)
        config.maximumReaderCount = max(1, configuration.maximumReaders)
        config.label = "tacit-store"
        let synchronous = configuration.durability == .full ? "FULL" : "NORMAL"
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = \(synchronous)")
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            // 32 MiB of page cache per connection (the default is 2 MiB): the indexes that
            // inserts touch stay in memory instead of being read back from the file.
            try db.execute(sql: "PRAGMA cache_size = -32768")
        }
        do {
            pool = try DatabasePool(path: path, configuration: config)
            // GRDB sets the writer to `synchronous = NORMAL` when it turns WAL on, after
            // `prepareDatabase` ran: set the writer's again (it keeps one connection for good).
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = \(synchronous)") }
        } catch {
            throw StoreError.cannotOpen(description, reason: Self.reason(error), underlying: error)
        }
        do {
            try Self.migrator.migrate(pool)
        } catch {
            try? pool.close()
            throw StoreError.cannotOpen(description, reason: "schema migration failed: \(Self.reason(error))", underlying: error)
        }
    }

    /// Closes every connection. The store must not be used afterwards.
    public func close() async throws {
        try await StoreError.wrap(description, "close") {
            try pool.close()
        }
    }

    /// A read transaction (a consistent snapshot), wrapping driver errors with `operation`.
    func read<T: Sendable>(_ operation: String, id: String? = nil, _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await StoreError.wrap(description, operation, id: id, reason: Self.reason) {
            try await pool.read(body)
        }
    }

    /// A write transaction (committed when `body` returns, rolled back when it throws).
    func write<T: Sendable>(_ operation: String, id: String? = nil, _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await StoreError.wrap(description, operation, id: id, reason: Self.reason) {
            try await pool.write(body)
        }
    }

    /// The SQLite message of a GRDB error (without GRDB's SQL echo), else the error's description.
    static func reason(_ error: any Error) -> String {
        if let error = error as? DatabaseError {
            return error.message ?? "\(error.resultCode)"
        }
        return "\(error)"
    }
}
