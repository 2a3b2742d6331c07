import Foundation
import Testing
@testable import TacitCore

/// int8 codes with per-vector scales and the maximum-inner-product index over them: hand-computed
/// codes, every kernel path against the plain integer sum, the index against exact scoring.
@Suite struct RetrievalTests {
    /// Vectors with clusters, unequal norms (a few large ones, like popular items' factors) and
    /// seeded noise; queries alike.
    static func vectors(_ n: Int, dimension d: Int, seed: UInt64) -> [Float] {
        var random = SeededGenerator(seed: seed)
        let centres = (0..<12).map { _ in (0..<d).map { _ in Float(random.nextUnit() * 2 - 1) } }
        return (0..<n).flatMap { i -> [Float] in
            let centre = centres[Int(random.next() % 12)], norm = Float(0.2 + 2 * pow(random.nextUnit(), 6))
            return (0..<d).map { centre[$0] * norm + Float(random.nextUnit() - 0.5) * 0.6 * norm }
        }
    }

    @Test func quantisesWithOneScalePerVectorByHand() {
        var codes = [Int8](repeating: 9, count: 4)
        let x: [Float] = [0.5, -1.27, 0.01, 1.0]
        let scale = codes.withUnsafeMutableBufferPointer { Int8Vectors.quantize(x, count: 4, into: $0.baseAddress!) }
        #expect(scale == 1.27 / 127 && codes == [50, -127, 1, 100])
        let zero = codes.withUnsafeMutableBufferPointer { Int8Vectors.quantize([0, 0, 0, 0], count: 4, into: $0.baseAddress!) }
        #expect(zero == 0 && codes == [0, 0, 0, 0])
        let broken = codes.withUnsafeMutableBufferPointer { Int8Vectors.quantize([1, .nan, .infinity, 2], count: 4, into: $0.baseAddress!) }
        #expect(broken == 0 && codes == [0, 0, 0, 0], "a non-finite vector scores 0, never a trap")
    }

