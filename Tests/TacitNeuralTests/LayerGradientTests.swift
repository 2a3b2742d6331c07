import Foundation
import Testing
import TacitCore
@testable import TacitNeural

/// Every layer's backward pass against central finite differences (see ``GradientCheck``).
@Suite struct LayerGradientTests {
    @Test func denseLayer() {
        let set = ParameterSet(seed: 1)
        let dense = Dense(set, name: "d", inputs: 4, outputs: 5)
        GradientCheck.random(5, seed: 9, scale: 0.5).withUnsafeBufferPointer { dense.bias!.values.pointer.update(from: $0.baseAddress!, count: 5) }
        let rows = 3
        let x = FloatBuffer(GradientCheck.random(rows * 4, seed: 2))
        let r = GradientCheck.random(rows * 5, seed: 3)
        let y = FloatBuffer(count: rows * 5)
        var dx = [Float](repeating: 0, count: rows * 4)
        let gradients = Gradients(set)
        dense.forward(x.pointer, rows: rows, into: y.pointer)
        dense.backward(input: x.pointer, outputGradient: r, rows: rows, inputGradient: &dx, gradients: gradients)
        func loss() -> Double { dense.forward(x.pointer, rows: rows, into: y.pointer); return GradientCheck.weightedSum(y.pointer, r) }
        var failures = GradientCheck.compare("x", analytic: dx, numeric: GradientCheck.numeric(x.pointer, count: x.count, loss: loss))
        for p in set.parameters {
            failures += GradientCheck.compare(p.name, analytic: gradients.denseCopy(of: p), numeric: GradientCheck.numeric(p.values.pointer, count: p.count, loss: loss))
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    /// y = x W + b exactly for a hand-sized case (dyadic values).
    @Test func denseForwardExactValues() {
        let set = ParameterSet(seed: 1)
        let dense = Dense(set, name: "d", inputs: 2, outputs: 2)
        try! set.load([[1, 2, 3, 4], [0.5, -0.5]])
        var y = [Float](repeating: 0, count: 4)
        dense.forward([1, 1, 2, -1], rows: 2, into: &y)
        #expect(y == [4.5, 5.5, -0.5, -0.5])
    }

    @Test func embeddingLookupAndWeightedMeanPool() {
        let set = ParameterSet(seed: 4)
        let table = Embedding(set, name: "e", rows: 5, dimension: 3, scale: 1)
        let bag: [Int32] = [0, 3, -1, 3, 4], weights: [Float] = [1, 2, 7, 0.5, 1.5]
        let r = GradientCheck.random(6, seed: 5)
        let yb = FloatBuffer(count: 6)
        func forward() {
            _ = bag.withUnsafeBufferPointer { b in weights.withUnsafeBufferPointer { w in table.meanPool(b, weights: w, into: yb.pointer) } }
            table.lookup(2, into: yb.pointer + 3)
        }
        let gradients = Gradients(set)
        forward()
        r.withUnsafeBufferPointer { rp in
            bag.withUnsafeBufferPointer { b in weights.withUnsafeBufferPointer { w in
                table.backwardMeanPool(b, weights: w, outputGradient: rp.baseAddress!, gradients: gradients)
            } }
            table.backwardLookup(2, outputGradient: rp.baseAddress! + 3, gradients: gradients)
        }
        let numeric = GradientCheck.numeric(table.table.values.pointer, count: 15) { forward(); return GradientCheck.weightedSum(yb.pointer, r) }
        forward()
        let y = yb.array
        let failures = GradientCheck.compare("table", analytic: gradients.denseCopy(of: table.table), numeric: numeric)
        #expect(failures.isEmpty, "\(failures)")
        // Row 1 was never touched: no gradient row exists for it (a lazy update skips it).
        #expect(gradients.sparse(table.table).rows == [0, 3, 4, 2])
        // The pooled row is Σ w e / Σ w over present entries: weights 1, 2.5 (3 twice), 1.5 of 5.
        let e = table.table.values.array
        for c in 0..<3 {
            let expected = (1 * e[c] + 2.5 * e[9 + c] + 1.5 * e[12 + c]) / 5
            #expect(abs(y[c] - expected) < 1e-6)
        }
    }

    @Test func activations() {
        // Inputs away from ReLU's kink at 0.
        let x0 = GradientCheck.random(12, seed: 6, scale: 2).map { abs($0) < 0.1 ? $0 + 0.3 : $0 }
        let r = GradientCheck.random(12, seed: 7)
        for activation in Activation.allCases {
            let x = FloatBuffer(x0), y = FloatBuffer(count: 12)
            var dx = [Float](repeating: 0, count: 12)
            activation.backward(input: x.pointer, outputGradient: r, count: 12, into: &dx)
            let numeric = GradientCheck.numeric(x.pointer, count: 12) {
                activation.forward(x.pointer, count: 12, into: y.pointer)
                return GradientCheck.weightedSum(y.pointer, r)
            }
            let failures = GradientCheck.compare(activation.rawValue, analytic: dx, numeric: numeric)
            #expect(failures.isEmpty, "\(failures)")
        }
        var y = [Float](repeating: 0, count: 3)
        Activation.relu.forward([-1, 0, 2], count: 3, into: &y)
        #expect(y == [0, 0, 2])
        Activation.gelu.forward([0, 10, -10], count: 3, into: &y)
        #expect(y[0] == 0 && abs(y[1] - 10) < 1e-5 && abs(y[2]) < 1e-5)
    }

    @Test func l2Normalization() {
        let x = FloatBuffer(GradientCheck.random(12, seed: 8))
        let r = GradientCheck.random(12, seed: 9)
        let yb = FloatBuffer(count: 12), normsb = FloatBuffer(count: 3)
        var dx = [Float](repeating: 0, count: 12)
        L2Normalization.forward(x.pointer, rows: 3, columns: 4, into: yb.pointer, norms: normsb.pointer)
        L2Normalization.backward(output: yb.pointer, norms: normsb.pointer, outputGradient: r, rows: 3, columns: 4, into: &dx)
        let numeric = GradientCheck.numeric(x.pointer, count: 12) {
            L2Normalization.forward(x.pointer, rows: 3, columns: 4, into: yb.pointer, norms: normsb.pointer)
            return GradientCheck.weightedSum(yb.pointer, r)
        }
        #expect(GradientCheck.compare("x", analytic: dx, numeric: numeric).isEmpty)
        var y = [Float](repeating: 0, count: 2), norms: [Float] = [0]
        L2Normalization.forward([3, 4], rows: 1, columns: 2, into: &y, norms: &norms)
        #expect(Array(y[0..<2]) == [0.6, 0.8] && norms[0] == 5)
    }

    @Test func layerNorm() {
        let set = ParameterSet(seed: 10)
        let norm = LayerNorm(set, name: "ln", width: 5)
        try! set.load([GradientCheck.random(5, seed: 11, scale: 0.5).map { $0 + 1 }, GradientCheck.random(5, seed: 12, scale: 0.5)])
        let x = FloatBuffer(GradientCheck.random(10, seed: 13))
        let r = GradientCheck.random(10, seed: 14)
        let y = FloatBuffer(count: 10), h = FloatBuffer(count: 10), inv = FloatBuffer(count: 2)
        var dx = [Float](repeating: 0, count: 10)
        let gradients = Gradients(set)
        norm.forward(x.pointer, rows: 2, into: y.pointer, normalized: h.pointer, inverseDeviations: inv.pointer)
        norm.backward(normalized: h.pointer, inverseDeviations: inv.pointer, outputGradient: r, rows: 2, inputGradient: &dx, gradients: gradients)
        func loss() -> Double {
            norm.forward(x.pointer, rows: 2, into: y.pointer, normalized: h.pointer, inverseDeviations: inv.pointer)
            return GradientCheck.weightedSum(y.pointer, r)
        }
        var failures = GradientCheck.compare("x", analytic: dx, numeric: GradientCheck.numeric(x.pointer, count: 10, loss: loss))
        for p in set.parameters {
            failures += GradientCheck.compare(p.name, analytic: gradients.denseCopy(of: p), numeric: GradientCheck.numeric(p.values.pointer, count: 5, loss: loss))
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    @Test func dropout() {
        let dropout = Dropout(rate: 0.5)
        let x = FloatBuffer(GradientCheck.random(16, seed: 15))
        let r = GradientCheck.random(16, seed: 16)
        let y = FloatBuffer(count: 16), maskb = FloatBuffer(count: 16)
        var dx = [Float](repeating: 0, count: 16)
        func forward() { var g = SeededGenerator(seed: 17); dropout.forward(x.pointer, count: 16, mask: maskb.pointer, random: &g, into: y.pointer) }
        forward()
        let mask = maskb.array
        #expect(mask.allSatisfy { $0 == 0 || $0 == 2 } && mask.contains(0) && mask.contains(2))
        dropout.backward(mask: mask, outputGradient: r, count: 16, into: &dx)
        let numeric = GradientCheck.numeric(x.pointer, count: 16) { forward(); return GradientCheck.weightedSum(y.pointer, r) }
        #expect(GradientCheck.compare("x", analytic: dx, numeric: numeric).isEmpty)
    }

    @Test func concatenationScatterAndGather() {
        let layout = Concatenation(widths: [2, 3])
        #expect(layout.width == 5 && layout.offsets == [0, 2])
        var rows = [Float](repeating: 0, count: 10)
        layout.scatter(0, rows: 2, block: [1, 2, 3, 4], into: &rows)
        layout.scatter(1, rows: 2, block: [5, 6, 7, 8, 9, 10], into: &rows)
        #expect(rows == [1, 2, 5, 6, 7, 3, 4, 8, 9, 10])
        var back = [Float](repeating: 0, count: 6)
        layout.gather(1, rows: 2, from: rows, into: &back)
        #expect(back == [5, 6, 7, 8, 9, 10])
    }

    @Test func softmaxCrossEntropy() {
        // Equal logits over 4 columns: loss = log 4, gradient = 1/4 − onehot.
        var z: [Float] = [0, 0, 0, 0]
        let loss = SoftmaxCrossEntropy.lossAndGradient(logits: &z, rows: 1, columns: 4, labels: [2], scale: 1)
        #expect(abs(loss - 1.3862943611198906) < 1e-6)
        #expect(z == [0.25, 0.25, -0.75, 0.25])
        // A masked column takes no probability: 3 live columns.
        var masked: [Float] = [0, -.infinity, 0, 0]
        let maskedLoss = SoftmaxCrossEntropy.lossAndGradient(logits: &masked, rows: 1, columns: 4, labels: [0], scale: 1)
        #expect(abs(maskedLoss - 1.0986122886681098) < 1e-6 && masked[1] == 0)
        // Finite differences on random logits, two rows, one masked entry, scale 1/2.
        var initial = GradientCheck.random(10, seed: 18, scale: 3)
        initial[7] = -.infinity
        let logits = FloatBuffer(initial)
        var work = initial
        SoftmaxCrossEntropy.lossAndGradient(logits: &work, rows: 2, columns: 5, labels: [1, 4], scale: 0.5)
        let numeric = GradientCheck.numeric(logits.pointer, count: 10) {
            var copy = logits.array
            return 0.5 * SoftmaxCrossEntropy.lossAndGradient(logits: &copy, rows: 2, columns: 5, labels: [1, 4], scale: 0.5)
        }
        let failures = (0..<10).filter { $0 != 7 }.compactMap { k in GradientCheck.matches(work[k], numeric[k]) ? nil : "\(k): \(work[k]) vs \(numeric[k])" }
        #expect(failures.isEmpty, "\(failures)")
        #expect(work[7] == 0)
    }

    /// The vector kernel against a Double softmax on rows whose widths leave every tail length
    /// (16-, 8- and 4-lane bodies), with masked columns and logits far from 0.
    @Test func softmaxCrossEntropyMatchesDoubleReference() {
        for columns in [1, 3, 17, 37, 100, 3706] {
            let rows = 3
            var z = GradientCheck.random(rows * columns, seed: UInt64(columns), scale: 20).map { $0 + 40 }
            let labels = (0..<rows).map { Int32(($0 * 7 + 1) % columns) }
            for k in stride(from: 2, to: z.count, by: 5) where Int32(k % columns) != labels[k / columns] { z[k] = -.infinity }
            var expectedLoss = 0.0, expected = [Double](repeating: 0, count: z.count)
            for r in 0..<rows {
                let row = (0..<columns).map { Double(z[r * columns + $0]) }
                let top = row.max()!
                let sum = row.reduce(0) { $0 + Foundation.exp($1 - top) }
                expectedLoss += Foundation.log(sum) + top - row[Int(labels[r])]
                for j in 0..<columns { expected[r * columns + j] = 0.5 * Foundation.exp(row[j] - top) / sum - (j == Int(labels[r]) ? 0.5 : 0) }
            }
            let loss = SoftmaxCrossEntropy.lossAndGradient(logits: &z, rows: rows, columns: columns, labels: labels, scale: 0.5)
            #expect(abs(loss - expectedLoss) < 1e-4 * max(1, abs(expectedLoss)), "columns \(columns)")
            let worst = zip(z, expected).map { abs(Double($0) - $1) }.max() ?? 0
            #expect(worst < 1e-6, "columns \(columns): \(worst)")
        }
    }
}

@Suite struct VectorMathTests {
    /// The vector `exp` against `Foundation.exp` in Double over the softmax's range.
    @Test func expIsAccurate() {
        var worst = 0.0
        var x: Float = -87
        while x < 88 {
            let lanes = SIMD8<Float>((0..<8).map { x + Float($0) * 0.0137 })
            let e = VectorMath.exp(lanes)
            for k in 0..<8 {
                let exact = Foundation.exp(Double(lanes[k]))
                worst = max(worst, abs(Double(e[k]) - exact) / exact)
            }
            x += 0.11
        }
        #expect(worst < 3e-7, "relative error \(worst)")
        #expect(VectorMath.exp(0) == 1 && VectorMath.exp(-.infinity) == 0 && VectorMath.exp(-100) == 0)
    }
}
