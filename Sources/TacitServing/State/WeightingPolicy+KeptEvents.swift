import TacitCore

extension WeightingPolicy {
    /// `events` (oldest first) as the training log's sequences keep them (``EventSequences``): kinds
    /// this policy weighs above 0 that `keep` accepts, an exact repeat (item, kind and time) of the
    /// previous kept event dropped when the policy drops duplicates; `previous` is the last event
    /// kept before them. The ranker's live features read events through it, so they count what its
    /// offline replay counts.
    func kept(_ events: [HistoryEvent], after previous: HistoryEvent? = nil, where keep: (HistoryEvent) -> Bool = { _ in true }) -> [HistoryEvent] {
        var last = previous, result: [HistoryEvent] = []
        result.reserveCapacity(events.count)
        for event in events where weight(of: event.kind) > 0 && keep(event) {
            if dropDuplicates, event == last { continue }
            result.append(event)
            last = event
        }
        return result
    }
}
