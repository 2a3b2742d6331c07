import TacitCore
import TacitModels
import TacitStore

/// A loaded model version ready to serve: the fitted model, its weighting policy, and the
/// mapping between its item indices and the serving catalog's. A class, so requests share one
/// instance instead of copying its many references on every call.
public final class ServingModel: Sendable {
    /// The version's metadata (as stored).
    public let info: ModelVersionRecord
    /// The fitted model.
    public let recommender: any Recommender
    /// How events are weighted into histories for this model (the one it was trained with).
    public let weighting: WeightingPolicy
    /// Catalog index of each model item.
    let modelToCatalog: [Int32]
    /// Model index of each catalog item known when the model was loaded (−1 = not in the model).
    let catalogToModel: [Int32]
    /// The model's optional capabilities, cast once here rather than per request.
    public let foldIn: (any FoldIn)?
    public let itemSimilarity: (any ItemSimilarity)?
    let pairSimilarity: (any ItemPairSimilarity)?
    /// Scores items the model never trained on from their attributes (two-tower, content).
    public let coldItems: (any ColdItemScoring)?
    /// Ranks users the model has no trained vector for from their attributes and history
    /// (two-tower with user features; popularity, alike for everyone).
    public let coldUsers: (any UserAttributeScoring)?
    /// Ranks from the order and kinds of events (SASRec): fold-in hands it the events themselves.
    public let sequential: (any SequentialRecommender)?
    /// The catalog's size when the model was loaded: later items are new to it.
    let catalogCountAtLoad: Int
    /// Catalog items known at load that the model did not train on, in catalog order.
    let untrainedItems: [Int32]
    /// Personal candidates of trained users with no event since training (they depend only on
    /// this version), filled on first use and by ``warmUp(length:threads:)``.
    let personalCache: BoundedCache<UserID, CachedCandidates>
    /// A served ranker's retrieval (its sources' lists) for trained users with no event since
    /// training, filled on first use; its features are computed per request (they move with time).
    let rankerListCache: BoundedCache<UserID, RankerLists>
    /// Model neighbours of items, in catalog indices, filled on first use.
    let neighbourCache: BoundedCache<Int32, [Candidate]>
    /// Each item's similarity to its nearest neighbour (``nearestSimilarity(of:)``), filled on first use.
    let nearestCache: BoundedCache<Int32, Double>
    /// The length of cached lists; requests that need more compute them directly.
    let cachedLength: Int

    /// Wraps a loaded model file; every model item is added to `catalog` if unknown. An
    /// inner-product model gets the index `retrieval` asks for (built here).
    public init(contents: ModelFile.Contents, info: ModelVersionRecord, catalog: ServingCatalog,
                cacheUsers: Int = 400_000, cachedLength: Int = 50, retrieval: RetrievalSettings = RetrievalSettings()) {
        self.info = info
        personalCache = BoundedCache(capacity: cacheUsers)
        rankerListCache = BoundedCache(capacity: contents.model is RankerModel ? cacheUsers : 0)
        neighbourCache = BoundedCache(capacity: min(cacheUsers, 1_000_000))
        nearestCache = BoundedCache(capacity: min(cacheUsers, 1_000_000))
        self.cachedLength = cachedLength
        let model = retrieval.prepare(contents.model)
        self.recommender = model
        foldIn = model as? any FoldIn
        itemSimilarity = model as? any ItemSimilarity
        pairSimilarity = model as? any ItemPairSimilarity
        coldItems = model as? any ColdItemScoring
        coldUsers = model as? any UserAttributeScoring
        sequential = model as? any SequentialRecommender
        // A file without a policy predates relative kind weights: the defaults as they were then.
        self.weighting = contents.weighting ?? WeightingPolicy(kindScale: .absolute)
        let items = contents.model.trainingData.items
        let mapped = catalog.intern(items.ids)
        modelToCatalog = mapped
        var reverse = [Int32](repeating: -1, count: Int(mapped.max() ?? -1) + 1)
        for (m, c) in mapped.enumerated() { reverse[Int(c)] = Int32(m) }
        catalogToModel = reverse
        let count = catalog.snapshot.count
        catalogCountAtLoad = count
        untrainedItems = coldItems == nil ? [] : (0..<Int32(count)).filter { Int($0) >= reverse.count || reverse[Int($0)] < 0 }
    }

