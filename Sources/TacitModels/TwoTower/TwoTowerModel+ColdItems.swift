import TacitCore

extension TwoTowerModel: ColdItemScoring {
    /// Candidate embeddings of `records`: a training item's own embedding, else the candidate
    /// tower on its attributes alone (no id embedding; values outside the training vocabularies
    /// contribute zero). `items x dimension`, row-major.
    /// - Complexity: O(records · (tags + width) · dimension).
    public func embeddings(of records: [ItemRecord]) -> [Float] {
        let d = dimension
        var encoded = TwoTowerFeatures.Items()
        for record in records { features.append(record, id: (-1, -1), to: &encoded) }
        let cold = network.candidateEmbeddings(encoded, threads: 1)
        var result = [Float](repeating: 0, count: records.count * d)
        for (k, record) in records.enumerated() {
            let source = trainingData.items.index(of: record.id).map { scorer.vector(of: Int($0)) }
                ?? UnsafeBufferPointer(rebasing: cold.buffer[(k * d)..<((k + 1) * d)])
            for c in 0..<d { result[k * d + c] = source[c] }
        }
        return result
    }

    public func scores(of items: [ItemRecord], for user: UserIndex) -> [Float] {
        scores(items, query: Array(vector(of: user)))
    }

    public func scores(of items: [ItemRecord], history: SparseVector) -> [Float] {
        scores(items, query: foldIn(history))
    }

    /// Scores against the query of ``foldIn(_:attributes:)``; `-infinity` when it has none.
    public func scores(of items: [ItemRecord], history: SparseVector, attributes: UserRecord?) -> [Float] {
        guard let query = foldIn(history, attributes: attributes) else { return [Float](repeating: -.infinity, count: items.count) }
        return scores(items, query: query)
    }

    public func similarItems(to item: ItemRecord, count: Int, filter: ItemFilter) -> [ScoredItem] {
        let e = embeddings(of: [item]), d = dimension
        let own = trainingData.items.index(of: item.id)
        let norm = LinearAlgebra.dot(e, e, count: d).squareRoot()
        guard norm > 0, let base = scorer.itemFactors.buffer.baseAddress else { return [] }
        var top = TopK(count)
        for j in 0..<scorer.itemCount where ItemIndex(j) != own {
            let denominator = norm * scorer.itemNorms[j]
            let s = denominator > 0 ? LinearAlgebra.dot(e, base + j * d, count: d) / denominator : 0
            if let worst = top.threshold, s < worst.score { continue }
            if !filter.admits(ItemIndex(j)) { continue }
            top.insert(ItemIndex(j), score: s)
        }
        return top.sorted()
    }

    private func scores(_ items: [ItemRecord], query: [Float]) -> [Float] {
        let e = embeddings(of: items), d = dimension
        return (0..<items.count).map { k in e.withUnsafeBufferPointer { LinearAlgebra.dot(query, $0.baseAddress! + k * d, count: d) } }
    }
}
