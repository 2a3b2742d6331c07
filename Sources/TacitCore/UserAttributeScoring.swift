/// Capability: rank items for a user known by their attributes (a ``UserRecord``: gender, age,
/// plan ...) and a history that may be empty — a brand-new user (user cold start).
///
/// The two-tower model embeds the attributes with its query tower beside the pooled history; a
/// popularity model ranks everyone alike, so it conforms too (attributes and history change only
/// which items are excluded). Models that need a history to rank anything (matrix factorisation,
/// item-kNN, EASE, content) do not conform. Training users keep their trained ranking through
/// ``Recommender/recommend(for:count:filter:)``: this capability is for users the model was not
/// trained on, or whose history changed since.
public protocol UserAttributeScoring: Sendable {
    /// The top `count` items for a user with weighted `history` (possibly empty) and attributes
    /// `attributes` (`nil` when none are known), best first. `filter.excludeHistory` excludes the
    /// items of `history`. Empty when the model has nothing to rank from: no history and no
    /// attribute it knows.
    func recommend(history: SparseVector, attributes: UserRecord?, count: Int, filter: ItemFilter) -> [ScoredItem]
}
