import TacitCore
import TacitNeural

/// The SASRec network (Kang & McAuley 2018, "Self-Attentive Sequential Recommendation"):
///
/// - input: `x⁰_t = √d · E[item_t] + P[position_t] + K[kind_t]`, then dropout; `E` is the item
///   table (shared with the output), `P` learned positions, `K` one vector per event kind;
/// - `blocks` × { `a = LN₁(x)`; `Q = a W_Q`, `K = x W_K`, `V = x W_V` (queries from the
///   normalised input, keys and values from the raw one, as the paper's code);
///   `h = a + dropout(MultiHead(Q, K, V) W_O)` with causal ``CausalSelfAttention`` (dropout on
///   its weights); `c = LN₂(h)`; `x' = c + dropout(dropout(ReLU(c W₁)) W₂)` };
/// - final `z = LN(x)`; the score of item `i` after position `t` is `z_t · E[i]`.
///
/// The forward pass runs on a ``SASRecPack`` (sequences packed without padding); dense layers and
/// layer norms run on all rows at once, attention per sequence. Every backward pass is
/// hand-written and checked against finite differences in the tests.
final class SASRecNetwork: Sendable {
    /// The architecture.
    struct Shape: Sendable, Equatable {
        var items: Int
        var kinds: Int
        var maxLength: Int
        var dimension: Int
        var blocks: Int
        var heads: Int

        /// `[items, kinds, maxLength, dimension, blocks, heads]`, for archives.
        var integers: [Int64] { [items, kinds, maxLength, dimension, blocks, heads].map(Int64.init) }

        init(items: Int, kinds: Int, maxLength: Int, dimension: Int, blocks: Int, heads: Int) {
            self.items = items
            self.kinds = kinds
            self.maxLength = maxLength
            self.dimension = dimension
            self.blocks = blocks
            self.heads = heads
        }

        init?(integers: [Int64]) {
            guard integers.count == 6, integers.allSatisfy({ $0 >= 0 && $0 <= Int64(Int32.max) }) else { return nil }
            let v = integers.map(Int.init)
            guard v[2] >= 1, v[3] >= 1, v[4] >= 1, v[5] >= 1, v[3] % v[5] == 0 else { return nil }
            self.init(items: v[0], kinds: v[1], maxLength: v[2], dimension: v[3], blocks: v[4], heads: v[5])
        }
    }

    /// One self-attention block's layers.
    struct Block: Sendable {
        let norm1: LayerNorm
        let query: Dense, key: Dense, value: Dense, output: Dense
        let norm2: LayerNorm
        let feedForward1: Dense, feedForward2: Dense
    }

    let shape: Shape
    let parameters: ParameterSet
    let itemEmbedding: Parameter
    let positionEmbedding: Parameter
    let kindEmbedding: Parameter
    let blocks: [Block]
    let finalNorm: LayerNorm
    let attention: CausalSelfAttention
    /// Dropout after the input embedding, the attention projection and both feed-forward layers.
    let dropout: Dropout

    init(_ shape: Shape, dropout: Float, seed: UInt64) {
        self.shape = shape
        let d = shape.dimension
        let set = ParameterSet(seed: seed)
        // Dense kinds: the output layer gives every item row a gradient in every step.
        itemEmbedding = set.add("item", rows: max(1, shape.items), columns: d, initializer: .glorotUniform)
        positionEmbedding = set.add("position", rows: shape.maxLength, columns: d, initializer: .glorotUniform)
        kindEmbedding = set.add("kind", rows: max(1, shape.kinds), columns: d, initializer: .zeros)
        blocks = (0..<shape.blocks).map { b in
            Block(norm1: LayerNorm(set, name: "block\(b).norm1", width: d, epsilon: 1e-8),
                  query: Dense(set, name: "block\(b).query", inputs: d, outputs: d),
                  key: Dense(set, name: "block\(b).key", inputs: d, outputs: d),
                  value: Dense(set, name: "block\(b).value", inputs: d, outputs: d),
                  output: Dense(set, name: "block\(b).output", inputs: d, outputs: d),
                  norm2: LayerNorm(set, name: "block\(b).norm2", width: d, epsilon: 1e-8),
                  feedForward1: Dense(set, name: "block\(b).ff1", inputs: d, outputs: d),
                  feedForward2: Dense(set, name: "block\(b).ff2", inputs: d, outputs: d))
        }
        finalNorm = LayerNorm(set, name: "final", width: d, epsilon: 1e-8)
        parameters = set
        attention = CausalSelfAttention(width: d, heads: shape.heads, dropout: dropout)
        self.dropout = Dropout(rate: dropout)
    }

    var dimension: Int { shape.dimension }

    // MARK: - Forward

