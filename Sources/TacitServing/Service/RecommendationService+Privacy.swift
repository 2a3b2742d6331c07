import Foundation
import TacitCore
import TacitStore

/// Everything stored about one user (`GET /v1/users/{id}/export`).
public struct UserExport: Sendable, Equatable {
    /// The user's id as the client knows it.
    public var user: UserID
    /// The stored user record, if any.
    public var record: UserRecord?
    /// Every stored event of the user, oldest first.
    public var events: [StoredEvent]
    /// Every recorded impression (response shown) of the user, oldest first.
    public var impressions: [Impression]
}

extension RecommendationService {
    /// Forgets a user, end to end and at once: their pending impressions, stored events,
    /// impressions and record; their live history; what their events added to popularity,
    /// trending and bought-together counts; and their trained vector in every loaded model
    /// (main and variants; ``ForgottenUsers`` keeps this across restarts until every served model
    /// was retrained without them). Right after, the user is served like one never seen, and the
    /// next training reads a store without them. Returns the number of events removed.
    ///
    /// A user who sends events again afterwards is served as a new user, from those events only.
    public func forget(_ user: UserID) async throws -> Int {
        try await removals.run { [self] in
            let events = try await store.events(of: user, limit: nil)
            // Their impressions, pending and stored, leave the exposure counts too.
            let pending = await impressions.discard(user: user)
            let shown = itemActivity == nil ? [] : try await store.impressions(of: user)
            let removed = try await store.deleteUser(user)
            removeShown(pending + shown)
            forgotten.insert(user, sequence: try await store.forgottenUsers()[user] ?? .max)
            histories.remove(user)
            userAttributes.remove(user)
            try await recount(activity.remove(counted(events)))
            removeActivity(events)
            cooccurrence.remove(counted(events, clamped: false))
            repeats.invalidate()
            for registry in [registry] + variantModels.map(\.registry) {
                _ = registry.current?.personalCache.remove(user)
                _ = registry.current?.rankerListCache.remove(user)
            }
            return removed
        }
    }

    /// `events` in the catalog's index space; `clamped`: with the timestamps popularity and
    /// trending counted them at (``CounterClamp``), else as stored (bought-together, histories).
    func counted(_ events: [StoredEvent], clamped: Bool = true) -> [HistoryEvent] {
        let snapshot = catalog.snapshot
        let clamp = clamped ? counterClamp.current : CounterClamp(through: .min, horizon: .max)
        return events.compactMap { event in
            snapshot.index(of: event.item).map {
                clamp.counted(HistoryEvent(item: $0, kind: event.kind, timestamp: event.timestamp), sequence: event.sequence)
            }
        }
    }

    /// Recounts popularity and trending of `items` exactly from the store (after a removal lost
    /// the precision of their trending scores; see ``ActivityCounters/remove(_:)``): one pass over
    /// the stored events, while events keep arriving.
    func recount(_ items: Set<Int32>) async throws {
        guard !items.isEmpty else { return }
        let token = activity.beginRecount(items)
        var scanned: [ActivityCounters.CountedEvent] = []
        do {
            let snapshot = catalog.snapshot
            let clamp = counterClamp.current
            try await scanStoredEvents { page in
                for event in page {
                    guard let item = snapshot.index(of: event.item), items.contains(item) else { continue }
                    let history = clamp.counted(HistoryEvent(item: item, kind: event.kind, timestamp: event.timestamp), sequence: event.sequence)
                    scanned.append(ActivityCounters.CountedEvent(event: history, sequence: event.sequence))
                }
            }
        } catch {
            activity.cancelRecount(token)
            throw error
        }
        activity.finishRecount(token, scanned: scanned)
        logger.info("recounted popularity and trending of \(items.count) items after a removal")
    }

    /// Everything stored about `user`: record, events and impressions (empty lists for a user
    /// never seen).
    public func export(_ user: UserID) async throws -> UserExport {
        await impressions.flush()
        return UserExport(user: user, record: try await store.user(user), events: try await store.events(of: user, limit: nil),
                          impressions: try await store.impressions(of: user))
    }

    /// Drops the forgotten users that no served model can hold any more: every model serving now
    /// was trained after their deletion (skipped while a training that started before the newest
    /// deletion runs: it may have read the deleted events).
    func pruneForgottenUsers() {
        Task { [self] in
            guard forgotten.count > 0 else { return }
            for lifecycle in lifecycles {
                let status = await lifecycle.status
                if status.training, (status.lastStarted ?? .distantPast) <= forgotten.lastInsert { return }
            }
            let served = ([registry] + variantModels.map(\.registry)).compactMap { $0.current?.info.lastSequence }
            guard let oldest = served.min() else { return }
            do {
                try await store.pruneForgottenUsers(before: oldest)
                forgotten.prune(before: oldest)
            } catch {
                logger.error("could not prune forgotten users: \(error)")
            }
        }
    }

    // MARK: retention

    /// Starts removing events and impressions older than ``ServiceConfiguration/Privacy/retentionDays``
    /// now and then every ``ServiceConfiguration/Privacy/retentionInterval`` seconds.
    func startRetention() {
        guard let days = configuration.privacy.retentionDays else { return }
        let interval = configuration.privacy.retentionInterval
        retentionTask.withLock { slot in
            guard slot == nil else { return }
            slot = Task { [weak self] in
                while !Task.isCancelled {
                    guard let self else { return }
                    do {
                        let cutoff = Int64(Date().timeIntervalSince1970 - days * 86_400)
                        let (events, impressions) = try await self.applyRetention(before: cutoff)
                        if events + impressions > 0 {
                            self.logger.info("retention: removed \(events) events and \(impressions) impressions older than \(days) days")
                        }
                    } catch {
                        self.logger.error("retention failed: \(error)")
                    }
                    try? await Task.sleep(nanoseconds: UInt64(interval * 1e9))
                }
            }
        }
    }

    func stopRetention() { retentionTask.withLock { $0?.cancel(); $0 = nil } }

    /// Removes the events and impressions with a timestamp before `cutoff` (seconds since 1970)
    /// from the store, and takes the events back from histories and counters, as ``forget(_:)``
    /// does: the live state and the next model are as if they had never been posted.
    /// Returns the numbers of events and impressions removed.
    @discardableResult
    public func applyRetention(before cutoff: Int64) async throws -> (events: Int, impressions: Int) {
        try await removals.run { [self] in
            var total = 0
            while true {
                let batch = try await store.deleteEvents(before: cutoff, limit: 10_000)
                total += batch.count
                try await takeBack(batch)
                if batch.count < 10_000 { break }
            }
            await impressions.flush()
            // Their exposures leave the live counts (a page at a time), then the rows the store.
            if itemActivity != nil { try await store.forEachImpressionPage(before: cutoff) { removeShown($0) } }
            let removedImpressions = try await store.deleteImpressions(before: cutoff)
            return (total, removedImpressions)
        }
    }

    /// Takes deleted events back from the live histories and counters.
    private func takeBack(_ removed: [StoredEvent]) async throws {
        guard !removed.isEmpty else { return }
        try await recount(activity.remove(counted(removed)))
        removeActivity(removed)
        repeats.invalidate()
        var byUser: [UserID: [StoredEvent]] = [:]
        for event in removed { byUser[event.user, default: []].append(event) }
        for (user, events) in byUser {
            histories.remove(sequences: Set(events.map(\.sequence)), of: user)
            let remaining = try await store.events(of: user, limit: nil)
            let before = (events + remaining).sorted { $0.sequence < $1.sequence }
            cooccurrence.remove(before: counted(before, clamped: false), after: counted(remaining, clamped: false))
        }
    }
}
