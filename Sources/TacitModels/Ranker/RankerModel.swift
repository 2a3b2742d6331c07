import TacitBoosting
import TacitCore

/// A fitted two-stage recommender: the retrieval sources gather candidates, the boosted trees
/// order them by their features (``RankerFeatures``).
public struct RankerModel: TimedRecommender {
    private(set) var features: RankerFeatures
    /// How the candidates are ordered: by the trees, or (to measure what the trees add) otherwise.
    public private(set) var ordering: Ordering = .trees
    /// The gradient-boosted trees.
    public let booster: BoostedRanker
    /// What the fit measured on its own held-out events.
    public let summary: Summary

    /// The fit's held-out measurements.
    public struct Summary: Sendable, Equatable {
        /// Query groups the trees trained on: each labelled user, once per cut point.
        public var labeledUsers: Int
        /// The share of them whose held-out item was among their candidates (candidate recall).
        public var candidateRecall: Double
        /// The mean number of candidates per user.
        public var meanCandidates: Double
        /// Each feature's total gain in the trees, by name.
        public var gains: [String: Double]
        /// The shown lists the trees learned from when the fit learned from logged impressions
        /// (then ``labeledUsers`` counts them too); 0 when it learned from the log.
        public var shownLists: Int
        /// The logged item exposures and actions on recommendations the fit's click-through
        /// features counted (0 without logged impressions).
        public var exposures: Int, actions: Int

        public init(labeledUsers: Int, candidateRecall: Double, meanCandidates: Double, gains: [String: Double], shownLists: Int = 0,
                    exposures: Int = 0, actions: Int = 0) {
            self.labeledUsers = labeledUsers
            self.candidateRecall = candidateRecall
            self.meanCandidates = meanCandidates
            self.gains = gains
            self.shownLists = shownLists
            self.exposures = exposures
            self.actions = actions
        }
    }

    public var trainingData: InteractionMatrix { features.data }

    /// The names of the features, in column order.
    public var featureNames: [String] { features.names }

    /// An order of the same candidates.
    public enum Ordering: Sendable, Equatable {
        /// The boosted trees' scores.
        case trees
        /// Source `k`'s own rank (the items it does not list after, in candidate order): the
        /// source alone.
        case source(Int)
        /// The fixed-weight blend of every source: `Σ (1 − (rank − 1) / per_source)` over the
        /// sources that list the item, as a scene blends its sources.
        case blend
        /// A seeded random order of the candidates (seed `k`, per user).
        case random(UInt64)
    }

    /// The same model with each source model replaced by `transform`'s (the same items and
    /// scores: a source with an index attached, ``RetrievalSettings/prepare(_:)``).
    public func replacingSources(_ transform: (any Recommender) -> any Recommender) -> RankerModel {
        var copy = self
        copy.features.sources = features.sources.map { .init(name: $0.name, model: transform($0.model)) }
        return copy
    }

    /// The same model ordering its candidates by `ordering`.
    public func reordered(_ ordering: Ordering) -> RankerModel {
        var copy = self
        copy.ordering = ordering
        return copy
    }

    /// The orderings to compare the trees with, by name: each source alone, the blend, random.
    public var baselines: [(name: String, ordering: Ordering)] {
        features.sources.enumerated().map { ($1.name, Ordering.source($0)) } + [("blend", .blend), ("random", .random(42))]
    }

    /// The user's list as of a second after the latest training event.
    public func recommend(for user: UserIndex, count: Int, filter: ItemFilter) -> [ScoredItem] {
        recommend(for: user, at: features.end, count: count, filter: filter)
    }

    /// The user's list for a request at `time`: the features read the training events before it.
    public func recommend(for user: UserIndex, at time: Int64, count: Int, filter: ItemFilter) -> [ScoredItem] {
        recommendAll(users: [user], times: [time], count: count, filter: filter, threads: 1).first ?? []
    }

    public func recommendAll(users: [UserIndex], count: Int, filter: ItemFilter, threads: Int) -> [[ScoredItem]] {
        recommendAll(users: users, times: [Int64](repeating: features.end, count: users.count), count: count, filter: filter, threads: threads)
    }

    public func recommendAll(users: [UserIndex], times: [Int64], count: Int, filter: ItemFilter, threads: Int) -> [[ScoredItem]] {
        guard count > 0 else { return users.map { _ in [] } }
        let known = users.indices.filter { Int(users[$0]) >= 0 && Int(users[$0]) < trainingData.userCount && $0 < times.count }
        let lists = features.candidates(for: known.map { .init(user: Int(users[$0]), time: times[$0]) }, filter: filter, threads: threads)
        var results = [[ScoredItem]](repeating: [], count: users.count)
        let slots = ResultSlots<[ScoredItem]>(count: known.count, initial: [])
        Parallel.forEach(0..<known.count, threads: threads) { k in
            slots[k] = ranked(items: lists[k].items, rows: lists[k].rows, user: Int(users[known[k]]), count: count)
        }
        for (k, list) in zip(known, slots.values) { results[k] = list }
        return results
    }

    /// The candidates ordered by ``ordering``, best first (the lower item index first on ties, as
    /// every model ranks), at most `count`.
    func ranked(items: [Int32], rows: [Float], user: Int, count: Int) -> [ScoredItem] {
        let scores = score(items: items, rows: rows, user: user)
        let ranked = zip(items, scores).map { ScoredItem(item: $0, score: $1) }
            .sorted { $0.score != $1.score ? $0.score > $1.score : $0.item < $1.item }
        return Array(ranked.prefix(count))
    }

    /// The candidates' scores under ``ordering``.
    func score(items: [Int32], rows: [Float], user: Int) -> [Float] {
        let width = featureNames.count, perSource = Float(max(1, features.perSource))
        func rank(_ k: Int, _ source: Int) -> Float? {
            let value = rows[k * width + RankerFeatures.perSourceColumns * source + 1]
            return value.isNaN ? nil : value
        }
        switch ordering {
        case .trees:
            return booster.scores(rows, margins: features.margins(rows) ?? [])
        case let .source(s):
            // Listed items by their rank, the rest after them in candidate order.
            return items.indices.map { k in rank(k, s).map { -$0 } ?? -perSource - 1 - Float(k) }
        case .blend:
            return items.indices.map { k in
                (0..<features.sources.count).reduce(Float(0)) { total, s in total + (rank(k, s).map { 1 - ($0 - 1) / perSource } ?? 0) }
            }
        case let .random(seed):
            var random = SeededGenerator.stream(seed: seed, index: UInt64(user))
            return items.map { _ in Float(random.nextUnit()) }
        }
    }
}
