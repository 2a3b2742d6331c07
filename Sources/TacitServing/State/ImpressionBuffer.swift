import Foundation
import Logging
import TacitStore

/// Impressions (what was shown) collected in memory and written to the store in batches, so a
/// recommendation request never waits on a database write.
///
/// Flushed every ``interval`` seconds and on shutdown; impressions are statistics for experiments,
/// so a crash loses at most one interval of them (events, by contrast, are durable on 200).
final class ImpressionBuffer: Sendable {
    private let pending = Locked<[Impression]>([])
    private let store: any EventStore
    private let logger: Logger
    let interval: Double
    private let task = Locked<Task<Void, Never>?>(nil)

    init(store: any EventStore, interval: Double = 1, logger: Logger) {
        self.store = store
        self.interval = interval
        self.logger = logger
    }

    func add(_ impressions: [Impression]) {
        guard !impressions.isEmpty else { return }
        pending.withLock { $0.append(contentsOf: impressions) }
    }

    /// Writes what is pending now.
    func flush() async {
        let batch = pending.withLock { list -> [Impression] in
            defer { list.removeAll(keepingCapacity: true) }
            return list
        }
        guard !batch.isEmpty else { return }
        do { try await store.record(batch) } catch { logger.error("could not record \(batch.count) impressions: \(error)") }
    }

    func start() {
        task.withLock { slot in
            guard slot == nil else { return }
            slot = Task { [weak self] in
                while !Task.isCancelled {
                    try? await Task.sleep(nanoseconds: UInt64((self?.interval ?? 1) * 1e9))
                    await self?.flush()
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
