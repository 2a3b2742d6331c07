import Foundation
import TacitCore

/// Group commit for ``SQLiteStore/insert(_:)``: insert calls that arrive while a write
/// transaction runs wait, then all go into the next transaction together.
///
/// SQLite has one writer; with `synchronous = FULL` each transaction ends with an `fsync`, so
/// N concurrent single-event requests would cost N `fsync`s one after another. Here they cost
/// one per transaction, and each call still returns only after the transaction holding its
/// events committed (with its own ``InsertSummary``), so the durability promise is unchanged.
/// A lone call pays nothing extra: it starts a transaction at once.
///
/// When a shared transaction fails, each call of the group is retried in its own transaction,
/// so one call's failure is never another's.
///
/// `@unchecked Sendable`: `pending` and `draining` are only touched under `lock`.
final class InsertQueue: @unchecked Sendable {
    private struct Waiter {
        let events: [StoredEvent]
        let continuation: CheckedContinuation<InsertSummary, any Error>
    }

    private let lock = NSLock()
    private var pending: [Waiter] = []
    private var draining = false
    /// At most this many events go into one shared transaction (a bound on its time).
    static let maximumGroupEvents = 10_000

    /// Queues `events` and returns their summary once the transaction holding them committed.
    func submit(_ events: [StoredEvent], to store: SQLiteStore) async throws -> InsertSummary {
        try await withCheckedThrowingContinuation { continuation in
            let start: Bool = lock.withLock {
                pending.append(Waiter(events: events, continuation: continuation))
                if draining { return false }
                draining = true
                return true
            }
            if start { Task { await self.drain(store) } }
        }
    }

    /// Writes groups of waiting calls until none is left.
    private func drain(_ store: SQLiteStore) async {
        while true {
            let group: [Waiter] = lock.withLock {
                var count = 0
                var taken = 0
                while taken < pending.count && (taken == 0 || count + pending[taken].events.count <= Self.maximumGroupEvents) {
                    count += pending[taken].events.count
                    taken += 1
                }
                let group = Array(pending.prefix(taken))
                pending.removeFirst(taken)
                if group.isEmpty { draining = false }
                return group
            }
            if group.isEmpty { return }
            do {
                let summaries = try await store.insertTransaction(group.map(\.events))
                for (waiter, summary) in zip(group, summaries) { waiter.continuation.resume(returning: summary) }
            } catch where group.count > 1 {
                for waiter in group {
                    do {
                        let summary = try await store.insertTransaction([waiter.events])[0]
                        waiter.continuation.resume(returning: summary)
                    } catch {
                        waiter.continuation.resume(throwing: error)
                    }
                }
            } catch {
                group[0].continuation.resume(throwing: error)
            }
        }
    }
}
