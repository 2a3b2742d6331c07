import TacitCore

/// The stored user records (attributes) in memory, by user id: what a feature-aware model ranks a
/// user without a trained vector from (``UserAttributeScoring``), read synchronously per request.
///
/// Loaded from the store when the service starts, updated by ``RecommendationService/upsert(_:)-(UserRecord)``
/// and emptied for a user by ``RecommendationService/forget(_:)``.
final class UserAttributes: Sendable {
    private let records = Locked<[UserID: UserRecord]>([:])

    /// The record of `user`, if one is stored.
    func record(of user: UserID) -> UserRecord? { records.withLock { $0[user] } }

    /// Inserts or replaces records.
    func store(_ users: [UserRecord]) { records.withLock { map in for user in users { map[user.id] = user } } }

    /// Removes the record of `user`.
    func remove(_ user: UserID) { _ = records.withLock { $0.removeValue(forKey: user) } }

    /// The number of records held.
    var count: Int { records.withLock { $0.count } }
}
