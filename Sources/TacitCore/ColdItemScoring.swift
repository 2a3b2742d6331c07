/// Capability: score and place items known only by their attributes — new items that were not in
/// the training catalogue (item cold start).
///
/// Feature-aware models (two-tower, content-based) embed an ``ItemRecord`` from its category,
/// brand, price and tags; scores are on the same scale as the model's ``Recommender`` scores, so a
/// new item can be merged into a ranked list. A record whose id is a training item is scored as
/// that item.
public protocol ColdItemScoring: Sendable {
    /// The scores of `items` for the training user `user`, element `k` for `items[k]`.
    func scores(of items: [ItemRecord], for user: UserIndex) -> [Float]

    /// The scores of `items` for a user whose weighted history is `history` (fold-in).
    func scores(of items: [ItemRecord], history: SparseVector) -> [Float]

    /// The scores of `items` for a user known by `history` (possibly empty) and `attributes`, on
    /// the scale of ``UserAttributeScoring``'s ranking; `-infinity` throughout when the model has
    /// nothing to score from. The default ignores the attributes (models without user features).
    func scores(of items: [ItemRecord], history: SparseVector, attributes: UserRecord?) -> [Float]

    /// The `count` training items most similar to `item`, best first (never `item` itself when it
    /// is a training item).
    func similarItems(to item: ItemRecord, count: Int, filter: ItemFilter) -> [ScoredItem]
}

extension ColdItemScoring {
    public func scores(of items: [ItemRecord], history: SparseVector, attributes: UserRecord?) -> [Float] {
        scores(of: items, history: history)
    }
}
