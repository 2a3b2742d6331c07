/// A sparse vector over items: sorted, distinct indices with their values, and optionally the
/// time of the latest event behind each entry.
///
/// A user's weighted history is one; ``FoldIn`` models score it directly, and sequence-aware
/// models use the timestamps to order it.
public struct SparseVector: Sendable, Hashable, Codable {
    /// Item indices, strictly increasing.
    public private(set) var indices: [Int32]
    /// The value for each index.
    public private(set) var values: [Float]
    /// Seconds since 1970 of the latest event per entry, when known.
    public private(set) var timestamps: [Int64]?

    /// Creates a history from (item, weight, timestamp) triples in any order; repeated items sum
    /// their weights and keep the latest timestamp.
    public init(events: [(Int32, Float, Int64)]) {
        let sorted = events.sorted { ($0.0, $0.2) < ($1.0, $1.2) }
        var indices: [Int32] = [], values: [Float] = [], timestamps: [Int64] = []
        for (index, value, time) in sorted {
            if let last = indices.last, last == index {
                values[values.count - 1] += value
                timestamps[timestamps.count - 1] = time
            } else {
                indices.append(index)
                values.append(value)
                timestamps.append(time)
            }
        }
        self.indices = indices
        self.values = values
        self.timestamps = timestamps
    }

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
    public init(sortedIndices: [Int32], values: [Float], timestamps: [Int64]? = nil) {
        precondition(sortedIndices.count == values.count, "indices and values differ in length")
        precondition(timestamps == nil || timestamps!.count == values.count, "timestamps differ in length")
        self.indices = sortedIndices
        self.values = values
        self.timestamps = timestamps
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
