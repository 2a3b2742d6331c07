/// A user's external identifier, as it appears in the event log (any string).
public typealias UserID = String
/// An item's external identifier, as it appears in the event log or the catalog (any string).
public typealias ItemID = String
/// A user's dense internal index, `0 ..< userCount`, assigned by an ``IDMap``.
public typealias UserIndex = Int32
/// An item's dense internal index, `0 ..< itemCount`, assigned by an ``IDMap``.
public typealias ItemIndex = Int32

/// An item with a model score: the unit every recommender returns.
public struct ScoredItem: Sendable, Hashable, Codable {
    /// The item's internal index.
    public var item: ItemIndex
    /// The model's score; higher is better. Only the order matters across models.
    public var score: Float

    public init(item: ItemIndex, score: Float) {
        self.item = item
        self.score = score
    }

    /// The ranking order used everywhere in Tacit: higher score first, ties by lower item index.
    @inlinable
    public static func ranksBefore(_ a: ScoredItem, _ b: ScoredItem) -> Bool {
        a.score > b.score || (a.score == b.score && a.item < b.item)
    }
}
