import Foundation
import TacitCore

/// What the ranker's user and user–item features read from a user's latest events, gathered once
/// per request: the same function of the same events offline (the training log up to the
/// request) and online (the service's remembered history).
struct UserSummary {
    /// The request time.
    let time: Int64
    /// Events in the window (the user's latest ``RankerFeatures/userWindow``).
    let count: Int
    /// The latest event's time.
    let last: Int64?
    /// Events within ``RankerFeatures/session`` seconds before the request.
    let sessionCount: Int
    /// The mean price of the window's events' items that have one.
    let meanPrice: Float
    /// The latest distinct items, newest first (at most 5).
    let latest: [Int32]
    // Per item, category and brand touched: a slot in small hash tables (a request reads them for
    // every candidate) and the counts at that slot.
    private let itemSlots: ItemTable
    private let itemStats: [(events: Int, last: Int64, purchases: Int)]
    private let categorySlots: ItemTable
    private let categoryStats: [(events: Int, last: Int64, session: Int)]
    private let brandSlots: ItemTable
    private let brandCounts: [Int]

    /// - Parameter events: the user's events up to the request, oldest first (only the latest
    ///   ``RankerFeatures/userWindow`` are read).
    init(events: some BidirectionalCollection<TimedEvent>, time: Int64, attributes: RankerItemAttributes) {
        self.time = time
        let window = events.suffix(RankerFeatures.userWindow)
        count = window.count
        last = window.last?.time
        let itemSlots = ItemTable(capacity: window.count), categorySlots = ItemTable(capacity: window.count)
        let brandSlots = ItemTable(capacity: window.count)
        var items: [(events: Int, last: Int64, purchases: Int)] = [], categories: [(events: Int, last: Int64, session: Int)] = []
        var brands: [Int] = []
        var session = 0, priceSum = 0.0, priced = 0
        // Saturating: a time from a file may be anywhere in Int64.
        let sessionStart = time.subtractingReportingOverflow(RankerFeatures.session).overflow ? Int64.min : time - RankerFeatures.session
        for event in window {
            let purchase = event.kind == .purchase ? 1 : 0
            if let k = itemSlots[event.item] {
                let seen = items[Int(k)]
                items[Int(k)] = (seen.events + 1, max(seen.last, event.time), seen.purchases + purchase)
            } else {
                itemSlots.set(event.item, Int32(items.count))
                items.append((1, event.time, purchase))
            }
            let category = attributes.category(event.item)
            let inSession = event.time > sessionStart
            if inSession { session += 1 }
            if category >= 0 {
                if let k = categorySlots[category] {
                    let seen = categories[Int(k)]
                    categories[Int(k)] = (seen.events + 1, max(seen.last, event.time), seen.session + (inSession ? 1 : 0))
                } else {
                    categorySlots.set(category, Int32(categories.count))
                    categories.append((1, event.time, inSession ? 1 : 0))
                }
            }
            let brand = attributes.brand(event.item)
            if brand >= 0 {
                if let k = brandSlots[brand] { brands[Int(k)] += 1 } else {
                    brandSlots.set(brand, Int32(brands.count))
                    brands.append(1)
                }
            }
            let price = attributes.price(event.item)
            if !price.isNaN { priceSum += Double(price); priced += 1 }
        }
        var latest: [Int32] = []
        for event in window.reversed() where !latest.contains(event.item) {
            latest.append(event.item)
            if latest.count == 5 { break }
        }
        self.itemSlots = itemSlots
        itemStats = items
        self.categorySlots = categorySlots
        categoryStats = categories
        self.brandSlots = brandSlots
        brandCounts = brands
        sessionCount = session
        meanPrice = priced == 0 ? .nan : Float(priceSum / Double(priced))
        self.latest = latest
    }

    /// The user's events of `item` in the window, the latest one's time and their purchases (nil: none).
    func item(_ item: Int32) -> (events: Int, last: Int64, purchases: Int)? { itemSlots[item].map { itemStats[Int($0)] } }

    /// The user's events in `category` (a code ≥ 0) and the latest one's time (nil: none).
    func category(_ category: Int32) -> (events: Int, last: Int64)? {
        categorySlots[category].map { (categoryStats[Int($0)].events, categoryStats[Int($0)].last) }
    }

    /// The session's events in `category`.
    func sessionEvents(inCategory category: Int32) -> Int { categorySlots[category].map { categoryStats[Int($0)].session } ?? 0 }

    /// The user's events of `brand` (a code ≥ 0).
    func events(ofBrand brand: Int32) -> Int { brandSlots[brand].map { brandCounts[Int($0)] } ?? 0 }

    /// Hours from `start` to the request (in floating point: no timestamps can overflow it).
    func hours(since start: Int64) -> Float { Float((Double(time) - Double(start)) / 3_600) }
}