    /// Runs `pack` through the network into `workspace.states` (`rows x dimension`, the final
    /// states). With `training`, dropout masks are drawn from `random` and kept for
    /// ``backward(_:workspace:)``.
    /// - Complexity: O(rows · blocks · d² + Σ_s length_s² · blocks · d).
    func forward(_ pack: SASRecPack, workspace w: SASRecWorkspace, training: Bool, random: inout SeededGenerator,
                 logitColumns: Int = 0, logitRows: Int = 0) {
        let d = dimension, rows = pack.count, n = rows * d
        w.prepare(pack, dimension: d, heads: shape.heads, training: training, logitColumns: logitColumns, logitRows: logitRows)
        guard rows > 0 else { return }
        let scale = Float(d).squareRoot()
        let x0 = blocks.isEmpty ? w.output.pointer : w.blocks[0].input.pointer
        for r in 0..<rows {
            let row = x0 + r * d
            let item = Int(pack.items[r])
            let e = itemEmbedding.row(item), p = positionEmbedding.row(Int(pack.positions[r]))
            for c in 0..<d { row[c] = scale * e[c] + p[c] }
            let kind = Int(pack.kinds[r])
            if kind >= 0 && kind < kindEmbedding.rows { LinearAlgebra.axpy(1, kindEmbedding.row(kind), row, count: d) }
        }
        if training { dropout.forward(x0, count: n, mask: w.inputMask.pointer, random: &random, into: x0) }
        for (b, block) in blocks.enumerated() {
            let a = w.blocks[b]
            let next = b + 1 < blocks.count ? w.blocks[b + 1].input.pointer : w.output.pointer
            forwardBlock(block, pack, a, training: training, random: &random, into: next, workspace: w)
        }
        finalNorm.forward(w.output.pointer, rows: rows, into: w.states.pointer, normalized: w.finalNormalized.pointer,
                          inverseDeviations: w.finalDeviations.pointer)
    }

    private func forwardBlock(_ block: Block, _ pack: SASRecPack, _ a: SASRecWorkspace.Block, training: Bool, random: inout SeededGenerator,
                              into next: UnsafeMutablePointer<Float>, workspace w: SASRecWorkspace) {
        let d = dimension, rows = pack.count, n = rows * d
        let x = a.input.pointer
        block.norm1.forward(x, rows: rows, into: a.attended.pointer, normalized: a.normalized1.pointer, inverseDeviations: a.deviations1.pointer)
        block.query.forward(a.attended.pointer, rows: rows, into: a.queries.pointer)
        block.key.forward(x, rows: rows, into: a.keys.pointer)
        block.value.forward(x, rows: rows, into: a.values.pointer)
        let dropped = training ? a.dropped.pointer : a.weights.pointer
        for s in 0..<pack.sequenceCount {
            let o = pack.offsets[s] * d, wo = w.weightOffsets[s]
            attention.forward(queries: a.queries.pointer + o, keys: a.keys.pointer + o, values: a.values.pointer + o, length: pack.length(s),
                              weights: a.weights.pointer + wo, dropped: dropped + wo, random: &random, output: a.heads.pointer + o)
        }
        // h = a + dropout(heads W_O), kept in `middle` until the second norm overwrites it with c.
        let projected = next
        block.output.forward(a.heads.pointer, rows: rows, into: projected)
        if training { dropout.forward(projected, count: n, mask: a.outputMask.pointer, random: &random, into: projected) }
        LinearAlgebra.axpy(1, a.attended.pointer, projected, count: n)
        block.norm2.forward(projected, rows: rows, into: a.middle.pointer, normalized: a.normalized2.pointer, inverseDeviations: a.deviations2.pointer)
        block.feedForward1.forward(a.middle.pointer, rows: rows, into: a.hidden.pointer)
        let hidden = a.hidden.pointer
        for i in 0..<n where hidden[i] < 0 { hidden[i] = 0 }
        if training { dropout.forward(hidden, count: n, mask: a.hiddenMask.pointer, random: &random, into: hidden) }
        block.feedForward2.forward(hidden, rows: rows, into: next)
        if training { dropout.forward(next, count: n, mask: a.feedForwardMask.pointer, random: &random, into: next) }
        LinearAlgebra.axpy(1, a.middle.pointer, next, count: n)
    }

    // MARK: - Backward

