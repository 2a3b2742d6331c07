import Foundation
import Logging
import TacitCore
import TacitStore

/// Impressions (what was shown) collected in memory and written to the store in batches, so a
/// recommendation request never waits on a database write.
///
/// Flushed every ``interval`` seconds and on shutdown, in transactions of ``chunk`` responses so
/// that event writes interleave with a large flush instead of waiting for all of it. Impressions
/// are statistics for experiments: a crash loses at most one interval of them (events, by
/// contrast, are durable on 200), and when the store cannot keep up, more than ``maxPending``
/// waiting responses are dropped and counted rather than growing memory without bound.
final class ImpressionBuffer: Sendable {
    private let pending = Locked<[Impression]>([])
    private let droppedCount = Locked(0)
    let chunk = 1_000
    let maxPending = 200_000
    private let store: any EventStore
    private let logger: Logger
    let interval: Double
    private let task = Locked<Task<Void, Never>?>(nil)
    /// The newest flush; each flush waits for the one before (flushes write one at a time).
    private let lastFlush = Locked<Task<Void, Never>?>(nil)

    init(store: any EventStore, interval: Double = 1, logger: Logger) {
        self.store = store
        self.interval = interval
        self.logger = logger
    }

    /// Queues `impression` for the store; false when it was dropped (the store fell behind).
    @discardableResult
    func add(_ impression: Impression) -> Bool {
        let accepted = pending.withLock { list -> Bool in
            guard list.count < maxPending else { return false }
            list.append(impression)
            return true
        }
        if !accepted { droppedCount.withLock { $0 += 1 } }
        return accepted
    }

    /// Responses whose impression was dropped because the store fell behind.
    var dropped: Int { droppedCount.current }

    /// Writes what is pending now; returns once every earlier flush (the timer's included) has
    /// written its batch, so a reader that flushes first sees every impression recorded before.
    func flush() async {
        let task = lastFlush.withLock { last -> Task<Void, Never> in
            let previous = last
            let next = Task { await previous?.value; await self.write() }
            last = next
            return next
        }
        await task.value
    }

    /// Drops the pending impressions of `user` and waits for the writes in flight, so that no
    /// impression of the user recorded before this call reaches the store after it returns (a
    /// user being forgotten). Returns the dropped ones.
    @discardableResult
    func discard(user: UserID) async -> [Impression] {
        let dropped = pending.withLock { list -> [Impression] in
            let mine = list.filter { $0.user == user }
            if !mine.isEmpty { list.removeAll { $0.user == user } }
            return mine
        }
        await lastFlush.current?.value
        return dropped
    }

    /// Takes the pending impressions and writes them in chunks.
    private func write() async {
        let batch = pending.withLock { list -> [Impression] in
            defer { list.removeAll(keepingCapacity: true) }
            return list
        }
        var start = 0
        while start < batch.count {
            let part = Array(batch[start..<min(start + chunk, batch.count)])
            do { try await store.record(part) } catch { logger.error("could not record \(part.count) impressions: \(error)") }
            start += chunk
        }
    }

    func start() {
        task.withLock { slot in
            guard slot == nil else { return }
            slot = Task { [weak self] in
                while !Task.isCancelled {
                    try? await Task.sleep(nanoseconds: UInt64((self?.interval ?? 1) * 1e9))
                    // In a task of its own: stopping cancels the timer, never a write in flight
                    // (a cancelled write would lose the batch it had taken).
                    guard let self else { return }
                    await Task { await self.flush() }.value
                }
            }
        }
    }

    /// Stops the timer and writes what is pending, even when the caller's task is cancelled
    /// (a test stopping its server, or shutdown on a signal).
    func stop() async {
        task.withLock { $0?.cancel(); $0 = nil }
        await Task { await self.flush() }.value
    }
}
