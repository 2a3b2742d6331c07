import Foundation
import PostgresNIO
import TacitCore

/// The shared store: a PostgreSQL database through a postgres-nio `PostgresClient` pool.
///
/// - Location: a `postgres://` or `postgresql://` URL (see ``init(url:)`` for the accepted forms),
///   over TCP or a unix socket.
/// - TLS: off. The store is meant for a database on the same host or a private network; a URL
///   that asks for TLS (`sslmode=require`, `verify-ca`, `verify-full`) is refused, never silently
///   downgraded.
/// - Schema: the tables are created on open if missing (`CREATE TABLE IF NOT EXISTS`, under a
///   transaction-scoped advisory lock so several replicas can start at once), in `public` or in
///   the URL's `schema`.
/// - Durability: a method returns after `COMMIT`, which with PostgreSQL's default
///   `synchronous_commit = on` has flushed the WAL to disk.
/// - Outages: every call is bounded (``StoreOptions``): it waits at most `connectTimeout` for a
///   pooled connection (each connection attempt is bounded by it too) and `queryTimeout` for its
///   statements; past either, or when the server refuses, drops or is restarting, it throws
///   ``StoreError/Code/unavailable`` (see ``withDeadlines(_:id:_:)``). The pool keeps retrying
///   in the background with a growing back-off, so calls succeed again soon after the server
///   returns, without a restart.
/// - Ordering: a `BIGSERIAL` is drawn at insert time, but transactions commit in any order, so
///   sequence 7 can become visible before sequence 6. A reader that pages with
///   ``events(after:limit:)`` would then skip 6 forever. So inserts hold a shared advisory lock
///   until they end, and ``events(after:limit:)`` and ``lastSequence()`` first take it
///   exclusively: they wait for the inserts in flight to commit or roll back, then read a
///   snapshot with no gaps still to fill. Inserts stay concurrent among themselves (their
///   commits share `fsync`s); only those readers briefly hold them back.
///
/// The class is `Sendable`: its state is the thread-safe `PostgresClient`, the task running it,
/// and immutable values.
public final class PostgresStore: EventStore {
    /// The URL without its password (`postgres://user@host:5432/db`).
    public let description: String
    let location: PostgresLocation
    /// The timeouts (``StoreOptions/connectTimeout`` as the URL may override it, and
    /// ``StoreOptions/queryTimeout``).
    let options: StoreOptions
    let client: PostgresClient
    private let runTask: Task<Void, Never>

    /// postgres-nio's logger: errors only (the store reports failures as ``StoreError``).
    static let logger: Logger = {
        var logger = Logger(label: "tacit.store.postgres")
        logger.logLevel = .error
        return logger
    }()

    /// Connects to the database at `url`, creates the tables when missing and starts the pool.
    ///
    /// `url` is `postgres://user:password@host:port/database` or, for a unix socket,
    /// `postgres:///database?host=/path/to/socket-directory`; query parameters `sslmode`,
    /// `connect_timeout` (seconds), `schema`, `pool_max` and `application_name` are understood
    /// (see `PostgresLocation`). `options` bounds connecting and each call (its durability is
    /// ignored). Throws ``StoreError/invalidLocation(_:reason:)`` for a malformed URL and
    /// ``StoreError/cannotOpen(_:reason:underlying:)`` when the server cannot be reached within
    /// the connect timeout, refuses the login, or the schema cannot be created within the query
    /// timeout; the message names the URL (without the password).
    public init(url: String, options: StoreOptions = StoreOptions()) async throws {
        let location = try PostgresLocation(url: url)
        var options = options
        options.connectTimeout = location.connectTimeout(options)
        let description = location.description
        // Creating the schema waits for an advisory lock while other stores (replicas starting
        // together, parallel tests) create theirs: it gets at least a minute, not the query timeout.
        var schemaOptions = options
        schemaOptions.queryTimeout = max(options.queryTimeout, .seconds(60))
        do {
            let connection = try await PostgresConnection.connect(
                configuration: location.connectionConfiguration(schemaOptions), id: 0, logger: Self.logger)
            do {
                let schema = location.schema
                try await Self.race(connection, deadline: schemaOptions.queryTimeout) {
                    try await Self.createSchema(on: connection, schema: schema)
                }
                try await connection.close()
            } catch {
                try? await connection.close()
                throw error
            }
        } catch {
            throw StoreError.cannotOpen(description, reason: Self.reason(error), underlying: error)
        }
        let client = PostgresClient(configuration: location.clientConfiguration(options), backgroundLogger: Self.logger)
        self.location = location
        self.options = options
        self.description = description
        self.client = client
        self.runTask = Task { await client.run() }
    }

    /// Stops the pool (closing its connections) and waits for it to finish.
    public func close() async throws {
        runTask.cancel()
        let pool = runTask
        // The pool may keep retrying a connection after its cancellation (vapor/postgres-nio#599):
        // a shutdown waits for it at most 5 s.
        _ = try? await StoreError.within(.seconds(5), store: description, operation: "close") { await pool.value }
    }

    /// A store dropped without ``close()`` still stops its pool (without waiting for it).
    deinit {
        runTask.cancel()
    }

    /// Runs `body` on a pooled connection within the deadlines, wrapping driver errors with
    /// `operation` (``StoreError/Code/unavailable`` for an outage).
    func withConnection<T: Sendable>(
        _ operation: String, id: String? = nil, _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await withDeadlines(operation, id: id, body)
    }

    /// Runs `body` in a transaction (committed when it returns, rolled back when it throws),
    /// within the deadlines.
    func withTransaction<T: Sendable>(
        _ operation: String, id: String? = nil, _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await withDeadlines(operation, id: id) { connection in
            do {
                return try await connection.withTransaction(logger: Self.logger) { connection in try await body(connection) }
            } catch let error as PostgresTransactionError {
                // Report the error that made the transaction fail, not the wrapper.
                if let inner = error.closureError ?? error.beginError ?? error.commitError { throw inner }
                throw error
            }
        }
    }

    /// The server's message (and SQLSTATE) for a server error, the cause for a connection error.
    static func reason(_ error: any Error) -> String {
        if let error = error as? PostgresTransactionError,
            let inner = error.closureError ?? error.beginError ?? error.commitError {
            return reason(inner)
        }
        guard let error = error as? PSQLError else { return "\(error)" }
        if let info = error.serverInfo, let message = info[.message] {
            let state = info[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
            let detail = info[.detail].map { ": \($0)" } ?? ""
            return message + detail + state
        }
        if let underlying = error.underlying {
            return "\(error.code): \(String(describing: underlying))"
        }
        return "\(error.code)"
    }
}
