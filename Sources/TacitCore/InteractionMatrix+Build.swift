extension InteractionMatrix {
    /// How entries for the same (user, item) pair are combined while building a matrix.
    public enum DuplicateRule: String, Sendable, Codable, CaseIterable {
        /// Add the values.
        case sum
        /// Keep the largest value.
        case max
    }

    /// Builds a matrix from unsorted coordinate entries.
    ///
    /// Entries are bucketed by user with a counting sort, sorted by item within each row, and
    /// entries for the same pair are combined by `duplicates` (the latest timestamp is kept).
    /// - Parameters:
    ///   - users: the row ids; `userIndices` index into it.
    ///   - items: the column ids; `itemIndices` index into it.
    ///   - timestamps: one per entry, or `nil`.
    /// - Complexity: O(nnz log(max row length)) time, O(nnz) memory.
    public convenience init(
        users: IDMap, items: IDMap, userIndices: [Int32], itemIndices: [Int32], values: [Float],
        timestamps: [Int64]? = nil, duplicates: DuplicateRule = .sum
    ) {
        let n = userIndices.count
        precondition(itemIndices.count == n && values.count == n, "entry arrays differ in length")
        precondition(timestamps == nil || timestamps!.count == n, "timestamps differ in length")
        let rows = users.count
        // Bucket entry positions by user.
        var starts = [Int](repeating: 0, count: rows + 1)
        for u in userIndices { starts[Int(u) + 1] += 1 }
        for r in 0..<rows { starts[r + 1] += starts[r] }
        var order = [Int](repeating: 0, count: n)
        var next = starts
        for (position, u) in userIndices.enumerated() {
            order[next[Int(u)]] = position
            next[Int(u)] += 1
        }
        // Sort each row by item and merge duplicates, writing in place.
        var outPointers = [Int](repeating: 0, count: rows + 1)
        var outItems = [Int32](); outItems.reserveCapacity(n)
        var outValues = [Float](); outValues.reserveCapacity(n)
        var outTimes = [Int64](); if timestamps != nil { outTimes.reserveCapacity(n) }
        for r in 0..<rows {
            let slice = order[starts[r]..<starts[r + 1]].sorted {
                itemIndices[$0] != itemIndices[$1] ? itemIndices[$0] < itemIndices[$1] : $0 < $1
            }
            var lastItem: Int32 = -1
            for position in slice {
                let item = itemIndices[position]
                if item == lastItem {
                    let k = outValues.count - 1
                    switch duplicates {
                    case .sum: outValues[k] += values[position]
                    case .max: outValues[k] = Swift.max(outValues[k], values[position])
                    }
                    if let timestamps { outTimes[k] = Swift.max(outTimes[k], timestamps[position]) }
                } else {
                    outItems.append(item)
                    outValues.append(values[position])
                    if let timestamps { outTimes.append(timestamps[position]) }
                    lastItem = item
                }
            }
            outPointers[r + 1] = outItems.count
        }
        self.init(
            users: users, items: items, rowPointers: StorageBuffer(outPointers),
            columnIndices: StorageBuffer(outItems), values: StorageBuffer(outValues),
            timestamps: timestamps == nil ? nil : StorageBuffer(outTimes))
    }

    /// A copy with each value replaced by `transform(value)` (for example binarised).
    public func mappingValues(_ transform: (Float) -> Float) -> InteractionMatrix {
        InteractionMatrix(
            users: users, items: items, rowPointers: rowPointers, columnIndices: columnIndices,
            values: StorageBuffer(values.buffer.map(transform)), timestamps: timestamps)
    }
}
