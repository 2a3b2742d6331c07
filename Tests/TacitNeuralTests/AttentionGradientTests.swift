import Foundation
import Testing
import TacitCore
@testable import TacitNeural

/// ``CausalSelfAttention`` against finite differences, and its causal mask.
@Suite struct AttentionGradientTests {
    let t = 5, width = 6

    func inputs(seed: UInt64) -> (q: FloatBuffer, k: FloatBuffer, v: FloatBuffer) {
        (FloatBuffer(GradientCheck.random(t * width, seed: seed, scale: 1.5)), FloatBuffer(GradientCheck.random(t * width, seed: seed + 1, scale: 1.5)),
         FloatBuffer(GradientCheck.random(t * width, seed: seed + 2)))
    }

    /// `L = Σ r ⊙ O` with two heads, with and without dropout on the weights (the same mask on
    /// every evaluation: the dropout stream is re-seeded, and its draws do not depend on values).
    @Test(arguments: [Float(0), 0.4])
    func backwardMatchesFiniteDifferences(rate: Float) {
        let attention = CausalSelfAttention(width: width, heads: 2, dropout: rate)
        let (q, k, v) = inputs(seed: 11)
        let weights = FloatBuffer(count: attention.weightCount(length: t)), dropped = FloatBuffer(count: attention.weightCount(length: t))
        let output = FloatBuffer(count: t * width), r = GradientCheck.random(t * width, seed: 20)
        func forward() {
            var random = SeededGenerator(seed: 3)
            attention.forward(queries: q.pointer, keys: k.pointer, values: v.pointer, length: t, weights: weights.pointer,
                              dropped: rate > 0 ? dropped.pointer : weights.pointer, random: &random, output: output.pointer)
        }
        func loss() -> Double { forward(); return GradientCheck.weightedSum(output.pointer, r) }
        forward()
        let dq = FloatBuffer(count: t * width), dk = FloatBuffer(count: t * width), dv = FloatBuffer(count: t * width)
        let scratch = FloatBuffer(count: t * t)
        r.withUnsafeBufferPointer { r in
            attention.backward(queries: q.pointer, keys: k.pointer, values: v.pointer, length: t, weights: weights.pointer,
                               dropped: rate > 0 ? dropped.pointer : weights.pointer, outputGradient: r.baseAddress!,
                               queryGradient: dq.pointer, keyGradient: dk.pointer, valueGradient: dv.pointer, scratch: scratch.pointer)
        }
        var failures = GradientCheck.compare("q", analytic: dq.array, numeric: GradientCheck.numeric(q.pointer, count: q.count, loss: loss))
        failures += GradientCheck.compare("k", analytic: dk.array, numeric: GradientCheck.numeric(k.pointer, count: k.count, loss: loss))
        failures += GradientCheck.compare("v", analytic: dv.array, numeric: GradientCheck.numeric(v.pointer, count: v.count, loss: loss))
        #expect(failures.isEmpty, "\(failures)")
        if rate > 0 {
            // Some weights were dropped, and the kept ones were scaled by 1/(1 − rate).
            let a = weights.array, d = dropped.array
            #expect(d.contains(0) && zip(a, d).contains { $0 > 0 && $1 == 0 })
            #expect(zip(a, d).allSatisfy { $1 == 0 || abs($1 - $0 / (1 - rate)) < 1e-6 })
        }
    }

    /// Row t of the weights is a distribution over positions 0...t; changing a later position's
    /// key or value leaves earlier outputs exactly unchanged.
    @Test func futurePositionsAreInvisible() {
        let attention = CausalSelfAttention(width: width, heads: 3)
        let (q, k, v) = inputs(seed: 30)
        let weights = FloatBuffer(count: attention.weightCount(length: t))
        let before = FloatBuffer(count: t * width), after = FloatBuffer(count: t * width)
        var random = SeededGenerator(seed: 1)
        attention.forward(queries: q.pointer, keys: k.pointer, values: v.pointer, length: t, weights: weights.pointer,
                          dropped: weights.pointer, random: &random, output: before.pointer)
        for h in 0..<3 {
            for row in 0..<t {
                let w = Array(weights.buffer[(h * t * t + row * t)..<(h * t * t + row * t + t)])
                #expect(abs(w.prefix(row + 1).reduce(0, +) - 1) < 1e-5)
                #expect(w.dropFirst(row + 1).allSatisfy { $0 == 0 })
            }
        }
        for c in 0..<width {
            k.buffer[(t - 1) * width + c] += 3
            v.buffer[(t - 1) * width + c] -= 2
        }
        attention.forward(queries: q.pointer, keys: k.pointer, values: v.pointer, length: t, weights: weights.pointer,
                          dropped: weights.pointer, random: &random, output: after.pointer)
        #expect(Array(before.array.prefix((t - 1) * width)) == Array(after.array.prefix((t - 1) * width)))
        #expect(before.array.suffix(width) != after.array.suffix(width))
    }

    /// One position attends only to itself: the output is its value row.
    @Test func singlePositionOutputsItsValue() {
        let attention = CausalSelfAttention(width: 4, heads: 2)
        let q = FloatBuffer([1, 2, 3, 4]), k = FloatBuffer([0.5, -1, 2, 0]), v = FloatBuffer([0.25, -0.5, 8, 3])
        let weights = FloatBuffer(count: 2), output = FloatBuffer(count: 4)
        var random = SeededGenerator(seed: 1)
        attention.forward(queries: q.pointer, keys: k.pointer, values: v.pointer, length: 1, weights: weights.pointer,
                          dropped: weights.pointer, random: &random, output: output.pointer)
        #expect(weights.array == [1, 1])
        #expect(output.array == [0.25, -0.5, 8, 3])
    }

    @Test func clippingByGlobalNorm() {
        let set = ParameterSet(seed: 1)
        let dense = set.add("w", rows: 1, columns: 2, initializer: .zeros)
        let table = set.add("e", rows: 3, columns: 1, kind: .embedding, initializer: .zeros)
        let gradients = Gradients(set)
        gradients.dense(dense)[0] = 3
        gradients.dense(dense)[1] = 0
        gradients.sparse(table).row(2)[0] = 4
        #expect(gradients.clip(globalNorm: 10) == 5)
        #expect(gradients.denseCopy(of: dense) == [3, 0])
        #expect(gradients.clip(globalNorm: 1) == 5)
        #expect(gradients.denseCopy(of: dense) == [0.6, 0] && gradients.denseCopy(of: table) == [0, 0, 0.8])
    }
}
