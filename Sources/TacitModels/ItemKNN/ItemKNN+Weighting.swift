import Foundation
import TacitCore

extension ItemKNN {
    /// The training matrix with each entry re-weighted for the configured similarity.
    func weightedMatrix(_ data: InteractionMatrix) -> InteractionMatrix {
        switch configuration.similarity {
        case .cosine:
            return data
        case .tfidf:
            let idf = userIDF(data)
            return reweighted(data) { user, _, value in value.squareRoot() * idf[user] }
        case .bm25:
            let idf = userIDF(data)
            let lengths = (0..<data.itemCount).map { Double(data.column($0).values.reduce(0, +)) }
            let average = max(lengths.reduce(0, +) / Double(max(lengths.count, 1)), .leastNonzeroMagnitude)
            let k1 = configuration.bm25K1, b = configuration.bm25B
            let norm = lengths.map { Float((1 - b) + b * $0 / average) }
            return reweighted(data) { user, item, value in
                value * Float(k1 + 1) / (Float(k1) * norm[item] + value) * idf[user]
            }
        }
    }

    /// `idf(u) = log(items) - log(1 + |u|)`, floored at a small positive value so no user vanishes.
    private func userIDF(_ data: InteractionMatrix) -> [Float] {
        let items = Double(max(data.itemCount, 1))
        return (0..<data.userCount).map { user in
            Float(max(Foundation.log(items) - Foundation.log1p(Double(data.rowLength(user))), 1e-3))
        }
    }

    private func reweighted(_ data: InteractionMatrix, _ weight: (Int, Int, Float) -> Float) -> InteractionMatrix {
        var values = [Float](repeating: 0, count: data.nnz)
        for user in 0..<data.userCount {
            for k in data.rowPointers[user]..<data.rowPointers[user + 1] {
                values[k] = weight(user, Int(data.columnIndices[k]), data.values[k])
            }
        }
        return InteractionMatrix(users: data.users, items: data.items, rowPointers: data.rowPointers,
                                 columnIndices: data.columnIndices, values: StorageBuffer(values), timestamps: nil)
    }
}

extension ItemKNN {
    /// `itemknn`: documented parameters and tuning ranges.
    public static let descriptor = ModelDescriptor(
        name: "itemknn", summary: "Item-based k-nearest neighbours (cosine, TF-IDF or BM25)",
        parameters: [
            ParameterSpec("neighbors", "similar items kept per item", domain: .integer(valid: 1...100_000, search: 5...1000, log: true), default: .integer(100)),
            ParameterSpec("similarity", "entry weighting and similarity", domain: .choice(Configuration.Similarity.allCases.map(\.rawValue)), default: .choice("cosine")),
            ParameterSpec("shrinkage", "added to the similarity denominator", domain: .real(valid: 0...1e6, search: 0...100, log: false), default: .real(0)),
            ParameterSpec("alpha", "normalisation asymmetry (0.5 = cosine)", domain: .real(valid: 0...1, search: 0...1, log: false), default: .real(0.5), when: ("similarity", ["cosine", "tfidf"])),
            ParameterSpec("recency", "history half-life in events (0 = off)", domain: .real(valid: 0...1e6, search: 0.3...300, log: true), default: .real(0)),
            ParameterSpec("bm25_k1", "BM25 saturation", domain: .real(valid: 1e-6...1e6, search: 0.1...100, log: true), default: .real(1.2), when: ("similarity", ["bm25"])),
            ParameterSpec("bm25_b", "BM25 length normalisation", domain: .real(valid: 0...1, search: 0...1, log: false), default: .real(0.75), when: ("similarity", ["bm25"])),
        ],
        modelType: ItemKNNModel.self
    ) { parameters, options throws(TacitError) in
        var configuration = Configuration()
        configuration.neighbors = parameters.integer("neighbors")
        configuration.similarity = Configuration.Similarity(rawValue: parameters.choice("similarity")) ?? .cosine
        configuration.shrinkage = parameters.real("shrinkage")
        configuration.alpha = parameters.real("alpha")
        configuration.recency = parameters.real("recency")
        configuration.bm25K1 = parameters.real("bm25_k1")
        configuration.bm25B = parameters.real("bm25_b")
        configuration.threads = options.threads
        try configuration.validate()
        return AnyTrainer(ItemKNN(configuration))
    }
}
