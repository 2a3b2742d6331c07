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
/// swapped atomically (``ModelLifecycle``): the main model, and beside it each model named by an
/// experiment variant (``variantModels``), which ranks that variant's requests.
public final class RecommendationService: Sendable {
    public let store: any EventStore
    public let configuration: ServiceConfiguration
    public let catalog: ServingCatalog
    /// The main model's serving version.
    public let registry: ModelRegistry
    /// Trains the main model.
    public let lifecycle: ModelLifecycle
    /// Tunes the main model's parameters in the background (`training.search`), when on.
    public let search: ModelSearchRunner?
    /// The models of experiment variants, trained and served beside the main one
    /// (``ServiceConfiguration/variantModels(at:)`` when the service started), in configuration order.
    public let variantModels: [ServedModel]
    let histories: UserHistories
    /// Stored user records (attributes), for ranking users without a trained vector.
    let userAttributes = UserAttributes()
    let activity: ActivityCounters
    /// Every catalog item's activity per event kind (the learned ranker's real-time features),
    /// kept only when a ranker is among the served models.
    let itemActivity: Locked<ItemActivity>?
    let cooccurrence: CoOccurrence
    /// What the `repeat` source learned from the remembered histories.
    let repeats: RepeatStatistics
    let impressions: ImpressionBuffer
    let forgotten = ForgottenUsers()
    /// Forgetting users and retention, one at a time (their counter recounts must not interleave).
    let removals = SerialQueue()
    /// Events stored before this process started with a timestamp past the allowed skew (written
    /// by a version that did not check it) count for trending at the horizon, not in the far
    /// future, so no such event can move the trending clock for everyone (issue 15).
    let counterClamp = Locked(CounterClamp(through: .max, horizon: .max))
    /// Set when ``ServiceConfiguration/Privacy/pseudonymizeUserIDs`` is on: every user id from a
    /// client goes through ``userKey(_:)`` before it is stored, looked up or logged.
    public let pseudonymizer: UserPseudonymizer?
    /// The retention schedule (``ServiceConfiguration/Privacy/retentionDays``), while running.
    let retentionTask = Locked<Task<Void, Never>?>(nil)
    let experiments: ExperimentRuntime
    let logger: Logger

    init(store: any EventStore, configuration: ServiceConfiguration, modelDirectory: String, logger: Logger) throws {
        self.store = store
        self.configuration = configuration
        self.logger = logger
        pseudonymizer = try UserPseudonymizer.configured(configuration.privacy)
        catalog = ServingCatalog(unknownItemsAvailable: configuration.serving.unknownItems == .accept)
        registry = ModelRegistry()
        histories = UserHistories(limit: configuration.serving.historyLimit)
        activity = ActivityCounters(halfLife: configuration.serving.trendingHalfLifeHours * 3600, weighting: configuration.weighting)
        itemActivity = configuration.trains(Ranker.descriptor.name, at: Int64(Date().timeIntervalSince1970)) ? Locked(ItemActivity()) : nil
        cooccurrence = CoOccurrence()
        repeats = RepeatStatistics(histories: histories)
        impressions = ImpressionBuffer(store: store, logger: logger)
        do { experiments = try ExperimentRuntime(configuration.experiments, refreshEvery: configuration.serving.banditRefreshUpdates) } catch {
            throw TacitError.format(path: "configuration", reason: "experiments: \(error)")
        }
        let queue = SerialQueue()
        lifecycle = ModelLifecycle(store: store, configuration: configuration, model: configuration.model, queue: queue,
                                   registry: registry, catalog: catalog, directory: modelDirectory, logger: logger)
        search = configuration.training.search.map { [store, lifecycle, registry] settings in
            ModelSearchRunner(store: store, configuration: configuration, settings: settings, lifecycle: lifecycle, registry: registry,
                              queue: queue, directory: modelDirectory, logger: logger)
        }
        variantModels = configuration.variantModels(at: Int64(Date().timeIntervalSince1970)).map { [catalog] choice in
            let registry = ModelRegistry()
            let lifecycle = ModelLifecycle(store: store, configuration: configuration, model: choice, queue: queue,
                                           registry: registry, catalog: catalog, directory: modelDirectory, logger: logger)
            return ServedModel(registry: registry, lifecycle: lifecycle)
        }
        for slot in [registry] + variantModels.map(\.registry) {
            slot.onSwap { [weak self] model in
                self?.warmUp(model)
                self?.pruneForgottenUsers()
            }
        }
    }

