/// A fitted, immutable model that ranks items for the users it was trained on.
public protocol Recommender: Sendable {
    /// The training data the model was fitted on (ids, histories, popularity).
    var trainingData: InteractionMatrix { get }

    /// The top `count` items for a training user, best first, ties broken by lower item index.
    func recommend(for user: UserIndex, count: Int, filter: ItemFilter) -> [ScoredItem]

    /// Recommendations for many training users at once; element `i` is for `users[i]`.
    ///
    /// The default calls ``recommend(for:count:filter:)`` per user in parallel; factor models
    /// override it with blocked GEMM + bounded top-K.
    func recommendAll(users: [UserIndex], count: Int, filter: ItemFilter, threads: Int) -> [[ScoredItem]]
}

/// Capability: item-to-item similarity ("more like this").
public protocol ItemSimilarity: Sendable {
    /// The `count` items most similar to `item` (never `item` itself), best first.
    func similarItems(to item: ItemIndex, count: Int, filter: ItemFilter) -> [ScoredItem]

    /// An item close to `item` (never `item` itself), for telling how close its nearest neighbour
    /// is: the most similar one, or — where the model finds similar items through an approximate
    /// index — the most similar one a cheap search finds (at most as similar, the same for most
    /// items). The default is the first of ``similarItems(to:count:filter:)``.
    func nearestItem(to item: ItemIndex) -> ItemIndex?
}

extension ItemSimilarity {
    public func nearestItem(to item: ItemIndex) -> ItemIndex? { similarItems(to: item, count: 1, filter: .none).first?.item }
}

/// Capability: rank items for any history, without retraining (new or changed users).
public protocol FoldIn: Recommender {
    /// The top `count` items for a user whose weighted history is `history`.
    /// `filter.excludeHistory` excludes the items of `history`.
    func recommend(history: SparseVector, count: Int, filter: ItemFilter) -> [ScoredItem]
}

extension Recommender {
    /// Recommendations for many users at once, computed in parallel; element `i` is for `users[i]`.
    public func recommendAll(users: [UserIndex], count: Int, filter: ItemFilter, threads: Int) -> [[ScoredItem]] {
        let results = ResultSlots<[ScoredItem]>(count: users.count, initial: [])
        Parallel.forEach(0..<users.count, threads: threads) { i in
            results[i] = recommend(for: users[i], count: count, filter: filter)
        }
        return results.values
    }
}

extension Recommender {
    /// ``recommendAll(users:count:filter:threads:)`` excluding each user's history, on all cores.
    public func recommendAll(users: [UserIndex], count: Int, filter: ItemFilter = .excludingHistory) -> [[ScoredItem]] {
        recommendAll(users: users, count: count, filter: filter, threads: Parallel.defaultThreads)
    }

    /// ``recommendAll(users:count:filter:threads:)`` excluding each user's history.
    public func recommendAll(users: [UserIndex], count: Int, threads: Int) -> [[ScoredItem]] {
        recommendAll(users: users, count: count, filter: .excludingHistory, threads: threads)
    }
}

/// Capability: the similarity of two given items, on a scale where 1 is "the same" and 0 is
/// "unrelated" (cosine for factor models, the stored neighbour similarity for item-kNN).
///
/// The service uses it for diversity re-ranking (MMR) and to pick the history item that explains
/// a recommendation ("because you viewed X").
public protocol ItemPairSimilarity: Sendable {
    /// The similarity of items `a` and `b`.
    func similarity(_ a: ItemIndex, _ b: ItemIndex) -> Float
    /// The similarity of `a` to each of `others`, in order (a model may compute them in one pass).
    func similarities(_ a: ItemIndex, to others: [ItemIndex]) -> [Float]
    /// The similarity of each of `items` to each of `others`, row-major: element
    /// `i * others.count + j` is `similarity(items[i], others[j])` (one call for a whole request).
    func similarities(of items: [ItemIndex], to others: [ItemIndex]) -> [Float]
}

extension ItemPairSimilarity {
    public func similarities(_ a: ItemIndex, to others: [ItemIndex]) -> [Float] { others.map { similarity(a, $0) } }
    public func similarities(of items: [ItemIndex], to others: [ItemIndex]) -> [Float] { items.flatMap { similarities($0, to: others) } }
}

/// Capability: rank as of a request time, from the events before it (the learned ranker's
/// real-time features). The evaluator asks it at each test user's first test event.
public protocol TimedRecommender: Recommender {
    /// Recommendations for many users, element `i` for `users[i]` at `times[i]`.
    func recommendAll(users: [UserIndex], times: [Int64], count: Int, filter: ItemFilter, threads: Int) -> [[ScoredItem]]
}
