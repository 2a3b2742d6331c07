import TacitCore
import TacitModels

/// A user's order of the items a client gave (`POST /v1/users/{id}/rank`).
public struct PersonalRanking: Sendable, Equatable {
    /// How the order was decided.
    public enum Basis: String, Sendable, Equatable {
        /// The serving model's scores for this user (trained vector, fold-in of the remembered
        /// history, sequence, or stored attributes).
        case model
        /// All-time popularity: the model could not rank this user (no model yet, or a user with
        /// no usable history and no record).
        case popularity
    }

    /// One given item with its score; `nil` when it could not be scored (an id the catalogue does
    /// not know, an item the model and the counters have nothing on): those come last, in the
    /// order given.
    public struct Entry: Sendable, Equatable {
        public let id: ItemID
        public let score: Double?

        public init(id: ItemID, score: Double?) {
            self.id = id
            self.score = score
        }
    }

    /// The user as stored (pseudonymized when the service pseudonymizes ids).
    public var user: UserID
    /// The model version that scored the items (`"als v3"`), when the model ranked them.
    public let model: String?
    public let basis: Basis
    /// Every given item once: the scored ones best first (ties by the order given), then the rest.
    public let items: [Entry]
}

extension RecommendationService {
    /// The most items one ranking request may hold.
    public static let maxRankedItems = 1_000

    /// Orders `ids` for `user` by the serving model's personal scores (the "personalized ranking"
    /// call): the same scores that the `personal` source of a scene uses, restricted to the given
    /// items, history items included. New items the model has not trained on are scored from their
    /// attributes when the model can; a user the model cannot rank gets the popularity order.
    ///
    /// - Throws: ``ServiceError/invalidField(_:_:)`` for an empty list, more than
    ///   ``maxRankedItems`` or a repeated id (naming `items[k]`).
    public func personalRanking(of ids: [ItemID], for user: UserID) throws(ServiceError) -> PersonalRanking {
        guard !ids.isEmpty else { throw .invalidField("items", "must hold at least one item id") }
        guard ids.count <= Self.maxRankedItems else {
            throw .invalidField("items", "at most \(Self.maxRankedItems) items, got \(ids.count)")
        }
        var position: [ItemID: Int] = [:]
        for (k, id) in ids.enumerated() {
            if let first = position[id] { throw .invalidField("items[\(k)]", "'\(id)' repeats items[\(first)]") }
            position[id] = k
        }
        let catalog = catalog.snapshot
        let indices = ids.map { catalog.index(of: $0) }
        let (model, _) = rankingModel(for: nil)
        let context = RecommendationContext(
            user: user, history: histories.entries(of: user), contextItems: [], catalog: catalog, model: model,
            attributes: userAttributes.record(of: user),
            trainedVectorRevoked: model.map { forgotten.revokes(user, lastSequence: $0.info.lastSequence) } ?? false)
        var scores: [Int32: Double] = [:]
        var basis = PersonalRanking.Basis.model
        if let model, let personal = personalScores(of: indices.compactMap { $0 }, context: context, model: model) {
            scores = personal
        } else {
            basis = .popularity
            for scored in activity.top(.popular, among: indices.compactMap { $0 }, count: ids.count) {
                scores[scored.item] = Double(scored.score)
            }
        }
        // Scored items best first, ties by the order given; then the unscored ones as given.
        let scored = ids.indices.compactMap { k in indices[k].flatMap { scores[$0] }.map { (k: k, score: $0) } }
            .sorted { a, b in a.score != b.score ? a.score > b.score : a.k < b.k }
        let isScored = Set(scored.map(\.k))
        let entries = scored.map { PersonalRanking.Entry(id: ids[$0.k], score: $0.score) }
            + ids.indices.filter { !isScored.contains($0) }.map { PersonalRanking.Entry(id: ids[$0], score: nil) }
        return PersonalRanking(user: user, model: basis == .model ? model?.label : nil, basis: basis, items: entries)
    }

    /// The model's scores of `items` (catalog indices) for the context's user, by catalog index;
    /// `nil` when the model cannot rank this user at all.
    private func personalScores(of items: [Int32], context: RecommendationContext, model: ServingModel) -> [Int32: Double]? {
        var known: [Int32] = [], unknown: [Int32] = []
        for item in items {
            if let m = model.modelItem(item) { known.append(m) } else { unknown.append(item) }
        }
        let allowed = known.sorted()
        let filter = ItemFilter(excludeHistory: false, allowed: { ItemFilter.binarySearch(allowed, $0) })
        let trained = context.trainedUserWithoutNewEvents
        let history = trained == nil ? CandidateSources.foldedHistory(context, model: model) : nil
        let ranked: [ScoredItem]
        if let ranker = model.recommender as? RankerModel {
            // The learned ranker: its sources' lists among the given items, ordered from the live features.
            let sources = self.sources
            ranked = ranker.ranked(sources.rankerCandidates(context, model: model, ranker: ranker, filter: filter, cached: false),
                                   count: allowed.count)
        } else if let trained {
            ranked = model.recommender.recommend(for: trained, count: allowed.count, filter: filter)
        } else if let folded = CandidateSources.foldedRanking(context, model: model, history: history, count: allowed.count, filter: filter) {
            ranked = folded
        } else {
            return nil
        }
        var scores: [Int32: Double] = [:]
        for item in ranked where item.score.isFinite { scores[model.catalogItem(item.item)] = Double(item.score) }
        // Items upserted after training, scored from their attributes on the model's own scale.
        let records = unknown.compactMap { item in context.catalog.record(item).map { (item: item, record: $0) } }
        if !records.isEmpty, let values = CandidateSources.coldScores(of: records.map(\.record), model: model, user: trained,
                                                                       history: history, context: context) {
            for (entry, value) in zip(records, values) where value.isFinite { scores[entry.item] = Double(value) }
        }
        return scores
    }
}
