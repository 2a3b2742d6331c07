import Testing
import TacitCore
@testable import TacitNeural

/// A small classifier (embedding bag → dense → ReLU → dense → softmax cross-entropy) trained
/// data-parallel: the toolkit's pieces composed the way a model uses them.
@Suite struct DataParallelTests {
    /// Trains `steps` batches of 16 examples with `threads` workers and returns the parameters and losses.
    func train(threads: Int, steps: Int = 30, seed: UInt64 = 7) -> (parameters: [[Float]], losses: [Double]) {
        let set = ParameterSet(seed: seed)
        let embedding = Embedding(set, name: "tokens", rows: 12, dimension: 8, scale: 0.5)
        let hidden = Dense(set, name: "hidden", inputs: 8, outputs: 8), output = Dense(set, name: "output", inputs: 8, outputs: 3)
        let adam = Adam(Adam.Configuration(learningRate: 0.05), parameters: set, threads: threads)
        let parallel = DataParallel(set, threads: threads)
        let batch = 16
        let pooled = FloatBuffer(count: batch * 8), pre = FloatBuffer(count: batch * 8), act = FloatBuffer(count: batch * 8)
        let logits = FloatBuffer(count: batch * 3), dAct = FloatBuffer(count: batch * 8), dPooled = FloatBuffer(count: batch * 8)
        var random = SeededGenerator(seed: seed)
        var losses: [Double] = []
        for _ in 0..<steps {
            // An example's 3 tokens all belong to its class (token mod 3).
            let labels: [Int32] = (0..<batch).map { _ in Int32(random.next() % 3) }
            let bags: [[Int32]] = labels.map { c in (0..<3).map { _ in c + 3 * Int32(random.next() % 4) } }
            let slots = ResultSlots<Double>(count: threads, initial: 0)
            parallel.run(rows: batch) { worker, rows in
                let lo = rows.lowerBound, n = rows.count, g = parallel.workers[worker]
                for r in rows { _ = bags[r].withUnsafeBufferPointer { embedding.meanPool($0, weights: nil, into: pooled.pointer + r * 8) } }
                hidden.forward(pooled.pointer + lo * 8, rows: n, into: pre.pointer + lo * 8)
                Activation.relu.forward(pre.pointer + lo * 8, count: n * 8, into: act.pointer + lo * 8)
                output.forward(act.pointer + lo * 8, rows: n, into: logits.pointer + lo * 3)
                slots[worker] = labels.withUnsafeBufferPointer {
                    SoftmaxCrossEntropy.lossAndGradient(logits: logits.pointer + lo * 3, rows: n, columns: 3, labels: $0.baseAddress! + lo, scale: 1 / Float(batch))
                }
                output.backward(input: act.pointer + lo * 8, outputGradient: logits.pointer + lo * 3, rows: n, inputGradient: dAct.pointer + lo * 8, gradients: g)
                Activation.relu.backward(input: pre.pointer + lo * 8, outputGradient: dAct.pointer + lo * 8, count: n * 8, into: dAct.pointer + lo * 8)
                hidden.backward(input: pooled.pointer + lo * 8, outputGradient: dAct.pointer + lo * 8, rows: n, inputGradient: dPooled.pointer + lo * 8, gradients: g)
                for r in rows { bags[r].withUnsafeBufferPointer { embedding.backwardMeanPool($0, weights: nil, outputGradient: dPooled.pointer + r * 8, gradients: g) } }
            }
            losses.append(slots.values.reduce(0, +) / Double(batch))
            adam.step(parallel.reduce())
            parallel.zero()
        }
        return (set.snapshot, losses)
    }

    @Test func sameSeedAndThreadsGiveIdenticalParameters() {
        for threads in [1, 3] {
            let a = train(threads: threads), b = train(threads: threads)
            #expect(a.parameters == b.parameters, "threads \(threads)")
            #expect(a.losses == b.losses)
        }
        #expect(train(threads: 1, seed: 8).parameters != train(threads: 1).parameters)
    }

    /// Summing per-worker gradients only reorders additions: 1 and 3 workers agree closely.
    @Test func threadCountsAgreeUpToRounding() {
        let one = train(threads: 1, steps: 5), three = train(threads: 3, steps: 5)
        for (a, b) in zip(one.parameters, three.parameters) {
            for (x, y) in zip(a, b) { #expect(abs(x - y) < 1e-4) }
        }
    }

    @Test func trainingLowersTheLoss() {
        let losses = train(threads: 2, steps: 200).losses
        // The first batch is at chance (log 3 ≈ 1.1).
        let first = losses[0], last = losses.suffix(10).reduce(0, +) / 10
        #expect(first > 1.0 && last < 0.25 * first, "loss \(first) → \(last)")
    }
}
