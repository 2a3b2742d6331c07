import TacitCore
import Testing
@testable import TacitServing

/// The ranker against a naive reference: full greedy MMR over every admissible candidate (no
/// lazy bound), plain loops for the filters, the cap and the backfill, on random scenes.
@Suite("SceneRanker reference")
struct SceneRankerReferenceTests {
    /// One random request.
    private struct Case {
        var scene: SceneConfig
        var count: Int
        var catalog: MemoryCatalog
        var sources: [CandidateSourceKind: [Candidate]]
        var fallbacks: [CandidateSourceKind: [Candidate]]
        var history: [HistoryEvent]
        var context: [Int32]
        var filters: RequestFilters

        /// Deterministic, asymmetric-safe, sometimes unknown, sometimes outside [0, 1].
        func similarity(_ a: Int32, _ b: Int32) -> Double? {
            let (x, y) = (UInt64(UInt32(bitPattern: min(a, b))), UInt64(UInt32(bitPattern: max(a, b))))
            var generator = TestGenerator(state: x &* 1_000_003 &+ y)
            let draw = generator.next()
            if draw % 3 == 0 { return nil }
            return Double(draw >> 11) / Double(1 << 53) * 1.4 - 0.2
        }
    }

    private func randomCase(seed: UInt64) -> Case {
        var g = TestGenerator(state: seed)
        let categories: [String?] = ["Kitchen", "kitchen", "Garden", "Books", nil]
        let itemCount = Int.random(in: 5...60, using: &g)
        let catalog = MemoryCatalog((0..<itemCount).map { index -> ItemRecord? in
            if Int.random(in: 0..<10, using: &g) == 0 { return nil }
            return ItemRecord(
                id: "i\(index)", category: categories.randomElement(using: &g)!,
                price: Bool.random(using: &g) ? Double(Int.random(in: 1...50, using: &g)) : nil,
                available: Int.random(in: 0..<8, using: &g) != 0)
        })
        func list() -> [Candidate] {
            (0..<Int.random(in: 0...40, using: &g)).map { rank in
                Candidate(
                    item: Int32.random(in: -2..<Int32(itemCount + 3), using: &g), score: Double(100 - rank),
                    anchor: Bool.random(using: &g) ? Int32.random(in: 0..<Int32(itemCount), using: &g) : nil)
            }
        }
        let kinds = CandidateSourceKind.allCases.shuffled(using: &g)
        let sources = kinds.prefix(Int.random(in: 1...3, using: &g)).map {
            SourceWeight(
                $0, weight: Double(Int.random(in: 1...20, using: &g)) / 10,
                limit: Bool.random(using: &g) ? Int.random(in: 1...30, using: &g) : nil)
        }
        let lambdas: [Double?] = [nil, 0, 0.3, 0.5, 0.8, 1]
        let filters = SceneConfig.Filters(
            availableOnly: Bool.random(using: &g), excludeSeen: Bool.random(using: &g), excludePurchased: Bool.random(using: &g),
            excludeContext: Bool.random(using: &g),
            categories: Int.random(in: 0..<4, using: &g) == 0 ? ["KITCHEN", "Books"] : nil,
            minPrice: Int.random(in: 0..<5, using: &g) == 0 ? 10 : nil, maxPrice: Int.random(in: 0..<5, using: &g) == 0 ? 40 : nil)
        let scene = SceneConfig(
            sources: sources, filters: filters,
            diversity: .init(
                mmrLambda: lambdas.randomElement(using: &g)!,
                maxPerCategory: Bool.random(using: &g) ? Int.random(in: 1...3, using: &g) : nil),
            fallback: Array(CandidateSourceKind.allCases.shuffled(using: &g).prefix(Int.random(in: 0...2, using: &g))),
            count: 10, maxCount: 30)
        var lists: [CandidateSourceKind: [Candidate]] = [:]
        for kind in CandidateSourceKind.allCases where Bool.random(using: &g) { lists[kind] = list() }
        let kindsOfEvent: [EventKind] = [.view, .click, .addToCart, .purchase]
        return Case(
            scene: scene, count: Int.random(in: 1...20, using: &g), catalog: catalog, sources: lists,
            fallbacks: Bool.random(using: &g) ? lists : [.popular: list(), .trending: list()],
            history: (0..<Int.random(in: 0...10, using: &g)).map {
                HistoryEvent(item: Int32.random(in: 0..<Int32(itemCount), using: &g), kind: kindsOfEvent.randomElement(using: &g)!, timestamp: Int64($0))
            },
            context: (0..<Int.random(in: 0...3, using: &g)).map { _ in Int32.random(in: 0..<Int32(itemCount), using: &g) },
            filters: RequestFilters(
                categories: Int.random(in: 0..<6, using: &g) == 0 ? ["garden"] : nil,
                maxPrice: Int.random(in: 0..<6, using: &g) == 0 ? 25 : nil,
                excluded: (0..<Int.random(in: 0...2, using: &g)).map { _ in Int32.random(in: 0..<Int32(itemCount), using: &g) }))
    }

