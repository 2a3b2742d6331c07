import TacitCore

/// A model that ranks a trained user's items by the inner product of a user vector with item
/// vectors (plus an optional item bias): the models a maximum-inner-product index serves.
public protocol InnerProductModel: Recommender {
    /// Scoring against the item vectors.
    var scorer: FactorScorer { get }
    /// The trained vector of `user` (``FactorScorer/factors`` floats).
    func vector(of user: UserIndex) -> UnsafeBufferPointer<Float>
}

extension ImplicitALSModel: InnerProductModel {}
extension BPRModel: InnerProductModel {}
