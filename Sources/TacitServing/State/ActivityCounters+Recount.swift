import Foundation
import TacitCore

extension ActivityCounters {
    /// An event as counted, with the store's sequence.
    struct CountedEvent: Sendable, Equatable {
        var event: HistoryEvent
        var sequence: Int64
    }

    /// A recount in progress: its items, and the events recorded for them since it began.
    struct Recount {
        let items: Set<Int32>
        var journal: [CountedEvent] = []
    }

    /// Starts recounting `items` from the store. Until ``finishRecount(_:scanned:)``, every event
    /// recorded with its sequence for one of them is also journaled, so an event the caller's
    /// scan misses (stored after it passed) is still counted. Returns the recount's token.
    func beginRecount(_ items: Set<Int32>) -> Int {
        state.withLock { s in
            let id = s.nextRecount
            s.nextRecount += 1
            s.recounts[id] = Recount(items: items)
            return id
        }
    }

    /// Ends a recount without changing the counters (its scan failed).
    func cancelRecount(_ id: Int) {
        _ = state.withLock { $0.recounts.removeValue(forKey: id) }
    }

    /// Sets the counters of the recount's items exactly from `scanned` (every stored event of
    /// those items, read after ``beginRecount(_:)``) plus the journaled events the scan did not
    /// see: popularity, trending and counts as if recorded afresh, without rounding carried over.
    func finishRecount(_ id: Int, scanned: [CountedEvent]) {
        state.withLock { s in
            guard let recount = s.recounts.removeValue(forKey: id) else { return }
            let seen = Set(scanned.map(\.sequence))
            let events = scanned + recount.journal.filter { !seen.contains($0.sequence) }
            for item in recount.items where Int(item) < s.counts.count {
                s.counts[Int(item)] = 0
                s.popular[Int(item)] = 0
                s.trending[Int(item)] = 0
            }
            for counted in events where recount.items.contains(counted.event.item) && Int(counted.event.item) < s.counts.count {
                let i = Int(counted.event.item)
                let w = Double(weighting.weight(of: counted.event.kind))
                guard w > 0 else { continue }
                let reference = s.reference ?? counted.event.timestamp
                s.add(i, weight: w, exponent: Double(counted.event.timestamp - reference) / halfLife)
            }
            s.replaced()
        }
    }
}

/// How stored events count for trending: one stored before the service started (sequence up to
/// ``through``) and stamped past ``horizon`` (the start time plus `serving.max_future_seconds`)
/// counts at the horizon. Events accepted since are already bounded by the edge.
struct CounterClamp: Sendable {
    let through: Int64
    let horizon: Int64

    /// `event` as the counters see it.
    func counted(_ event: HistoryEvent, sequence: Int64) -> HistoryEvent {
        guard sequence <= through, event.timestamp > horizon else { return event }
        var clamped = event
        clamped.timestamp = horizon
        return clamped
    }
}
