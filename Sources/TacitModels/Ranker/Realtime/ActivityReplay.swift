import TacitCore

/// Training events in time order, replayed into an ``ItemActivity`` up to a request time: the
/// offline side of the ranker's item activity features. Built once per fit and shared by every
/// cut and the final model (the sort is the costly part).
struct ActivityReplay: Sendable {
    /// The events (their timestamps give the order; without them nothing is replayed).
    let events: EventSequences
    /// `events`' positions in time order (ties by user, then by position in the user's sequence).
    let order: [Int]
    /// The kinds that occur, standard kinds first in their order, then the others by name.
    let kinds: [EventKind]
    /// A second after the latest event: the request time of a request without one.
    let end: Int64

    /// - Complexity: O(events log events).
    init(_ events: EventSequences) {
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
        private var next = 0

        /// Records every event of `replay` earlier than `time` not recorded yet (times must not
        /// decrease from one call to the next).
        mutating func advance(to time: Int64, in replay: ActivityReplay) {
            guard let stamps = replay.events.timestamps else { return }
            while next < replay.order.count, stamps[replay.order[next]] < time {
                let e = replay.order[next]
                activity.record(item: Int(replay.events.items[e]), kind: replay.events.kinds[Int(replay.events.kindCodes[e])], at: stamps[e])
                next += 1
            }
        }
    }
}
