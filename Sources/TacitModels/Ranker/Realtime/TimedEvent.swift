import TacitCore

/// One event of a user's history as the ranker's features read it: the item (the model's
/// index), the kind and the time in seconds.
public struct TimedEvent: Sendable, Equatable {
    public var item: ItemIndex
    public var kind: EventKind
    public var time: Int64

    public init(item: ItemIndex, kind: EventKind, time: Int64) {
        self.item = item
        self.kind = kind
        self.time = time
    }
}

/// The catalogue attributes the ranker's features read, per model item: category and brand (as
/// codes; −1 without one) and price (NaN without one).
struct RankerItemAttributes: Sendable, Equatable {
    var categories: [Int32]
    var brands: [Int32]
    var prices: [Float]

    /// None for `count` items.
    init(count: Int) {
        categories = [Int32](repeating: -1, count: count)
        brands = categories
        prices = [Float](repeating: .nan, count: count)
    }

    init(categories: [Int32], brands: [Int32], prices: [Float]) {
        self.categories = categories
        self.brands = brands
        self.prices = prices
    }

    /// The attributes of the items of `items` from their records in `side` (categories and
    /// brands equal ignoring case share a code).
    init(items: IDMap, side: SideInformation) {
        self.init(count: items.count)
        var categoryCodes: [String: Int32] = [:], brandCodes: [String: Int32] = [:]
        for k in 0..<items.count {
            guard let record = side.items[items.id(at: Int32(k))] else { continue }
            if let category = record.category?.lowercased(), !category.isEmpty {
                categories[k] = categoryCodes[category] ?? { let c = Int32(categoryCodes.count); categoryCodes[category] = c; return c }()
            }
            if let brand = record.brand?.lowercased(), !brand.isEmpty {
                brands[k] = brandCodes[brand] ?? { let c = Int32(brandCodes.count); brandCodes[brand] = c; return c }()
            }
            if let price = record.price, price.isFinite { prices[k] = Float(price) }
        }
    }

    func category(_ item: Int32) -> Int32 { Int(item) < categories.count ? categories[Int(item)] : -1 }
    func brand(_ item: Int32) -> Int32 { Int(item) < brands.count ? brands[Int(item)] : -1 }
    func price(_ item: Int32) -> Float { Int(item) < prices.count ? prices[Int(item)] : .nan }
}
