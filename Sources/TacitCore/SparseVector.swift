/// A sparse vector over items: sorted, distinct indices with their values.
///
/// A user's weighted history is one; ``FoldIn`` models score it directly.
public struct SparseVector: Sendable, Hashable, Codable {
    /// Item indices, strictly increasing.
    public private(set) var indices: [Int32]
    /// The value for each index.
    public private(set) var values: [Float]

    /// Creates a vector from index/value pairs in any order; repeated indices are summed.
    public init(pairs: [(Int32, Float)]) {
        let sorted = pairs.sorted { $0.0 < $1.0 }
        var indices: [Int32] = []
        var values: [Float] = []
        indices.reserveCapacity(sorted.count)
        values.reserveCapacity(sorted.count)
        for (index, value) in sorted {
            if let last = indices.last, last == index {
                values[values.count - 1] += value
            } else {
                indices.append(index)
                values.append(value)
            }
        }
        self.indices = indices
        self.values = values
    }

    /// Creates a vector from already sorted, distinct indices.
    public init(sortedIndices: [Int32], values: [Float]) {
        precondition(sortedIndices.count == values.count, "indices and values differ in length")
        self.indices = sortedIndices
        self.values = values
    }

    /// The number of stored entries.
    public var count: Int { indices.count }

    /// Whether `index` has an entry. - Complexity: O(log n).
    public func contains(_ index: Int32) -> Bool {
        var lo = 0, hi = indices.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if indices[mid] < index { lo = mid + 1 } else { hi = mid }
        }
        return lo < indices.count && indices[lo] == index
    }
}
