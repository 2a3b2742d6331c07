/// Bounded top-K selection in Tacit's ranking order (higher score first, ties by lower index).
///
/// A min-heap of the current best `k` keeps each insertion O(log k), so selecting from `n`
/// candidates is O(n log k) with O(k) memory; the result is sorted best first.
public struct TopK: Sendable {
    /// How many items are kept.
    public let k: Int
    private var heap: [ScoredItem] = []

    public init(_ k: Int) {
        self.k = max(0, k)
        heap.reserveCapacity(self.k)
    }

    /// The number of items held.
    public var count: Int { heap.count }

    /// The worst item kept, once the heap holds `k` items.
    public var threshold: ScoredItem? { heap.count == k ? heap.first : nil }

    /// Offers one candidate. - Complexity: O(log k).
    @inlinable
    public mutating func insert(_ item: ItemIndex, score: Float) {
        insert(ScoredItem(item: item, score: score))
    }

    /// Offers one candidate. - Complexity: O(log k).
    public mutating func insert(_ candidate: ScoredItem) {
        guard k > 0, !candidate.score.isNaN else { return }
        if heap.count < k {
            heap.append(candidate)
            siftUp(heap.count - 1)
        } else if ScoredItem.ranksBefore(candidate, heap[0]) {
            heap[0] = candidate
            siftDown(0)
        }
    }

    /// The kept items, best first. - Complexity: O(k log k).
    public func sorted() -> [ScoredItem] { heap.sorted(by: ScoredItem.ranksBefore) }

    /// Empties the heap for reuse.
    public mutating func removeAll() { heap.removeAll(keepingCapacity: true) }

    // The root is the *worst* kept item: a min-heap under `ranksBefore`.
    @inline(__always) private func worse(_ a: ScoredItem, _ b: ScoredItem) -> Bool { ScoredItem.ranksBefore(b, a) }

    private mutating func siftUp(_ index: Int) {
        var child = index
        while child > 0 {
            let parent = (child - 1) / 2
            if worse(heap[child], heap[parent]) { heap.swapAt(child, parent); child = parent } else { break }
        }
    }

    private mutating func siftDown(_ index: Int) {
        var parent = index
        let n = heap.count
        while true {
            let left = 2 * parent + 1, right = left + 1
            var worst = parent
            if left < n && worse(heap[left], heap[worst]) { worst = left }
            if right < n && worse(heap[right], heap[worst]) { worst = right }
            if worst == parent { return }
            heap.swapAt(parent, worst)
            parent = worst
        }
    }
}

extension TopK {
    /// The best `k` of dense `scores` (index = item), skipping items for which `skip` is true.
    public static func select(_ scores: UnsafeBufferPointer<Float>, k: Int, skip: (Int) -> Bool = { _ in false }) -> [ScoredItem] {
        var top = TopK(k)
        for i in 0..<scores.count where !skip(i) {
            let s = scores[i]
            if let t = top.threshold, s < t.score { continue }
            top.insert(ScoredItem(item: ItemIndex(i), score: s))
        }
        return top.sorted()
    }
}
