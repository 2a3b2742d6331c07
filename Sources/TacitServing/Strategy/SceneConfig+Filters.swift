import TacitCore
extension SceneConfig {
    /// Which candidates a scene may return. Every filter applies to blended and backfilled
    /// items alike.
    ///
    /// JSON keys: `available_only`, `exclude_seen`, `exclude_purchased`, `exclude_context`,
    /// `categories`, `min_price`, `max_price`.
    public struct Filters: Sendable, Equatable {
        /// Drop items whose record says `available: false` (items without a record count as
        /// available). Default true.
        public var availableOnly: Bool
        /// Drop items that appear in any event of the user's history. Default false; the
        /// built-in `home` scene sets it.
        public var excludeSeen: Bool
        /// Drop items the user bought (history events of kind `purchase`). Default true.
        public var excludePurchased: Bool
        /// Drop the context items themselves (the product page's item, the cart's items).
        /// Default true.
        public var excludeContext: Bool
        /// Allowed categories, compared case-insensitively with the record's category; items
        /// without a category fail. nil (the default) allows all. A request may replace it.
        public var categories: [String]?
        /// The lowest allowed price, inclusive; items without a price fail. Default nil.
        public var minPrice: Double?
        /// The highest allowed price, inclusive; items without a price fail. Default nil.
        public var maxPrice: Double?

        public init(
            availableOnly: Bool = true, excludeSeen: Bool = false, excludePurchased: Bool = true,
            excludeContext: Bool = true, categories: [String]? = nil, minPrice: Double? = nil, maxPrice: Double? = nil
        ) {
            self.availableOnly = availableOnly
            self.excludeSeen = excludeSeen
            self.excludePurchased = excludePurchased
            self.excludeContext = excludeContext
            self.categories = categories
            self.minPrice = minPrice
            self.maxPrice = maxPrice
        }

        /// Checks the ranges; `path` is the object's own path (`scenes.home.filters`).
        func validate(path: String) throws(StrategyConfigError) {
            if let categories, categories.isEmpty {
                throw .invalidValue(StrategyConfigError.path(path, "categories"), "must not be empty (use null to allow all)")
            }
            for (name, price) in [("min_price", minPrice), ("max_price", maxPrice)] {
                if let price, !price.isFinite || price < 0 {
                    throw .invalidValue(StrategyConfigError.path(path, name), "must be ≥ 0, got \(StrategyConfigError.format(price))")
                }
            }
            if let minPrice, let maxPrice, minPrice > maxPrice {
                throw .invalidValue(
                    StrategyConfigError.path(path, "max_price"),
                    "must be ≥ min_price (\(StrategyConfigError.format(minPrice))), got \(StrategyConfigError.format(maxPrice))")
            }
        }
    }
}

extension SceneConfig.Filters: Codable {
    static let keys = [
        "available_only", "exclude_seen", "exclude_purchased", "exclude_context", "categories", "min_price", "max_price",
    ]

    public init(from decoder: any Decoder) throws {
        try self.init(from: decoder, base: Self())
    }

    /// Decodes the keys present over `base` (the inherited values).
    init(from decoder: any Decoder, base: Self) throws(StrategyConfigError) {
        let object = try ConfigObject(decoder, known: Self.keys)
        self = base
        availableOnly = try object.value("available_only", as: Bool.self, expected: "true or false") ?? base.availableOnly
        excludeSeen = try object.value("exclude_seen", as: Bool.self, expected: "true or false") ?? base.excludeSeen
        excludePurchased = try object.value("exclude_purchased", as: Bool.self, expected: "true or false") ?? base.excludePurchased
        excludeContext = try object.value("exclude_context", as: Bool.self, expected: "true or false") ?? base.excludeContext
        categories = try object.nullable("categories", as: [String].self, expected: "an array of strings", current: base.categories)
        minPrice = try object.nullable("min_price", as: Double.self, expected: "a number", current: base.minPrice)
        maxPrice = try object.nullable("max_price", as: Double.self, expected: "a number", current: base.maxPrice)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: ConfigKey.self)
        try container.encode(availableOnly, forKey: ConfigKey("available_only"))
        try container.encode(excludeSeen, forKey: ConfigKey("exclude_seen"))
        try container.encode(excludePurchased, forKey: ConfigKey("exclude_purchased"))
        try container.encode(excludeContext, forKey: ConfigKey("exclude_context"))
        try container.encode(categories, forKey: ConfigKey("categories"))
        try container.encode(minPrice, forKey: ConfigKey("min_price"))
        try container.encode(maxPrice, forKey: ConfigKey("max_price"))
    }
}
