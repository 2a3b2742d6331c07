import TacitCore

/// The leak-free split of a ranker that learns from logged impressions: the sources train on the
/// events before ``cut`` only, and every list shown at or after it is a query group whose features
/// read the user as the service saw them when the list was shown — the trained vector when the
/// user had no event since the cut, else their events up to that moment folded in (as the service
/// folds in events that arrive after a model was trained).
struct RankerTemporalCut: Sendable {
    /// The training matrix with only the events before ``cut`` (same user and item ids).
    let base: InteractionMatrix
    let cut: Int64
    /// Every training event (the histories the features read up to each list's time).
    let events: EventSequences
    let weighting: WeightingPolicy

    /// - Complexity: O(events + nnz log nnz).
    init(_ data: InteractionMatrix, events: EventSequences, before cut: Int64, weighting: WeightingPolicy) {
        self.cut = cut
        self.events = events
        self.weighting = weighting
        var pointers = [0], items = [Int32](), values = [Float](), times = [Int64]()
        var sequencePointers = [0], sequenceItems = [Int32](), sequenceKinds = [UInt16](), sequenceTimes = [Int64]()
        let stamps = events.timestamps ?? []
        for u in 0..<data.userCount {
            var kept: [WeightingPolicy.NewEvent] = []
            for e in events.range(of: u) where stamps.isEmpty || stamps[e] < cut {
                kept.append((events.items[e], events.kinds[Int(events.kindCodes[e])], stamps.isEmpty ? 0 : stamps[e]))
                sequenceItems.append(events.items[e]); sequenceKinds.append(events.kindCodes[e])
                if !stamps.isEmpty { sequenceTimes.append(stamps[e]) }
            }
            sequencePointers.append(sequenceItems.count)
            let row = weighting.extend(SparseVector(pairs: []), with: kept)
            items += row.indices
            values += row.values
            times += row.timestamps ?? [Int64](repeating: 0, count: row.indices.count)
            pointers.append(items.count)
        }
        base = InteractionMatrix(users: data.users, items: data.items, rowPointers: StorageBuffer(pointers), columnIndices: StorageBuffer(items),
                                 values: StorageBuffer(values), timestamps: StorageBuffer(times),
                                 sequences: EventSequences(kinds: events.kinds, pointers: sequencePointers, items: sequenceItems,
                                                           kindCodes: sequenceKinds, timestamps: stamps.isEmpty ? nil : sequenceTimes))
    }

    /// User `user` as the sources see them at `time`: trained, when none of their events falls in
    /// `[cut, time)`; else their events before `time` weighted into a history (and in order, for
    /// sequential sources).
    func subject(user: Int, at time: Int64) -> RankerFeatures.Subject {
        let range = events.range(of: user), stamps = events.timestamps ?? []
        let before = range.filter { stamps.isEmpty || stamps[$0] < time }
        guard before.contains(where: { !stamps.isEmpty && stamps[$0] >= cut }) else { return .trained(user) }
        let kept = before.map { e in (item: events.items[e], kind: events.kinds[Int(events.kindCodes[e])], timestamp: stamps[e]) }
        return .folded(history: weighting.extend(SparseVector(pairs: []), with: kept),
                       sequence: kept.map { SequenceEvent(item: $0.item, kind: $0.kind) })
    }
}
