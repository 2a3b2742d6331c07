/// Capability: score items known only by their catalogue record — new ("cold") items that are
/// not in the training data, or any item judged by its metadata alone.
///
/// A model's item space is its training matrix's items; a model with this capability can also
/// rank records it has never seen interactions for (content-based models do: an item's profile
/// comes from its attributes). The service and the CLI merge these scores with the model's
/// fold-in scores, which share their scale.
public protocol ColdItemScoring: Sendable {
    /// The score of each record, in the order given, for a user whose weighted history is
    /// `history` (training item indices), on the scale of ``FoldIn/recommend(history:count:filter:)``.
    /// A record whose attributes the model does not know scores 0.
    func scores(of records: [ItemRecord], history: SparseVector) -> [Float]
}
