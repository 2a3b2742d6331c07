import Foundation
import PostgresNIO

extension PostgresStore {
    /// Runs `body` on a pooled connection, bounded by two deadlines, and turns errors into
    /// ``StoreError`` with `operation` and `id`.
    ///
    /// - Lease: a call that holds no connection after ``StoreOptions/connectTimeout`` gives up
    ///   (postgres-nio's pool would otherwise keep the request waiting while it retries a dead
    ///   server, up to a minute before its circuit breaker opens).
    /// - Query: `body` gets ``StoreOptions/queryTimeout`` from the moment it holds the
    ///   connection; past it, the connection is closed (the server rolls back an open
    ///   transaction) so a hung server cannot hold the call. PostgreSQL's `statement_timeout`
    ///   ends a slow statement on the server side with the same bound.
    ///
    /// A timeout, a refused, dropped or timed-out connection, the pool's open circuit breaker, and
    /// the server's connection, shutdown, start-up and resource errors become
    /// ``StoreError/Code/unavailable``; anything else ``StoreError/Code/operationFailed``.
    /// A write cut off while its `COMMIT` was in flight may have been committed: the caller
    /// saw an error, so nothing it was told is stored can be lost, and a retry with the same
    /// event ids stores the events once.
    func withDeadlines<T: Sendable>(
        _ operation: String, id: String?, _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        let client = self.client
        let options = self.options
        let description = self.description
        let leased = LeaseInstant()
        do {
            // Unstructured: past a deadline the caller gets its answer at once, even when the
            // pool's connection request does not react to cancellation (seen after an outage).
            return try await StoreError.race({
                try await client.withConnection { connection in
                    leased.mark()
                    return try await Self.closingOnCancel(connection) { try await body(connection) }
                }
            }, timer: {
                try await Task.sleep(for: options.connectTimeout)
                guard let start = leased.instant else {
                    return StoreError.unavailable(
                        description, operation: operation,
                        reason: "no connection to the database within \(options.connectTimeout) (connect_timeout)")
                }
                try await Task.sleep(until: start + options.queryTimeout)
                return StoreError.unavailable(
                    description, operation: operation,
                    reason: "no answer from the database within \(options.queryTimeout) (query_timeout); the connection was closed")
            })
        } catch let error as StoreError {
            throw error
        } catch {
            if Self.isOutage(error) {
                throw StoreError.unavailable(description, operation: operation, reason: Self.reason(error), underlying: error)
            }
            throw StoreError.operationFailed(description, operation: operation, id: id, reason: Self.reason(error), underlying: error)
        }
    }

    /// Runs `body` on `connection` (not pooled), closing the connection and throwing when it
    /// takes longer than `deadline` (opening the store uses it for the schema).
    static func race(
        _ connection: PostgresConnection, deadline: Duration, _ body: @escaping @Sendable () async throws -> Void
    ) async throws {
        let finished = try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                try await closingOnCancel(connection) { try await body() }
                return true
            }
            group.addTask {
                try await Task.sleep(for: deadline)
                return false
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
        if !finished {
            throw StoreError.unavailable(
                "postgres", operation: "create schema",
                reason: "no answer from the database within \(deadline) (query_timeout)")
        }
    }

    /// Runs `body`; when the task is cancelled meanwhile, closes `connection`, which fails the
    /// statement in flight at once (postgres-nio's queries do not react to cancellation).
    static func closingOnCancel<R: Sendable>(
        _ connection: PostgresConnection, _ body: () async throws -> R
    ) async throws -> R {
        try await withTaskCancellationHandler {
            try await body()
        } onCancel: {
            let closing: EventLoopFuture<Void> = connection.close()
            _ = closing
        }
    }

    /// Whether `error` means the database cannot be reached now (see ``withDeadlines(_:id:_:)``).
    static func isOutage(_ error: any Error) -> Bool {
        if let error = error as? PostgresTransactionError,
            let inner = error.closureError ?? error.beginError ?? error.commitError {
            return isOutage(inner)
        }
        if let error = error as? PSQLError {
            switch error.code {
            case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .queryCancelled:
                return true
            case .server:
                // Class 08: connection exception; class 53: insufficient resources (too many
                // connections, out of memory or disk); 57P01-57P03: the server is shutting down,
                // crashed or is starting up; 57014: statement_timeout.
                let state = error.serverInfo?[.sqlState] ?? ""
                return state.hasPrefix("08") || state.hasPrefix("53") || ["57P01", "57P02", "57P03", "57014"].contains(state)
            default:
                return false
            }
        }
        // The pool's own error (`ConnectionPoolError`, in a module Tacit does not import) when
        // its circuit breaker is open after connection attempts kept failing; NIO's errors when
        // a socket fails outside a connection.
        return String(reflecting: type(of: error)).hasSuffix("ConnectionPoolError") || error is ChannelError || error is IOError
    }
}

/// When a call got its pooled connection, set once by the call and read by its timer.
///
/// `@unchecked Sendable`: `instant` is only read and written under `lock`.
final class LeaseInstant: @unchecked Sendable {
    private let lock = NSLock()
    private var value: ContinuousClock.Instant?

    func mark() { lock.withLock { value = ContinuousClock.now } }
    var instant: ContinuousClock.Instant? { lock.withLock { value } }
}
