import TacitCore

/// Training events in time order, replayed into an ``ItemActivity`` up to a request time: the
/// offline side of the ranker's item activity features. Built once per fit and shared by every
/// cut and the final model (the sort is the costly part). Logged impressions and actions on
/// recommendations (``ItemExposures``) are replayed beside the events, each in time order.
struct ActivityReplay: Sendable {
    /// The events (their timestamps give the order; without them nothing is replayed).
    let events: EventSequences
    /// `events`' positions in time order (ties by user, then by position in the user's sequence).
    let order: [Int]
    /// The kinds that occur, standard kinds first in their order, then the others by name.
    let kinds: [EventKind]
    /// A second after the latest event: the request time of a request without one.
    let end: Int64
    /// Every exposure (an item shown in a recorded response; -1: an item the model lacks) and
    /// every action on a recommendation, each sorted by time.
    let shown: [(item: Int32, time: Int64)], actions: [(item: Int32, time: Int64)]

    /// - Parameters:
    ///   - exposures: logged impressions and actions, their items looked up in `items`.
    /// - Complexity: O(events log events + exposures log exposures).
    init(_ events: EventSequences, exposures: ItemExposures = ItemExposures(), items: IDMap? = nil) {
        func index(_ id: ItemID) -> Int32 { items?.index(of: id) ?? -1 }
        shown = exposures.shown.flatMap { response in response.items.map { (item: index($0), time: response.time) } }
            .sorted { ($0.time, $0.item) < ($1.time, $1.item) }
        actions = exposures.actions.map { (item: index($0.item), time: $0.time) }.sorted { ($0.time, $0.item) < ($1.time, $1.item) }
        self.events = events
        order = events.timeOrder() ?? []
        var seen = Set<UInt16>()
        for code in events.kindCodes { seen.insert(code) }
        let present = seen.map { events.kinds[Int($0)] }
        kinds = EventKind.standard.filter(present.contains) + present.filter { !EventKind.standard.contains($0) }.sorted { $0.name < $1.name }
        end = (events.timestamps?.max()).map { $0 == .max ? $0 : $0 + 1 } ?? 0
    }

    /// A position in the replay and the activity of every event before it.
    struct Cursor {
        private(set) var activity = ItemActivity()
        private var next = 0, nextShown = 0, nextAction = 0

        /// Records every event, exposure and action of `replay` earlier than `time` not recorded
        /// yet (times must not decrease from one call to the next).
        mutating func advance(to time: Int64, in replay: ActivityReplay) {
            while nextShown < replay.shown.count, replay.shown[nextShown].time < time {
                activity.recordShown(item: Int(replay.shown[nextShown].item))
                nextShown += 1
            }
            while nextAction < replay.actions.count, replay.actions[nextAction].time < time {
                activity.recordAction(item: Int(replay.actions[nextAction].item))
                nextAction += 1
            }
            guard let stamps = replay.events.timestamps else { return }
            while next < replay.order.count, stamps[replay.order[next]] < time {
                let e = replay.order[next]
                activity.record(item: Int(replay.events.items[e]), kind: replay.events.kinds[Int(replay.events.kindCodes[e])], at: stamps[e])
                next += 1
            }
        }
    }
}
