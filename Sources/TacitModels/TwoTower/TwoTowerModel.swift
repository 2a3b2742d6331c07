import TacitCore
import TacitNeural

/// A fitted two-tower model: the frozen towers, every item's candidate embedding and every
/// training user's query embedding (scaled by `1/τ`), computed once at the end of training.
///
/// Scores are `q · c / τ` (``FactorScorer``: blocked GEMM + bounded top-K for batches). Fold-in
/// runs the query tower on a history at request time (no user-id embedding, which only training
/// users have); a new user is embedded from their attributes and whatever history they have
/// (``UserAttributeScoring``); similar items are the cosine of candidate embeddings; new items are
/// embedded from their attributes alone (``ColdItemScoring``).
public struct TwoTowerModel: FoldIn, ItemSimilarity, ItemPairSimilarity {
    /// What serving needs besides the weights.
    struct Settings: Sendable, Equatable {
        var historyLength: Int
        var temperature: Float
    }

    public let trainingData: InteractionMatrix
    let network: TwoTowerNetwork
    let features: TwoTowerFeatures
    let settings: Settings
    /// Training users' query embeddings divided by the temperature, `users x dimension`.
    public let userEmbeddings: StorageBuffer<Float>
    /// Scoring against the items' candidate embeddings (unit vectors).
    public internal(set) var scorer: FactorScorer

    /// Embeds every item and training user (each user from their last `historyLength` items).
    init(trainingData: InteractionMatrix, network: TwoTowerNetwork, features: TwoTowerFeatures, settings: Settings,
         histories: TwoTowerHistories, items: TwoTowerFeatures.Items, userBags: TwoTowerFeatures.Bags, threads: Int,
         precision: TablePrecision = .f32) {
        let users = network.embed(count: trainingData.userCount, width: network.queryLayout.width, dense: network.queryDense,
                                  scale: 1 / settings.temperature, threads: threads) { u, row in
            histories.query(user: u, entries: histories.recent(u), withUser: true, attributes: userBags) { network.queryInput($0, into: row) }
        }
        let d = network.dimension
        self.init(trainingData: trainingData, network: network, features: features, settings: settings,
                  userEmbeddings: precision.applied(to: users, width: d),
                  itemEmbeddings: precision.applied(to: network.candidateEmbeddings(items, threads: threads), width: d))
    }

    init(trainingData: InteractionMatrix, network: TwoTowerNetwork, features: TwoTowerFeatures, settings: Settings,
         userEmbeddings: StorageBuffer<Float>, itemEmbeddings: StorageBuffer<Float>) {
        let d = network.dimension
        precondition(userEmbeddings.count == trainingData.userCount * d && itemEmbeddings.count == trainingData.itemCount * d,
                     "embedding shapes do not match the training data")
        self.trainingData = trainingData
        self.network = network
        self.features = features
        self.settings = settings
        self.userEmbeddings = userEmbeddings
        scorer = FactorScorer(factors: d, itemFactors: itemEmbeddings)
    }

    /// The width of the embeddings.
    public var dimension: Int { network.dimension }

    /// The scaled query embedding of a training user.
    public func vector(of user: UserIndex) -> UnsafeBufferPointer<Float> {
        UnsafeBufferPointer(rebasing: userEmbeddings.buffer[(Int(user) * dimension)..<((Int(user) + 1) * dimension)])
    }

    public func recommend(for user: UserIndex, count: Int, filter: ItemFilter) -> [ScoredItem] {
        guard trainingData.itemCount > 0 else { return [] }
        return scorer.recommend(user: vector(of: user).baseAddress!, history: trainingData.row(Int(user)).items, count: count, filter: filter)
    }

    /// Blocked GEMM over all items plus bounded top-K, in parallel (see ``FactorScorer``).
    public func recommendAll(users: [UserIndex], count: Int, filter: ItemFilter, threads: Int) -> [[ScoredItem]] {
        scorer.recommendAll(userFactors: userEmbeddings, users: users, histories: trainingData, count: count, filter: filter, threads: threads)
    }

    public func recommend(history: SparseVector, count: Int, filter: ItemFilter) -> [ScoredItem] {
        guard trainingData.itemCount > 0 else { return [] }
        let q = foldIn(history)
        return history.indices.withUnsafeBufferPointer { items in
            q.withUnsafeBufferPointer { scorer.recommend(user: $0.baseAddress!, history: items, count: count, filter: filter) }
        }
    }

    /// The query embedding (scaled by `1/τ`) of a history: its most recent `historyLength` entries
    /// (by timestamp when it has them, else the highest item indices), weighted by their values,
    /// without a user-id embedding. A training user's own history selects the entries their
    /// trained embedding pooled; with `user_embedding=false` the two embeddings are equal.
    /// - Complexity: O(|history| log |history| + historyLength · dimension + width · dimension).
    public func foldIn(_ history: SparseVector) -> [Float] {
        let recent = TwoTowerHistories.recent(history, historyLength: settings.historyLength, itemCount: trainingData.itemCount)
        let bag = features.itemRows.bag(recent.items, weights: recent.weights)
        return network.queryEmbedding(history: bag.rows, weights: bag.weights, scale: 1 / settings.temperature)
    }

    /// Items closest by cosine similarity of their candidate embeddings.
    public func similarItems(to item: ItemIndex, count: Int, filter: ItemFilter) -> [ScoredItem] {
        scorer.similarItems(to: item, count: count, filter: filter)
    }

    /// The cosine of the two items' candidate embeddings.
    public func similarity(_ a: ItemIndex, _ b: ItemIndex) -> Float { scorer.cosine(a, b) }
}
