import TacitCore

/// Where a candidate comes from. Each scene blends some of these with weights.
public enum CandidateSourceKind: String, Sendable, Codable, CaseIterable, Hashable {
    /// The model's personal ranking for the user (trained vector, or fold-in of their history).
    case personal
    /// Items similar to the scene's context items (the product page's item, the cart).
    case similar
    /// Items bought together with the context items (co-purchase / co-cart counts).
    case complementary
    /// Items with the most recent, time-decayed activity.
    case trending
    /// Items with the most activity over all time.
    case popular
    /// Items sharing category, brand or tags with the user's history or the context items
    /// (works for brand-new items that no model has seen).
    case content
    /// "Buy it again": the user's own purchased (or consumed) items, ranked by their repurchase
    /// pattern (``RepeatConsumption``). A scene using it must not exclude purchased items.
    case repeatPurchase = "repeat"
}

/// One candidate item from one source, in the serving catalog's index space.
public struct Candidate: Sendable, Equatable {
    /// The catalog index of the item (see ``CatalogView``).
    public var item: Int32
    /// The source's score: higher is better; only the order within one source list matters.
    public var score: Double
    /// The history or context item that led to this candidate ("because you viewed X"), if any.
    public var anchor: Int32?

    public init(item: Int32, score: Double, anchor: Int32? = nil) {
        self.item = item
        self.score = score
        self.anchor = anchor
    }
}

/// What the strategy needs to know about items: their ids and metadata by catalog index.
public protocol CatalogView: Sendable {
    /// Number of items known to the catalog; indices are `0..<count`.
    var count: Int { get }
    /// The external id of `item`.
    func id(_ item: Int32) -> ItemID
    /// The catalog index of an id, if known.
    func index(of id: ItemID) -> Int32?
    /// Metadata of `item`, if it was ever upserted (items known only from events have none).
    func record(_ item: Int32) -> ItemRecord?
    /// What filters and diversity read of `item`, without copying its whole record.
    func facts(_ item: Int32) -> ItemFacts
    /// The title of `item`, if it has one (explanations name items by it).
    func title(_ item: Int32) -> String?
}

extension CatalogView {
    public func title(_ item: Int32) -> String? { record(item)?.title }
}

/// The fields of an item the ranker's filters and diversity read: availability, price and
/// category, with the category as a dense id so per-category counts need no string hashing.
public struct ItemFacts: Sendable, Equatable {
    /// Whether the item may be shown (an item without a record is available).
    public var available: Bool
    public var price: Double?
    /// The category as written in the record.
    public var category: String?
    /// The same id for every item whose category is equal ignoring case; -1 without a category.
    public var categoryID: Int32

    public init(available: Bool = true, price: Double? = nil, category: String? = nil, categoryID: Int32 = -1) {
        self.available = available
        self.price = price
        self.category = category
        self.categoryID = categoryID
    }
}

/// One event of a user's history, in the serving catalog's index space.
public struct HistoryEvent: Sendable, Equatable {
    public var item: Int32
    public var kind: EventKind
    public var timestamp: Int64

    public init(item: Int32, kind: EventKind, timestamp: Int64) {
        self.item = item
        self.kind = kind
        self.timestamp = timestamp
    }
}

/// One item of a response.
public struct RankedItem: Sendable, Equatable {
    public var item: Int32
    /// The blended score (higher is better); backfilled items score below every blended one.
    public var score: Double
    /// The source that contributed most to this item.
    public var source: CandidateSourceKind
    /// A short reason shown to the user ("because you viewed Blue Kettle", "trending in Kitchen").
    public var explanation: String

    public init(item: Int32, score: Double, source: CandidateSourceKind, explanation: String) {
        self.item = item
        self.score = score
        self.source = source
        self.explanation = explanation
    }
}
