/// How ``Stores/open(_:options:)`` opens a store: the `storage` section of the service
/// configuration.
///
/// The timeouts bound how long a call waits for an unreachable or hung PostgreSQL server before
/// it fails with ``StoreError/Code/unavailable``; the durability says when SQLite's `COMMIT`
/// returns. Each store reads the settings that concern it and ignores the others.
public struct StoreOptions: Sendable, Equatable {
    /// When a SQLite write is acknowledged (`PRAGMA synchronous`); PostgreSQL follows the
    /// server's own `synchronous_commit` and ignores it.
    public enum Durability: String, Sendable, Equatable, CaseIterable {
        /// `synchronous = FULL`: `COMMIT` returns after the WAL is `fsync`ed, so an acknowledged
        /// write survives a power loss or an operating-system crash.
        case full
        /// `synchronous = NORMAL`: `COMMIT` returns once the WAL is written to the operating
        /// system, so an acknowledged write survives a crash or `kill -9` of the process, but a
        /// power loss or kernel crash can lose the last transactions before the next checkpoint.
        case normal
    }

    /// PostgreSQL: how long opening one connection (TCP connect and login) may take, and how long
    /// a call waits for a pooled connection, before it fails as unavailable. A URL's
    /// `connect_timeout` wins over it. Default 3 seconds.
    public var connectTimeout: Duration = .seconds(3)
    /// PostgreSQL: how long one call may run on its connection (its statements, commit
    /// included) before the connection is closed and the call fails as unavailable; also sent to
    /// the server as `statement_timeout`. Default 10 seconds.
    public var queryTimeout: Duration = .seconds(10)
    /// SQLite: when a write is acknowledged. Default ``Durability/full`` (see docs/benchmarks.md
    /// for what it costs).
    public var durability: Durability = .full

    public init(connectTimeout: Duration = .seconds(3), queryTimeout: Duration = .seconds(10), durability: Durability = .full) {
        self.connectTimeout = connectTimeout
        self.queryTimeout = queryTimeout
        self.durability = durability
    }

    /// Whole milliseconds of `duration` (rounded down, at least 1 for a positive duration).
    static func milliseconds(_ duration: Duration) -> Int64 {
        let parts = duration.components
        let value = parts.seconds * 1000 + parts.attoseconds / 1_000_000_000_000_000
        return value == 0 && duration > .zero ? 1 : value
    }
}
