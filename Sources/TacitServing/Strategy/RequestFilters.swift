/// Filters one request adds to its scene's (``SceneConfig/Filters``).
public struct RequestFilters: Sendable, Equatable {
    /// Allowed categories, replacing the scene's `categories` when set (case-insensitive).
    public var categories: [String]?
    /// The lowest allowed price, replacing the scene's `min_price` when set.
    public var minPrice: Double?
    /// The highest allowed price, replacing the scene's `max_price` when set.
    public var maxPrice: Double?
    /// Items the response must not contain (catalog indices), on top of the scene's filters.
    public var excluded: [Int32]

    public init(categories: [String]? = nil, minPrice: Double? = nil, maxPrice: Double? = nil, excluded: [Int32] = []) {
        self.categories = categories
        self.minPrice = minPrice
        self.maxPrice = maxPrice
        self.excluded = excluded
    }
}
