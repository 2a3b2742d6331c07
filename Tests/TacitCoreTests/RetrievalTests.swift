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
        let step = codes.withUnsafeMutableBufferPointer { Int8Vectors.quantize(x, count: 4, into: $0.baseAddress!, scale: .step) }
        #expect(step == 1.27 / 127 && codes == [50, -127, 1, 100])
        // Least squares: x·q / q·q = (25 + 161.29 + 0.01 + 100) / (2500 + 16129 + 1 + 10000) = 286.3 / 28630 = 0.01.
        let scale = codes.withUnsafeMutableBufferPointer { Int8Vectors.quantize(x, count: 4, into: $0.baseAddress!) }
        #expect(abs(scale - 0.01) < 1e-8 && codes == [50, -127, 1, 100])
        // [1, -2, 0.5]: codes [64, -127, 32], x·q / q·q = 334 / 21249.
        var three = [Int8](repeating: 0, count: 3)
        let other = three.withUnsafeMutableBufferPointer { Int8Vectors.quantize([1, -2, 0.5], count: 3, into: $0.baseAddress!) }
        #expect(three == [64, -127, 32] && other == Float(334.0 / 21249.0))
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
        // Each item's leaf, from the slots of each leaf's tiles.
        var leafOf = [Int](repeating: -1, count: n)
        for l in 0..<index.leaves {
            for s in (index.tileStarts[l] * 16)..<(index.tileStarts[l + 1] * 16) where index.slots[s] >= 0 { leafOf[Int(index.slots[s])] = l }
        }
        #expect(!leafOf.contains(-1))
        let dot = { (a: Int32, b: Int32) in x.withUnsafeBufferPointer { LinearAlgebra.dot($0.baseAddress! + Int(a) * d, $0.baseAddress! + Int(b) * d, count: d) } }
        for item in Int32(0)..<Int32(n) {
            let leaf = leafOf[Int(item)]
            let mates = (0..<Int32(n)).filter { leafOf[Int($0)] == leaf && $0 != item }
            let best = mates.map { dot(item, $0) }.max()
            let found = index.nearestInLeaf(of: item)
            #expect(found.map { leafOf[Int($0)] == leaf && $0 != item } ?? mates.isEmpty, "item \(item)")
            if let found, let best { #expect(abs(dot(item, found) - best) <= 1e-5 * max(1, abs(best)), "item \(item)") }
        }
        #expect(index.nearestInLeaf(of: -1) == nil && index.nearestInLeaf(of: Int32(n)) == nil)
        #expect(x.withUnsafeBufferPointer { MIPSIndex(vectors: $0, dimension: d) }.nearestInLeaf(of: 0) == nil, "built without the table")
        let one: [Float] = [1, 2]
        #expect(one.withUnsafeBufferPointer { MIPSIndex(vectors: $0, dimension: 2, nearestInLeaf: true) }.nearestInLeaf(of: 0) == nil, "alone in its leaf")
    }

    /// An index written to an archive and read back searches exactly as before (lists, leaf
    /// mates, bytes); so do an empty index and one without leaf mates.
    @Test func archivedIndexSearchesAsBefore() throws {
        let d = 12, n = 1_500, x = Self.vectors(n, dimension: d, seed: 21), queries = Self.vectors(20, dimension: d, seed: 22)
        var configuration = MIPSIndex.Configuration()
        configuration.probes = 5
        let index = x.withUnsafeBufferPointer { MIPSIndex(vectors: $0, dimension: d, configuration: configuration, nearestInLeaf: true) }
        let read = try Self.roundTrip(index)
        #expect(read.leaves == index.leaves && read.bytes == index.bytes && read.configuration == index.configuration && read.buildSeconds == index.buildSeconds)
        let score = { (q: [Float], item: Int32) in q.withUnsafeBufferPointer { qb in x.withUnsafeBufferPointer { LinearAlgebra.dot(qb.baseAddress!, $0.baseAddress! + Int(item) * d, count: d) } } }
        for k in 0..<20 {
            let q = Array(queries[(k * d)..<((k + 1) * d)])
            let before = q.withUnsafeBufferPointer { index.search($0.baseAddress!, count: 10, admits: { $0 % 5 != 0 }, exact: { score(q, $0) }) }
            let after = q.withUnsafeBufferPointer { read.search($0.baseAddress!, count: 10, admits: { $0 % 5 != 0 }, exact: { score(q, $0) }) }
            #expect(before == after && before.count == 10, "query \(k)")
        }
        #expect((0..<Int32(n)).allSatisfy { read.nearestInLeaf(of: $0) == index.nearestInLeaf(of: $0) })
        let none: [Float] = []
        let empty = try Self.roundTrip(none.withUnsafeBufferPointer { MIPSIndex(vectors: $0, dimension: 3) })
        #expect(empty.itemCount == 0 && empty.search([1, 1, 1], count: 5, admits: { _ in true }, exact: { _ in 1 }).isEmpty)
        let plain = try Self.roundTrip(x.withUnsafeBufferPointer { MIPSIndex(vectors: $0, dimension: d) })
        #expect(plain.nearestInLeaf(of: 0) == nil && plain.itemCount == n)
    }

    /// A damaged or hostile index section is a format error naming the file, never a trap: each
    /// case changes one value of a valid archive.
    @Test(arguments: ["layout", "shape", "mean", "radius", "starts", "overflow", "slot", "twice", "missing", "scale", "mate", "settings"])
    func damagedIndexesAreRefused(damage: String) throws {
        let d = 4, n = 300, x = Self.vectors(n, dimension: d, seed: 23)
        let index = x.withUnsafeBufferPointer { MIPSIndex(vectors: $0, dimension: d, nearestInLeaf: true) }
        let path = try Self.written(index)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var reader = try ArchiveReader(path: path, magic: "TACITTST", supportedVersion: 1)
        var head: [Int64] = try reader.read().array, reals: [Double] = try reader.read().array
        var means: [Float] = try reader.read().array, radii: [Float] = try reader.read().array
        var starts: [Int64] = try reader.read().array, slots: [Int32] = try reader.read().array
        let table: [Int8] = try reader.read().array
        var scales: [Float] = try reader.read().array, mates: [Int32] = try reader.read().array
        switch damage {
        case "layout": head[0] = 99
        case "shape": head[2] = 0
        case "mean": means[3] = .nan
        case "radius": radii[0] = -1
        case "starts": starts[1] = starts[2] + 1
        case "overflow": starts[starts.count - 1] = .max
        case "slot": slots[slots.firstIndex { $0 >= 0 }!] = Int32(n)
        case "twice": slots[slots.lastIndex { $0 >= 0 }!] = slots[slots.firstIndex { $0 >= 0 }!]
        case "missing": slots[slots.firstIndex { $0 >= 0 }!] = -1
        case "scale": scales[2] = .infinity
        case "mate": mates[5] = 5
        default: reals[0] = .nan
        }
        let bad = path + "-bad"
        defer { try? FileManager.default.removeItem(atPath: bad) }
        var out = try ArchiveWriter(path: bad, magic: "TACITTST", version: 1)
        out.write(array: head); out.write(array: reals); out.write(array: means); out.write(array: radii); out.write(array: starts)
        out.write(array: slots); out.write(array: table); out.write(array: scales); out.write(array: mates)
        try out.finish()
        var badReader = try ArchiveReader(path: bad, magic: "TACITTST", supportedVersion: 1)
        let error = #expect(throws: TacitError.self) { _ = try MIPSIndex.unarchive(from: &badReader) }
        #expect(error?.description.hasPrefix(bad + ": ") == true, "\(String(describing: error))")
    }

    /// `index` written to a temporary archive and read back.
    static func roundTrip(_ index: MIPSIndex) throws -> MIPSIndex {
        let path = try written(index)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var reader = try ArchiveReader(path: path, magic: "TACITTST", supportedVersion: 1)
        let read = try MIPSIndex.unarchive(from: &reader)
        #expect(reader.isAtEnd)
        return read
    }

    /// The path of a temporary archive holding `index` (the caller removes it).
    static func written(_ index: MIPSIndex) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tacit-index-\(UUID().uuidString)").path
        var writer = try ArchiveWriter(path: path, magic: "TACITTST", version: 1)
        index.archive(into: &writer)
        try writer.finish()
        return path
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
