import TacitCore

/// A fitted popularity ranking: the same list for everyone, minus what each user already has.
///
/// It needs nothing about a user, so it ranks new users too (``UserAttributeScoring``, ignoring
/// their attributes).
public struct PopularityModel: FoldIn, UserAttributeScoring {
    public let trainingData: InteractionMatrix
    /// The score of every item.
    public let scores: [Float]
    /// Items in ranking order (score descending, ties by lower index).
    let ranking: [ItemIndex]

    public init(trainingData: InteractionMatrix, scores: [Float]) {
        self.trainingData = trainingData
        self.scores = scores
        ranking = (0..<Int32(scores.count)).sorted { ScoredItem.ranksBefore(ScoredItem(item: $0, score: scores[Int($0)]), ScoredItem(item: $1, score: scores[Int($1)])) }
    }

    /// - Complexity: O(count + skipped items), with a binary search per skipped candidate.
    public func recommend(for user: UserIndex, count: Int, filter: ItemFilter) -> [ScoredItem] {
        take(count, mask: CandidateMask(filter: filter, history: trainingData.row(Int(user)).items))
    }

    public func recommend(history: SparseVector, count: Int, filter: ItemFilter) -> [ScoredItem] {
        history.indices.withUnsafeBufferPointer { take(count, mask: CandidateMask(filter: filter, history: $0)) }
    }

    /// The popular list minus `history` (when the filter excludes it); `attributes` are ignored.
    public func recommend(history: SparseVector, attributes: UserRecord?, count: Int, filter: ItemFilter) -> [ScoredItem] {
        recommend(history: history, count: count, filter: filter)
    }

    private func take(_ count: Int, mask: CandidateMask) -> [ScoredItem] {
        var result: [ScoredItem] = []
        result.reserveCapacity(count)
        for item in ranking {
            if result.count >= count { break }
            if mask.admits(item) { result.append(ScoredItem(item: item, score: scores[Int(item)])) }
        }
        return result
    }
}
