/// One event of a user's sequence: which item, and what the user did with it.
public struct SequenceEvent: Sendable, Hashable {
    public var item: ItemIndex
    public var kind: EventKind

    public init(item: ItemIndex, kind: EventKind) {
        self.item = item
        self.kind = kind
    }
}

/// Capability: rank from the order and kinds of a user's events (a sequential model such as
/// SASRec), not from an aggregated history.
///
/// The service hands such a model the user's recent events, oldest first, so every new event —
/// and what kind it is — changes the next recommendations. ``FoldIn/recommend(history:count:filter:)``
/// still works from a ``SparseVector`` (ordered by its timestamps, kinds unknown).
public protocol SequentialRecommender: FoldIn {
    /// The top `count` items to follow `sequence` (oldest first; unknown item indices are
    /// skipped); `filter.excludeHistory` excludes the sequence's items.
    func recommend(sequence: [SequenceEvent], count: Int, filter: ItemFilter) -> [ScoredItem]
}
