import TacitCore
import TacitNeural

extension TwoTowerNetwork {
    /// Runs one tower over `count` rows without gradients: `fill(k, row)` writes row `k`'s
    /// concatenated input, `dense` and L2 normalisation follow, and each output is scaled by `scale`.
    /// Rows go in blocks of 256 across `threads` workers.
    /// - Returns: `count x dimension` embeddings, row-major.
    /// - Complexity: O(count · (input cost + width · dimension)).
    func embed(count: Int, width: Int, dense: Dense, scale: Float = 1, threads: Int,
               fill: @Sendable (Int, UnsafeMutablePointer<Float>) -> Void) -> StorageBuffer<Float> {
        let d = dimension, block = 256
        let output = UnsafeMutableBufferPointer<Float>.allocate(capacity: max(1, count * d))
        output.initialize(repeating: 0)
        let shared = SharedMutableBuffer(output)
        Parallel.forEach(0..<((count + block - 1) / block), threads: threads, chunk: 1, makeState: {
            (input: FloatBuffer(count: block * width), pre: FloatBuffer(count: block * d), norms: FloatBuffer(count: block))
        }) { state, b in
            let lo = b * block, rows = min(count, lo + block) - lo
            for r in 0..<rows { fill(lo + r, state.input.pointer + r * width) }
            let out = shared.base.baseAddress! + lo * d
            self.head(dense, input: state.input.pointer, rows: rows, pre: state.pre.pointer, norms: state.norms.pointer, into: out)
            if scale != 1 { for k in 0..<(rows * d) { out[k] *= scale } }
        }
        return StorageBuffer(adopting: UnsafeMutableBufferPointer(rebasing: output[0..<(count * d)]))
    }

    /// The candidate embeddings of encoded items (unit vectors).
    func candidateEmbeddings(_ items: TwoTowerFeatures.Items, threads: Int) -> StorageBuffer<Float> {
        embed(count: items.count, width: candidateLayout.width, dense: candidateDense, threads: threads) { k, row in
            self.candidateInput(items, k, dropID: false, into: row)
        }
    }

    /// The query embedding of one history and attribute bag (no user id), scaled by `scale`.
    func queryEmbedding(history: [Int32], weights: [Float], attributes: [Int32] = [], scale: Float) -> [Float] {
        let embedded = embed(count: 1, width: queryLayout.width, dense: queryDense, scale: scale, threads: 1) { _, row in
            history.withUnsafeBufferPointer { h in
                weights.withUnsafeBufferPointer { w in
                    attributes.withUnsafeBufferPointer { a in
                        self.queryInput(Query(user: (-1, -1), history: h, weights: w, attributes: a, rowsPerItem: self.hashesItems ? 2 : 1), into: row)
                    }
                }
            }
        }
        return embedded.array
    }
}
