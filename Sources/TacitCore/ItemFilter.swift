/// Which items a recommendation may contain.
///
/// The default excludes the items in the user's history (training data) and nothing else.
public struct ItemFilter: Sendable {
    /// Exclude the items the user has interacted with (their row of the training matrix, or the
    /// history passed to a fold-in).
    public var excludeHistory: Bool
    /// Further items to exclude, sorted ascending.
    public private(set) var excluded: [ItemIndex]
    /// When set, only items for which this is `true` are allowed (availability, category, price).
    public var allowed: (@Sendable (ItemIndex) -> Bool)?

    public init(excludeHistory: Bool = true, excluded: [ItemIndex] = [], allowed: (@Sendable (ItemIndex) -> Bool)? = nil) {
        self.excludeHistory = excludeHistory
        self.excluded = excluded.sorted()
        self.allowed = allowed
    }

    /// Excludes the user's history only.
    public static let excludingHistory = ItemFilter()
    /// Allows every item.
    public static let none = ItemFilter(excludeHistory: false)

    /// Whether `item` passes the explicit exclusions and the `allowed` predicate (not the history).
    @inlinable
    public func admits(_ item: ItemIndex) -> Bool {
        if !excluded.isEmpty && Self.binarySearch(excluded, item) { return false }
        if let allowed, !allowed(item) { return false }
        return true
    }

    /// Whether the ascending array `sorted` contains `item`. - Complexity: O(log n).
    @inlinable
    public static func binarySearch(_ sorted: [ItemIndex], _ item: ItemIndex) -> Bool {
        var lo = 0, hi = sorted.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if sorted[mid] < item { lo = mid + 1 } else { hi = mid }
        }
        return lo < sorted.count && sorted[lo] == item
    }
}
