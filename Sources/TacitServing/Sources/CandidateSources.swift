import TacitCore
import TacitModels

/// Produces the candidate lists of the sources a scene asks for, in catalog index space.
struct CandidateSources: Sendable {
    let activity: ActivityCounters
    let cooccurrence: CoOccurrence
    /// Every item's live activity per kind (catalog indices), kept when a ranker is served.
    var itemActivity: Locked<ItemActivity>? = nil
    /// What "buy it again" learned from every remembered history (rebuilt in the background).
    var repeats: RepeatStatistics? = nil

    /// The lists for `kinds`, each best first with at most `limit` candidates.
    func gather(_ kinds: Set<CandidateSourceKind>, context: RecommendationContext, limit: Int) -> [CandidateSourceKind: [Candidate]] {
        var lists: [CandidateSourceKind: [Candidate]] = [:]
        for kind in kinds {
            switch kind {
            case .personal: lists[kind] = personal(context, limit: limit)
            case .similar: lists[kind] = similar(to: anchors(context), context: context, limit: limit)
            case .complementary: lists[kind] = cooccurrence.partners(of: basket(context), count: limit)
            case .trending: lists[kind] = top(.trending, limit: limit)
            case .popular: lists[kind] = top(.popular, limit: limit)
            case .content: lists[kind] = content(context, limit: limit)
            case .repeatPurchase: lists[kind] = repeatPurchases(context, limit: limit)
            }
        }
        return lists
    }

    /// The user's own consumed items (``RepeatConsumption/defaultKinds``), by the hazard of
    /// returning to each at the request time; the item itself is the anchor.
    func repeatPurchases(_ context: RecommendationContext, limit: Int) -> [Candidate] {
        guard !context.history.isEmpty else { return [] }
        let statistics = repeats?.current(now: context.time) ?? RepeatConsumption()
        let events = context.history.map { (item: $0.event.item, kind: $0.event.kind, timestamp: $0.event.timestamp) }
        return statistics.rank(events, now: context.time, count: limit).map { Candidate(item: $0.item, score: $0.score, anchor: $0.item) }
    }

    /// Context items, or else the user's most recent items: what "similar" is similar to.
    private func anchors(_ context: RecommendationContext) -> [Int32] {
        context.contextItems.isEmpty ? context.recentItems(limit: 5) : context.contextItems
    }

    /// Context items, or else the user's open cart (carted, not bought since), or recent purchases.
    private func basket(_ context: RecommendationContext) -> [Int32] {
        if !context.contextItems.isEmpty { return context.contextItems }
        // Newest first; the purchases in order of their latest purchase.
        var cart: [Int32] = [], bought: [Int32] = []
        let boughtSet = ItemTable(capacity: 16)
        for entry in context.history.reversed() {
            let item = entry.event.item
            if entry.event.kind == .purchase, boughtSet.insert(item) { bought.append(item) }
            if entry.event.kind == .addToCart && !boughtSet.contains(item) && !cart.contains(item) { cart.append(item) }
        }
        if !cart.isEmpty { return Array(cart.prefix(10)) }
        return Array(bought.prefix(10))
    }

    private func top(_ kind: ActivityCounters.Kind, limit: Int) -> [Candidate] {
        activity.top(kind).prefix(limit).map { Candidate(item: $0.item, score: Double($0.score)) }
    }

    /// The model's ranking for the user: the trained vector when nothing changed since training
    /// (cached per model version), else a fold-in of the remembered history — with the user's
    /// stored attributes when the model ranks from them (``UserAttributeScoring``), so a user with
    /// a record and no events gets personal results too. Anchors: the recent history item most
    /// similar to the candidate.
    func personal(_ context: RecommendationContext, limit: Int) -> [Candidate] {
        guard let model = context.model else { return [] }
        if let ranker = model.recommender as? RankerModel {
            return anchored(ranked(context, model: model, ranker: ranker, count: limit), context: context, model: model)
        }
        let trained = context.trainedUserWithoutNewEvents
        var history: SparseVector?
        var candidates: [Candidate]
        if let user = trained {
            if limit <= model.cachedLength, let cached = model.personalCache[context.user] {
                candidates = cached.prefix(limit)
            } else {
                let ranked = model.recommender.recommend(for: user, count: max(limit, model.cachedLength), filter: .excludingHistory)
                candidates = anchored(ranked, context: context, model: model)
                if limit <= model.cachedLength { model.personalCache.store(CachedCandidates(candidates), for: context.user) }
                candidates = Array(candidates.prefix(limit))
            }
        } else {
            history = Self.foldedHistory(context, model: model)
            guard let ranked = Self.foldedRanking(context, model: model, history: history, count: limit, filter: .excludingHistory) else { return [] }
            candidates = anchored(ranked, context: context, model: model)
        }
        guard model.coldItems != nil else { return candidates }
        return mergingNewItems(into: candidates, context: context, model: model, user: trained, history: history, limit: limit)
    }