    /// Whether `item` passes every filter of the case, checked the slow way.
    private func admissible(_ item: Int32, _ c: Case) -> Bool {
        guard item >= 0, Int(item) < c.catalog.count else { return false }
        let f = c.scene.filters
        if c.filters.excluded.contains(item) { return false }
        if f.excludeContext, c.context.contains(item) { return false }
        if f.excludeSeen, c.history.contains(where: { $0.item == item }) { return false }
        if f.excludePurchased, c.history.contains(where: { $0.item == item && $0.kind == .purchase }) { return false }
        let record = c.catalog.record(item)
        if f.availableOnly, record?.available == false { return false }
        if let allowed = c.filters.categories ?? f.categories {
            guard let category = record?.category, allowed.map({ $0.lowercased() }).contains(category.lowercased()) else { return false }
        }
        let minPrice = c.filters.minPrice ?? f.minPrice, maxPrice = c.filters.maxPrice ?? f.maxPrice
        if minPrice != nil || maxPrice != nil {
            guard let price = record?.price else { return false }
            if let minPrice, price < minPrice { return false }
            if let maxPrice, price > maxPrice { return false }
        }
        return true
    }

    /// The reference ranking: items and sources, and how many of them are blended.
    private func reference(_ c: Case) -> (items: [(Int32, CandidateSourceKind)], blended: Int) {
        let target = c.scene.resolvedCount(c.count)
        let f = c.scene.filters
        var relevance: [Int32: Double] = [:]
        var best: [Int32: (Double, CandidateSourceKind)] = [:]
        for entry in c.scene.sources {
            let list = c.sources[entry.source] ?? []
            let length = min(list.count, entry.limit ?? 4 * target)
            var inList: Set<Int32> = []
            for rank in 0..<length {
                let item = list[rank].item
                guard item >= 0, Int(item) < c.catalog.count, inList.insert(item).inserted else { continue }
                // Outright exclusions never enter the pool (so they do not set the MMR scale).
                if c.filters.excluded.contains(item) || (f.excludeContext && c.context.contains(item))
                    || (f.excludeSeen && c.history.contains { $0.item == item })
                    || (f.excludePurchased && c.history.contains { $0.item == item && $0.kind == .purchase }) { continue }
                let contribution = entry.weight / Double(length) * Double(length - rank)
                relevance[item, default: 0] += contribution
                if contribution > (best[item]?.0 ?? -1) { best[item] = (contribution, entry.source) }
            }
        }
        let order = relevance.keys.sorted { relevance[$0]! > relevance[$1]! || (relevance[$0]! == relevance[$1]! && $0 < $1) }
        let scale = order.first.map { 1 / relevance[$0]! } ?? 1
        let lambda = c.scene.diversity.mmrLambda ?? 1
        let cap = c.scene.diversity.maxPerCategory

        var blended: [Int32] = []
        var backfill: [(Int32, CandidateSourceKind)] = []
        var deferred: [(Int32, CandidateSourceKind)] = []
        var perCategory: [String: Int] = [:]
        func category(_ item: Int32) -> String? { c.catalog.record(item)?.category?.lowercased() }  // one category ignoring case
        func capped(_ item: Int32) -> Bool {
            guard let cap, let name = category(item) else { return false }
            return perCategory[name, default: 0] >= cap
        }
        func count(_ item: Int32) { if let name = category(item) { perCategory[name, default: 0] += 1 } }
        func taken(_ item: Int32) -> Bool { blended.contains(item) || backfill.contains { $0.0 == item } }
        func greedy(useCap: Bool) {
            while blended.count + backfill.count < target {
                var pick: Int32?
                var pickScore = -Double.infinity
                for item in order where admissible(item, c) && !taken(item) && !(useCap && capped(item)) {
                    let similarity = blended.map { other -> Double in
                        let value = c.similarity(item, other) ?? (category(item) != nil && category(item) == category(other) ? 1 : 0)
                        return min(max(value, 0), 1)
                    }.max() ?? 0
                    var score = lambda * (relevance[item]! * scale)
                    if lambda < 1 { score -= (1 - lambda) * similarity }
                    if score > pickScore { pick = item; pickScore = score }
                }
                guard let pick else { return }
                blended.append(pick)
                count(pick)
            }
        }
        greedy(useCap: true)
        for kind in c.scene.fallback {
            for candidate in c.fallbacks[kind] ?? [] where blended.count + backfill.count < target {
                let item = candidate.item
                guard admissible(item, c), !taken(item) else { continue }
                if capped(item) { deferred.append((item, kind)); continue }
                backfill.append((item, kind))
                count(item)
            }
        }
        if cap != nil {
            greedy(useCap: false)
            for (item, kind) in deferred where blended.count + backfill.count < target && !taken(item) {
                backfill.append((item, kind))
            }
        }
        return (blended.map { ($0, best[$0]!.1) } + backfill, blended.count)
    }

