import TacitCore
import TacitModels

/// A model's ranking blended with "buy it again" exactly as a scene blends its sources
/// (`{"sources": [{"source": "personal"}, {"source": "repeat", "weight": w}]}`): the model's
/// new items (its history-excluding list) and the user's own items ranked by
/// ``RepeatRecommender``, each list cut at ``limit`` and normalised by rank — rank `r` of `L`
/// scores `1 − r/L` — then summed with weights 1 and ``weight``; ties by item index. What
/// `tacit evaluate --allow-repeats` reports as `+ repeat`.
public struct RepeatBlend: TimedRecommender {
    /// The personal model.
    public let base: any Recommender
    /// The user's own items.
    public let repeats: RepeatRecommender
    /// The repeat list's weight (the model's is 1).
    public let weight: Double
    /// How many items of each list take part; a scene's default is 4 × the request's count.
    public let limit: Int

    public init(base: any Recommender, repeats: RepeatRecommender, weight: Double = 1, limit: Int = 80) {
        self.base = base
        self.repeats = repeats
        self.weight = weight
        self.limit = max(1, limit)
    }

    public var trainingData: InteractionMatrix { base.trainingData }

    public func recommend(for user: UserIndex, count: Int, filter: ItemFilter) -> [ScoredItem] {
        let personal = base.recommend(for: user, count: limit, filter: Self.personalFilter(filter))
        let own = repeats.recommend(for: user, count: limit, filter: Self.repeatFilter(filter))
        return Self.blend([(personal, 1), (own, weight)], limit: limit, count: count)
    }

    public func recommendAll(users: [UserIndex], times: [Int64], count: Int, filter: ItemFilter, threads: Int) -> [[ScoredItem]] {
        let personal = if let timed = base as? any TimedRecommender {
            timed.recommendAll(users: users, times: times, count: limit, filter: Self.personalFilter(filter), threads: threads)
        } else {
            base.recommendAll(users: users, count: limit, filter: Self.personalFilter(filter), threads: threads)
        }
        let own = repeats.recommendAll(users: users, times: times, count: limit, filter: Self.repeatFilter(filter), threads: threads)
        return zip(personal, own).map { Self.blend([($0, 1), ($1, weight)], limit: limit, count: count) }
    }

    /// The personal source lists new items only, as a scene's does; the request's other
    /// exclusions stay.
    static func personalFilter(_ filter: ItemFilter) -> ItemFilter {
        var f = filter
        f.excludeHistory = true
        return f
    }

    /// The repeat source lists the user's own items; the request's other exclusions stay.
    static func repeatFilter(_ filter: ItemFilter) -> ItemFilter {
        var f = filter
        f.excludeHistory = false
        return f
    }

    /// The rank-normalised weighted sum of `lists` (each best first), best first, at most `count`.
    public static func blend(_ lists: [(list: [ScoredItem], weight: Double)], limit: Int, count: Int) -> [ScoredItem] {
        var relevance: [ItemIndex: Double] = [:]
        for (list, weight) in lists where weight > 0 && weight.isFinite {
            let length = min(list.count, limit)
            guard length > 0 else { continue }
            var seen = Set<ItemIndex>()
            for rank in 0..<length where seen.insert(list[rank].item).inserted {
                relevance[list[rank].item, default: 0] += weight / Double(length) * Double(length - rank)
            }
        }
        return relevance.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .prefix(max(0, count)).map { ScoredItem(item: $0.key, score: Float($0.value)) }
    }
}
