import TacitCore

/// A model that ranks a trained user's items by the inner product of a user vector with item
/// vectors (plus an optional item bias) — iALS, BPR, the two-tower model and SASRec's output
/// layer: the models a maximum-inner-product index serves (``RetrievalSettings``).
public protocol InnerProductModel: Recommender {
    /// Scoring against the item vectors (with the index, when one is attached).
    var scorer: FactorScorer { get }
    /// The trained vector of `user` (``FactorScorer/factors`` floats).
    func vector(of user: UserIndex) -> UnsafeBufferPointer<Float>
    /// The same model scoring through `scorer` (the same items, with or without an index).
    func replacing(scorer: FactorScorer) -> Self
}

extension ItemSimilarity where Self: InnerProductModel {
    /// The scorer's nearest item: through the similar-items index, the best of the item's own leaf.
    public func nearestItem(to item: ItemIndex) -> ItemIndex? { scorer.nearestItem(to: item) }
}

extension ImplicitALSModel: InnerProductModel {
    public func replacing(scorer: FactorScorer) -> ImplicitALSModel {
        var copy = self
        copy.scorer = scorer
        return copy
    }
}

extension BPRModel: InnerProductModel {
    public func replacing(scorer: FactorScorer) -> BPRModel {
        var copy = self
        copy.scorer = scorer
        return copy
    }
}

extension TwoTowerModel: InnerProductModel {
    public func replacing(scorer: FactorScorer) -> TwoTowerModel {
        var copy = self
        copy.scorer = scorer
        return copy
    }
}

extension SASRecModel: InnerProductModel {
    /// The user's sequence state after their training events (the query of the output layer).
    public func vector(of user: UserIndex) -> UnsafeBufferPointer<Float> { state(of: user) }

    public func replacing(scorer: FactorScorer) -> SASRecModel {
        var copy = self
        copy.scorer = scorer
        return copy
    }
}