    /// The user's remembered history as the model's weighted vector; `nil` when none of it is
    /// known to the model.
    static func foldedHistory(_ context: RecommendationContext, model: ServingModel) -> SparseVector? {
        let folded = context.history.isEmpty ? nil : model.history(from: context.events)
        return folded.flatMap { $0.indices.isEmpty ? nil : $0 }
    }

    /// The model's ranking for a user without a usable trained vector (model indices): from the
    /// remembered sequence, the stored attributes or a fold-in of `history`; `nil` when the model
    /// has none of them to go on.
    static func foldedRanking(_ context: RecommendationContext, model: ServingModel, history: SparseVector?,
                              count: Int, filter: ItemFilter) -> [ScoredItem]? {
        if history != nil, let sequential = model.sequential {
            // Every remembered event in order, with its kind: the newest one moves the list.
            return sequential.recommend(sequence: model.sequence(from: context.events), count: count, filter: filter)
        } else if let cold = model.coldUsers, let attributes = context.attributes {
            // A user with a stored record: the model ranks from the attributes and whatever
            // history there is (empty when the model knows neither: the fallbacks serve).
            return cold.recommend(history: history ?? SparseVector(pairs: []), attributes: attributes, count: count, filter: filter)
        } else if let history, let foldIn = model.foldIn {
            return foldIn.recommend(history: history, count: count, filter: filter)
        }
        return nil
    }

    /// The personal list with the items the model never trained on (upserted since, or without
    /// events at training time) scored from their attributes by the model itself, on the same
    /// scale as its own scores: a new item is recommendable as soon as it is upserted.
    private func mergingNewItems(into candidates: [Candidate], context: RecommendationContext, model: ServingModel,
                                 user: Int32?, history: SparseVector?, limit: Int) -> [Candidate] {
        guard model.coldItems != nil else { return candidates }
        var items: [Int32] = [], records: [ItemRecord] = []
        for item in model.newItems(in: context.catalog, limit: Self.newItemLimit) {
            guard let record = context.catalog.record(item) else { continue }
            items.append(item)
            records.append(record)
        }
        guard !records.isEmpty, let scores = Self.coldScores(of: records, model: model, user: user, history: history, context: context) else {
            return candidates
        }
        var merged = candidates
        // A new item scored from its attributes against the user's whole history: no single
        // viewed item carries its score, so it carries no anchor ("recommended for you").
        for (item, score) in zip(items, scores) where score > 0 && score.isFinite {
            merged.append(Candidate(item: item, score: Double(score)))
        }
        merged.sort { $0.score != $1.score ? $0.score > $1.score : $0.item < $1.item }
        if merged.count > limit { merged.removeSubrange(limit...) }
        return merged
    }

    /// The model's scores of items it never trained on, from their records: against the trained
    /// user's vector, else the remembered history and stored attributes; `nil` when the model has
    /// none of them for this user or cannot score records.
    static func coldScores(of records: [ItemRecord], model: ServingModel, user: Int32?, history: SparseVector?,
                           context: RecommendationContext) -> [Float]? {
        guard let cold = model.coldItems else { return nil }
        if let user { return cold.scores(of: records, for: user) }
        guard history != nil || context.attributes != nil else { return nil }
        return cold.scores(of: records, history: history ?? SparseVector(pairs: []), attributes: context.attributes)
    }

    /// The most new items one request scores from attributes.
    static let newItemLimit = 1_000

