/// The users x items matrix of weighted interactions, in compressed sparse row (CSR, by user) and
/// compressed sparse column (CSC, by item) form.
///
/// Values are `Float` confidences produced by a ``WeightingPolicy``; indices are `Int32`. Column
/// indices within a row (and row indices within a column) are sorted. Each entry can also carry
/// the timestamp of the latest event behind it, so sequence-aware models can order a history.
/// Build one with ``init(userCount:itemCount:entries:users:items:)`` or from events with
/// ``WeightingPolicy/matrix(from:)``; save and memory-map it with `InteractionMatrix+Archive`.
///
/// Immutable and `Sendable`: share one instance among threads and models.
public final class InteractionMatrix: Sendable {
    /// External ids of the rows.
    public let users: IDMap
    /// External ids of the columns.
    public let items: IDMap
    /// CSR row pointers (`userCount + 1`).
    public let rowPointers: StorageBuffer<Int>
    /// CSR column (item) indices, sorted within each row.
    public let columnIndices: StorageBuffer<Int32>
    /// CSR values.
    public let values: StorageBuffer<Float>
    /// Latest event timestamp per CSR entry, when known.
    public let timestamps: StorageBuffer<Int64>?
    /// CSC column pointers (`itemCount + 1`).
    public let columnPointers: StorageBuffer<Int>
    /// CSC row (user) indices, sorted within each column.
    public let rowIndices: StorageBuffer<Int32>
    /// CSC values.
    public let columnValues: StorageBuffer<Float>
    /// Every user's events in time order with their kinds, when the matrix was built from an event
    /// log (sequence-aware models read them; see ``EventSequences``). Not saved with the matrix.
    public let sequences: EventSequences?

    /// Number of users (rows).
    public var userCount: Int { rowPointers.count - 1 }
    /// Number of items (columns).
    public var itemCount: Int { columnPointers.count - 1 }
    /// Number of stored entries.
    public var nnz: Int { columnIndices.count }

    /// Assembles a matrix from finished CSR arrays; the CSC view is derived in O(nnz).
    /// - Precondition: the arrays are consistent (checked).
    public init(
        users: IDMap, items: IDMap,
        rowPointers: StorageBuffer<Int>, columnIndices: StorageBuffer<Int32>, values: StorageBuffer<Float>,
        timestamps: StorageBuffer<Int64>?, sequences: EventSequences? = nil
    ) {
        precondition(rowPointers.count == users.count + 1, "row pointers do not match the user count")
        precondition(columnIndices.count == values.count, "indices and values differ in length")
        precondition(rowPointers[rowPointers.count - 1] == columnIndices.count, "last row pointer is not nnz")
        self.users = users
        self.items = items
        self.rowPointers = rowPointers
        self.columnIndices = columnIndices
        self.values = values
        self.timestamps = timestamps
        precondition(sequences.map { $0.userCount == users.count } ?? true, "sequences do not match the user count")
        self.sequences = sequences
        let (cp, ri, cv) = Self.transpose(
            rows: users.count, columns: items.count, pointers: rowPointers.buffer,
            indices: columnIndices.buffer, values: values.buffer)
        columnPointers = cp
        rowIndices = ri
        columnValues = cv
    }

    /// Assembles a matrix from all its arrays (used when loading a saved file).
    init(
        users: IDMap, items: IDMap, rowPointers: StorageBuffer<Int>, columnIndices: StorageBuffer<Int32>,
        values: StorageBuffer<Float>, timestamps: StorageBuffer<Int64>?, columnPointers: StorageBuffer<Int>,
        rowIndices: StorageBuffer<Int32>, columnValues: StorageBuffer<Float>, sequences: EventSequences? = nil
    ) {
        self.users = users
        self.items = items
        self.rowPointers = rowPointers
        self.columnIndices = columnIndices
        self.values = values
        self.timestamps = timestamps
        self.columnPointers = columnPointers
        self.rowIndices = rowIndices
        self.columnValues = columnValues
        self.sequences = sequences
    }

