import Foundation
import TacitCore
import TacitNeural

/// One training step of the two towers on a batch: forward, in-batch softmax loss, backward.
///
/// For a batch of `B` examples `(u_r, i_r)` and `M` extra negatives, the logits are
/// `s_rj = q_r · c_j / τ − log Q_j` over the `B + M` candidate columns, where `log Q_j` is the
/// log-Q correction (Yi et al. 2019, "Sampling-Bias-Corrected Neural Modeling for Large Corpus
/// Item Recommendations"): the log of the expected number of times item `j` appears as a column,
/// `B · p_j + M / items` with `p_j` its frequency among the examples. Columns holding the row's own
/// label item other than the label itself are accidental hits and are masked out. The loss is the
/// mean softmax cross-entropy with label `r` in row `r`.
///
/// Three parallel phases (forward; logits, loss and query backward; candidate backward) split
/// their rows across the workers of a ``DataParallel``; a phase writes only its own rows of the
/// shared activation buffers, and gradients go to the worker's own ``Gradients``.
final class TwoTowerStep: @unchecked Sendable {
    // `@unchecked`: the activation buffers are written at disjoint rows within a phase and read
    // only in later phases (see the type's documentation).
    let network: TwoTowerNetwork
    let histories: TwoTowerHistories
    let items: TwoTowerFeatures.Items
    let userBags: TwoTowerFeatures.Bags
    let temperature: Float
    /// `log Q` of each item.
    let logQ: [Float]
    let capacity: Int
    let negatives: Int
    private let qIn, qPre, qNorm, q, dQ, dQIn: FloatBuffer
    private let cIn, cPre, cNorm, c, dC, dCIn: FloatBuffer
    private let logits: FloatBuffer
    private let labels: [Int32]

    init(network: TwoTowerNetwork, histories: TwoTowerHistories, items: TwoTowerFeatures.Items, userBags: TwoTowerFeatures.Bags,
         temperature: Float, batchSize: Int, negatives: Int, logQCorrection: Bool) {
        self.network = network
        self.histories = histories
        self.items = items
        self.userBags = userBags
        self.temperature = temperature
        capacity = batchSize
        self.negatives = negatives
        let itemCount = max(1, network.shape.items)
        var counts = [Int](repeating: 0, count: itemCount)
        for i in histories.items { counts[Int(i)] += 1 }
        let total = Double(max(1, histories.items.count))
        logQ = counts.map { logQCorrection ? Float(log(Double(batchSize) * Double($0) / total + Double(negatives) / Double(itemCount))) : 0 }
        let d = network.dimension, qW = network.queryLayout.width, cW = network.candidateLayout.width, n = batchSize + negatives
        (qIn, qPre, qNorm, q) = (FloatBuffer(count: batchSize * qW), FloatBuffer(count: batchSize * d), FloatBuffer(count: batchSize), FloatBuffer(count: batchSize * d))
        (dQ, dQIn) = (FloatBuffer(count: batchSize * d), FloatBuffer(count: batchSize * qW))
        (cIn, cPre, cNorm, c) = (FloatBuffer(count: n * cW), FloatBuffer(count: n * d), FloatBuffer(count: n), FloatBuffer(count: n * d))
        (dC, dCIn) = (FloatBuffer(count: n * d), FloatBuffer(count: n * cW))
        logits = FloatBuffer(count: batchSize * n)
        labels = (0..<Int32(batchSize)).map { $0 }
    }

    /// The query inputs of example `e`; `hidden` leaves out its user id and history (the query
    /// then sees the user's attributes alone, as a new user's does).
    @inline(__always)
    func withQuery<R>(example e: Int, hidden: Bool = false, _ body: (TwoTowerNetwork.Query) -> R) -> R {
        let lo = Int(histories.starts[e]), u = Int(histories.users[e])
        let hi = hidden ? lo : Int(histories.ends[e])
        return histories.query(user: u, entries: lo..<hi, withUser: !hidden, attributes: userBags, body)
    }

