import TacitCore

/// A fixed list of items to rank among (`--candidates`): a campaign's items, or new items for a
/// cold-start evaluation.
///
/// Results are in **candidate positions** (`0 ..< count`, the order of the candidates file), not
/// training indices, so that a candidate the model never trained on has a place too. Training
/// items among the candidates are ranked by the model's own scores; the others are scored from
/// their attributes by feature-aware models (``ColdItemScoring``: content, hybrid, two-tower) on
/// the same scale, and never ranked by models without that capability.
public struct CandidateSet: Sendable {
    /// The candidates, in file order (duplicates removed, first kept).
    public let records: [ItemRecord]
    /// Per candidate: its training index, or `nil` for an item the training data does not hold.
    public let trainingIndex: [ItemIndex?]
    /// Per training item: its candidate position, or -1.
    private let position: [Int32]
    /// Positions of the candidates outside the training data.
    public let coldPositions: [Int]

    /// Places `records` against the training items of `training`.
    public init(records: [ItemRecord], training: InteractionMatrix) {
        var seen = Set<ItemID>()
        let unique = records.filter { seen.insert($0.id).inserted }
        var position = [Int32](repeating: -1, count: training.itemCount)
        var indices: [ItemIndex?] = []
        var cold: [Int] = []
        for (p, record) in unique.enumerated() {
            let index = training.items.index(of: record.id)
            indices.append(index)
            if let index { position[Int(index)] = Int32(p) } else { cold.append(p) }
        }
        self.records = unique
        self.trainingIndex = indices
        self.position = position
        self.coldPositions = cold
    }

    /// Number of candidates.
    public var count: Int { records.count }

    /// The candidate position of training item `item`, if it is a candidate.
    public func position(ofTrainingItem item: ItemIndex) -> Int? {
        guard item >= 0, Int(item) < position.count, position[Int(item)] >= 0 else { return nil }
        return Int(position[Int(item)])
    }

    /// Whether `model` can score the candidates outside its training data.
    public func scoresColdItems(_ model: any Recommender) -> Bool { coldPositions.isEmpty || model is any ColdItemScoring }

    /// The filter that admits only candidates (and, as always, excludes the user's history).
    public var filter: ItemFilter {
        let position = self.position
        return ItemFilter(excludeHistory: true, allowed: { item in item >= 0 && Int(item) < position.count && position[Int(item)] >= 0 })
    }

    /// The top `count` candidates for each of `users` (training indices), best first, as
    /// candidate positions.
    public func rank(_ model: any Recommender, users: [UserIndex], count: Int, threads: Int) -> [[ScoredItem]] {
        let known = model.recommendAll(users: users, count: count, filter: filter, threads: threads)
        let cold = model as? any ColdItemScoring
        let coldRecords = coldPositions.map { records[$0] }
        return zip(users, known).map { user, list in
            let coldScores = cold.map { coldRecords.isEmpty ? [] : $0.scores(of: coldRecords, for: user) } ?? []
            return merge(list, coldScores: coldScores, count: count)
        }
    }

    /// The top `count` candidates for a user known by their weighted `history` (fold-in).
    public func rank(_ model: any FoldIn, history: SparseVector, count: Int) -> [ScoredItem] {
        let known = model.recommend(history: history, count: count, filter: filter)
        let coldRecords = coldPositions.map { records[$0] }
        let coldScores = (model as? any ColdItemScoring).map { coldRecords.isEmpty ? [] : $0.scores(of: coldRecords, history: history) } ?? []
        return merge(known, coldScores: coldScores, count: count)
    }

    /// Known candidates (training indices) and cold scores, merged by score into positions.
    private func merge(_ known: [ScoredItem], coldScores: [Float], count: Int) -> [ScoredItem] {
        var merged = known.compactMap { scored in position(ofTrainingItem: scored.item).map { ScoredItem(item: ItemIndex($0), score: scored.score) } }
        for (k, score) in coldScores.enumerated() where score.isFinite {
            merged.append(ScoredItem(item: ItemIndex(coldPositions[k]), score: score))
        }
        merged.sort { $0.score != $1.score ? $0.score > $1.score : $0.item < $1.item }
        if merged.count > count { merged.removeSubrange(count...) }
        return merged
    }
}
