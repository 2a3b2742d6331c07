import TacitCore

/// A fitted hybrid: a collaborative model and a content model, blended per user (see ``Hybrid``).
public struct HybridModel: FoldIn, ItemSimilarity, ItemPairSimilarity {
    /// What the collaborative part must support: the hybrid offers the same capabilities.
    public typealias Collaborative = any FoldIn & ItemSimilarity & PersistableModel

    public let trainingData: InteractionMatrix
    public let configuration: Hybrid.Configuration
    /// The collaborative model's name (for model files).
    public let collaborativeName: String
    public let collaborative: Collaborative
    public let content: ContentModel
    let blend: ScoreBlend

    init(trainingData: InteractionMatrix, configuration: Hybrid.Configuration, collaborativeName: String,
         collaborative: Collaborative, content: ContentModel) {
        self.trainingData = trainingData
        self.configuration = configuration
        self.collaborativeName = collaborativeName
        self.collaborative = collaborative
        self.content = content
        blend = ScoreBlend(normalization: configuration.normalization)
    }

    /// How many candidates each part ranks for a list of `count`.
    private func candidates(_ count: Int) -> Int { max(count, configuration.candidates) }

    /// The blend of two candidate lists, fetching only the parts with positive weight.
    private func blended(weight w: Float, count: Int, collaborative a: () -> [ScoredItem], content b: () -> [ScoredItem]) -> [ScoredItem] {
        blend.combine(collaborative: w < 1 ? a() : [], content: w > 0 ? b() : [], contentWeight: w, count: count)
    }

    public func recommend(for user: UserIndex, count: Int, filter: ItemFilter) -> [ScoredItem] {
        let w = configuration.contentWeight(historyLength: trainingData.rowLength(Int(user))), n = candidates(count)
        return blended(weight: w, count: count,
                       collaborative: { collaborative.recommend(for: user, count: n, filter: filter) },
                       content: { content.recommend(for: user, count: n, filter: filter) })
    }

    public func recommend(history: SparseVector, count: Int, filter: ItemFilter) -> [ScoredItem] {
        let w = configuration.contentWeight(historyLength: history.count), n = candidates(count)
        return blended(weight: w, count: count,
                       collaborative: { collaborative.recommend(history: history, count: n, filter: filter) },
                       content: { content.recommend(history: history, count: n, filter: filter) })
    }

    /// Both parts' similar items, normalised and blended with the content weight.
    public func similarItems(to item: ItemIndex, count: Int, filter: ItemFilter) -> [ScoredItem] {
        let n = candidates(count)
        return blended(weight: Float(configuration.contentWeight), count: count,
                       collaborative: { collaborative.similarItems(to: item, count: n, filter: filter) },
                       content: { content.similarItems(to: item, count: n, filter: filter) })
    }

    /// `(1 - w) · collaborative + w · content` similarity; the content similarity alone when the
    /// collaborative model has no pair similarity (EASE).
    public func similarity(_ a: ItemIndex, _ b: ItemIndex) -> Float {
        let contentSimilarity = content.similarity(a, b)
        guard let pairs = collaborative as? any ItemPairSimilarity else { return contentSimilarity }
        let w = Float(configuration.contentWeight)
        return (1 - w) * pairs.similarity(a, b) + w * contentSimilarity
    }
}
