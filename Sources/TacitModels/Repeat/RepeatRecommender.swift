import TacitCore

/// "Buy it again" offline: each training user's own consumed items, ranked by
/// ``RepeatConsumption`` learned from the training events (`tacit evaluate --allow-repeats`).
///
/// It lists only items the user consumed (``RepeatConsumption/kinds``), so under
/// ``ItemFilter/excludingHistory`` it lists nothing: evaluate it with ``ItemFilter/none`` and a
/// test set whose relevant items may be repeats. As a ``TimedRecommender`` it ranks as of each
/// request time; ``recommend(for:count:filter:)`` ranks as of the user's last training event.
/// The statistics follow each user until their last training event (any kind).
public struct RepeatRecommender: TimedRecommender {
    public let trainingData: InteractionMatrix
    /// What was learned from the training events.
    public let statistics: RepeatConsumption
    /// Whether times are timestamps (else positions in each user's sequence).
    public let timed: Bool
    /// Per user: their consumed items' occasions, and their last time.
    private let occasions: [[RepeatConsumption.Occasions]]
    private let ends: [Int64]

    /// Learns from the matrix's event sequences (its entries when it kept none); `kinds` are the
    /// event kinds that count as consuming an item.
    public init(training: InteractionMatrix, kinds: Set<EventKind> = RepeatConsumption.defaultKinds) {
        trainingData = training
        let sequences = training.sequences ?? EventSequences(entriesOf: training)
        timed = sequences.timestamps != nil
        var occasions: [[RepeatConsumption.Occasions]] = []
        var ends: [Int64] = []
        var pairs: [RepeatConsumption.Pair] = []
        occasions.reserveCapacity(training.userCount)
        for user in 0..<min(training.userCount, sequences.userCount) {
            let range = sequences.range(of: user)
            let own = range.map { p in
                (item: sequences.items[p], kind: sequences.kinds[Int(sequences.kindCodes[p])],
                 timestamp: sequences.timestamps?[p] ?? Int64(p - range.lowerBound))
            }
            let end = own.map(\.timestamp).max() ?? 0
            // One pass: the pairs the statistics learn from are also the user's occasions.
            let userPairs = RepeatConsumption.pairs(of: own, observedUntil: end, kinds: kinds)
            occasions.append(userPairs.map(RepeatConsumption.Occasions.init(pair:)))
            ends.append(end)
            pairs += userPairs
        }
        self.occasions = occasions
        self.ends = ends
        statistics = RepeatConsumption(pairs: pairs, kinds: kinds)
    }

    public func recommend(for user: UserIndex, count: Int, filter: ItemFilter) -> [ScoredItem] {
        guard user >= 0, Int(user) < ends.count else { return [] }
        return rank(user, now: ends[Int(user)], count: count, filter: filter)
    }

    public func recommendAll(users: [UserIndex], times: [Int64], count: Int, filter: ItemFilter, threads: Int) -> [[ScoredItem]] {
        let results = ResultSlots<[ScoredItem]>(count: users.count, initial: [])
        Parallel.forEach(0..<users.count, threads: threads) { k in
            let user = users[k]
            guard user >= 0, Int(user) < ends.count else { return }
            // Without timestamps a request time means nothing: rank as of the user's end.
            let now = timed && k < times.count ? times[k] : ends[Int(user)]
            results[k] = rank(user, now: now, count: count, filter: filter)
        }
        return results.values
    }

    private func rank(_ user: UserIndex, now: Int64, count: Int, filter: ItemFilter) -> [ScoredItem] {
        guard !filter.excludeHistory else { return [] }
        let ranked = statistics.rank(occasions[Int(user)], now: now, count: Int.max)
        var result: [ScoredItem] = []
        for entry in ranked where filter.admits(entry.item) {
            result.append(ScoredItem(item: entry.item, score: Float(entry.score)))
            if result.count >= count { break }
        }
        return result
    }
}
