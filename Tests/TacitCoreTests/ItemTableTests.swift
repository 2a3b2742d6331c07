import Testing
@testable import TacitCore

@Suite struct ItemTableTests {
    /// Seeded random sets, inserts and reads, growing far past the initial capacity, agree with a
    /// `Dictionary`; `Int32.min` (the empty marker) is never stored.
    @Test func agreesWithADictionary() {
        var random = SeededGenerator(seed: 9)
        let table = ItemTable(capacity: 4)
        var reference: [Int32: Int32] = [:]
        for step in 0..<5_000 {
            let key = Int32(truncatingIfNeeded: Int(random.next() % 700) - 100)
            switch random.next() % 3 {
            case 0:
                table.set(key, Int32(step))
                reference[key] = Int32(step)
            case 1:
                let added = table.insert(key)
                #expect(added == (reference[key] == nil), "insert \(key)")
                if reference[key] == nil { reference[key] = 0 }
            default:
                #expect(table[key] == reference[key] && table.contains(key) == (reference[key] != nil), "read \(key)")
            }
        }
        #expect(table.count == reference.count)
        for (key, value) in reference { #expect(table[key] == value) }
        table.set(Int32.min, 5)
        #expect(!table.insert(Int32.min) && table[Int32.min] == nil && table.count == reference.count)
    }
}
