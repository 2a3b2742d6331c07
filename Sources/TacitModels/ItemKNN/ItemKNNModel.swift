import Foundation
import TacitCore

/// A fitted item-kNN model: each item's nearest neighbours with their similarities.
public struct ItemKNNModel: FoldIn, ItemSimilarity {
    public let trainingData: InteractionMatrix
    /// Neighbour lists in CSR form, each sorted best first.
    let neighborPointers: [Int]
    let neighborItems: [Int32]
    let neighborScores: [Float]
    /// The lists transposed: `reverseItems[reversePointers[j]..<reversePointers[j + 1]]` are the
    /// items whose lists hold `j`, with that similarity in `reverseScores`. Every candidate's
    /// similarity to a few items (the ranker's `sim.*` features) reads those few items' reverse
    /// lists in order instead of searching each candidate's list.
    let reversePointers: [Int]
    let reverseItems: [Int32]
    let reverseScores: [Float]
    /// History half-life in events (0 = off).
    let recency: Double

    /// - Complexity: O(items + neighbours) to transpose the lists.
    init(trainingData: InteractionMatrix, neighborPointers: [Int], neighborItems: [Int32], neighborScores: [Float], recency: Double) {
        self.trainingData = trainingData
        self.neighborPointers = neighborPointers
        self.neighborItems = neighborItems
        self.neighborScores = neighborScores
        self.recency = recency
        let items = max(0, neighborPointers.count - 1)
        var pointers = [Int](repeating: 0, count: items + 1)
        for neighbour in neighborItems where neighbour >= 0 && Int(neighbour) < items { pointers[Int(neighbour) + 1] += 1 }
        for j in 0..<items { pointers[j + 1] += pointers[j] }
        var next = pointers, reverse = [Int32](repeating: 0, count: pointers[items]), scores = [Float](repeating: 0, count: pointers[items])
        for i in 0..<items {
            for k in neighborPointers[i]..<neighborPointers[i + 1] where neighborItems[k] >= 0 && Int(neighborItems[k]) < items {
                let j = Int(neighborItems[k])
                reverse[next[j]] = Int32(i)
                scores[next[j]] = neighborScores[k]
                next[j] += 1
            }
        }
        reversePointers = pointers
        reverseItems = reverse
        reverseScores = scores
    }

    /// The stored neighbours of `item`, best first.
    public func neighbors(of item: ItemIndex) -> [ScoredItem] {
        (neighborPointers[Int(item)]..<neighborPointers[Int(item) + 1]).map {
            ScoredItem(item: neighborItems[$0], score: neighborScores[$0])
        }
    }

    public func recommend(for user: UserIndex, count: Int, filter: ItemFilter) -> [ScoredItem] {
        let row = trainingData.row(Int(user))
        return score(items: row.items, weights: row.values, timestamps: trainingData.rowTimestamps(Int(user)), count: count, filter: filter)
    }

    public func recommend(history: SparseVector, count: Int, filter: ItemFilter) -> [ScoredItem] {
        history.indices.withUnsafeBufferPointer { items in
            history.values.withUnsafeBufferPointer { weights in
                if let timestamps = history.timestamps {
                    return timestamps.withUnsafeBufferPointer { score(items: items, weights: weights, timestamps: $0, count: count, filter: filter) }
                }
                return score(items: items, weights: weights, timestamps: nil, count: count, filter: filter)
            }
        }
    }

    public func similarItems(to item: ItemIndex, count: Int, filter: ItemFilter) -> [ScoredItem] {
        var result: [ScoredItem] = []
        for k in neighborPointers[Int(item)]..<neighborPointers[Int(item) + 1] {
            if result.count >= count { break }
            if filter.admits(neighborItems[k]) { result.append(ScoredItem(item: neighborItems[k], score: neighborScores[k])) }
        }
        return result
    }

    /// Scores `Σ_j w_j · sim(j, i)` over the history, then selects the top `count`.
    /// - Complexity: O(|history| · neighbors + touched · log count).
    func score(items: UnsafeBufferPointer<Int32>, weights rawWeights: UnsafeBufferPointer<Float>, timestamps: UnsafeBufferPointer<Int64>?,
               count: Int, filter: ItemFilter) -> [ScoredItem] {
        let mask = CandidateMask(filter: filter, history: items)
        let weights = RecencyDiscount.apply(rawWeights, timestamps: timestamps, halfLife: recency)
        var accumulator = [Float](repeating: 0, count: trainingData.itemCount)
        var touchedMark = [Bool](repeating: false, count: trainingData.itemCount)
        var touched: [Int32] = []
        for (k, j) in items.enumerated() {
            let w = weights[k]
            for m in neighborPointers[Int(j)]..<neighborPointers[Int(j) + 1] {
                let i = Int(neighborItems[m])
                if !touchedMark[i] { touchedMark[i] = true; touched.append(Int32(i)) }
                accumulator[i] += w * neighborScores[m]
            }
        }
        var top = TopK(count)
        for i in touched where mask.admits(i) { top.insert(i, score: accumulator[Int(i)]) }
        var result = top.sorted()
        if result.count < count {
            // Fewer scored candidates than asked: fill with unscored items in index order.
            var item: Int32 = 0
            while result.count < count && Int(item) < trainingData.itemCount {
                if !touchedMark[Int(item)] && mask.admits(item) { result.append(ScoredItem(item: item, score: 0)) }
                item += 1
            }
        }
        return result
    }
}