    /// Model results in catalog indices with their anchors. A zero score is "no evidence at all"
    /// (an item-kNN item no history item points to): better left to the scene's other sources.
    func anchored(_ ranked: [ScoredItem], context: RecommendationContext, model: ServingModel) -> [Candidate] {
        let recent = context.recentItems(limit: 20)
        let kept = ranked.filter { $0.score != 0 }
        // Each recent item's similarity to every candidate, one call per recent item.
        let table = model.similarities(from: recent, to: kept.map(\.item))
        var strongest: [Int32: Double] = [:]
        return kept.enumerated().map { k, scored in
            Candidate(item: model.catalogItem(scored.item), score: Double(scored.score),
                      anchor: anchor(for: k, among: recent, similarities: table, model: model, context: context, strongest: &strongest))
        }
    }

    /// How similar an anchor must be to the item it explains, as a share of the anchor's
    /// similarity to its own nearest neighbour: "because you viewed X" is claimed only when X
    /// really carries the item's score.
    static let anchorShare = 0.5

    /// The recent item that explains candidate `k`: the recent item most similar to it by the
    /// model (`similarities[j][k]` for recent item `j`; nil where the model has no pair
    /// similarity or does not know the recent item), provided that similarity is at least
    /// ``anchorShare`` of that recent item's similarity to its nearest neighbour. None otherwise
    /// (the item is then "recommended for you": its score comes from the user's taste as a whole,
    /// or popularity, not from one item). `strongest` caches each recent item's nearest-neighbour
    /// similarity for the request.
    private func anchor(for k: Int, among recent: [Int32], similarities: [[Float]?], model: ServingModel, context: RecommendationContext,
                        strongest: inout [Int32: Double]) -> Int32? {
        var best: (Int32, Double)?
        for (j, h) in recent.enumerated() {
            guard let row = similarities[j] else { continue }
            let s = Double(row[k])
            if s > (best?.1 ?? 0) { best = (h, s) }
        }
        guard let (h, s) = best else { return nil }
        let top: Double
        if let known = strongest[h] {
            top = known
        } else {
            top = model.nearestSimilarity(of: h) ?? s
            strongest[h] = top
        }
        return s >= Self.anchorShare * top ? h : nil
    }

    /// Items similar to `anchors`: by the model where it knows the item, by shared attributes
    /// (category, brand, tags) otherwise — so a brand-new item has neighbours at once.
    func similar(to anchors: [Int32], context: RecommendationContext, limit: Int) -> [Candidate] {
        // Per item found: the summed score, the best single score and the anchor with it.
        var found: [(item: Int32, sum: Double, best: Double, anchor: Int32)] = []
        let slot = ItemTable(capacity: anchors.count * limit)
        for anchor in anchors {
            for neighbour in neighbours(of: anchor, context: context, limit: limit) where neighbour.item != anchor {
                if let s = slot[neighbour.item] {
                    let k = Int(s)
                    found[k].sum += neighbour.score
                    if neighbour.score > found[k].best {
                        found[k].best = neighbour.score
                        found[k].anchor = anchor
                    }
                } else {
                    slot.set(neighbour.item, Int32(found.count))
                    found.append((neighbour.item, neighbour.score, neighbour.score, anchor))
                }
            }
        }
        found.sort { $0.sum != $1.sum ? $0.sum > $1.sum : $0.item < $1.item }
        return found.prefix(limit).map { Candidate(item: $0.item, score: $0.sum, anchor: $0.anchor) }
    }

    /// The model's neighbours of `item` (cached per model version), or its attribute
    /// neighbours when the model does not know it; at most `limit`, best first.
    private func neighbours(of item: Int32, context: RecommendationContext, limit: Int) -> ArraySlice<Candidate> {
        if let model = context.model, let m = model.modelItem(item), let similarity = model.itemSimilarity {
            if limit <= model.cachedLength, let cached = model.neighbourCache[item], !cached.isEmpty { return cached.prefix(limit) }
            let neighbours = similarity.similarItems(to: m, count: max(limit, model.cachedLength), filter: .none)
                .map { Candidate(item: model.catalogItem($0.item), score: Double($0.score)) }
            if limit <= model.cachedLength { model.neighbourCache.store(neighbours, for: item) }
            if !neighbours.isEmpty { return neighbours.prefix(limit) }
        } else if let model = context.model, let cold = model.coldItems, let record = context.catalog.record(item) {
            // An item the model never trained on: the model's neighbours of its attributes.
            let neighbours = cold.similarItems(to: record, count: limit, filter: .none)
                .map { Candidate(item: model.catalogItem($0.item), score: Double($0.score)) }
            if !neighbours.isEmpty { return neighbours[...] }
        }
        return attributeNeighbours(of: item, catalog: context.catalog, limit: limit)
            .map { Candidate(item: $0.0, score: $0.1) }[...]
    }

