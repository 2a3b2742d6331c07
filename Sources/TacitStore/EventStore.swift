import TacitCore

/// Durable storage for the service: events, items, users, impressions and model versions.
///
/// Implementations: ``SQLiteStore`` (embedded, WAL, the default) and ``PostgresStore`` (by URL).
/// Both run the same conformance suite (`Tests/TacitStoreTests`). Every method is safe to call
/// concurrently. A method that returns has made its writes durable: an acknowledged event survives
/// `kill -9` of the process.
public protocol EventStore: Sendable {
    /// A short description for logs and `/readyz` (`sqlite:/path`, `postgres://host/db`).
    var description: String { get }

    // MARK: events
    /// Stores `events` in one transaction, in order, assigning sequence numbers. Events whose
    /// `eventID` is already stored (or repeats earlier in the batch) are duplicates: not stored again.
    func insert(_ events: [StoredEvent]) async throws -> InsertSummary
    /// The events of `user`, oldest first (by sequence); at most the newest `limit` when given.
    func events(of user: UserID, limit: Int?) async throws -> [StoredEvent]
    /// Up to `limit` events with sequence > `sequence`, in sequence order (for paging through all).
    func events(after sequence: Int64, limit: Int) async throws -> [StoredEvent]
    /// The events of `user` newest first in time: by timestamp, then sequence, both descending
    /// (imports need not arrive in time order). Skips the newest `offset`, returns at most `limit`
    /// (all when nil): a history read page by page.
    func recentEvents(of user: UserID, offset: Int, limit: Int?) async throws -> [StoredEvent]
    /// Events per time bucket and kind, and distinct users per bucket, for the events with
    /// `from <= timestamp < to`; buckets are `bucketSeconds` wide and aligned to multiples of it
    /// since 1970 (UTC days for 86 400). Only buckets with events are returned, oldest first.
    /// - Complexity: one `GROUP BY` pass over the events in the range (two queries).
    func activity(from: Int64, to: Int64, bucketSeconds: Int64) async throws -> [ActivityBucket]
    /// Number of stored events.
    func eventCount() async throws -> Int
    /// The highest sequence stored (0 when empty).
    func lastSequence() async throws -> Int64

    // MARK: items
    /// Inserts or replaces items by id (all fields, attributes included), in one transaction.
    func upsert(_ items: [ItemRecord]) async throws
    func item(_ id: ItemID) async throws -> ItemRecord?
    /// Up to `limit` items with id > `id` (byte order), sorted by id (for paging through all).
    func items(after id: ItemID?, limit: Int) async throws -> [ItemRecord]
    /// Up to `limit` items whose id, title, category, brand or a tag contains `text`
    /// (case-insensitive), sorted by id (byte order), after the id `after` when given: the next
    /// page of a search starts after the last id of the previous one.
    func searchItems(_ text: String, after: ItemID?, limit: Int) async throws -> [ItemRecord]
    func itemCount() async throws -> Int

    // MARK: users
    /// Inserts or replaces a user's record (their attributes) by id.
    func upsert(_ user: UserRecord) async throws
    /// Inserts or replaces user records in one transaction (a repeated id: the last one wins).
    func upsert(_ users: [UserRecord]) async throws
    func user(_ id: UserID) async throws -> UserRecord?
    /// Up to `limit` user records with id > `id` (byte order), sorted by id (for paging through all).
    func users(after id: UserID?, limit: Int) async throws -> [UserRecord]
    /// Forgets a user: their events, impressions and record, in one transaction that also
    /// remembers the user in ``forgottenUsers()`` with the highest sequence stored before the
    /// deletion (a model trained on events up to that sequence may still hold the user).
    /// Returns the number of events removed.
    func deleteUser(_ id: UserID) async throws -> Int

    // MARK: privacy
    /// The impressions recorded for `user`, oldest first (by timestamp, then recommendation id).
    func impressions(of user: UserID) async throws -> [Impression]
    /// Users deleted by ``deleteUser(_:)``, each with the highest event sequence stored just
    /// before their deletion (the newest deletion of a user wins).
    func forgottenUsers() async throws -> [UserID: Int64]
    /// Drops the forgotten users whose deletion sequence is below `sequence`: every model that
    /// can still be served was trained on a store that no longer held them.
    func pruneForgottenUsers(before sequence: Int64) async throws
    /// Deletes up to `limit` of the oldest events (by sequence) whose timestamp is before
    /// `timestamp`, and returns them (retention; call again until it returns fewer than `limit`).
    func deleteEvents(before timestamp: Int64, limit: Int) async throws -> [StoredEvent]
    /// Deletes the impressions whose timestamp is before `timestamp`; returns how many.
    func deleteImpressions(before timestamp: Int64) async throws -> Int

    // MARK: impressions
    /// Stores shown responses; a recommendation id already stored is replaced.
    func record(_ impressions: [Impression]) async throws
    /// The response shown under `recommendationID`, if recorded.
    func impression(recommendationID: String) async throws -> Impression?
    /// The responses recorded under any of `recommendationIDs` (ids not recorded are left out),
    /// sorted by recommendation id: a trainer reading the lists its attributed events came from.
    func impressions(recommendationIDs: [String]) async throws -> [Impression]
    /// Up to `limit` impressions whose recommendation id is greater than `after` (in the order
    /// of ``impressions(experiment:after:limit:)``) and, when `before` is given, whose timestamp is
    /// before it, sorted by recommendation id: paging through every impression (a learned
    /// ranker's exposure counts) or through those past retention.
    func impressions(after: String?, before: Int64?, limit: Int) async throws -> [Impression]
    /// Up to `limit` impressions recorded under `experiment` whose recommendation id is greater
    /// than `after` (byte order), sorted by recommendation id (for paging through all of them).
    func impressions(experiment: String, after: String?, limit: Int) async throws -> [Impression]
    /// Up to `limit` events with sequence > `sequence` whose `recommendationID` is the id of an
    /// impression recorded under `experiment` (the experiment's outcomes), in sequence order.
    func outcomes(experiment: String, after sequence: Int64, limit: Int) async throws -> [StoredEvent]

    // MARK: model versions
    /// Stores a version, replacing the one of the same model with the same number (each model
    /// numbers its own versions: `als` v3 and `ease` v3 are two records).
    func save(_ version: ModelVersionRecord) async throws
    /// All versions of every model, oldest first (by creation time, then model, then number).
    func modelVersions() async throws -> [ModelVersionRecord]
    /// The versions of the model named `model`, by number (oldest first).
    func modelVersions(of model: String) async throws -> [ModelVersionRecord]

    /// Releases connections. The store must not be used afterwards.
    func close() async throws
}

extension EventStore {
    /// The first `limit` items of a search (``searchItems(_:after:limit:)`` from the start).
    public func searchItems(_ text: String, limit: Int) async throws -> [ItemRecord] {
        try await searchItems(text, after: nil, limit: limit)
    }
}
