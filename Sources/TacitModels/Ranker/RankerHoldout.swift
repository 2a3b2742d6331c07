import TacitCore

/// The leak-free split inside a ranker's fit: each user's latest `events` items are held out, when
/// the user keeps at least `minimumKept` entries, and the first `labelled` of them (the ones right
/// after the kept history) are the ranker's labels; the retrievers train on the rest.
///
/// "Latest" follows the matrix's event sequences when it has them — `(timestamp, position in the
/// log)`, the order that picks the test event in EVALUATION.md, so the trees learn from labels
/// chosen the way the test's are — and otherwise its timestamps (the higher item index among
/// ties). The base keeps the sequences of the kept entries, so sequential sources see the same
/// order as in the final fit.
struct RankerHoldout: Sendable {
    /// The training matrix without the held-out entries (same user and item ids).
    let base: InteractionMatrix
    /// One held-out user's labels.
    struct Label: Sendable, Equatable {
        let user: Int32
        /// The held-out items, the one right after the kept history first.
        let items: [Int32]
        /// Each item's grade (``RankerHoldout/grade(position:of:kind:)``).
        let grades: [Float]
        /// The request time the features are computed at: the time of the first held-out item's
        /// latest event (what put it among the latest), so the user's kept events all come before.
        let time: Int64
    }

    /// Every held-out user with their labels, in user order.
    let labels: [Label]

    /// - Complexity: O(nnz log(row length) + events).
    init(_ data: InteractionMatrix, events: Int = 1, labelled: Int? = nil, minimumKept: Int = 2) {
        let events = max(1, events), labelled = min(events, max(1, labelled ?? events)), stamps = data.timestamps, sequences = data.sequences
        var pointers = [0], items = [Int32](), values = [Float](), times = [Int64]()
        var sequencePointers = [0], sequenceItems = [Int32](), sequenceKinds = [UInt16](), sequenceTimes = [Int64]()
        items.reserveCapacity(data.nnz); values.reserveCapacity(data.nnz)
        var labels: [Label] = []
        for u in 0..<data.userCount {
            let row = data.row(u)
            var held: [Int32] = []
            if row.items.count - events >= minimumKept {
                held = Self.latest(events, of: u, in: data)
                let labelledItems = Array(held.prefix(labelled))
                if !labelledItems.isEmpty {
                    let kinds = labelledItems.map { Self.strongestKind(of: $0, user: u, in: data) }
                    labels.append(Label(user: Int32(u), items: labelledItems,
                                        grades: kinds.enumerated().map { Self.grade(position: $0, of: labelledItems.count, kind: $1) },
                                        time: Self.latestTime(of: labelledItems[0], user: u, in: data)))
                }
            }
            let start = data.rowPointers[u]
            for k in 0..<row.items.count where !held.contains(row.items[k]) {
                items.append(row.items[k]); values.append(row.values[k])
                if let stamps { times.append(stamps[start + k]) }
            }
            pointers.append(items.count)
            if let sequences {
                for e in sequences.range(of: u) where !held.contains(sequences.items[e]) {
                    sequenceItems.append(sequences.items[e]); sequenceKinds.append(sequences.kindCodes[e])
                    if let times = sequences.timestamps { sequenceTimes.append(times[e]) }
                }
                sequencePointers.append(sequenceItems.count)
            }
        }
        base = InteractionMatrix(users: data.users, items: data.items, rowPointers: StorageBuffer(pointers), columnIndices: StorageBuffer(items),
                                 values: StorageBuffer(values), timestamps: stamps == nil ? nil : StorageBuffer(times),
                                 sequences: sequences.map { EventSequences(kinds: $0.kinds, pointers: sequencePointers, items: sequenceItems,
                                                                           kindCodes: sequenceKinds,
                                                                           timestamps: $0.timestamps == nil ? nil : sequenceTimes) })
        self.labels = labels
    }

    /// The label of the held-out item at `position` (0 = right after the kept history) of
    /// `count`: the grade of its strongest event kind (view 1, click 2, add-to-cart 3, purchase 4;
    /// any other kind 1) plus `count − 1 − position`, so with one kind the earliest held-out item
    /// is graded `count` and the last 1.
    static func grade(position: Int, of count: Int, kind: EventKind?) -> Float {
        let strength = kind.flatMap { EventKind.standard.firstIndex(of: $0) }.map { $0 + 1 } ?? 1
        return Float(strength + count - 1 - position)
    }

    /// The strongest standard kind among user `u`'s events of `item` (nil without sequences or
    /// without a standard kind).
    static func strongestKind(of item: Int32, user u: Int, in data: InteractionMatrix) -> EventKind? {
        guard let sequences = data.sequences else { return nil }
        var best: Int?
        for e in sequences.range(of: u) where sequences.items[e] == item {
            if let k = EventKind.standard.firstIndex(of: sequences.kinds[Int(sequences.kindCodes[e])]) { best = max(best ?? k, k) }
        }
        return best.map { EventKind.standard[$0] }
    }

    /// The time of user `u`'s latest event of `item` (0 without timestamps).
    static func latestTime(of item: Int32, user u: Int, in data: InteractionMatrix) -> Int64 {
        if let sequences = data.sequences, let times = sequences.timestamps,
           let e = sequences.range(of: u).last(where: { sequences.items[$0] == item }) {
            return times[e]
        }
        let row = data.row(u)
        guard let stamps = data.rowTimestamps(u), let k = row.items.firstIndex(of: item) else { return 0 }
        return stamps[k]
    }

    /// User `u`'s latest `count` distinct items, the earliest of them first (none without an order).
    static func latest(_ count: Int, of u: Int, in data: InteractionMatrix) -> [Int32] {
        var latest: [Int32] = []
        if let sequences = data.sequences {
            for e in sequences.range(of: u).reversed() where !latest.contains(sequences.items[e]) {
                latest.append(sequences.items[e])
                if latest.count == count { break }
            }
        } else if let stamps = data.rowTimestamps(u) {
            let row = data.row(u)
            let order = (0..<row.items.count).sorted { (stamps[$0], $0) > (stamps[$1], $1) }
            latest = order.prefix(count).map { row.items[$0] }
        }
        return latest.reversed()
    }
}