    /// Accumulates every parameter's gradient into `gradients` from `∂z` (the gradient of the
    /// final states, in `workspace.gradient`), after a training ``forward(_:workspace:training:random:logitColumns:logitRows:)``
    /// of the same pack. Item-embedding rows also receive their input gradient here.
    /// - Complexity: as the forward pass.
    func backward(_ pack: SASRecPack, workspace w: SASRecWorkspace, gradients: Gradients) {
        let d = dimension, rows = pack.count, n = rows * d
        guard rows > 0 else { return }
        let dx = w.gradient.pointer
        finalNorm.backward(normalized: w.finalNormalized.pointer, inverseDeviations: w.finalDeviations.pointer, outputGradient: dx,
                           rows: rows, inputGradient: dx, gradients: gradients)
        for b in stride(from: blocks.count - 1, through: 0, by: -1) {
            backwardBlock(blocks[b], pack, w.blocks[b], gradient: dx, workspace: w, gradients: gradients)
        }
        // Input: x⁰ = dropout(√d E[item] + P[position] + K[kind]).
        let mask = w.inputMask.pointer
        for i in 0..<n { dx[i] *= mask[i] }
        let scale = Float(d).squareRoot()
        let dE = gradients.dense(itemEmbedding), dP = gradients.dense(positionEmbedding), dK = gradients.dense(kindEmbedding)
        for r in 0..<rows {
            let g = dx + r * d
            LinearAlgebra.axpy(scale, g, dE + Int(pack.items[r]) * d, count: d)
            LinearAlgebra.axpy(1, g, dP + Int(pack.positions[r]) * d, count: d)
            let kind = Int(pack.kinds[r])
            if kind >= 0 && kind < kindEmbedding.rows { LinearAlgebra.axpy(1, g, dK + kind * d, count: d) }
        }
    }

    /// Replaces `gradient` (`∂x'`, the block output's gradient) by `∂x` (its input's).
    private func backwardBlock(_ block: Block, _ pack: SASRecPack, _ a: SASRecWorkspace.Block, gradient dx: UnsafeMutablePointer<Float>,
                               workspace w: SASRecWorkspace, gradients: Gradients) {
        let d = dimension, rows = pack.count, n = rows * d
        let dc = w.gradientMiddle.pointer, t1 = w.scratch1.pointer, t2 = w.scratch2.pointer
        // x' = c + m₃ ⊙ (H W₂ + b₂), H = m₂ ⊙ ReLU(c W₁ + b₁).
        dc.update(from: dx, count: n)
        dropout.backward(mask: a.feedForwardMask.pointer, outputGradient: dx, count: n, into: t1)
        block.feedForward2.backward(input: a.hidden.pointer, outputGradient: t1, rows: rows, inputGradient: t2, gradients: gradients)
        let hidden = a.hidden.pointer, hiddenMask = a.hiddenMask.pointer
        for i in 0..<n { t2[i] = hidden[i] > 0 ? t2[i] * hiddenMask[i] : 0 }
        block.feedForward1.backward(input: a.middle.pointer, outputGradient: t2, rows: rows, inputGradient: t1, gradients: gradients)
        LinearAlgebra.axpy(1, t1, dc, count: n)
        // c = LN₂(h); h = a + m₁ ⊙ (O W_O + b_O).
        block.norm2.backward(normalized: a.normalized2.pointer, inverseDeviations: a.deviations2.pointer, outputGradient: dc, rows: rows,
                             inputGradient: dc, gradients: gradients)
        let da = w.gradientAttended.pointer
        da.update(from: dc, count: n)
        dropout.backward(mask: a.outputMask.pointer, outputGradient: dc, count: n, into: t1)
        block.output.backward(input: a.heads.pointer, outputGradient: t1, rows: rows, inputGradient: t2, gradients: gradients)
        let dq = w.queryGradient.pointer, dk = w.keyGradient.pointer, dv = w.valueGradient.pointer
        for s in 0..<pack.sequenceCount {
            let o = pack.offsets[s] * d, wo = w.weightOffsets[s]
            attention.backward(queries: a.queries.pointer + o, keys: a.keys.pointer + o, values: a.values.pointer + o, length: pack.length(s),
                               weights: a.weights.pointer + wo, dropped: a.dropped.pointer + wo, outputGradient: t2 + o,
                               queryGradient: dq + o, keyGradient: dk + o, valueGradient: dv + o, scratch: w.attentionScratch.pointer)
        }
        // Q = a W_Q + b_Q; K = x W_K + b_K; V = x W_V + b_V; a = LN₁(x).
        block.query.backward(input: a.attended.pointer, outputGradient: dq, rows: rows, inputGradient: t1, gradients: gradients)
        LinearAlgebra.axpy(1, t1, da, count: n)
        block.key.backward(input: a.input.pointer, outputGradient: dk, rows: rows, inputGradient: dx, gradients: gradients)
        block.value.backward(input: a.input.pointer, outputGradient: dv, rows: rows, inputGradient: t1, gradients: gradients)
        LinearAlgebra.axpy(1, t1, dx, count: n)
        block.norm1.backward(normalized: a.normalized1.pointer, inverseDeviations: a.deviations1.pointer, outputGradient: da, rows: rows,
                             inputGradient: da, gradients: gradients)
        LinearAlgebra.axpy(1, da, dx, count: n)
    }
}
