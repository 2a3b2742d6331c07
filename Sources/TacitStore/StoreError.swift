/// An error from an ``EventStore``: the store, the operation and the id or field involved.
///
/// The message alone tells an operator what failed and where, for example
/// `sqlite:/var/tacit/events.db: cannot open: unable to open database file` or
/// `postgres://db.local:5432/shop: insert events: duplicate key value ...`.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is, for callers that react differently to each.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        let name: String
        public var description: String { name }

        /// The database could not be opened, created or migrated.
        public static let cannotOpen = Code(name: "cannotOpen")
        /// A location string (path or URL) is malformed or names an unsupported option.
        public static let invalidLocation = Code(name: "invalidLocation")
        /// An argument is out of range (a negative limit, an empty id).
        public static let invalidArgument = Code(name: "invalidArgument")
        /// A stored row could not be turned back into a record (bad JSON, unknown value).
        public static let corruptRow = Code(name: "corruptRow")
        /// The database refused or failed an operation (constraint, I/O, a bad statement).
        public static let operationFailed = Code(name: "operationFailed")
        /// The database cannot be reached now (refused or timed-out connection, a query past its
        /// deadline, the server shutting down or starting up). Transient: retry later. A write
        /// that failed this way may or may not have been committed; retrying it with the same
        /// event ids stores it once.
        public static let unavailable = Code(name: "unavailable")
    }

    private enum Kind: Sendable {
        case cannotOpen(store: String, reason: String)
        case invalidLocation(location: String, reason: String)
        case invalidArgument(store: String, operation: String, reason: String)
        case corruptRow(store: String, table: String, id: String, field: String, reason: String)
        case operationFailed(store: String, operation: String, id: String?, reason: String)
        case unavailable(store: String, operation: String, reason: String)
    }

    private let kind: Kind
    /// The error the database driver threw, when there was one.
    public let underlying: (any Error)?

    private init(_ kind: Kind, underlying: (any Error)? = nil) {
        self.kind = kind
        self.underlying = underlying
    }

    /// The kind of failure.
    public var code: Code {
        switch kind {
        case .cannotOpen: return .cannotOpen
        case .invalidLocation: return .invalidLocation
        case .invalidArgument: return .invalidArgument
        case .corruptRow: return .corruptRow
        case .operationFailed: return .operationFailed
        case .unavailable: return .unavailable
        }
    }

    public var description: String {
        switch kind {
        case let .cannotOpen(store, reason):
            return "\(store): cannot open: \(reason)"
        case let .invalidLocation(location, reason):
            return "invalid store location '\(location)': \(reason)"
        case let .invalidArgument(store, operation, reason):
            return "\(store): \(operation): \(reason)"
        case let .corruptRow(store, table, id, field, reason):
            return "\(store): \(table) row '\(id)': field \(field): \(reason)"
        case let .operationFailed(store, operation, id, reason):
            let subject = id.map { " '\($0)'" } ?? ""
            return "\(store): \(operation)\(subject): \(reason)"
        case let .unavailable(store, operation, reason):
            return "\(store): \(operation): store unavailable: \(reason)"
        }
    }

    /// Whether the failure is transient (``Code/unavailable``): the same call may succeed later.
    public var isUnavailable: Bool { code == .unavailable }

    /// The database at `store` (a path or URL) could not be opened, created or migrated.
    public static func cannotOpen(_ store: String, reason: String, underlying: (any Error)? = nil) -> StoreError {
        .init(.cannotOpen(store: store, reason: reason), underlying: underlying)
    }

    /// `location` is not a usable path or URL.
    public static func invalidLocation(_ location: String, reason: String) -> StoreError {
        .init(.invalidLocation(location: location, reason: reason))
    }

    /// An argument of `operation` is out of range.
    public static func invalidArgument(_ store: String, operation: String, reason: String) -> StoreError {
        .init(.invalidArgument(store: store, operation: operation, reason: reason))
    }

    /// A stored row of `table` with key `id` has an unreadable `field`.
    public static func corruptRow(_ store: String, table: String, id: String, field: String, reason: String) -> StoreError {
        .init(.corruptRow(store: store, table: table, id: id, field: field, reason: reason))
    }

    /// The database failed `operation` (on `id`, when one record is involved).
    public static func operationFailed(
        _ store: String, operation: String, id: String? = nil, underlying: any Error
    ) -> StoreError {
        .init(.operationFailed(store: store, operation: operation, id: id, reason: "\(underlying)"), underlying: underlying)
    }

    /// The database failed `operation` (on `id`, when one record is involved) for `reason`.
    public static func operationFailed(
        _ store: String, operation: String, id: String? = nil, reason: String, underlying: (any Error)? = nil
    ) -> StoreError {
        .init(.operationFailed(store: store, operation: operation, id: id, reason: reason), underlying: underlying)
    }

    /// The database at `store` cannot be reached for `operation` (see ``Code/unavailable``).
    public static func unavailable(
        _ store: String, operation: String, reason: String, underlying: (any Error)? = nil
    ) -> StoreError {
        .init(.unavailable(store: store, operation: operation, reason: reason), underlying: underlying)
    }
}

extension StoreError {
    /// Runs `body`, turning any error that is not already a ``StoreError`` into
    /// ``operationFailed(_:operation:id:underlying:)`` with the given context.
    /// `reason` describes a driver error (default: its description).
    static func wrap<T>(
        _ store: String, _ operation: String, id: String? = nil,
        reason: (any Error) -> String = { "\($0)" }, _ body: () async throws -> T
    ) async throws -> T {
        do {
            return try await body()
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.operationFailed(store, operation: operation, id: id, reason: reason(error), underlying: error)
        }
    }

    /// Throws ``invalidArgument(_:operation:reason:)`` when `limit` is negative.
    static func checkLimit(_ limit: Int?, store: String, operation: String) throws {
        if let limit, limit < 0 {
            throw StoreError.invalidArgument(store, operation: operation, reason: "limit must be >= 0, got \(limit)")
        }
    }
}
