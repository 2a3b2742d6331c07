import TacitCore
import TacitNeural

/// A fitted SASRec model: the frozen network, every training user's state after their whole
/// training sequence, and the item table it scores against (`z · E[i]`).
///
/// Training users are ranked from their stored state (``FactorScorer``: blocked GEMM + bounded
/// top-K for batches). Any other sequence — a new user, or a user with events since training —
/// runs through the network at request time: ``recommend(sequence:count:filter:)`` with the
/// events' kinds, or ``recommend(history:count:filter:)`` from a history ordered by its
/// timestamps. Similar items are the cosine of item embeddings.
public struct SASRecModel: SequentialRecommender, ItemSimilarity, ItemPairSimilarity {
    public let trainingData: InteractionMatrix
    let network: SASRecNetwork
    /// The event kinds the kind embeddings stand for (the codes index it).
    let kinds: [EventKind]
    /// Each training user's state, `users x dimension`.
    public let userStates: StorageBuffer<Float>
    /// Scoring against the item embeddings.
    public internal(set) var scorer: FactorScorer

    /// Computes every training user's state from their last `maxLength` events. With `int8`
    /// precision the network's item embedding is rounded first (in place: the network is the
    /// fitted one or a snapshot of it), then the states are computed from it and rounded too.
    init(trainingData: InteractionMatrix, network: SASRecNetwork, kinds: [EventKind], sequences: SASRecSequences, threads: Int,
         precision: TablePrecision = .f32) {
        let item = network.itemEmbedding
        precision.apply(to: item.values.pointer, count: item.count, width: network.dimension)
        let states = network.states(count: trainingData.userCount, threads: threads) { sequences.events(of: $0) }
        self.init(trainingData: trainingData, network: network, kinds: kinds, userStates: precision.applied(to: states, width: network.dimension))
    }

    init(trainingData: InteractionMatrix, network: SASRecNetwork, kinds: [EventKind], userStates: StorageBuffer<Float>) {
        let d = network.dimension
        precondition(userStates.count == trainingData.userCount * d, "user states do not match the training data")
        self.trainingData = trainingData
        self.network = network
        self.kinds = kinds
        self.userStates = userStates
        let items = trainingData.itemCount
        scorer = FactorScorer(factors: d, itemFactors: StorageBuffer(count: items * d) { buffer in
            if items > 0 { buffer.baseAddress!.update(from: network.itemEmbedding.values.pointer, count: items * d) }
        })
    }

    /// The width of the states and embeddings.
    public var dimension: Int { network.dimension }
    /// The longest sequence the model reads.
    public var maxLength: Int { network.shape.maxLength }

    /// The state of a training user.
    public func state(of user: UserIndex) -> UnsafeBufferPointer<Float> {
        UnsafeBufferPointer(rebasing: userStates.buffer[(Int(user) * dimension)..<((Int(user) + 1) * dimension)])
    }

    public func recommend(for user: UserIndex, count: Int, filter: ItemFilter) -> [ScoredItem] {
        guard trainingData.itemCount > 0 else { return [] }
        return scorer.recommend(user: state(of: user).baseAddress!, history: trainingData.row(Int(user)).items, count: count, filter: filter)
    }

    /// Blocked GEMM over all items plus bounded top-K, in parallel (see ``FactorScorer``).
    public func recommendAll(users: [UserIndex], count: Int, filter: ItemFilter, threads: Int) -> [[ScoredItem]] {
        scorer.recommendAll(userFactors: userStates, users: users, histories: trainingData, count: count, filter: filter, threads: threads)
    }

    /// The next items after `sequence`, its events read with their kinds (a kind the model did
    /// not train on counts as no kind).
    /// - Complexity: O(L · blocks · d² + L² · blocks · d + items · d) with L = min(|sequence|, maxLength).
    public func recommend(sequence: [SequenceEvent], count: Int, filter: ItemFilter) -> [ScoredItem] {
        let known = sequence.filter { $0.item >= 0 && Int($0.item) < trainingData.itemCount }
        return rank(items: known.map(\.item), kinds: known.map { kind in Int32(kinds.firstIndex(of: kind.kind) ?? -1) }, count: count, filter: filter)
    }

    /// The next items after a history, its entries ordered by `(timestamp, item)` (by item without
    /// timestamps), each read as one event of kind ``EventKind/interaction`` when the model knows
    /// that kind. Repeated events and kinds are lost in a ``SparseVector``; the service uses
    /// ``recommend(sequence:count:filter:)``.
    public func recommend(history: SparseVector, count: Int, filter: ItemFilter) -> [ScoredItem] {
        var order = history.indices.indices.filter { history.indices[$0] >= 0 && Int(history.indices[$0]) < trainingData.itemCount }
        if let times = history.timestamps { order.sort { (times[$0], history.indices[$0]) < (times[$1], history.indices[$1]) } }
        let kind = Int32(kinds.firstIndex(of: .interaction) ?? -1)
        return rank(items: order.map { history.indices[$0] }, kinds: order.map { _ in kind }, count: count, filter: filter)
    }

    private func rank(items: [Int32], kinds: [Int32], count: Int, filter: ItemFilter) -> [ScoredItem] {
        guard trainingData.itemCount > 0 else { return [] }
        let state = network.state(items: items, kinds: kinds)
        let history = Array(Set(items)).sorted()
        return history.withUnsafeBufferPointer { history in
            state.withUnsafeBufferPointer { scorer.recommend(user: $0.baseAddress!, history: history, count: count, filter: filter) }
        }
    }

    /// Items closest by cosine similarity of their embeddings.
    public func similarItems(to item: ItemIndex, count: Int, filter: ItemFilter) -> [ScoredItem] {
        scorer.similarItems(to: item, count: count, filter: filter)
    }

    /// The cosine of the two items' embeddings.
    public func similarity(_ a: ItemIndex, _ b: ItemIndex) -> Float { scorer.cosine(a, b) }
}