    /// Runs forward and backward on `batch` (example indices) with extra negative items
    /// `extra`; `dropped[j]` leaves out column `j`'s id embedding; `hidden[r]` (when given) leaves
    /// out row `r`'s user id and history. Gradients (of the mean loss)
    /// accumulate in `parallel`'s workers.
    /// - Returns: the summed loss of the batch's rows.
    /// - Complexity: O(B · (history length + B + M) · dimension + (B + M) · widths · dimension).
    func run(batch: [Int32], extra: [Int32], dropped: [Bool], hidden: [Bool] = [], parallel: DataParallel) -> Double {
        let b = batch.count, n = b + extra.count
        precondition(b <= capacity && extra.count == negatives && dropped.count == n && (hidden.isEmpty || hidden.count == b),
                     "batch does not fit the step's buffers")
        let hides = hidden.isEmpty ? [Bool](repeating: false, count: b) : hidden
        let columns = batch.map { histories.items[Int($0)] } + extra
        let d = network.dimension, qW = network.queryLayout.width, cW = network.candidateLayout.width, net = network
        let inverseTemperature = 1 / temperature, scale = 1 / Float(b)
        let losses = ResultSlots<Double>(count: parallel.threads, initial: 0)
        // 1. Both towers forward: each worker embeds its block of queries and of candidates.
        parallel.runWorkers { worker in
            let rows = parallel.rows(b, worker: worker), lo = rows.lowerBound
            for r in rows { self.withQuery(example: Int(batch[r]), hidden: hides[r]) { net.queryInput($0, into: self.qIn.pointer + r * qW) } }
            net.head(net.queryDense, input: self.qIn.pointer + lo * qW, rows: rows.count, pre: self.qPre.pointer + lo * d,
                     norms: self.qNorm.pointer + lo, into: self.q.pointer + lo * d)
            let columnRows = parallel.rows(n, worker: worker), clo = columnRows.lowerBound
            for r in columnRows { net.candidateInput(self.items, Int(columns[r]), dropID: dropped[r], into: self.cIn.pointer + r * cW) }
            net.head(net.candidateDense, input: self.cIn.pointer + clo * cW, rows: columnRows.count, pre: self.cPre.pointer + clo * d,
                     norms: self.cNorm.pointer + clo, into: self.c.pointer + clo * d)
        }
        // 2. Per block of rows: logits, log-Q correction, accidental-hit mask, softmax
        //    cross-entropy; then ∂q = ∂s · C / τ and the query tower's backward pass.
        parallel.runWorkers { worker in
            let rows = parallel.rows(b, worker: worker), lo = rows.lowerBound, gradients = parallel.workers[worker]
            guard !rows.isEmpty else { return }
            let s = self.logits.pointer + lo * n
            LinearAlgebra.gemm(transposeB: true, m: rows.count, n: n, k: d, alpha: inverseTemperature, a: self.q.pointer + lo * d, lda: d,
                               b: self.c.pointer, ldb: d, c: s, ldc: n)
            self.logQ.withUnsafeBufferPointer { logQ in
                for r in rows {
                    let row = self.logits.pointer + r * n, label = columns[r]
                    for j in 0..<n {
                        row[j] = columns[j] == label && j != r ? -.infinity : row[j] - logQ[Int(columns[j])]
                    }
                }
            }
            losses[worker] = self.labels.withUnsafeBufferPointer {
                SoftmaxCrossEntropy.lossAndGradient(logits: s, rows: rows.count, columns: n, labels: $0.baseAddress! + lo, scale: scale)
            }
            LinearAlgebra.gemm(m: rows.count, n: d, k: n, alpha: inverseTemperature, a: s, lda: n,
                               b: self.c.pointer, ldb: d, c: self.dQ.pointer + lo * d, ldc: d)
            net.headBackward(net.queryDense, input: self.qIn.pointer + lo * qW, output: self.q.pointer + lo * d, norms: self.qNorm.pointer + lo,
                             rows: rows.count, dOutput: self.dQ.pointer + lo * d, dInput: self.dQIn.pointer + lo * qW, gradients: gradients)
            for r in rows {
                self.withQuery(example: Int(batch[r]), hidden: hides[r]) {
                    net.queryInputBackward($0, gradient: self.dQIn.pointer + r * qW, gradients: gradients)
                }
            }
        }
        // 3. Candidate gradient ∂c = ∂sᵀ · Q / τ (needs every row's ∂s), then the candidate tower's backward pass.
        parallel.runWorkers { worker in
            let rows = parallel.rows(n, worker: worker), lo = rows.lowerBound, gradients = parallel.workers[worker]
            guard !rows.isEmpty else { return }
            LinearAlgebra.gemm(transposeA: true, m: rows.count, n: d, k: b, alpha: inverseTemperature, a: self.logits.pointer + lo, lda: n,
                               b: self.q.pointer, ldb: d, c: self.dC.pointer + lo * d, ldc: d)
            net.headBackward(net.candidateDense, input: self.cIn.pointer + lo * cW, output: self.c.pointer + lo * d, norms: self.cNorm.pointer + lo,
                             rows: rows.count, dOutput: self.dC.pointer + lo * d, dInput: self.dCIn.pointer + lo * cW, gradients: gradients)
            for r in rows {
                net.candidateInputBackward(self.items, Int(columns[r]), dropID: dropped[r], gradient: self.dCIn.pointer + r * cW, gradients: gradients)
            }
        }
        return losses.values.reduce(0, +)
    }
}