    /// Items sharing `item`'s category, scored by shared brand and tags plus popularity.
    func attributeNeighbours(of item: Int32, catalog: CatalogSnapshot, limit: Int) -> [(Int32, Double)] {
        guard let record = catalog.record(item), let category = record.category else { return [] }
        let tags = Set(record.tags.map { $0.lowercased() })
        let members = catalog.items(inCategory: category)
        let top = activity.top(.popular, among: members, count: min(members.count, 5 * limit))
        let popularity = ItemTable(capacity: top.count)
        for (rank, scored) in top.enumerated() { popularity.set(scored.item, Int32(rank)) }
        let peak = Double(top.first?.score ?? 1)
        var best = TopK(limit)
        for other in members.suffix(20 * limit) where other != item {
            guard let r = catalog.record(other) else { continue }
            var s = 0.5
            if let brand = record.brand, r.brand == brand { s += 0.3 }
            if !tags.isEmpty { s += 0.2 * Double(r.tags.filter { tags.contains($0.lowercased()) }.count) / Double(tags.count) }
            if let rank = popularity[other] { s += 0.1 * Double(top[Int(rank)].score) / peak }
            best.insert(other, score: Float(s))
        }
        return best.sorted().map { ($0.item, Double($0.score)) }
    }

    /// Items in the categories the user (or the context) is into, newest and most active first;
    /// includes items no model has seen yet.
    func content(_ context: RecommendationContext, limit: Int) -> [Candidate] {
        let catalog = context.catalog
        // The user's (or the context's) categories by recency-weighted affinity: a handful, so
        // linear search over small arrays beats hashing category names.
        var categories: [(id: Int32, weight: Double, anchor: Int32)] = []
        let sources = context.contextItems.isEmpty ? context.recentItems(limit: 30) : context.contextItems
        for (rank, item) in sources.enumerated() {
            let id = catalog.facts(item).categoryID
            guard id >= 0 else { continue }
            let w = 1 / Double(rank + 1)
            if let k = categories.firstIndex(where: { $0.id == id }) {
                categories[k].weight += w
            } else {
                categories.append((id, w, item))
            }
        }
        guard !categories.isEmpty else { return [] }
        let total = categories.reduce(0) { $0 + $1.weight }
        // The three strongest, ties by first appearance (the most recent).
        let strongest = categories.enumerated().sorted { $0.element.weight != $1.element.weight ? $0.element.weight > $1.element.weight : $0.offset < $1.offset }
            .prefix(3).map(\.element)
        var result: [Candidate] = []
        let slot = ItemTable(capacity: 2 * limit)
        func add(_ item: Int32, _ score: Double, _ anchor: Int32) {
            if let s = slot[item] {
                if score > result[Int(s)].score { result[Int(s)] = Candidate(item: item, score: score, anchor: anchor) }
            } else {
                slot.set(item, Int32(result.count))
                result.append(Candidate(item: item, score: score, anchor: anchor))
            }
        }
        for category in strongest {
            let key = catalog.categoryKey(category.anchor)
            let members = catalog.items(inCategoryKey: key)
            let share = max(1, Int((Double(limit) * category.weight / total).rounded(.up)))
            let weight = category.weight / total
            // Newest members (upserted last) first get a bonus; then the category's most active.
            for (k, item) in members.suffix(share).reversed().enumerated() {
                add(item, weight * (1 - Double(k) / Double(2 * share)), category.anchor)
            }
            for scored in activity.top(.trending, group: key, items: members, count: share) {
                add(scored.item, weight * Double(scored.score), category.anchor)
            }
        }
        result.sort { $0.score != $1.score ? $0.score > $1.score : $0.item < $1.item }
        if result.count > limit { result.removeSubrange(limit...) }
        return result
    }
}
