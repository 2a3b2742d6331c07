import TacitCore
@testable import TacitServing

/// A tiny in-memory catalog: item `i` has id `"i<i>"` and the record at `records[i]`.
struct MemoryCatalog: CatalogView {
    var records: [ItemRecord?]

    init(_ records: [ItemRecord?]) { self.records = records }

    /// `count` items with records in category `category` (all available, no price).
    init(count: Int, category: String? = nil) {
        records = (0..<count).map { ItemRecord(id: "i\($0)", category: category) }
    }

    var count: Int { records.count }
    func id(_ item: Int32) -> ItemID { "i\(item)" }
    func index(of id: ItemID) -> Int32? {
        guard id.hasPrefix("i"), let value = Int32(id.dropFirst()), Int(value) < records.count else { return nil }
        return value
    }
    func record(_ item: Int32) -> ItemRecord? { records[Int(item)] }
    func facts(_ item: Int32) -> ItemFacts {
        guard let record = records[Int(item)] else { return ItemFacts() }
        // Category ids: the index of the first record with the same category ignoring case.
        let key = record.category?.lowercased()
        let id = key.flatMap { key in records.firstIndex { $0?.category?.lowercased() == key } }.map(Int32.init) ?? -1
        return ItemFacts(available: record.available, price: record.price, category: record.category, categoryID: id)
    }
}

/// Candidates with descending scores, in the order given.
func candidates(_ items: [Int32], anchor: Int32? = nil) -> [Candidate] {
    items.enumerated().map { Candidate(item: $1, score: Double(items.count - $0), anchor: anchor) }
}

/// A scene with no filters beyond the defaults that matter (available only), no diversity and
/// no fallback, unless given.
func plainScene(
    _ sources: [SourceWeight], filters: SceneConfig.Filters = .init(excludePurchased: false, excludeContext: false),
    diversity: SceneConfig.Diversity = .init(), fallback: [CandidateSourceKind] = [], count: Int = 10
) -> SceneConfig {
    SceneConfig(sources: sources, filters: filters, diversity: diversity, fallback: fallback, count: count)
}

/// A small deterministic generator for randomised checks (SplitMix64).
struct TestGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
