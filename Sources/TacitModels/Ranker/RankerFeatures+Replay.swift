import TacitCore

extension RankerFeatures {
    /// A trained user's request at a time.
    struct Request: Sendable {
        let user: Int
        let time: Int64
    }

    /// Every request's candidates (under `filter`) and complete feature rows, element `k` for
    /// `requests[k]` (``forEachCandidates(for:filter:threads:chunk:_:)``).
    func candidates(for requests: [Request], filter: ItemFilter, threads: Int) -> [(items: [Int32], rows: [Float])] {
        var results = [(items: [Int32], rows: [Float])](repeating: ([], []), count: requests.count)
        forEachCandidates(for: requests, filter: filter, threads: threads) { k, items, rows in results[k] = (items, rows) }
        return results
    }

    /// Hands each request's candidates (under `filter`) and complete feature rows to `body`
    /// (with the request's position), in time order (``forEachRows(times:threads:chunk:build:_:)``).
    /// - Complexity: O(events + requests · candidates · features) after the sources' lists.
    func forEachCandidates(for requests: [Request], filter: ItemFilter, threads: Int, chunk: Int = 2_048,
                           _ body: (Int, [Int32], [Float]) -> Void) {
        forEachRows(times: requests.map(\.time), threads: threads, chunk: chunk, build: { k in
            let request = requests[k]
            var (items, rows) = candidates(from: lists(for: .trained(request.user), filter: filter))
            fillUser(&rows, items: items, events: events(of: request.user, through: request.time), time: request.time)
            return (items, rows)
        }, body)
    }

    /// The one replay behind every offline feature row: request `k` at `times[k]` gets its items
    /// and every row but the item activity from `build(k)` (a chunk of `chunk` requests in
    /// parallel), then, in time order, its item activity by continuing one replay of ``replay``
    /// stopping before its time (events at or after it are not counted), and goes to `body`. Only
    /// one chunk's rows are held at once.
    func forEachRows(times: [Int64], threads: Int, chunk: Int = 2_048, build: @Sendable (Int) -> (items: [Int32], rows: [Float]),
                     _ body: (Int, [Int32], [Float]) -> Void) {
        let order = times.indices.sorted { (times[$0], $0) < (times[$1], $1) }
        var cursor = ActivityReplay.Cursor()
        for start in stride(from: 0, to: order.count, by: max(1, chunk)) {
            let part = Array(order[start..<min(order.count, start + max(1, chunk))])
            let slots = ResultSlots<(items: [Int32], rows: [Float])>(count: part.count, initial: ([], []))
            Parallel.forEach(0..<part.count, threads: threads) { k in slots[k] = build(part[k]) }
            for (k, (items, rows)) in slots.values.enumerated() {
                let time = times[part[k]]
                cursor.advance(to: time, in: replay)
                var filled = rows
                fillActivity(&filled, items: items, activity: cursor.activity, time: time)
                body(part[k], items, filled)
            }
        }
    }

    /// Fills the item activity columns of each candidate list's rows as of `times[k]`, replaying
    /// ``replay`` in time order once and stopping before each time (events at or after it are not
    /// counted).
    func replayActivity(into lists: inout [(items: [Int32], rows: [Float])], times: [Int64]) {
        var cursor = ActivityReplay.Cursor()
        for k in lists.indices.sorted(by: { (times[$0], $0) < (times[$1], $1) }) {
            cursor.advance(to: times[k], in: replay)
            fillActivity(&lists[k].rows, items: lists[k].items, activity: cursor.activity, time: times[k])
        }
    }
}
