import Foundation

extension WeightingPolicy {
    /// One new event for ``extend(_:with:)``: an item index, its kind and time.
    public typealias NewEvent = (item: ItemIndex, kind: EventKind, timestamp: Int64)

    /// A user's weighted history with fresh events folded in, as if they had been in the log the
    /// matrix was built from: each event weighs its kind weight and combines with the entry by the
    /// policy's aggregation (`sum` adds, `max` keeps the larger, `log` adds to the recovered raw
    /// sum `2^v − 1`); timestamps keep the latest. New events are taken as the newest, so time
    /// decay leaves them whole, and they are not checked against earlier duplicates.
    /// - Complexity: O((|history| + |events|) log(|history| + |events|)).
    public func extend(_ history: SparseVector, with events: [NewEvent]) -> SparseVector {
        var entries: [Int32: (value: Float, time: Int64)] = [:]
        for (k, item) in history.indices.enumerated() {
            entries[item] = (history.values[k], history.timestamps?[k] ?? Int64.min)
        }
        for event in events {
            let w = weight(of: event.kind)
            guard w > 0 else { continue }
            let old = entries[event.item]
            let value: Float
            switch aggregation {
            case .sum: value = (old?.value ?? 0) + w
            case .max: value = Swift.max(old?.value ?? 0, w)
            case .log: value = Foundation.log2(1 + (old.map { Foundation.exp2($0.value) - 1 } ?? 0) + w)
            }
            entries[event.item] = (value, Swift.max(old?.time ?? Int64.min, event.timestamp))
        }
        let sorted = entries.sorted { $0.key < $1.key }
        let times = sorted.map(\.value.time)
        return SparseVector(sortedIndices: sorted.map(\.key), values: sorted.map(\.value.value),
                            timestamps: history.timestamps != nil || !events.isEmpty ? times.map { $0 == Int64.min ? 0 : $0 } : nil)
    }
}
