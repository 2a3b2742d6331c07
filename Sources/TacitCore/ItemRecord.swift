/// Catalog metadata for one item. Everything but the id is optional.
public struct ItemRecord: Sendable, Hashable, Codable {
    /// The item's external id.
    public var id: ItemID
    public var title: String?
    public var category: String?
    public var brand: String?
    public var price: Double?
    /// Free-form tags or genres.
    public var tags: [String]
    /// When the item entered the catalog (seconds since 1970), if known.
    public var createdAt: Int64?
    /// Whether the item can be recommended now.
    public var available: Bool
    /// Further attributes (colour, size, author ...), name to value.
    public var attributes: [String: String]

    /// The prices accepted at every entry point (HTTP bodies, catalog files).
    public static let priceRange: ClosedRange<Double> = 0...1e12
    /// The `created_at` values accepted at every entry point: 1970 to 9999-12-31T23:59:59Z.
    public static let createdAtRange: ClosedRange<Int64> = 0...253_402_300_799

    public init(
        id: ItemID, title: String? = nil, category: String? = nil, brand: String? = nil,
        price: Double? = nil, tags: [String] = [], createdAt: Int64? = nil, available: Bool = true,
        attributes: [String: String] = [:]
    ) {
        self.id = id
        self.title = title
        self.category = category
        self.brand = brand
        self.price = price
        self.tags = tags
        self.createdAt = createdAt
        self.available = available
        self.attributes = attributes
    }
}

/// Optional attributes of one user (age band, country, segment ...).
public struct UserRecord: Sendable, Hashable, Codable {
    /// The user's external id.
    public var id: UserID
    /// Attribute name to value.
    public var attributes: [String: String]

    public init(id: UserID, attributes: [String: String] = [:]) {
        self.id = id
        self.attributes = attributes
    }
}