    @Test(arguments: 0..<40)
    func matchesTheReference(block: Int) {
        for seed in UInt64(block * 25)..<UInt64(block * 25 + 25) {
            let c = randomCase(seed: seed)
            let got = SceneRanker(scene: c.scene).rank(
                count: c.count, sources: c.sources, fallbacks: c.fallbacks, catalog: c.catalog, history: c.history,
                context: c.context, filters: c.filters, similarity: c.similarity)
            let (want, blendedCount) = reference(c)
            #expect(got.map(\.item) == want.map(\.0), "seed \(seed)")
            #expect(got.map(\.source) == want.map(\.1), "seed \(seed)")

            // The invariants, independent of the reference: no duplicate, nothing filtered,
            // exactly count unless the lists hold fewer admissible items.
            #expect(Set(got.map(\.item)).count == got.count, "seed \(seed)")
            #expect(got.allSatisfy { admissible($0.item, c) }, "seed \(seed)")
            var universe: Set<Int32> = []
            for entry in c.scene.sources {
                universe.formUnion((c.sources[entry.source] ?? []).prefix(entry.limit ?? 4 * c.scene.resolvedCount(c.count)).map(\.item))
            }
            for kind in c.scene.fallback { universe.formUnion((c.fallbacks[kind] ?? []).map(\.item)) }
            let available = universe.filter { admissible($0, c) }.count
            #expect(got.count == min(c.scene.resolvedCount(c.count), available), "seed \(seed)")
            // Backfilled items score below every blended item, and their scores decrease.
            if blendedCount < got.count {
                let lowest = got.prefix(blendedCount).map(\.score).min() ?? 1
                let backfilled = got.suffix(from: blendedCount).map(\.score)
                #expect(backfilled.allSatisfy { $0 < lowest && $0 > 0 }, "seed \(seed)")
                #expect(zip(backfilled, backfilled.dropFirst()).allSatisfy { $0 > $1 }, "seed \(seed)")
            }
        }
    }
}
