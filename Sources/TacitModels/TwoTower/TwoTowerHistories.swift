import TacitCore

/// The training examples of a two-tower run and the time-ordered histories they see.
///
/// Each user's entries are ordered by `(timestamp, item index)` (item order alone when the matrix
/// has no timestamps). Every entry is one example; its history is the user's most recent
/// `historyLength` entries **strictly before** it in time (entries sharing its timestamp are not
/// history), as contiguous slices of ``items``/``weights`` (and of ``rows``, what the query tower
/// looks up).
struct TwoTowerHistories: Sendable {
    /// Every user's items, in time order, user by user (the matrix's row pointers delimit users).
    let items: [Int32]
    /// The item-table rows of each entry of ``items`` (the same array unless the table is hashed;
    /// then two rows an entry, ``IDRows/bag(_:weights:)``) and their weights.
    let rows: [Int32]
    let rowWeights: [Float]
    /// Entries of ``rows`` per entry of ``items``: 1, or 2 with hashed item tables.
    let rowsPerItem: Int
    /// The user-table row of each training user.
    let userRows: IDRows
    /// The interaction values, in the same order.
    let weights: [Float]
    /// The user of each example (one example per entry of ``items``).
    let users: [Int32]
    /// The first history position of each example.
    let starts: [Int32]
    /// The end (exclusive) of each example's history.
    let ends: [Int32]
    let rowPointers: [Int]
    let historyLength: Int

    /// `itemRows` and `userRows` are the id tables' rows (default: one per item and user).
    /// - Complexity: O(nnz log(longest row)).
    init(_ data: InteractionMatrix, historyLength: Int, itemRows: IDRows? = nil, userRows: IDRows? = nil) {
        self.historyLength = historyLength
        let nnz = data.nnz
        var items = [Int32](repeating: 0, count: nnz), weights = [Float](repeating: 0, count: nnz)
        var users = [Int32](repeating: 0, count: nnz), starts = [Int32](repeating: 0, count: nnz), ends = [Int32](repeating: 0, count: nnz)
        for u in 0..<data.userCount {
            let lo = data.rowPointers[u], hi = data.rowPointers[u + 1]
            let row = data.row(u), times = data.rowTimestamps(u)
            var order = Array(0..<(hi - lo))
            if let times { order.sort { (times[$0], $0) < (times[$1], $1) } }
            var groupStart = lo
            for (k, position) in order.enumerated() {
                let o = lo + k
                items[o] = row.items[position]
                weights[o] = row.values[position]
                users[o] = Int32(u)
                if let times, k > 0, times[position] != times[order[k - 1]] { groupStart = o }
                if times == nil { groupStart = o }
                ends[o] = Int32(groupStart)
                starts[o] = Int32(max(lo, groupStart - historyLength))
            }
        }
        self.items = items
        self.weights = weights
        let itemRows = itemRows ?? IDRows(data.items, hashing: nil)
        (rows, rowWeights) = itemRows.bag(items, weights: weights)
        rowsPerItem = itemRows.isHashed ? 2 : 1
        self.userRows = userRows ?? IDRows(data.users, hashing: nil)
        self.users = users
        self.starts = starts
        self.ends = ends
        rowPointers = Array(data.rowPointers.buffer)
    }

    /// The query inputs of the entries `range` of user `user` (rows when `withUser`, else none).
    func query<R>(user: Int, entries range: Range<Int>, withUser: Bool, attributes: TwoTowerFeatures.Bags,
                  _ body: (TwoTowerNetwork.Query) -> R) -> R {
        let k = rowsPerItem, rowRange = (range.lowerBound * k)..<(range.upperBound * k)
        return rows.withUnsafeBufferPointer { rows in
            rowWeights.withUnsafeBufferPointer { weights in
                attributes.indices.withUnsafeBufferPointer { bags in
                    body(TwoTowerNetwork.Query(user: withUser ? userRows[Int32(user)] : (-1, -1), history: UnsafeBufferPointer(rebasing: rows[rowRange]),
                                               weights: UnsafeBufferPointer(rebasing: weights[rowRange]),
                                               attributes: UnsafeBufferPointer(rebasing: bags[attributes.pointers[user]..<attributes.pointers[user + 1]]),
                                               rowsPerItem: k))
                }
            }
        }
    }

    /// The range of `user`'s most recent `historyLength` entries (all of training, for serving).
    func recent(_ user: Int) -> Range<Int> {
        let hi = rowPointers[user + 1]
        return max(rowPointers[user], hi - historyLength)..<hi
    }

    /// The most recent `historyLength` entries of an unordered history: by `(timestamp, item)`
    /// when it has timestamps, else the last by item index — the order ``init(_:historyLength:)``
    /// gives a training user's row, so a training user's own history selects the same entries.
    static func recent(_ history: SparseVector, historyLength: Int, itemCount: Int) -> (items: [Int32], weights: [Float]) {
        var order = history.indices.indices.filter { history.indices[$0] >= 0 && Int(history.indices[$0]) < itemCount }
        if let times = history.timestamps { order.sort { (times[$0], $0) < (times[$1], $1) } }
        let kept = order.suffix(historyLength)
        return (kept.map { history.indices[$0] }, kept.map { history.values[$0] })
    }
}
