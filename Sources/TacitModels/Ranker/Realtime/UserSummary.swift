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
    /// Per item: events, latest time, purchases.
    let items: [Int32: (events: Int, last: Int64, purchases: Int)]
    /// Per category code: events and latest time; per brand code: events; per category: session events.
    let categories: [Int32: (events: Int, last: Int64)]
    let brands: [Int32: Int]
    let sessionCategories: [Int32: Int]
    /// The mean price of the window's events' items that have one.
    let meanPrice: Float
    /// The latest distinct items, newest first (at most 5).
    let latest: [Int32]

    /// - Parameter events: the user's events up to the request, oldest first (only the latest
    ///   ``RankerFeatures/userWindow`` are read).
    init(events: some BidirectionalCollection<TimedEvent>, time: Int64, attributes: RankerItemAttributes) {
        self.time = time
        let window = events.suffix(RankerFeatures.userWindow)
        count = window.count
        last = window.last?.time
        var items: [Int32: (events: Int, last: Int64, purchases: Int)] = [:]
        var categories: [Int32: (events: Int, last: Int64)] = [:], brands: [Int32: Int] = [:], sessionCategories: [Int32: Int] = [:]
        var session = 0, priceSum = 0.0, priced = 0
        // Saturating: a time from a file may be anywhere in Int64.
        let sessionStart = time.subtractingReportingOverflow(RankerFeatures.session).overflow ? Int64.min : time - RankerFeatures.session
        for event in window {
            let previous = items[event.item]
            items[event.item] = ((previous?.events ?? 0) + 1, max(previous?.last ?? .min, event.time),
                                 (previous?.purchases ?? 0) + (event.kind == .purchase ? 1 : 0))
            let category = attributes.category(event.item)
            let inSession = event.time > sessionStart
            if inSession { session += 1 }
            if category >= 0 {
                let seen = categories[category]
                categories[category] = ((seen?.events ?? 0) + 1, max(seen?.last ?? .min, event.time))
                if inSession { sessionCategories[category, default: 0] += 1 }
            }
            let brand = attributes.brand(event.item)
            if brand >= 0 { brands[brand, default: 0] += 1 }
            let price = attributes.price(event.item)
            if !price.isNaN { priceSum += Double(price); priced += 1 }
        }
        var latest: [Int32] = []
        for event in window.reversed() where !latest.contains(event.item) {
            latest.append(event.item)
            if latest.count == 5 { break }
        }
        self.items = items
        self.categories = categories
        self.brands = brands
        self.sessionCategories = sessionCategories
        sessionCount = session
        meanPrice = priced == 0 ? .nan : Float(priceSum / Double(priced))
        self.latest = latest
    }

    /// Hours from `start` to the request (in floating point: no timestamps can overflow it).
    func hours(since start: Int64) -> Float { Float((Double(time) - Double(start)) / 3_600) }
}
