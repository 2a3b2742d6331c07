import Testing
@testable import TacitCore

/// The SIMD kernels (AVX-512, AVX2 or baseline, whichever this CPU runs) against plain loops.
@Suite struct LinearAlgebraKernelTests {
    func vector(_ n: Int, seed: UInt64) -> [Float] {
        var random = SeededGenerator(seed: seed)
        return (0..<n).map { _ in Float(random.nextUnit() * 2 - 1) }
    }

    @Test(arguments: [0, 1, 3, 8, 15, 16, 17, 33, 64, 100])
    func kernelsMatchPlainLoops(n: Int) {
        let x = vector(n, seed: 1), y = vector(n, seed: 2)
        let plainDot = zip(x, y).reduce(Float(0)) { $0 + $1.0 * $1.1 }
        #expect(abs(LinearAlgebra.dot(x, y, count: n) - plainDot) < 1e-4)

        var z = y
        LinearAlgebra.axpy(0.5, x, &z, count: n)
        for k in 0..<n { #expect(abs(z[k] - (y[k] + 0.5 * x[k])) < 1e-6) }

        // A symmetric matrix.
        let raw = vector(n * n, seed: 3)
        var a = raw
        for i in 0..<n { for j in 0..<n { a[i * n + j] = raw[i * n + j] + raw[j * n + i] } }
        var out = [Float](repeating: 0, count: n)
        LinearAlgebra.matvec(a, x, &out, count: n)
        for i in 0..<n {
            let expected = (0..<n).reduce(Float(0)) { $0 + a[i * n + $1] * x[$1] }
            #expect(abs(out[i] - expected) < 1e-4, "row \(i) of \(n)")
        }
    }

    @Test func rankUpdateMatchesThePlainFormula() {
        let f = 19, rows = 7
        let matrix = vector(rows * f, seed: 4), v = vector(f, seed: 5)
        let index: [Int32] = [6, 0, 3, 3], offset: [Float] = [1, 0.5, -2, 0], slope: [Float] = [0.25, -1, 3, 2]
        var out = vector(f, seed: 6)
        var expected = out
        for k in 0..<index.count {
            let row = Array(matrix[(Int(index[k]) * f)..<((Int(index[k]) + 1) * f)])
            let s = zip(row, v).reduce(Float(0)) { $0 + $1.0 * $1.1 }
            for c in 0..<f { expected[c] += (offset[k] + slope[k] * s) * row[c] }
        }
        LinearAlgebra.rankUpdate(rows: matrix, index: index, offset: offset, slope: slope, count: index.count, factors: f, v: v, out: &out)
        for c in 0..<f { #expect(abs(out[c] - expected[c]) < 1e-4) }
        #expect(["avx512", "avx2", "baseline"].contains(LinearAlgebra.kernelInstructionSet))
    }
}
