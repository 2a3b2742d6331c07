import Foundation
import TacitCore

/// Trains item-based k-nearest-neighbours (Sarwar et al. 2001; Deshpande & Karypis 2004).
///
/// Each item keeps its `neighbors` most similar items; a user's score for item `i` is
/// `Σ_j r_uj · d_uj · sim(j, i)` over the items `j` of their history, where `d_uj` optionally
/// discounts older history items (`recency`; a next-item view of the data). Similarities are computed sparsely
/// from co-occurrences, in parallel over items.
///
/// Entry weighting and similarity:
/// - `cosine`: `sim(i, j) = x_i·x_j / (‖x_i‖^(2α) ‖x_j‖^(2(1-α)) + shrinkage)` on confidences
///   (α = 0.5 is plain cosine; other α is Aiolli's asymmetric cosine).
/// - `tfidf`: entries `√r · idf(user)` with `idf(u) = log(items) - log(1 + |u|)`, then the same
///   normalised similarity.
/// - `bm25`: entries `r (k1 + 1) / (k1 · lengthNorm(item) + r) · idf(user)`, similarity the raw
///   dot product divided by `1 + shrinkage` (as the `implicit` library's BM25Recommender).
public struct ItemKNN: Trainer {
    /// Typed configuration with documented defaults.
    public struct Configuration: Sendable, Equatable {
        /// The similarity and entry weighting.
        public enum Similarity: String, Sendable, CaseIterable { case cosine, tfidf, bm25 }
        /// Neighbours kept per item. Default 100.
        public var neighbors: Int = 100
        /// Default ``Similarity/cosine``.
        public var similarity: Similarity = .cosine
        /// Added to the similarity denominator, damping pairs with little support. Default 0.
        public var shrinkage: Double = 0
        /// Asymmetry of the normalisation (0.5 = cosine). Default 0.5.
        public var alpha: Double = 0.5
        /// BM25 term saturation. Default 1.2.
        public var bm25K1: Double = 1.2
        /// BM25 length normalisation. Default 0.75.
        public var bm25B: Double = 0.75
        /// History recency half-life, in events: a history item with `n` newer events behind it
        /// weighs `0.5^(n / recency)` when scoring (needs timestamps). `0` (default) = off.
        public var recency: Double = 0
        /// Worker threads. Default: all cores.
        public var threads: Int = Parallel.defaultThreads

        public init() {}

        /// Checks ranges; throws naming the field.
        public func validate() throws(TacitError) {
            guard neighbors >= 1 else { throw .invalidArgument("itemknn: neighbors must be >= 1, got \(neighbors)") }
            guard shrinkage >= 0 else { throw .invalidArgument("itemknn: shrinkage must be >= 0, got \(shrinkage)") }
            guard (0...1).contains(alpha) else { throw .invalidArgument("itemknn: alpha must be in 0...1, got \(alpha)") }
            guard recency >= 0 else { throw .invalidArgument("itemknn: recency must be >= 0, got \(recency)") }
            guard bm25K1 > 0, (0...1).contains(bm25B) else { throw .invalidArgument("itemknn: bm25_k1 must be > 0 and bm25_b in 0...1") }
        }
    }

    public let configuration: Configuration

    public init(_ configuration: Configuration = .init()) { self.configuration = configuration }

    /// - Complexity: O(Σ_u |u|²) time, O(items · neighbors) memory for the result.
    public func fit(_ data: InteractionMatrix, observer: some TrainingObserver) async throws -> ItemKNNModel {
        try configuration.validate()
        let weighted = weightedMatrix(data)
        let config = configuration
        let itemCount = data.itemCount
        let norms = (0..<itemCount).map { item -> Double in
            weighted.column(item).values.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
        }
        let lists = ResultSlots<[ScoredItem]>(count: itemCount, initial: [])
        Parallel.forEach(0..<itemCount, threads: config.threads, makeState: {
            NeighborScratch(accumulator: Array(repeating: 0, count: itemCount), marked: Array(repeating: false, count: itemCount), touched: [])
        }) { (scratch: inout NeighborScratch, j: Int) in
            let column = weighted.column(j)
            for (k, u) in column.users.enumerated() {
                let wj = column.values[k]
                let row = weighted.row(Int(u))
                for (m, i) in row.items.enumerated() {
                    if !scratch.marked[Int(i)] { scratch.marked[Int(i)] = true; scratch.touched.append(i) }
                    scratch.accumulator[Int(i)] += wj * row.values[m]
                }
            }
            var top = TopK(config.neighbors)
            for i in scratch.touched {
                let dot = Double(scratch.accumulator[Int(i)])
                scratch.accumulator[Int(i)] = 0
                scratch.marked[Int(i)] = false
                guard Int(i) != j, dot > 0 else { continue }
                let similarity: Double
                switch config.similarity {
                case .bm25: similarity = dot / (1 + config.shrinkage)
                case .cosine, .tfidf:
                    let denominator = Foundation.pow(norms[j], 2 * config.alpha) * Foundation.pow(norms[Int(i)], 2 * (1 - config.alpha))
                    similarity = dot / (denominator + config.shrinkage)
                }
                top.insert(i, score: Float(similarity))
            }
            scratch.touched.removeAll(keepingCapacity: true)
            lists[j] = top.sorted()
        }
        var pointers = [Int](repeating: 0, count: itemCount + 1)
        var neighborItems: [Int32] = [], neighborScores: [Float] = []
        for j in 0..<itemCount {
            for entry in lists[j] { neighborItems.append(entry.item); neighborScores.append(entry.score) }
            pointers[j + 1] = neighborItems.count
        }
        observer.progress(step: 1, of: 1, message: "\(neighborItems.count) neighbour links for \(itemCount) items", values: [:])
        return ItemKNNModel(trainingData: data, neighborPointers: pointers, neighborItems: neighborItems,
                            neighborScores: neighborScores, recency: config.recency)
    }
}

/// Per-worker scratch space for the similarity pass.
private struct NeighborScratch {
    var accumulator: [Float]
    var marked: [Bool]
    var touched: [Int32]
}