    /// Opens the service on `store`: loads the catalog and every user's recent events into memory,
    /// loads the main model's newest version (or trains one when there are events and no version),
    /// loads each variant model's newest version (or starts training one in the background: until
    /// it serves, the main model ranks its variant), and starts the retraining schedules.
    public static func start(store: any EventStore, configuration: ServiceConfiguration, modelDirectory: String,
                             trainIfMissing: Bool = true, logger: Logger = Logger(label: "tacit.service")) async throws -> RecommendationService {
        let service = try RecommendationService(store: store, configuration: configuration, modelDirectory: modelDirectory, logger: logger)
        try await service.loadState()
        service.forgotten.load(try await store.forgottenUsers())
        try await service.experiments.restore(from: store)
        // A finished search's model and parameters first: the main model's newest version of that model loads.
        await service.search?.restore()
        if try await service.lifecycle.loadLatest() == nil, trainIfMissing, try await store.eventCount() > 0 {
            let name = await service.lifecycle.choice.name
            let stored = try await store.modelVersions(of: name).count
            logger.info(stored == 0
                ? "no model version stored: training \(name) now"
                : "none of the \(stored) stored versions of \(name) loads (each is named above with its file and reason): training a new one now")
            try await service.lifecycle.trainAndWait()
        }
        for variant in service.variantModels {
            guard try await variant.lifecycle.loadLatest() == nil, trainIfMissing, try await store.eventCount() > 0 else { continue }
            logger.info("no version of variant model \(variant.name) stored: training it in the background")
            try await variant.lifecycle.startTraining()
        }
        for lifecycle in service.lifecycles { await lifecycle.startSchedule() }
        await service.search?.start()
        service.impressions.start()
        service.pruneForgottenUsers()
        service.startRetention()
        return service
    }

    /// Reads items and events from the store into memory.
    private func loadState() async throws {
        let horizon = Int64(Date().timeIntervalSince1970) + Int64(configuration.serving.maxFutureSeconds)
        counterClamp.withLock { $0 = CounterClamp(through: .max, horizon: horizon) }
        try await store.forEachItemPage { catalog.upsert($0) }
        try await store.forEachUserPage { userAttributes.store($0) }
        var total = 0
        var clamped = 0
        let after = try await scanStoredEvents { page in
            apply(page)
            total += page.count
            clamped += page.reduce(0) { $0 + ($1.timestamp > horizon ? 1 : 0) }
        }
        try await loadShown()
        logger.info("loaded \(catalog.snapshot.count) items, \(userAttributes.count) user records and \(total) events from \(store.description)")
        counterClamp.withLock { $0 = CounterClamp(through: after, horizon: horizon) }
        if clamped > 0 {
            logger.warning("\(clamped) stored events are stamped more than \(configuration.serving.maxFutureSeconds) s in the future; trending counts them at \(horizon)")
        }
    }

    /// Reads every stored event in order of arrival, a page at a time; returns the last sequence
    /// read (0 for an empty store). Loading and counter recounts use it.
    @discardableResult
    func scanStoredEvents(_ body: ([StoredEvent]) throws -> Void) async throws -> Int64 {
        var after: Int64 = 0
        while true {
            let page = try await store.events(after: after, limit: 50_000)
            guard let last = page.last else { return after }
            try body(page)
            after = last.sequence
        }
    }

    /// Stops scheduled training and waits for the running ones.
    public func shutdown() async {
        stopRetention()
        await search?.shutdown()
        for lifecycle in lifecycles { await lifecycle.shutdown() }
        await impressions.stop()
    }

    // MARK: writes

    /// The position of the first event whose item has no catalogue record, when
    /// `serving.unknown_items` is `reject` (such a batch is refused whole); `nil` otherwise.
    public func firstRejectedItem(in events: [StoredEvent]) -> Int? {
        guard configuration.serving.unknownItems == .reject else { return nil }
        return events.firstIndex { !catalog.hasRecord($0.item) }
    }

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
        // Events that follow from a recommendation (the click-through features count them).
        let attributed = Set(events.lazy.filter { $0.recommendationID != nil }.map(\.sequence))
        for (k, event) in events.enumerated() {
            let entry = UserHistories.Entry(event: HistoryEvent(item: items[k], kind: event.kind, timestamp: event.timestamp), sequence: event.sequence)
            if byUser[event.user] == nil { order.append(event.user) }
            byUser[event.user, default: []].append(entry)
        }
        for user in order {
            let earlier = histories.history(of: user)
            let accepted = histories.append(byUser[user]!, for: user)
            let events = accepted.map(\.event)
            let clamp = counterClamp.current
            activity.record(accepted.map { clamp.counted($0.event, sequence: $0.sequence) }, sequences: accepted.map(\.sequence))
            cooccurrence.record(events, earlier: earlier)
            recordActivity(events, earlier: earlier)
            recordActions(accepted, attributed: attributed)
        }
    }

    /// Inserts or replaces items in the store and the live catalog (recommendable at once).
    public func upsert(_ items: [ItemRecord]) async throws {
        try await store.upsert(items)
        catalog.upsert(items)
    }

    /// Inserts or replaces a user's record (attributes) in the store and in memory: from the next
    /// request on, a model with user features (two-tower trained on user records) ranks the user
    /// from them while it has no trained vector for them; the next training learns from them.
    /// The id is the one stored (pseudonymized by the caller when that is on).
    public func upsert(_ user: UserRecord) async throws {
        try await store.upsert(user)
        userAttributes.store([user])
    }
}
