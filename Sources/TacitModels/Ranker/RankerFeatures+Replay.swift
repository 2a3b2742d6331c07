import TacitCore

extension RankerFeatures {
    /// A trained user's request at a time.
    struct Request: Sendable {
        let user: Int
        let time: Int64
    }

    /// Every request's candidates (under `filter`) and complete feature rows: the sources and
    /// user features in parallel, then the item activity by replaying ``replay`` in time order
    /// once, stopping before each request's time (events at or after it are not counted).
    /// - Complexity: O(events + requests · candidates · features) after the sources' lists.
    func candidates(for requests: [Request], filter: ItemFilter, threads: Int) -> [(items: [Int32], rows: [Float])] {
        let slots = ResultSlots<(items: [Int32], rows: [Float])>(count: requests.count, initial: ([], []))
        Parallel.forEach(0..<requests.count, threads: threads) { k in
            let request = requests[k]
            var (items, rows) = candidates(from: lists(for: .trained(request.user), filter: filter))
            fillUser(&rows, items: items, events: events(of: request.user, through: request.time), time: request.time)
            slots[k] = (items, rows)
        }
        var results = slots.values
        replayActivity(into: &results, times: requests.map(\.time))
        return results
    }

    /// Fills the item activity columns of each candidate list's rows as of `times[k]`, replaying
    /// ``replay`` in time order once and stopping before each time (events at or after it are not
    /// counted).
    func replayActivity(into lists: inout [(items: [Int32], rows: [Float])], times: [Int64]) {
        var activity = ItemActivity(), next = 0
        let stamps = replay.timestamps ?? []
        for k in lists.indices.sorted(by: { (times[$0], $0) < (times[$1], $1) }) {
            let time = times[k]
            while next < replayOrder.count, stamps[replayOrder[next]] < time {
                let e = replayOrder[next]
                activity.record(item: Int(replay.items[e]), kind: replay.kinds[Int(replay.kindCodes[e])], at: stamps[e])
                next += 1
            }
            fillActivity(&lists[k].rows, items: lists[k].items, activity: activity, time: time)
        }
    }
}
