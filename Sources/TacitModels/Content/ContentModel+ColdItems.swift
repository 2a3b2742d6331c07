import TacitCore

extension ContentModel: ColdItemScoring {
    /// The cosine of each record's profile (built with the fitted vocabulary, so records outside
    /// the training data work) with the history's profile, plus the record's weighted prior; the
    /// same scale as ``recommend(history:count:filter:)``.
    /// - Complexity: O(|history| features + Σ record terms).
    public func scores(of records: [ItemRecord], history: SparseVector) -> [Float] {
        let user = userProfile(history)
        return records.map { record in
            let vector = featurizer.vector(record)
            return Self.dot(vector, user) + prior(of: vector)
        }
    }

    /// The cosine of each record's profile with a training user's profile (their history, with
    /// the model's recency discount), plus the record's weighted prior.
    public func scores(of records: [ItemRecord], for user: UserIndex) -> [Float] {
        let row = trainingData.row(Int(user))
        let profile = userProfile(items: row.items, weights: row.values, timestamps: trainingData.rowTimestamps(Int(user)))
        return records.map { record in
            let vector = featurizer.vector(record)
            return Self.dot(vector, profile) + prior(of: vector)
        }
    }

    /// The training items whose profiles are closest (cosine) to the record's profile; never the
    /// record's own item when it is a training item.
    public func similarItems(to record: ItemRecord, count: Int, filter: ItemFilter) -> [ScoredItem] {
        let own = trainingData.items.index(of: record.id)
        let profile = featurizer.vector(record)
        var top = TopK(count)
        profile.indices.withUnsafeBufferPointer { features in
            profile.values.withUnsafeBufferPointer { values in
                withScores(features: features, values: values) { scores, touched in
                    for i in touched where i != own && scores[Int(i)] > 0 && filter.admits(i) { top.insert(i, score: scores[Int(i)]) }
                }
            }
        }
        return top.sorted()
    }

    /// The unit-length profile of any catalogue record, in the fitted feature space.
    public func profile(of record: ItemRecord) -> SparseVector { featurizer.vector(record) }

    /// The dot product of two sparse vectors with sorted indices. - Complexity: O(|a| + |b|).
    static func dot(_ a: SparseVector, _ b: SparseVector) -> Float {
        var i = 0, j = 0, sum: Float = 0
        while i < a.count && j < b.count {
            if a.indices[i] == b.indices[j] { sum += a.values[i] * b.values[j]; i += 1; j += 1 }
            else if a.indices[i] < b.indices[j] { i += 1 } else { j += 1 }
        }
        return sum
    }
}

extension ContentModel: ItemPairSimilarity {
    /// The cosine of the two items' attribute profiles (0 when either has none).
    /// - Complexity: O(features of a + features of b).
    public func similarity(_ a: ItemIndex, _ b: ItemIndex) -> Float {
        guard a >= 0, b >= 0, Int(a) < profiles.userCount, Int(b) < profiles.userCount else { return 0 }
        let x = profiles.row(Int(a)), y = profiles.row(Int(b))
        var i = 0, j = 0, sum: Float = 0
        while i < x.items.count && j < y.items.count {
            if x.items[i] == y.items[j] { sum += x.values[i] * y.values[j]; i += 1; j += 1 }
            else if x.items[i] < y.items[j] { i += 1 } else { j += 1 }
        }
        return sum
    }
}
