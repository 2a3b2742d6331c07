import Foundation
import TacitCore

/// Discounts a history by recency: an entry with `n` strictly newer entries is multiplied by
/// `0.5^(n / halfLife)`, so entries sharing a timestamp share a weight.
enum RecencyDiscount {
    static func apply(_ weights: UnsafeBufferPointer<Float>, timestamps: UnsafeBufferPointer<Int64>?, halfLife: Double) -> [Float] {
        guard halfLife > 0, let timestamps, timestamps.count == weights.count else { return Array(weights) }
        let newestFirst = timestamps.sorted(by: >)
        let decay = Foundation.pow(0.5, 1 / halfLife)
        return (0..<weights.count).map { k in
            // Entries strictly newer than this one: the first index in newestFirst with time <= t.
            var lo = 0, hi = newestFirst.count
            while lo < hi { let mid = (lo + hi) / 2; if newestFirst[mid] > timestamps[k] { lo = mid + 1 } else { hi = mid } }
            return weights[k] * Float(Foundation.pow(decay, Double(lo)))
        }
    }

    /// `data` with every user's row discounted by ``apply(_:timestamps:halfLife:)``; `data` itself
    /// when `halfLife` is 0 or the matrix has no timestamps. - Complexity: O(nnz log nnz_u).
    static func matrix(_ data: InteractionMatrix, halfLife: Double) -> InteractionMatrix {
        guard halfLife > 0, data.timestamps != nil else { return data }
        var values = [Float](repeating: 0, count: data.nnz)
        for user in 0..<data.userCount {
            let row = data.row(user)
            let discounted = RecencyDiscount.apply(row.values, timestamps: data.rowTimestamps(user), halfLife: halfLife)
            for (k, value) in discounted.enumerated() { values[data.rowPointers[user] + k] = value }
        }
        return data.replacingValues(StorageBuffer(values))
    }
}
