import Foundation
import Testing
@testable import TacitCore

/// The id cache and the batched sink against a plain ``IDMap`` (the exact reference).
@Suite("Import: id cache and batching")
struct ImportShortIDCacheTests {
    private static func randomID(_ rng: inout SeededGenerator) -> [UInt8] {
        let alphabet = Array("ab0\u{0}é".utf8)
        return (0..<Int.random(in: 1...ShortIDCache.maxLength, using: &rng)).map { _ in
            alphabet[Int.random(in: 0..<alphabet.count, using: &rng)]
        }
    }

    @Test(arguments: [1 << 21, 64])
    func cacheReturnsTheIndicesOfTheMapAcrossGrowthAndWhenFull(maxCapacity: Int) {
        var rng = SeededGenerator(seed: 5)
        let pool = (0..<5000).map { _ in Self.randomID(&rng) }
        let cache = ShortIDCache(capacity: 16, maxCapacity: maxCapacity)
        var cached = IDMap(), reference = IDMap()
        for _ in 0..<40_000 {
            let id = pool[Int.random(in: 0..<pool.count, using: &rng)]
            id.withUnsafeBufferPointer { bytes in
                let key = ShortIDCache.Key(bytes)
                _ = cache.touch(key)
                let index = cache.index(of: key) { cached.intern(bytes: $0) }
                #expect(index == reference.intern(bytes: bytes))
            }
        }
        #expect(cached == reference)
    }

    @Test func idsKeepFirstAppearanceOrderAcrossBatchesAndLongIds() throws {
        var rng = SeededGenerator(seed: 9)
        var rows: [(String, String)] = []
        for n in 0..<500 {
            let user = Bool.random(using: &rng) ? "u\(Int.random(in: 0..<80, using: &rng))"
                : "a-rather-long-user-identifier-\(Int.random(in: 0..<80, using: &rng))"
            rows.append((user, "item-\(n % 37)"))
        }
        let text = "user_id,item_id\n" + rows.map { "\($0.0),\($0.1)" }.joined(separator: "\n")
        let path = try ImportFixtures.write(text, name: "order.csv")
        var log = EventLog()
        _ = try EventImporter().read(path: path, into: &log)
        let reference = EventLog(rows.enumerated().map { Event(user: $1.0, item: $1.1, timestamp: Int64($0 + 1)) })
        #expect(log.users == reference.users)
        #expect(log.items == reference.items)
        #expect(log.userIndices == reference.userIndices)
        #expect(log.itemIndices == reference.itemIndices)
    }

    @Test func anErrorAfterSeveralBatchesKeepsEveryEarlierEvent() throws {
        let good = (0..<150).map { "user\($0 % 7),item\($0)" }.joined(separator: "\n")
        let path = try ImportFixtures.write("user_id,item_id,value\n" + good.replacingOccurrences(of: "\n", with: ",1\n")
            + ",1\nx,y,oops\n", name: "late.csv")
        var log = EventLog()
        let error = ImportFixtures.error { () throws(TacitError) in try EventImporter().read(path: path, into: &log) }
        #expect(error == TacitError.invalidRow(file: path, line: 152, reason: "value 'oops' is not a number"))
        #expect(log.count == 150)
        #expect(log.event(at: 149) == Event(user: "user2", item: "item149", timestamp: 150, value: 1))
    }
}
