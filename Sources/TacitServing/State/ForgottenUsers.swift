import Foundation
import TacitCore

/// Users deleted ("forgotten") while a model trained on their events may still be served, each
/// with the highest event sequence stored when they were deleted (kept durably by the store's
/// `forgotten_users`, loaded at start).
///
/// A model version trained on events up to sequence `L` may hold the trained vector of a user
/// forgotten at `F` when `F >= L`: such a model must not serve that vector (the user is served
/// like a new one, from the events they sent since, if any). A model with `L > F` was trained
/// after the deletion, from a store without the deleted events, and serves the user normally
/// (a user who came back). An entry is dropped once every served model has `L > F`.
final class ForgottenUsers: Sendable {
    private let users = Locked<[UserID: Int64]>([:])
    private let newest = Locked(Date.distantPast)

    /// When the newest user was forgotten in this process: a training started before may have
    /// read their events, so no entry is pruned while one runs.
    var lastInsert: Date { newest.current }

    init() {}

    /// Replaces the set (at start, from the store).
    func load(_ entries: [UserID: Int64]) { users.withLock { $0 = entries } }

    /// Remembers that `user` was forgotten when the store's sequence was at most `sequence`.
    func insert(_ user: UserID, sequence: Int64) {
        users.withLock { $0[user] = max($0[user] ?? sequence, sequence) }
        newest.withLock { $0 = Date() }
    }

    /// Whether a model trained on events up to `lastSequence` must not serve `user`'s trained vector.
    func revokes(_ user: UserID, lastSequence: Int64) -> Bool {
        users.withLock { map in
            guard !map.isEmpty, let forgotten = map[user] else { return false }
            return forgotten >= lastSequence
        }
    }

    /// Drops the entries no model trained up to `sequence` or later needs (`F < sequence`).
    func prune(before sequence: Int64) { users.withLock { $0 = $0.filter { $0.value >= sequence } } }

    /// Users held now.
    var count: Int { users.withLock { $0.count } }
}
