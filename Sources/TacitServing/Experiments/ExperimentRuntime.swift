import TacitCore
import TacitExperiments
import TacitStore

/// The experiments a service runs: assignment of requests to variants, and for bandit
/// policies the live allocation, updated as outcomes arrive.
///
/// One experiment applies per request scene: the first experiment in configuration order whose
/// ``ExperimentDefinition/scene`` is the request's scene and that is running at the request
/// time. A fixed split assigns users stickily (nothing stored). A bandit draws each request's
/// arm from its current allocation; every served response counts as one play of its arm, and
/// the first click, add-to-cart or purchase carrying the response's recommendation id counts as
/// a success (reward 1). The allocation is recomputed every ``refreshEvery`` updates (plays
/// plus successes), batched as deployed bandits are. On start, ``restore(from:)`` rebuilds every
/// bandit's tallies from the stored impressions and outcomes, so a restart does not reset it.
final class ExperimentRuntime: Sendable {
    /// One configured experiment.
    struct Entry: Sendable {
        let definition: ExperimentDefinition
        let assigner: ExperimentAssigner
        let bandit: Bandit?
    }

    /// A bandit's tallies and its current allocation.
    struct BanditSlot: Sendable {
        var state: BanditState
        var allocation: [Double]
        var updatesSinceRefresh = 0
    }

    /// What a request is served with.
    struct Decision: Sendable {
        let assignment: Assignment
        /// The scene that serves the variant; nil for the holdout (the request's own scene).
        let scene: String?
        /// The model that ranks the variant; nil for the main model (and for the holdout).
        let model: String?
    }

    let entries: [Entry]
    let refreshEvery: Int
    private let slots: [Locked<BanditSlot>?]
    private let requests = Locked<UInt64>(0)
    /// Recommendation id → (experiment index, arm) of bandit responses without a success yet.
    private let pending: BoundedCache<String, PendingPlay>

    struct PendingPlay: Sendable {
        let experiment: Int
        let arm: Int
    }

    /// - Parameters:
    ///   - refreshEvery: bandit updates (plays plus successes) between allocation refreshes.
    ///   - pendingCapacity: bandit responses remembered while waiting for their outcome.
    init(_ definitions: [ExperimentDefinition], refreshEvery: Int = 100, pendingCapacity: Int = 500_000) throws(ExperimentError) {
        var entries: [Entry] = []
        for definition in definitions {
            let bandit: Bandit? = definition.policy.isAdaptive ? try Bandit(definition) : nil
            entries.append(Entry(definition: definition, assigner: try ExperimentAssigner(definition), bandit: bandit))
        }
        self.entries = entries
        self.refreshEvery = max(1, refreshEvery)
        slots = entries.map { entry in
            entry.bandit.map { bandit in
                let state = BanditState(arms: entry.definition.variants.count)
                return Locked(BanditSlot(state: state, allocation: bandit.allocation(state)))
            }
        }
        pending = BoundedCache(capacity: pendingCapacity)
    }

    /// The assignment of a request for `scene` by `user` at `time`, or nil when no experiment
    /// runs on that scene. A bandit play is counted against `recommendationID`.
    func decide(user: UserID, scene: String, at time: Int64, recommendationID: String) -> Decision? {
        guard let index = entries.firstIndex(where: { $0.definition.scene == scene && $0.definition.isRunning(at: time) }) else {
            return nil
        }
        let entry = entries[index]
        let assignment: Assignment?
        if let slot = slots[index] {
            let counter = requests.withLock { value -> UInt64 in value &+= 1; return value }
            let allocation = slot.withLock { $0.allocation }
            assignment = entry.assigner.assign(user: user, request: counter, allocation: allocation, at: time)
            if let arm = assignment?.variantIndex {
                update(index, slot: slot) { $0.record(arm: arm, pulls: 1, successes: 0) }
                pending.store(PendingPlay(experiment: index, arm: arm), for: recommendationID)
            }
        } else {
            assignment = entry.assigner.assign(user: user, at: time)
        }
        guard let assignment else { return nil }
        let variant = assignment.variantIndex.map { entry.definition.variants[$0] }
        let scene = variant.map { $0.scene ?? entry.definition.scene ?? "" }
        return Decision(assignment: assignment, scene: scene, model: variant?.model)
    }

    /// Counts the events that are a bandit response's first success (click, add to cart, purchase).
    func recordOutcomes(_ events: [StoredEvent]) {
        guard slots.contains(where: { $0 != nil }) else { return }
        for event in events where Self.successKinds.contains(event.kind) {
            guard let id = event.recommendationID, let play = pending.remove(id), let slot = slots[play.experiment] else { continue }
            update(play.experiment, slot: slot) { $0.record(arm: play.arm, pulls: 0, successes: 1) }
        }
    }

    static let successKinds: Set<EventKind> = [.click, .addToCart, .purchase]

    /// Rebuilds each bandit's tallies from the store: every stored impression of one of its arms
    /// is a play, the first click, add-to-cart or purchase carrying its recommendation id a
    /// success; plays without a success yet stay pending, so their outcomes still count.
    /// - Complexity: one pass over the experiment's impressions and outcomes.
    func restore(from store: any EventStore) async throws {
        for (index, entry) in entries.enumerated() {
            guard let slot = slots[index], let bandit = entry.bandit else { continue }
            let id = entry.definition.id
            var state = BanditState(arms: entry.definition.variants.count)
            var open: [String: Int] = [:]  // recommendation id → arm, until its first success
            var lastID: String?
            while true {
                let page = try await store.impressions(experiment: id, after: lastID, limit: 10_000)
                guard let last = page.last else { break }
                for impression in page {
                    guard let name = impression.variant, let arm = entry.definition.variantIndex(named: name) else { continue }
                    state.record(arm: arm, pulls: 1, successes: 0)
                    open[impression.recommendationID] = arm
                }
                lastID = last.recommendationID
            }
            var after: Int64 = 0
            while true {
                let events = try await store.outcomes(experiment: id, after: after, limit: 10_000)
                guard let last = events.last else { break }
                for event in events where Self.successKinds.contains(event.kind) {
                    guard let recommendation = event.recommendationID, let arm = open.removeValue(forKey: recommendation) else { continue }
                    state.record(arm: arm, pulls: 0, successes: 1)
                }
                after = last.sequence
            }
            for (recommendation, arm) in open { pending.store(PendingPlay(experiment: index, arm: arm), for: recommendation) }
            slot.withLock { $0 = BanditSlot(state: state, allocation: bandit.allocation(state)) }
        }
    }

    /// The current allocation of a bandit experiment (nil for a fixed split or an unknown id).
    func allocation(of id: String) -> [Double]? {
        guard let index = entries.firstIndex(where: { $0.definition.id == id }), let slot = slots[index] else { return nil }
        return slot.withLock { $0.allocation }
    }

    /// The current tallies of a bandit experiment.
    func banditState(of id: String) -> BanditState? {
        guard let index = entries.firstIndex(where: { $0.definition.id == id }), let slot = slots[index] else { return nil }
        return slot.withLock { $0.state }
    }

    private func update(_ index: Int, slot: Locked<BanditSlot>, _ change: (inout BanditState) -> Void) {
        guard let bandit = entries[index].bandit else { return }
        slot.withLock { value in
            change(&value.state)
            value.updatesSinceRefresh += 1
            if value.updatesSinceRefresh >= refreshEvery {
                value.updatesSinceRefresh = 0
                value.allocation = bandit.allocation(value.state)
            }
        }
    }
}