    /// The same matrix with other values (a re-weighting): ids, indices, timestamps, sequences and
    /// the CSC structure are shared. - Complexity: O(nnz) to transpose the values.
    public func replacingValues(_ values: StorageBuffer<Float>) -> InteractionMatrix {
        InteractionMatrix(users: users, items: items, rowPointers: rowPointers, columnIndices: columnIndices, values: values,
                          timestamps: timestamps, sequences: sequences)
    }

    /// One user's row: item indices (sorted) and values.
    @inlinable
    public func row(_ user: Int) -> (items: UnsafeBufferPointer<Int32>, values: UnsafeBufferPointer<Float>) {
        let start = rowPointers[user], end = rowPointers[user + 1]
        return (UnsafeBufferPointer(rebasing: columnIndices.buffer[start..<end]),
                UnsafeBufferPointer(rebasing: values.buffer[start..<end]))
    }

    /// One item's column: user indices (sorted) and values.
    @inlinable
    public func column(_ item: Int) -> (users: UnsafeBufferPointer<Int32>, values: UnsafeBufferPointer<Float>) {
        let start = columnPointers[item], end = columnPointers[item + 1]
        return (UnsafeBufferPointer(rebasing: rowIndices.buffer[start..<end]),
                UnsafeBufferPointer(rebasing: columnValues.buffer[start..<end]))
    }

    /// The number of items in a user's row.
    @inlinable public func rowLength(_ user: Int) -> Int { rowPointers[user + 1] - rowPointers[user] }
    /// The number of users in an item's column (its interaction count).
    @inlinable public func columnLength(_ item: Int) -> Int { columnPointers[item + 1] - columnPointers[item] }

    /// A user's row as a sparse vector (their weighted history, with timestamps when known).
    public func history(of user: Int) -> SparseVector {
        let row = row(user)
        return SparseVector(sortedIndices: Array(row.items), values: Array(row.values), timestamps: rowTimestamps(user).map(Array.init))
    }

    /// The timestamps of one user's row, when the matrix has them.
    @inlinable
    public func rowTimestamps(_ user: Int) -> UnsafeBufferPointer<Int64>? {
        guard let timestamps else { return nil }
        return UnsafeBufferPointer(rebasing: timestamps.buffer[rowPointers[user]..<rowPointers[user + 1]])
    }

    /// Whether the user has an entry for the item. - Complexity: O(log row length).
    public func contains(user: Int, item: Int32) -> Bool {
        let items = row(user).items
        var lo = 0, hi = items.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if items[mid] < item { lo = mid + 1 } else { hi = mid }
        }
        return lo < items.count && items[lo] == item
    }

    /// Number of users per item (column lengths).
    public var itemInteractionCounts: [Int] { (0..<itemCount).map(columnLength) }

    /// Sum of values per item.
    public var itemWeightSums: [Float] {
        (0..<itemCount).map { item in column(item).values.reduce(0, +) }
    }

    // MARK: - Construction

    /// Transposes CSR to CSC with a counting sort. - Complexity: O(nnz + rows + columns).
    static func transpose(
        rows: Int, columns: Int, pointers: UnsafeBufferPointer<Int>, indices: UnsafeBufferPointer<Int32>,
        values: UnsafeBufferPointer<Float>
    ) -> (StorageBuffer<Int>, StorageBuffer<Int32>, StorageBuffer<Float>) {
        let nnz = indices.count
        var counts = [Int](repeating: 0, count: columns + 1)
        for c in indices { counts[Int(c) + 1] += 1 }
        for c in 0..<columns { counts[c + 1] += counts[c] }
        let columnPointers = StorageBuffer(counts)
        var next = counts
        let ri = UnsafeMutableBufferPointer<Int32>.allocate(capacity: max(nnz, 1))
        let cv = UnsafeMutableBufferPointer<Float>.allocate(capacity: max(nnz, 1))
        for r in 0..<rows {
            for k in pointers[r]..<pointers[r + 1] {
                let c = Int(indices[k])
                let slot = next[c]
                ri[slot] = Int32(r)
                cv[slot] = values[k]
                next[c] = slot + 1
            }
        }
        return (columnPointers,
                StorageBuffer(adopting: UnsafeMutableBufferPointer(rebasing: ri[0..<nnz])),
                StorageBuffer(adopting: UnsafeMutableBufferPointer(rebasing: cv[0..<nnz])))
    }
}
