import Testing
@testable import TacitCore

@Suite struct IDMapTests {
    @Test func assignsDenseIndicesInInsertionOrder() {
        var map = IDMap()
        #expect(map.intern("b") == 0)
        #expect(map.intern("a") == 1)
        #expect(map.intern("b") == 0)
        #expect(map.count == 2)
        #expect(map.id(at: 1) == "a")
        #expect(map.index(of: "a") == 1)
        #expect(map.index(of: "zz") == nil)
    }

    @Test func survivesGrowthAndUTF8() {
        var map = IDMap()
        for i in 0..<10_000 { #expect(map.intern("id-\(i)-café") == Int32(i)) }
        for i in stride(from: 0, to: 10_000, by: 37) { #expect(map.index(of: "id-\(i)-café") == Int32(i)) }
        #expect(map.id(at: 9_999) == "id-9999-café")
        let rebuilt = IDMap(arena: map.storage.arena, offsets: map.storage.offsets)
        #expect(rebuilt == map)
        #expect(rebuilt.index(of: "id-5000-café") == 5000)
    }

    @Test func naturalOrderPutsIntegersFirstNumerically() {
        let map = IDMap(["10", "b", "2", "a", "1"])
        #expect(map.naturalOrder().map { map.id(at: $0) } == ["1", "2", "10", "a", "b"])
    }
}

@Suite struct TopKTests {
    @Test func matchesAFullSortWithTiesByLowerIndex() {
        var rng = SeededGenerator(seed: 3)
        for trial in 0..<50 {
            let n = 1 + Int(rng.next() % 300), k = Int(rng.next() % 20)
            // Few distinct values, so ties are common.
            let scores = (0..<n).map { _ in Float(rng.next() % 7) }
            let expected = (0..<n).map { ScoredItem(item: Int32($0), score: scores[$0]) }
                .sorted(by: ScoredItem.ranksBefore).prefix(k)
            let selected = scores.withUnsafeBufferPointer { TopK.select($0, k: k) }
            #expect(Array(expected) == selected, "trial \(trial)")
        }
    }

    @Test func skipsNaN() {
        var top = TopK(3)
        top.insert(0, score: .nan)
        top.insert(1, score: 1)
        #expect(top.sorted() == [ScoredItem(item: 1, score: 1)])
    }
}

@Suite struct LinearAlgebraTests {
    @Test func gemmMultipliesRowMajorMatrices() {
        let a: [Float] = [1, 2, 3, 4, 5, 6]      // 2 x 3
        let b: [Float] = [1, 0, 0, 1, 1, 1]      // 3 x 2
        var c = [Float](repeating: 0, count: 4)
        LinearAlgebra.gemm(m: 2, n: 2, k: 3, a: a, lda: 3, b: b, ldb: 2, c: &c, ldc: 2)
        #expect(c == [4, 5, 10, 11])
    }

    @Test func choleskySolvesASymmetricPositiveDefiniteSystem() {
        var a: [Float] = [4, 2, 2, 3]
        var b: [Float] = [10, 8]                  // solution x = (1.75, 1.5)
        #expect(LinearAlgebra.choleskySolve(n: 2, a: &a, b: &b))
        #expect(abs(b[0] - 1.75) < 1e-5 && abs(b[1] - 1.5) < 1e-5)
        var singular: [Float] = [1, 2, 2, 4]
        var rhs: [Float] = [1, 1]
        #expect(!LinearAlgebra.choleskySolve(n: 2, a: &singular, b: &rhs))
    }

    @Test func gramIsATransposeA() {
        let a: [Float] = [1, 2, 3, 4, 5, 6]      // 3 x 2
        var c = [Float](repeating: 0, count: 4)
        LinearAlgebra.gram(rows: 3, columns: 2, a: a, c: &c)
        #expect(c == [35, 44, 44, 56])
    }
}