    /// Every kernel path the CPU has gives the plain integer sum, for dimensions that are and are
    /// not multiples of 4 and item counts that are and are not multiples of 16.
    @Test(arguments: [(37, 5), (64, 64), (33, 130), (1, 7)])
    func everyKernelPathIsExact(items: Int, dimension d: Int) throws {
        let x = Self.vectors(items, dimension: d, seed: 3), q = Self.vectors(1, dimension: d, seed: 4)
        let codes = x.withUnsafeBufferPointer { Int8Vectors($0, dimension: d) }
        let query = q.withUnsafeBufferPointer { Int8Vectors.Query($0.baseAddress!, dimension: d) }
        // The reference: the codes quantised one by one, multiplied in Int.
        var itemCodes = [Int8](repeating: 0, count: d), queryCodes = [Int8](repeating: 0, count: d)
        queryCodes.withUnsafeMutableBufferPointer { _ = Int8Vectors.quantize(q, count: d, into: $0.baseAddress!) }
        let expected = (0..<items).map { i -> Int32 in
            itemCodes.withUnsafeMutableBufferPointer { out in x.withUnsafeBufferPointer { _ = Int8Vectors.quantize($0.baseAddress! + i * d, count: d, into: out.baseAddress!) } }
            return Int32(zip(itemCodes, queryCodes).reduce(0) { $0 + Int($1.0) * Int($1.1) })
        }
        #expect(try #require(codes.integerScores(of: query, path: 0)) == expected, "baseline")
        var paths = 1
        for path: Int32 in [1, 2] {
            guard let scores = codes.integerScores(of: query, path: path) else { continue }
            #expect(scores == expected, "path \(path)")
            paths += 1
        }
        // The float scores are the scales times the integers, within float rounding of the products.
        var floats = [Float](repeating: 0, count: items)
        floats.withUnsafeMutableBufferPointer { codes.scores(of: query, into: $0.baseAddress!) }
        for i in 0..<items { #expect(floats[i] == query.scale * codes.scales[i] * Float(expected[i])) }
        #expect(paths >= 1)
    }

    /// The int8 inner products rank like the float ones: the top 10 of 2,000 by codes hold at
    /// least 9 of the exact top 10 on average.
    @Test func int8RanksLikeFloat() {
        let d = 32, x = Self.vectors(2_000, dimension: d, seed: 5), queries = Self.vectors(50, dimension: d, seed: 6)
        let codes = x.withUnsafeBufferPointer { Int8Vectors($0, dimension: d) }
        var overlap = 0
        for k in 0..<50 {
            let q = Array(queries[(k * d)..<((k + 1) * d)])
            let exact = Self.top(10, of: (0..<2_000).map { i in zip(q, x[(i * d)..<((i + 1) * d)]).reduce(0) { $0 + $1.0 * $1.1 } })
            var approximate = [Float](repeating: 0, count: 2_000)
            approximate.withUnsafeMutableBufferPointer { out in
                q.withUnsafeBufferPointer { codes.scores(of: Int8Vectors.Query($0.baseAddress!, dimension: d), into: out.baseAddress!) }
            }
            overlap += Set(exact).intersection(Self.top(10, of: approximate)).count
        }
        #expect(Double(overlap) / 500 >= 0.9, "\(overlap) of 500")
    }

    static func top(_ k: Int, of scores: [Float]) -> [Int] {
        Array(scores.indices.sorted { scores[$0] > scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }.prefix(k))
    }

    static func exactTop(_ count: Int, query q: [Float], vectors x: [Float], dimension d: Int, admits: (Int32) -> Bool) -> [ScoredItem] {
        var top = TopK(count)
        for i in 0..<(x.count / d) where admits(Int32(i)) {
            top.insert(Int32(i), score: q.withUnsafeBufferPointer { qb in x.withUnsafeBufferPointer { LinearAlgebra.dot(qb.baseAddress!, $0.baseAddress! + i * d, count: d) } })
        }
        return top.sorted()
    }

    /// Probing every leaf and re-scoring every item, the index returns the exact top list; with the
    /// defaults it finds most of it.
    @Test func indexMatchesExactScoring() {
        let d = 16, n = 3_000, x = Self.vectors(n, dimension: d, seed: 7), queries = Self.vectors(60, dimension: d, seed: 8)
        let index = x.withUnsafeBufferPointer { MIPSIndex(vectors: $0, dimension: d) }
        #expect(index.leaves == 55 && index.itemCount == n && index.defaultProbes == 15)
        var found = 0
        for k in 0..<60 {
            let q = Array(queries[(k * d)..<((k + 1) * d)])
            let exact = Self.exactTop(10, query: q, vectors: x, dimension: d) { _ in true }
            let score = { (item: Int32) in q.withUnsafeBufferPointer { qb in x.withUnsafeBufferPointer { LinearAlgebra.dot(qb.baseAddress!, $0.baseAddress! + Int(item) * d, count: d) } } }
            let everything = q.withUnsafeBufferPointer { index.search($0.baseAddress!, count: 10, probes: index.leaves, rescore: n, admits: { _ in true }, exact: score) }
            #expect(everything == exact, "query \(k)")
            let quick = q.withUnsafeBufferPointer { index.search($0.baseAddress!, count: 10, admits: { _ in true }, exact: score) }
            #expect(quick.count == 10 && zip(quick, quick.dropFirst()).allSatisfy { $0.score >= $1.score })
            found += Set(quick.map(\.item)).intersection(exact.map(\.item)).count
        }
        #expect(Double(found) / 600 >= 0.9, "recall@10 with the default probes: \(found) of 600")
    }

    /// A filter that admits one item in 97 (and excludes some of those) still gets exactly
    /// `count` items, all admitted, best first by exact score, and the exact top of the admitted
    /// items when every leaf is probed; a filter admitting fewer than `count` gets all of them.
    @Test func filtersStillReturnExactlyCount() {
        let d = 8, n = 5_000, x = Self.vectors(n, dimension: d, seed: 9)
        let index = x.withUnsafeBufferPointer { MIPSIndex(vectors: $0, dimension: d) }
        let q = Self.vectors(1, dimension: d, seed: 10)
        let admits = { (item: Int32) in item % 97 == 3 && item % 2 == 1 }
        let score = { (item: Int32) in q.withUnsafeBufferPointer { qb in x.withUnsafeBufferPointer { LinearAlgebra.dot(qb.baseAddress!, $0.baseAddress! + Int(item) * d, count: d) } } }
        let found = q.withUnsafeBufferPointer { index.search($0.baseAddress!, count: 20, probes: 1, admits: admits, exact: score) }
        #expect(found.count == 20 && found.allSatisfy { admits($0.item) })
        let exact = Self.exactTop(20, query: q, vectors: x, dimension: d, admits: admits)
        let all = q.withUnsafeBufferPointer { index.search($0.baseAddress!, count: 20, probes: index.leaves, rescore: n, admits: admits, exact: score) }
        #expect(all == exact)
        let few = q.withUnsafeBufferPointer { index.search($0.baseAddress!, count: 10, admits: { $0 == 17 || $0 == 4_000 }, exact: score) }
        #expect(Set(few.map(\.item)) == [17, 4_000])
        #expect(q.withUnsafeBufferPointer { index.search($0.baseAddress!, count: 10, admits: { _ in false }, exact: score) }.isEmpty)
        #expect(q.withUnsafeBufferPointer { index.search($0.baseAddress!, count: 0, admits: { _ in true }, exact: score) }.isEmpty)
    }

    /// Built with `nearestInLeaf`, the index knows each item's nearest other item of its own leaf
    /// by inner product — the brute-force answer over the leaf's items; nothing for an item alone,
    /// out of range, or an index built without the table.
    @Test func nearestInLeafIsTheLeafsBruteForceAnswer() {
        let d = 8, n = 2_000, x = Self.vectors(n, dimension: d, seed: 11)
        let index = x.withUnsafeBufferPointer { MIPSIndex(vectors: $0, dimension: d, nearestInLeaf: true) }
        let dot = { (a: Int32, b: Int32) in x.withUnsafeBufferPointer { LinearAlgebra.dot($0.baseAddress! + Int(a) * d, $0.baseAddress! + Int(b) * d, count: d) } }
        for item in Int32(0)..<Int32(n) {
            let leaf = index.leafOf[Int(item)]
            let mates = (0..<Int32(n)).filter { index.leafOf[Int($0)] == leaf && $0 != item }
            let best = mates.map { dot(item, $0) }.max()
            let found = index.nearestInLeaf(of: item)
            #expect(found.map { index.leafOf[Int($0)] == leaf && $0 != item } ?? mates.isEmpty, "item \(item)")
            if let found, let best { #expect(abs(dot(item, found) - best) <= 1e-5 * max(1, abs(best)), "item \(item)") }
        }
        #expect(index.nearestInLeaf(of: -1) == nil && index.nearestInLeaf(of: Int32(n)) == nil)
        #expect(x.withUnsafeBufferPointer { MIPSIndex(vectors: $0, dimension: d) }.nearestInLeaf(of: 0) == nil, "built without the table")
        let one: [Float] = [1, 2]
        #expect(one.withUnsafeBufferPointer { MIPSIndex(vectors: $0, dimension: 2, nearestInLeaf: true) }.nearestInLeaf(of: 0) == nil, "alone in its leaf")
    }

    /// Fewer items than leaves asked, one item, and no item at all build and search without traps.
    @Test func smallAndEmptyIndexes() {
        let one: [Float] = [1, 2]
        let single = one.withUnsafeBufferPointer { MIPSIndex(vectors: $0, dimension: 2) }
        #expect(single.leaves == 1)
        let found = one.withUnsafeBufferPointer { single.search($0.baseAddress!, count: 5, admits: { _ in true }, exact: { _ in 5 }) }
        #expect(found == [ScoredItem(item: 0, score: 5)])
        let none: [Float] = []
        let empty = none.withUnsafeBufferPointer { MIPSIndex(vectors: $0, dimension: 2) }
        #expect(one.withUnsafeBufferPointer { empty.search($0.baseAddress!, count: 5, admits: { _ in true }, exact: { _ in 1 }) }.isEmpty)
        var configuration = MIPSIndex.Configuration()
        configuration.leaves = 50
        let x = Self.vectors(20, dimension: 3, seed: 1)
        let many = x.withUnsafeBufferPointer { MIPSIndex(vectors: $0, dimension: 3, configuration: configuration) }
        #expect(many.leaves == 20)
    }
}