    /// The approximate indexes its personal lists and similar items are retrieved through (nil:
    /// exact scoring).
    public var retrievalIndexes: (personal: MIPSIndex, similar: MIPSIndex?)? { RetrievalSettings.indexes(of: recommender) }

    /// The catalog items this model did not train on, newest first, at most `limit`: the ones
    /// upserted since it was loaded, then those it had no events for.
    func newItems(in catalog: CatalogSnapshot, limit: Int) -> [Int32] {
        var result: [Int32] = []
        var item = Int32(catalog.count) - 1
        while item >= Int32(catalogCountAtLoad), result.count < limit {
            result.append(item)
            item -= 1
        }
        for old in untrainedItems.reversed() where result.count < limit { result.append(old) }
        return result
    }

    /// A label for responses: `als v3`.
    public var label: String { "\(info.model) v\(info.version)" }

    /// The model index of a catalog item, if the model knows it.
    @inline(__always)
    public func modelItem(_ item: Int32) -> Int32? {
        let i = Int(item)
        guard i < catalogToModel.count, catalogToModel[i] >= 0 else { return nil }
        return catalogToModel[i]
    }

    /// The catalog index of a model item.
    @inline(__always)
    public func catalogItem(_ item: Int32) -> Int32 { modelToCatalog[Int(item)] }

    /// The model's user index of a trained user.
    public func trainedUser(_ id: UserID) -> Int32? { recommender.trainingData.users.index(of: id) }

    /// The similarity of two catalog items by the model, when it can tell.
    public func similarity(_ a: Int32, _ b: Int32) -> Double? {
        guard let pair = pairSimilarity, let ma = modelItem(a), let mb = modelItem(b) else { return nil }
        return Double(pair.similarity(ma, mb))
    }

    /// The similarity of catalog item `item` to its nearest neighbour by the model: the first of
    /// its cached neighbours, else the model's ``ItemSimilarity/nearestItem(to:)`` (through the
    /// similar-items index, one leaf scanned); cached per model version. Nil when the model
    /// cannot tell.
    public func nearestSimilarity(of item: Int32) -> Double? {
        if let known = nearestCache[item] { return known }
        guard let m = modelItem(item), let pair = pairSimilarity else { return nil }
        let nearest: Int32?
        if let cached = neighbourCache[item]?.first(where: { $0.item != item }) {
            nearest = modelItem(cached.item)
        } else {
            nearest = itemSimilarity?.nearestItem(to: m)
        }
        guard let nearest else { return nil }
        let similarity = Double(pair.similarity(m, nearest))
        nearestCache.store(similarity, for: item)
        return similarity
    }

    /// The similarity of each catalog item of `anchors` to each of `items` (model indices), row
    /// `j` for `anchors[j]`: one call of the model per anchor. Nil for an anchor the model does
    /// not know, or every anchor when the model has no pair similarity.
    public func similarities(from anchors: [Int32], to items: [Int32]) -> [[Float]?] {
        guard let pair = pairSimilarity else { return anchors.map { _ in nil } }
        return anchors.map { anchor in modelItem(anchor).map { pair.similarities($0, to: items) } }
    }

    /// A user's weighted history in model index space, from their events (oldest first).
    public func history(from events: [HistoryEvent]) -> SparseVector {
        let mapped: [WeightingPolicy.NewEvent] = events.compactMap { event in
            modelItem(event.item).map { (item: $0, kind: event.kind, timestamp: event.timestamp) }
        }
        return weighting.extend(SparseVector(pairs: []), with: mapped)
    }

    /// Remembered events (catalog indices, oldest first) as a sequence in model indices, for a
    /// ``SequentialRecommender``; items the model does not know and kinds the weighting ignores
    /// are left out.
    func sequence(from events: [HistoryEvent]) -> [SequenceEvent] {
        events.compactMap { event in
            guard weighting.weight(of: event.kind) > 0, let item = modelItem(event.item) else { return nil }
            return SequenceEvent(item: item, kind: event.kind)
        }
    }
}
