import TacitCore

/// The exclusion test for one request: the item filter plus (when asked) the user's history.
struct CandidateMask {
    let filter: ItemFilter
    let history: UnsafeBufferPointer<Int32>?

    /// - Parameter history: the user's item indices, sorted ascending.
    init(filter: ItemFilter, history: UnsafeBufferPointer<Int32>?) {
        self.filter = filter
        self.history = filter.excludeHistory ? history : nil
    }

    @inline(__always)
    func admits(_ item: ItemIndex) -> Bool {
        if let history, Self.contains(history, item) { return false }
        return filter.admits(item)
    }

    @inline(__always)
    static func contains(_ sorted: UnsafeBufferPointer<Int32>, _ item: Int32) -> Bool {
        var lo = 0, hi = sorted.count
        while lo < hi {
            let mid = (lo + hi) &>> 1
            if sorted[mid] < item { lo = mid + 1 } else { hi = mid }
        }
        return lo < sorted.count && sorted[lo] == item
    }
}
