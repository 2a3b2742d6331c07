import TacitCore

extension HybridModel: ColdItemScoring {
    /// The hybrid's scores of `items` for a training user: each record placed in the user's blend
    /// as ``recommend(for:count:filter:)`` places a candidate (``coldScores(_:weight:collaborative:content:raw:)``).
    /// - Complexity: both parts' candidate lists plus content's scores of the records.
    public func scores(of items: [ItemRecord], for user: UserIndex) -> [Float] {
        let w = configuration.contentWeight(historyLength: trainingData.rowLength(Int(user))), n = max(1, configuration.candidates)
        return coldScores(items, weight: w,
                          collaborative: { collaborative.recommend(for: user, count: n, filter: .excludingHistory) },
                          content: { content.recommend(for: user, count: n, filter: .excludingHistory) },
                          raw: { content.scores(of: items, for: user) })
    }

    /// The same for a user known by a weighted history (fold-in).
    public func scores(of items: [ItemRecord], history: SparseVector) -> [Float] {
        let w = configuration.contentWeight(historyLength: history.count), n = max(1, configuration.candidates)
        return coldScores(items, weight: w,
                          collaborative: { collaborative.recommend(history: history, count: n, filter: .excludingHistory) },
                          content: { content.recommend(history: history, count: n, filter: .excludingHistory) },
                          raw: { content.scores(of: items, history: history) })
    }

    /// A training item's own blended similar items; for a new record, content's (the
    /// collaborative part knows nothing of it).
    public func similarItems(to item: ItemRecord, count: Int, filter: ItemFilter) -> [ScoredItem] {
        if let index = trainingData.items.index(of: item.id) { return similarItems(to: index, count: count, filter: filter) }
        return content.similarItems(to: item, count: count, filter: filter)
    }

    /// Each record's blended score, `(1 - w) · a + w · b`, on the scale of the hybrid's lists: `a`
    /// is its normalised collaborative score when the collaborative list holds it, else that
    /// list's value for an unlisted item (a new item is never in it); `b` is its normalised score
    /// in the content list, or its raw content score through that list's normalisation, no lower
    /// than the value of an unlisted item (a score below the list's lowest is unlisted: what the
    /// list gives a training item it leaves out). A part of weight 0 is not fetched and adds 0, as
    /// in ``ScoreBlend/combine(collaborative:content:contentWeight:count:)``.
    func coldScores(_ items: [ItemRecord], weight w: Float, collaborative: () -> [ScoredItem], content: () -> [ScoredItem],
                    raw: () -> [Float]) -> [Float] {
        let a = w < 1 ? collaborative() : [], b = w > 0 ? content() : []
        let scaleA = blend.scale(of: a), scaleB = blend.scale(of: b)
        let listedA = Dictionary(a.map { ($0.item, $0.score) }, uniquingKeysWith: { first, _ in first })
        let listedB = Dictionary(b.map { ($0.item, $0.score) }, uniquingKeysWith: { first, _ in first })
        let rawScores = w > 0 ? raw() : [Float](repeating: 0, count: items.count)
        return items.enumerated().map { k, record in
            let index = trainingData.items.index(of: record.id)
            let partA = a.isEmpty ? 0 : index.flatMap { listedA[$0] }.map(scaleA.place) ?? scaleA.missing
            let rawB = index.flatMap { listedB[$0] } ?? (k < rawScores.count ? rawScores[k] : -.infinity)
            let partB = b.isEmpty ? 0 : (rawB.isFinite ? max(scaleB.place(rawB), scaleB.missing) : scaleB.missing)
            return (1 - w) * partA + w * partB
        }
    }
}
