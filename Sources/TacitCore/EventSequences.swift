/// Every user's events in time order — the item and the kind of each — for sequence-aware models.
///
/// An ``InteractionMatrix`` aggregates a user's repeated events into one weighted entry; a
/// sequential model (SASRec) needs the events themselves: repeats, order and kinds (a purchase is
/// not a view). ``WeightingPolicy/matrix(from:)`` keeps them beside the matrix, in the matrix's
/// user and item indices, ordered by `(timestamp, position in the log)` as EVALUATION.md orders
/// events. Only events of kept (user, item) entries whose kind has a positive weight are kept.
///
/// Memory: 14 bytes per event (6 without timestamps) plus a pointer per user. Not saved with the matrix: a model that needs
/// sequences after loading keeps its own copy of what it uses.
public struct EventSequences: Sendable, Equatable {
    /// The kinds that ``kindCodes`` index.
    public let kinds: [EventKind]
    /// User `u`'s events are `pointers[u] ..< pointers[u + 1]` (`userCount + 1` entries).
    public let pointers: [Int]
    /// The item index of each event.
    public let items: [Int32]
    /// The kind of each event, an index into ``kinds``.
    public let kindCodes: [UInt16]
    /// The time of each event (seconds), when the log had them: the ranker's real-time features
    /// replay the events in time order (``EventSequences/timeOrder()``).
    public let timestamps: [Int64]?

    /// - Precondition: the arrays are consistent (checked).
    public init(kinds: [EventKind], pointers: [Int], items: [Int32], kindCodes: [UInt16], timestamps: [Int64]? = nil) {
        precondition(!pointers.isEmpty && pointers.first == 0 && pointers.last == items.count, "sequence pointers do not match the events")
        precondition(items.count == kindCodes.count, "items and kinds differ in length")
        precondition(timestamps.map { $0.count == items.count } ?? true, "items and timestamps differ in length")
        precondition(kindCodes.allSatisfy { Int($0) < kinds.count }, "a kind code is out of range")
        self.kinds = kinds
        self.pointers = pointers
        self.items = items
        self.kindCodes = kindCodes
        self.timestamps = timestamps
    }

    /// The positions of every event ordered by time (ties by user, then by position in the
    /// user's sequence); `nil` without timestamps.
    /// - Complexity: O(events log events).
    public func timeOrder() -> [Int]? {
        guard let timestamps else { return nil }
        // Positions are grouped by user in user order, so position order breaks ties by user.
        return (0..<items.count).sorted { (timestamps[$0], $0) < (timestamps[$1], $1) }
    }

    /// The number of users.
    public var userCount: Int { pointers.count - 1 }
    /// The number of events.
    public var count: Int { items.count }

    /// The positions of `user`'s events, oldest first.
    @inlinable public func range(of user: Int) -> Range<Int> { pointers[user]..<pointers[user + 1] }

    /// Sequences in time order from a matrix's entries alone (its timestamps, ties by item index;
    /// item order without timestamps), every event of kind ``EventKind/interaction``: the fallback
    /// for a matrix loaded from a file or built without a log.
    /// - Complexity: O(nnz log(longest row)).
    public init(entriesOf matrix: InteractionMatrix) {
        var items = [Int32](), times: [Int64]? = matrix.timestamps == nil ? nil : []
        items.reserveCapacity(matrix.nnz)
        for u in 0..<matrix.userCount {
            let row = matrix.row(u)
            var order = Array(0..<row.items.count)
            if let stamps = matrix.rowTimestamps(u) {
                order.sort { (stamps[$0], row.items[$0]) < (stamps[$1], row.items[$1]) }
                times? += order.map { stamps[$0] }
            }
            items += order.map { row.items[$0] }
        }
        self.init(kinds: [.interaction], pointers: Array(matrix.rowPointers.buffer), items: items,
                  kindCodes: [UInt16](repeating: 0, count: items.count), timestamps: times)
    }
}

extension WeightingPolicy {
    /// The sequences of the matrix built from `log`: `newUser`/`newItem` map log indices to the
    /// matrix's (−1 = dropped); an event is kept when its (user, item) entry is in `matrix` and its
    /// kind weighs more than 0. Exact duplicates (same item, kind and time as the user's previous
    /// kept event) are dropped when the policy drops duplicates.
    /// - Complexity: O(events log(events per user)).
    func sequences(of log: EventLog, newUser: [Int32], newItem: [Int32], matrix: InteractionMatrix) -> EventSequences {
        let kindWeight = log.kinds.map(weight(of:))
        let (starts, order) = log.positionsByUser()
        var byMatrixUser = [Int](repeating: -1, count: matrix.userCount)
        for (u, m) in newUser.enumerated() where m >= 0 { byMatrixUser[Int(m)] = u }
        var pointers = [Int](repeating: 0, count: matrix.userCount + 1)
        var items: [Int32] = [], codes: [UInt16] = [], times: [Int64] = []
        items.reserveCapacity(log.count)
        codes.reserveCapacity(log.count)
        times.reserveCapacity(log.count)
        for m in 0..<matrix.userCount {
            let u = byMatrixUser[m]
            if u >= 0 {
                let row = matrix.row(m).items
                var previous = -1
                for p in order[starts[u]..<starts[u + 1]] {
                    let kind = Int(log.kindCodes[p])
                    guard kindWeight[kind] > 0 else { continue }
                    let item = newItem[Int(log.itemIndices[p])]
                    guard item >= 0, Self.sortedContains(row, item) else { continue }
                    if dropDuplicates, previous >= 0, log.itemIndices[previous] == log.itemIndices[p],
                       log.kindCodes[previous] == log.kindCodes[p], log.timestamps[previous] == log.timestamps[p] { continue }
                    previous = p
                    items.append(item)
                    codes.append(UInt16(kind))
                    times.append(log.timestamps[p])
                }
            }
            pointers[m + 1] = items.count
        }
        return EventSequences(kinds: log.kinds, pointers: pointers, items: items, kindCodes: codes, timestamps: times)
    }

    private static func sortedContains(_ row: UnsafeBufferPointer<Int32>, _ item: Int32) -> Bool {
        var lo = 0, hi = row.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if row[mid] < item { lo = mid + 1 } else { hi = mid }
        }
        return lo < row.count && row[lo] == item
    }
}
