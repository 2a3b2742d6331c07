import CTacitKernels
import TacitCore
import Testing

/// The bf16 output-layer products against float references. Inputs are multiples of 1/8 in
/// [-2, 2] (exact in bfloat16, products and sums exact in float), so the kernels must match
/// exactly — at every tail of the 16-lane tiles, 8- and 6-row blocks and odd pair counts.
@Suite struct BF16KernelTests {
    static func values(_ count: Int, seed: UInt64) -> [Float] {
        var g = SeededGenerator(seed: seed)
        return (0..<count).map { _ in Float(Int(g.next(below: 33)) - 16) / 8 }
    }

    @Test(arguments: [(37, 53, 21), (13, 17, 64), (8, 16, 2), (1, 1, 1), (64, 3706, 64)])
    func productsMatchFloatExactly(m: Int, n: Int, k: Int) throws {
        guard tacit_has_bf16() != 0 else {
            // Without AVX-512 BF16 the kernels decline and the caller keeps float GEMMs.
            var out = [Float](repeating: 0, count: m * n)
            #expect(tacit_bf16_logits(nil, m, k, nil, n, &out, nil) == 0)
            return
        }
        let z = Self.values(m * k, seed: 1), e = Self.values(n * k, seed: 2), g = Self.values(m * n, seed: 3)
        var table = [UInt16](repeating: 0xFFFF, count: tacit_bf16_table_count(n, k))
        var scratch = [UInt16](repeating: 0xFFFF, count: tacit_bf16_scratch_count(m, n, k))
        var floats = [Float](repeating: .nan, count: tacit_bf16_float_scratch_count(n, k))
        tacit_bf16_prepare_table(e, n, k, &table)
        var logits = [Float](repeating: .nan, count: m * n)
        #expect(tacit_bf16_logits(z, m, k, table, n, &logits, &scratch) == 1)
        var dz = [Float](repeating: .nan, count: m * k), dE = [Float](repeating: 1, count: n * k)
        #expect(tacit_bf16_output_gradients(g, m, n, table, z, k, &dz, &dE, &scratch, &floats) == 1)
        var logitErrors = 0, dzErrors = 0, dEErrors = 0
        for i in 0..<m {
            for j in 0..<n where logits[i * n + j] != (0..<k).reduce(0) { $0 + z[i * k + $1] * e[j * k + $1] } { logitErrors += 1 }
            for c in 0..<k where dz[i * k + c] != (0..<n).reduce(0) { $0 + g[i * n + $1] * e[$1 * k + c] } { dzErrors += 1 }
        }
        for j in 0..<n {
            for c in 0..<k where dE[j * k + c] != (0..<m).reduce(1) { $0 + g[$1 * n + j] * z[$1 * k + c] } { dEErrors += 1 }
        }
        #expect(logitErrors == 0 && dzErrors == 0 && dEErrors == 0, "logits \(logitErrors), ∂Z \(dzErrors), ∂E \(dEErrors) wrong")
    }

    /// Rounding to bfloat16 is to nearest, ties to even: 1 + 2⁻⁸ (a tie) rounds down to 1,
    /// 1 + 3·2⁻⁸ up to 1 + 2⁻⁶ — seen through a 1 x 1 x 1 product with 1.
    @Test func roundsToNearestEven() throws {
        guard tacit_has_bf16() != 0 else { return }
        for (input, expected) in [(Float(1 + 1.0 / 256), Float(1)), (Float(1 + 3.0 / 256), Float(1 + 1.0 / 64)), (-2.5, -2.5)] {
            var table = [UInt16](repeating: 0, count: tacit_bf16_table_count(1, 1))
            var scratch = [UInt16](repeating: 0, count: tacit_bf16_scratch_count(1, 1, 1))
            tacit_bf16_prepare_table([1], 1, 1, &table)
            var out: [Float] = [0]
            tacit_bf16_logits([input], 1, 1, table, 1, &out, &scratch)
            #expect(out[0] == expected, "\(input)")
        }
    }
}
