import Foundation
import Logging
import TacitCore
import TacitExperiments
import TacitModels
import TacitStore

/// The real-time recommendation service behind `tacit serve`: events in, recommendations out.
///
/// Accepted events are durable in the ``EventStore`` first, then applied to in-memory state
/// (user histories, trending and popularity counters, bought-together counts), so the very next
/// request of that user sees them: seen items are excluded, the fold-in uses them, a new user
/// gets personal results from their first event. Models are trained in the background and
/// swapped atomically (``ModelLifecycle``).
public final class RecommendationService: Sendable {
    public let store: any EventStore
    public let configuration: ServiceConfiguration
    public let catalog: ServingCatalog
    public let registry: ModelRegistry
    public let lifecycle: ModelLifecycle
    let histories: UserHistories
    let activity: ActivityCounters
    let cooccurrence: CoOccurrence
    let impressions: ImpressionBuffer
    let experiments: ExperimentRuntime
    let logger: Logger

    init(store: any EventStore, configuration: ServiceConfiguration, modelDirectory: String, logger: Logger) throws {
        self.store = store
        self.configuration = configuration
        self.logger = logger
        catalog = ServingCatalog()
        registry = ModelRegistry()
        histories = UserHistories(limit: configuration.serving.historyLimit)
        activity = ActivityCounters(halfLife: configuration.serving.trendingHalfLifeHours * 3600, weighting: configuration.weighting)
        cooccurrence = CoOccurrence()
        impressions = ImpressionBuffer(store: store, logger: logger)
        do { experiments = try ExperimentRuntime(configuration.experiments) } catch {
            throw TacitError.format(path: "configuration", reason: "experiments: \(error)")
        }
        lifecycle = ModelLifecycle(store: store, configuration: configuration, registry: registry, catalog: catalog,
                                   directory: modelDirectory, logger: logger)
        registry.onSwap { [weak self] model in self?.warmUp(model) }
    }

    /// Opens the service on `store`: loads the catalog and every user's recent events into memory,
    /// loads the newest model version (or trains one when there are events and no model), and
    /// starts the retraining schedule.
    public static func start(store: any EventStore, configuration: ServiceConfiguration, modelDirectory: String,
                             trainIfMissing: Bool = true, logger: Logger = Logger(label: "tacit.service")) async throws -> RecommendationService {
        let service = try RecommendationService(store: store, configuration: configuration, modelDirectory: modelDirectory, logger: logger)
        try await service.loadState()
        try await service.experiments.restore(from: store)
        if try await service.lifecycle.loadLatest() == nil, trainIfMissing, try await store.eventCount() > 0 {
            logger.info("no model version stored: training \(configuration.model.name) now")
            try await service.lifecycle.trainAndWait()
        }
        await service.lifecycle.startSchedule()
        service.impressions.start()
        return service
    }

    /// Reads items and events from the store into memory.
    private func loadState() async throws {
        var lastItem: ItemID?
        while true {
            let page = try await store.items(after: lastItem, limit: 10_000)
            guard let last = page.last else { break }
            catalog.upsert(page)
            lastItem = last.id
        }
        var after: Int64 = 0
        var total = 0
        while true {
            let page = try await store.events(after: after, limit: 50_000)
            guard let last = page.last else { break }
            apply(page)
            after = last.sequence
            total += page.count
        }
        logger.info("loaded \(catalog.snapshot.count) items and \(total) events from \(store.description)")
    }

    /// Stops scheduled training and waits for a running one.
    public func shutdown() async {
        await lifecycle.shutdown()
        await impressions.stop()
    }

    // MARK: writes

    /// Stores events durably, then applies the new ones (not duplicates) to the live state.
    public func ingest(_ events: [StoredEvent]) async throws -> InsertSummary {
        let summary = try await store.insert(events)
        var stored = events
        for k in stored.indices { stored[k].sequence = summary.sequences[k] }
        apply(stored)
        experiments.recordOutcomes(stored)
        return summary
    }

    /// Applies stored events (with sequences) to histories and counters, skipping known ones.
    func apply(_ events: [StoredEvent]) {
        let items = catalog.intern(events.map(\.item))
        var byUser: [UserID: [UserHistories.Entry]] = [:]
        var order: [UserID] = []
        for (k, event) in events.enumerated() {
            let entry = UserHistories.Entry(event: HistoryEvent(item: items[k], kind: event.kind, timestamp: event.timestamp), sequence: event.sequence)
            if byUser[event.user] == nil { order.append(event.user) }
            byUser[event.user, default: []].append(entry)
        }
        for user in order {
            let earlier = histories.history(of: user)
            let accepted = histories.append(byUser[user]!, for: user)
            let events = accepted.map(\.event)
            activity.record(events)
            cooccurrence.record(events, earlier: earlier)
        }
    }

    /// Inserts or replaces items in the store and the live catalog (recommendable at once).
    public func upsert(_ items: [ItemRecord]) async throws {
        try await store.upsert(items)
        catalog.upsert(items)
    }

    /// Forgets a user: their stored events, impressions and record, and their live history.
    /// Aggregate counters (popularity, trending) keep their anonymous counts.
    public func forget(_ user: UserID) async throws -> Int {
        let removed = try await store.deleteUser(user)
        histories.remove(user)
        return removed
    }
}
