import CTacitKernels
import TacitCore
import TacitNeural

extension SASRecNetwork {
    /// Rows of logits computed at once: a block of about four million floats.
    static func logitRows(columns: Int) -> Int { max(1, min(256, 4_000_000 / max(1, columns))) }

    /// The cross-entropy of every row's next item after a training forward pass, writing `∂z`
    /// (`scale ·` the loss gradient) into `workspace.gradient` and the output layer's gradient of
    /// the item table into `gradients`. Returns the summed, unscaled loss.
    ///
    /// - Full softmax (`negatives` empty): `softmax(z_t Eᵀ)` over the whole catalogue, in blocks
    ///   of ``logitRows(columns:)`` rows (`Z Eᵀ`, `∂Z = G E`, `∂E += Gᵀ Z` by GEMM).
    ///   With `maskHistory`, row `t`'s logits of the items at rows `≤ t` of its sequence (the
    ///   inputs so far) are `-∞` unless equal to the target: probability and gradient 0.
    ///   With `bf16Table` (``prepareBF16Table(into:)``, on a CPU with AVX-512 BF16) the three
    ///   products round their operands to bfloat16 and sum in float, at twice the float rate.
    /// - Sampled softmax: the target against `negatives` (shared by the batch, drawn uniformly, so
    ///   no log-Q correction is needed); a negative equal to the row's target is masked out.
    ///   `negativeEmbeddings` holds their rows of `E` (`negatives.count x d`); their gradient is
    ///   summed over the pack before it is added to `E`'s rows.
    /// - Complexity: O(rows · columns · d) with columns = items or 1 + negatives.
    func outputLoss(_ pack: SASRecPack, workspace w: SASRecWorkspace, scale: Float, gradients: Gradients,
                    negatives: [Int32] = [], negativeEmbeddings: UnsafePointer<Float>? = nil, maskHistory: Bool = false,
                    bf16Table: UnsafePointer<UInt16>? = nil) -> Double {
        let d = dimension, rows = pack.count
        guard rows > 0 else { return 0 }
        let z = w.states.pointer, dz = w.gradient.pointer, logits = w.logits.pointer
        let e = itemEmbedding.values.pointer, dE = gradients.dense(itemEmbedding)
        var loss = 0.0
        if negatives.isEmpty {
            let columns = shape.items, block = Self.logitRows(columns: columns)
            if bf16Table != nil {
                w.bf16Scratch.reserve((tacit_bf16_scratch_count(block, columns, d) + 1) / 2)
                w.bf16Floats.reserve(tacit_bf16_float_scratch_count(columns, d))
            }
            let scratch = UnsafeMutableRawPointer(w.bf16Scratch.pointer).assumingMemoryBound(to: UInt16.self)
            pack.targets.withUnsafeBufferPointer { targets in
                var start = 0, sequence = 0
                while start < rows {
                    let m = min(block, rows - start), zr = z + start * d
                    if let table = bf16Table {
                        tacit_bf16_logits(zr, m, d, table, columns, logits, scratch)
                    } else {
                        LinearAlgebra.gemm(transposeB: true, m: m, n: columns, k: d, a: zr, lda: d, b: e, ldb: d, c: logits, ldc: columns)
                    }
                    if maskHistory {
                        for r in start..<(start + m) {
                            while pack.offsets[sequence + 1] <= r { sequence += 1 }
                            let row = logits + (r - start) * columns, target = targets[r]
                            for j in pack.offsets[sequence]...r where pack.items[j] != target { row[Int(pack.items[j])] = -.infinity }
                        }
                    }
                    loss += SoftmaxCrossEntropy.lossAndGradient(logits: logits, rows: m, columns: columns, labels: targets.baseAddress! + start,
                                                                scale: scale)
                    if let table = bf16Table {
                        tacit_bf16_output_gradients(logits, m, columns, table, zr, d, dz + start * d, dE, scratch, w.bf16Floats.pointer)
                    } else {
                        LinearAlgebra.gemm(m: m, n: d, k: columns, a: logits, lda: columns, b: e, ldb: d, c: dz + start * d, ldc: d)
                        LinearAlgebra.gemm(transposeA: true, m: columns, n: d, k: m, a: logits, lda: columns, b: zr, ldb: d, beta: 1, c: dE, ldc: d)
                    }
                    start += m
                }
            }
            return loss
        }
        // Sampled: column 0 is the row's target, columns 1... the shared negatives.
        let count = negatives.count, columns = count + 1, block = Self.logitRows(columns: columns)
        w.negativeGradient.reserve(count * d)
        let negativeGradient = w.negativeGradient.pointer
        negativeGradient.update(repeating: 0, count: count * d)
        let labels = [Int32](repeating: 0, count: block)
        var start = 0
        while start < rows {
            let m = min(block, rows - start), zr = z + start * d
            LinearAlgebra.gemm(transposeB: true, m: m, n: count, k: d, a: zr, lda: d, b: negativeEmbeddings!, ldb: d, c: logits + 1, ldc: columns)
            for r in 0..<m {
                let target = pack.targets[start + r], row = logits + r * columns
                row[0] = LinearAlgebra.dot(zr + r * d, e + Int(target) * d, count: d)
                for j in 0..<count where negatives[j] == target { row[j + 1] = -.infinity }
            }
            loss += labels.withUnsafeBufferPointer {
                SoftmaxCrossEntropy.lossAndGradient(logits: logits, rows: m, columns: columns, labels: $0.baseAddress!, scale: scale)
            }
            for r in 0..<m {
                let row = logits + r * columns, target = Int(pack.targets[start + r])
                // Masked columns have gradient 0 (their probability is 0).
                let zrow = zr + r * d, dzrow = dz + (start + r) * d
                for c in 0..<d { dzrow[c] = row[0] * e[target * d + c] }
                LinearAlgebra.axpy(row[0], zrow, dE + target * d, count: d)
            }
            LinearAlgebra.gemm(m: m, n: d, k: count, a: logits + 1, lda: columns, b: negativeEmbeddings!, ldb: d, beta: 1, c: dz + start * d, ldc: d)
            LinearAlgebra.gemm(transposeA: true, m: count, n: d, k: m, a: logits + 1, lda: columns, b: zr, ldb: d, beta: 1,
                               c: negativeGradient, ldc: d)
            start += m
        }
        for (j, item) in negatives.enumerated() { LinearAlgebra.axpy(1, negativeGradient + j * d, dE + Int(item) * d, count: d) }
        return loss
    }

    /// Whether this CPU runs the bf16 output layer (AVX-512 BF16).
    static var bf16Available: Bool { tacit_has_bf16() != 0 }

    /// Rounds the item table to bfloat16 in the layouts of the bf16 output layer (once per
    /// optimizer step, shared read-only by the workers); `false` where the CPU lacks AVX-512 BF16.
    func prepareBF16Table(into buffer: inout FloatBuffer) -> Bool {
        guard Self.bf16Available else { return false }
        let count = (tacit_bf16_table_count(shape.items, dimension) + 1) / 2
        if buffer.count < count { buffer = FloatBuffer(count: count) }
        tacit_bf16_prepare_table(itemEmbedding.values.pointer, shape.items, dimension,
                                 UnsafeMutableRawPointer(buffer.pointer).assumingMemoryBound(to: UInt16.self))
        return true
    }
}
