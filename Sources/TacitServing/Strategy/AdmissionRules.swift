import TacitCore

/// The filters of one request, resolved: the scene's filters with the request's overrides, and
/// the items excluded outright (history, context, explicit).
struct AdmissionRules {
    /// Items that never pass: seen or bought ones, context items, explicit exclusions.
    let excluded: ItemTable
    let availableOnly: Bool
    let categories: CategorySet?
    let minPrice: Double?
    let maxPrice: Double?
    /// The catalog's size: indices outside `0..<itemCount` never pass.
    let itemCount: Int

    init(
        filters: SceneConfig.Filters, sceneCategories: CategorySet?, request: RequestFilters,
        history: [HistoryEvent], context: [Int32], itemCount: Int
    ) {
        let excluded = ItemTable(capacity: request.excluded.count + context.count + history.count)
        for item in request.excluded { excluded.insert(item) }
        if filters.excludeContext { for item in context { excluded.insert(item) } }
        if filters.excludeSeen {
            for event in history { excluded.insert(event.item) }
        } else if filters.excludePurchased {
            let purchase = EventKind.purchase
            for event in history where event.kind == purchase { excluded.insert(event.item) }
        }
        self.excluded = excluded
        availableOnly = filters.availableOnly
        categories = request.categories.map(CategorySet.init) ?? sceneCategories
        minPrice = request.minPrice ?? filters.minPrice
        maxPrice = request.maxPrice ?? filters.maxPrice
        self.itemCount = itemCount
    }

    /// Whether the filters look at the item's record at all.
    var needsRecord: Bool { availableOnly || categories != nil || minPrice != nil || maxPrice != nil }

    /// Whether `item` is out of the catalog or excluded outright (no record needed).
    @inline(__always)
    func isExcluded(_ item: Int32) -> Bool {
        item < 0 || Int(item) >= itemCount || excluded.contains(item)
    }

    /// Whether an item with `facts` passes availability, category and price.
    func admits(_ facts: ItemFacts) -> Bool {
        if availableOnly, !facts.available { return false }
        if let categories {
            guard let category = facts.category, categories.contains(category) else { return false }
        }
        if minPrice != nil || maxPrice != nil {
            guard let price = facts.price else { return false }
            if let minPrice, price < minPrice { return false }
            if let maxPrice, price > maxPrice { return false }
        }
        return true
    }
}

/// A set of category names matched case-insensitively; the exact spelling is tried first so
/// that a catalog spelled like the configuration needs no case folding.
struct CategorySet: Sendable {
    private let exact: Set<String>
    private let folded: Set<String>

    init(_ names: [String]) {
        exact = Set(names)
        folded = Set(names.map { $0.lowercased() })
    }

    func contains(_ category: String) -> Bool {
        exact.contains(category) || folded.contains(category.lowercased())
    }
}
