import TacitCore

/// The leak-free split inside a ranker's fit: each user's latest entry (by timestamp, the
/// highest item index among ties) is held out as the ranker's label, when the user keeps at least
/// `minimumKept` entries; the retrievers train on the rest.
struct RankerHoldout: Sendable {
    /// The training matrix without the held-out entries (same user and item ids).
    let base: InteractionMatrix
    /// `(user, item)` of every held-out entry, by user.
    let labels: [(user: Int32, item: Int32)]

    /// - Complexity: O(nnz).
    init(_ data: InteractionMatrix, minimumKept: Int = 2) {
        var users = [Int32](), items = [Int32](), values = [Float](), times = [Int64]()
        users.reserveCapacity(data.nnz); items.reserveCapacity(data.nnz); values.reserveCapacity(data.nnz)
        var labels: [(user: Int32, item: Int32)] = []
        for u in 0..<data.userCount {
            let row = data.row(u), stamps = data.rowTimestamps(u)
            var latest = -1
            if row.items.count > minimumKept, let stamps {
                latest = 0
                for k in 1..<row.items.count where stamps[k] >= stamps[latest] { latest = k }
                labels.append((Int32(u), row.items[latest]))
            }
            for k in 0..<row.items.count where k != latest {
                users.append(Int32(u)); items.append(row.items[k]); values.append(row.values[k])
                if let stamps { times.append(stamps[k]) }
            }
        }
        base = InteractionMatrix(users: data.users, items: data.items, userIndices: users, itemIndices: items, values: values,
                                 timestamps: data.timestamps == nil ? nil : times)
        self.labels = labels
    }
}
