import TacitCore
import Testing
import TacitEvaluation
@testable import TacitServing

@Suite("SceneRanker")
struct SceneRankerTests {
    private func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) < 1e-12 }

    // MARK: - Blend

    @Test func blendsByRankWithWeights() {
        // personal [0,1,2,3] → 1, .75, .5, .25; trending ×0.8 [2,4] → .8, .4.
        let scene = plainScene([SourceWeight(.personal), SourceWeight(.trending, weight: 0.8)])
        let catalog = MemoryCatalog(count: 5)
        let lists: [CandidateSourceKind: [Candidate]] = [.personal: candidates([0, 1, 2, 3]), .trending: candidates([2, 4])]
        let all = SceneRanker(scene: scene).rank(count: 5, sources: lists, fallbacks: [:], catalog: catalog)
        #expect(all.map(\.item) == [2, 0, 1, 4, 3])
        for (got, want) in zip(all.map(\.score), [1.3, 1.0, 0.75, 0.4, 0.25]) { #expect(close(got, want)) }
        #expect(all.map(\.source) == [.trending, .personal, .personal, .trending, .personal])

        let top = SceneRanker(scene: scene).rank(count: 3, sources: lists, fallbacks: [:], catalog: catalog)
        #expect(top.map(\.item) == [2, 0, 1])
    }

    /// The ranking stage by hand: the blend [2, 0, 1, 4, 3] re-ordered by the scores 4 > 3 = 3
    /// (ties by the blend: 1 before 4) with 0 unscorable (NaN, after the scored ones); scores
    /// become 1 − r/5; the explaining source stays the blend's. Off, the closure is not asked.
    @Test func rankingStageReordersTheBlend() {
        var scene = plainScene([SourceWeight(.personal), SourceWeight(.trending, weight: 0.8)])
        scene.ranker = true
        let lists: [CandidateSourceKind: [Candidate]] = [.personal: candidates([0, 1, 2, 3]), .trending: candidates([2, 4])]
        let scores: [Int32: Float] = [0: .nan, 1: 3, 2: 1, 3: 4, 4: 3]
        var asked: [Int32] = []
        let ranked = SceneRanker(scene: scene).rank(count: 5, sources: lists, fallbacks: [:], catalog: MemoryCatalog(count: 5),
                                                   rerank: { items in asked = items; return items.map { scores[$0]! } })
        #expect(Set(asked) == [0, 1, 2, 3, 4])
        #expect(ranked.map(\.item) == [3, 1, 4, 2, 0])
        for (got, want) in zip(ranked.map(\.score), [1.0, 0.8, 0.6, 0.4, 0.2]) { #expect(close(got, want)) }
        #expect(ranked.map(\.source) == [.personal, .personal, .trending, .trending, .personal])
        scene.ranker = false
        let blended = SceneRanker(scene: scene).rank(count: 5, sources: lists, fallbacks: [:], catalog: MemoryCatalog(count: 5),
                                                    rerank: { _ in Issue.record("the stage is off"); return [] })
        #expect(blended.map(\.item) == [2, 0, 1, 4, 3])
    }

    @Test func limitCutsASourceBeforeNormalising() {
        // personal limited to 2: [0,1] → 1, .5; trending ×0.8 [2,4] → .8, .4.
        let scene = plainScene([SourceWeight(.personal, limit: 2), SourceWeight(.trending, weight: 0.8)])
        let lists: [CandidateSourceKind: [Candidate]] = [.personal: candidates([0, 1, 2, 3]), .trending: candidates([2, 4])]
        let result = SceneRanker(scene: scene).rank(count: 10, sources: lists, fallbacks: [:], catalog: MemoryCatalog(count: 5))
        #expect(result.map(\.item) == [0, 2, 1, 4])
        for (got, want) in zip(result.map(\.score), [1.0, 0.8, 0.5, 0.4]) { #expect(close(got, want)) }
    }

    @Test func defaultLimitIsFourTimesCount() {
        let scene = plainScene([SourceWeight(.personal)])
        let lists: [CandidateSourceKind: [Candidate]] = [.personal: candidates(Array(0..<20))]
        let result = SceneRanker(scene: scene).rank(count: 2, sources: lists, fallbacks: [:], catalog: MemoryCatalog(count: 20))
        // 8 candidates taken: rank 1 scores 1 − 1/8.
        #expect(result.map(\.item) == [0, 1])
        #expect(close(result[1].score, 0.875))
    }

    @Test func tiesKeepLowerItemAndEarlierSource() {
        let scene = plainScene([SourceWeight(.personal), SourceWeight(.similar)])
        let lists: [CandidateSourceKind: [Candidate]] = [
            .personal: [Candidate(item: 1, score: 2, anchor: 7), Candidate(item: 0, score: 1, anchor: 8)],
            .similar: [Candidate(item: 0, score: 2, anchor: 9), Candidate(item: 1, score: 1, anchor: 6)],
        ]
        let ranker = SceneRanker(scene: scene)
        let result = ranker.rank(count: 2, sources: lists, fallbacks: [:], catalog: MemoryCatalog(count: 10))
        #expect(result.map(\.item) == [0, 1])  // both 1.5
        #expect(result.map(\.source) == [.similar, .personal])
        #expect(result[0].explanation == "similar to i9")
        #expect(result[1].explanation == "because you viewed i7")

        // Equal contributions: the earlier source of the scene explains the item.
        let equal: [CandidateSourceKind: [Candidate]] = [.personal: candidates([5]), .similar: candidates([5])]
        #expect(ranker.rank(count: 1, sources: equal, fallbacks: [:], catalog: MemoryCatalog(count: 10)).first?.source == .personal)
    }

    @Test func duplicatesWithinAListCountOnce() {
        let scene = plainScene([SourceWeight(.personal)])
        let lists: [CandidateSourceKind: [Candidate]] = [.personal: candidates([0, 0, 1])]
        let result = SceneRanker(scene: scene).rank(count: 5, sources: lists, fallbacks: [:], catalog: MemoryCatalog(count: 2))
        #expect(result.map(\.item) == [0, 1])
        #expect(close(result[0].score, 1) && close(result[1].score, 1.0 / 3))
    }

    @Test func countIsResolvedAndClamped() {
        let scene = SceneConfig(sources: [SourceWeight(.personal)], fallback: [], count: 2, maxCount: 3)
        let lists: [CandidateSourceKind: [Candidate]] = [.personal: candidates(Array(0..<10))]
        let ranker = SceneRanker(scene: scene)
        let catalog = MemoryCatalog(count: 10)
        #expect(ranker.rank(sources: lists, fallbacks: [:], catalog: catalog).count == 2)
        #expect(ranker.rank(count: 10, sources: lists, fallbacks: [:], catalog: catalog).count == 3)
        #expect(ranker.rank(count: 0, sources: lists, fallbacks: [:], catalog: catalog).isEmpty)
    }

    @Test func unvalidatedScenesDoNotTrap() {
        var scene = plainScene([SourceWeight(.personal, weight: 0), SourceWeight(.similar, limit: -3), SourceWeight(.trending, weight: .nan)])
        scene.diversity = .init(mmrLambda: 7, maxPerCategory: -1)
        scene.fallback = [.popular]
        let lists: [CandidateSourceKind: [Candidate]] = [
            .personal: candidates([0, 1]), .similar: candidates([2]), .trending: candidates([3]), .popular: candidates([4, 5]),
        ]
        let result = SceneRanker(scene: scene).rank(count: 2, sources: lists, fallbacks: lists, catalog: MemoryCatalog(count: 6))
        #expect(result.map(\.item) == [4, 5])
    }

    // MARK: - Filters

    /// 0 unavailable, 1 no record, 2 Kitchen 10, 3 garden 20, 4 no category 5, 5 KITCHEN no
    /// price, 6 Kitchen 30, 7 Garden 15.
    private let filterCatalog = MemoryCatalog([
        ItemRecord(id: "i0", category: "Kitchen", price: 10, available: false),
        nil,
        ItemRecord(id: "i2", category: "Kitchen", price: 10),
        ItemRecord(id: "i3", category: "garden", price: 20),
        ItemRecord(id: "i4", price: 5),
        ItemRecord(id: "i5", category: "KITCHEN"),
        ItemRecord(id: "i6", category: "Kitchen", price: 30),
        ItemRecord(id: "i7", category: "Garden", price: 15),
    ])

    private func filtered(
        _ filters: SceneConfig.Filters, request: RequestFilters = .init(), history: [HistoryEvent] = [], context: [Int32] = []
    ) -> [Int32] {
        let lists: [CandidateSourceKind: [Candidate]] = [.personal: candidates([0, 1, 2, 3, 4, 5, 6, 7, 99, -1])]
        return SceneRanker(scene: plainScene([SourceWeight(.personal)], filters: filters))
            .rank(count: 20, sources: lists, fallbacks: [:], catalog: filterCatalog, history: history, context: context, filters: request)
            .map(\.item)
    }

    private let none = SceneConfig.Filters(availableOnly: false, excludePurchased: false, excludeContext: false)

    @Test func availabilityFilter() {
        #expect(filtered(none) == [0, 1, 2, 3, 4, 5, 6, 7])  // out-of-catalog 99 and -1 never pass
        var filters = none
        filters.availableOnly = true
        #expect(filtered(filters) == [1, 2, 3, 4, 5, 6, 7])  // no record counts as available
    }

    @Test func categoryFilterIsCaseInsensitive() {
        var filters = none
        filters.categories = ["kitchen"]
        #expect(filtered(filters) == [0, 2, 5, 6])
        #expect(filtered(filters, request: .init(categories: ["GARDEN"])) == [3, 7])  // the request replaces the scene's
        #expect(filtered(none, request: .init(categories: ["Garden", "Kitchen"])) == [0, 2, 3, 5, 6, 7])
    }

    @Test func priceFilterIsInclusiveAndNeedsAPrice() {
        var filters = none
        filters.minPrice = 10
        filters.maxPrice = 20
        #expect(filtered(filters) == [0, 2, 3, 7])
        #expect(filtered(filters, request: .init(minPrice: 15)) == [3, 7])
        #expect(filtered(none, request: .init(maxPrice: 10)) == [0, 2, 4])
    }

    @Test func historyFilters() {
        let history = [
            HistoryEvent(item: 2, kind: .view, timestamp: 1), HistoryEvent(item: 3, kind: .purchase, timestamp: 2),
            HistoryEvent(item: 4, kind: .addToCart, timestamp: 3), HistoryEvent(item: 6, kind: "Purchase", timestamp: 4),
        ]
        var filters = none
        filters.excludePurchased = true
        #expect(filtered(filters, history: history) == [0, 1, 2, 4, 5, 7])
        filters.excludeSeen = true
        #expect(filtered(filters, history: history) == [0, 1, 5, 7])
        #expect(filtered(none, history: history) == [0, 1, 2, 3, 4, 5, 6, 7])
    }

    @Test func contextAndExplicitExclusions() {
        var filters = none
        filters.excludeContext = true
        #expect(filtered(filters, context: [5, 1]) == [0, 2, 3, 4, 6, 7])
        #expect(filtered(none, context: [5, 1]) == [0, 1, 2, 3, 4, 5, 6, 7])
        #expect(filtered(none, request: .init(excluded: [6, 0])) == [1, 2, 3, 4, 5, 7])
    }

    // MARK: - Diversity

    @Test func mmrPrefersADissimilarItemOnlyWhenLambdaBelowOne() {
        // rel 1, 2/3, 1/3; item 1 is a near-duplicate of item 0.
        let similarity: (Int32, Int32) -> Double? = { a, b in Set([a, b]) == [0, 1] ? 0.95 : 0 }
        let lists: [CandidateSourceKind: [Candidate]] = [.personal: candidates([0, 1, 2])]
        func ranked(_ lambda: Double, count: Int) -> [Int32] {
            SceneRanker(scene: plainScene([SourceWeight(.personal)], diversity: .init(mmrLambda: lambda)))
                .rank(count: count, sources: lists, fallbacks: [:], catalog: MemoryCatalog(count: 3), similarity: similarity)
                .map(\.item)
        }
        // λ = 0.5: item 1 scores .5·2/3 − .5·.95 < 0, item 2 scores .5·1/3.
        #expect(ranked(0.5, count: 2) == [0, 2])
        #expect(ranked(0.5, count: 3) == [0, 2, 1])
        #expect(ranked(1, count: 2) == [0, 1])
        // λ = 0.9: .9·2/3 − .1·.95 = .505 > .9·1/3.
        #expect(ranked(0.9, count: 2) == [0, 1])
    }

    @Test func mmrFallsBackToCategoriesAndClampsSimilarity() {
        let catalog = MemoryCatalog([
            ItemRecord(id: "i0", category: "A"), ItemRecord(id: "i1", category: "A"), ItemRecord(id: "i2", category: "B"),
        ])
        let lists: [CandidateSourceKind: [Candidate]] = [.personal: candidates([0, 1, 2])]
        let ranker = SceneRanker(scene: plainScene([SourceWeight(.personal)], diversity: .init(mmrLambda: 0.5)))
        #expect(ranker.rank(count: 3, sources: lists, fallbacks: [:], catalog: catalog).map(\.item) == [0, 2, 1])
        // Negative similarities count as 0, not as a bonus.
        let negative = ranker.rank(count: 3, sources: lists, fallbacks: [:], catalog: catalog) { _, _ in -5 }
        #expect(negative.map(\.item) == [0, 1, 2])
        // The scores stay the blended relevance.
        #expect(negative.map(\.score).elementsEqual([1, 2.0 / 3, 1.0 / 3], by: close))
    }

    @Test func categoryCapAndItsRelaxation() {
        var records = (0..<4).map { ItemRecord(id: "i\($0)", category: "Kitchen") }
        records += (4..<6).map { ItemRecord(id: "i\($0)", category: "Garden") }
        records += [ItemRecord(id: "i6"), ItemRecord(id: "i7")]
        let catalog = MemoryCatalog(records)
        let ranker = SceneRanker(scene: plainScene([SourceWeight(.personal)], diversity: .init(maxPerCategory: 2)))
        let kitchenFirst: [CandidateSourceKind: [Candidate]] = [.personal: candidates([0, 1, 2, 3, 4, 5])]
        #expect(ranker.rank(count: 4, sources: kitchenFirst, fallbacks: [:], catalog: catalog).map(\.item) == [0, 1, 4, 5])
        // Nothing else left: the cap gives way rather than return fewer.
        #expect(ranker.rank(count: 6, sources: kitchenFirst, fallbacks: [:], catalog: catalog).map(\.item) == [0, 1, 4, 5, 2, 3])
        // Items without a category are never capped.
        let uncategorised: [CandidateSourceKind: [Candidate]] = [.personal: candidates([6, 7, 0, 1, 2])]
        #expect(ranker.rank(count: 4, sources: uncategorised, fallbacks: [:], catalog: catalog).map(\.item) == [6, 7, 0, 1])
    }

    @Test func cappedFallbackComesBeforeRelaxingTheCap() {
        let catalog = MemoryCatalog([
            ItemRecord(id: "i0", category: "Kitchen"), ItemRecord(id: "i1", category: "Kitchen"),
            ItemRecord(id: "i2", category: "Kitchen"), ItemRecord(id: "i3", category: "Garden"),
        ])
        let scene = plainScene([SourceWeight(.personal)], diversity: .init(maxPerCategory: 1), fallback: [.popular])
        let result = SceneRanker(scene: scene).rank(
            count: 4, sources: [.personal: candidates([0, 1])], fallbacks: [.popular: candidates([2, 3])], catalog: catalog)
        // Blended first (0, then 1 once the cap is relaxed), then backfill (3, then the held-back 2).
        #expect(result.map(\.item) == [0, 1, 3, 2])
        #expect(result.map(\.source) == [.personal, .personal, .popular, .popular])
        #expect(result.map(\.score).elementsEqual([1, 0.5, 0.5 * 2 / 3, 0.5 / 3], by: close))
    }

    // MARK: - Backfill

    /// Items 0-6; 3 is unavailable; categories alternate Kitchen / Garden.
    private let backfillCatalog = MemoryCatalog((0..<7).map {
        ItemRecord(id: "i\($0)", title: "Item \($0)", category: $0 % 2 == 0 ? "Kitchen" : "Garden", available: $0 != 3)
    })

    private func backfilled(count: Int) -> [RankedItem] {
        let scene = plainScene(
            [SourceWeight(.personal)], filters: .init(excludeSeen: true), fallback: [.trending, .popular])
        let fallbacks: [CandidateSourceKind: [Candidate]] = [
            .trending: candidates([1, 2, 0, 3, 4]), .popular: candidates([4, 5, 6]),
        ]
        return SceneRanker(scene: scene).rank(
            count: count, sources: [.personal: candidates([0, 1])], fallbacks: fallbacks, catalog: backfillCatalog,
            history: [HistoryEvent(item: 1, kind: .view, timestamp: 1)])
    }

    @Test func backfillFillsExactlyCountUnderTheSameFilters() {
        let result = backfilled(count: 4)
        // 1 was seen, 0 is already in, 3 is unavailable.
        #expect(result.map(\.item) == [0, 2, 4, 5])
        #expect(result.map(\.source) == [.personal, .trending, .trending, .popular])
        #expect(result.map(\.score).elementsEqual([1, 0.75, 0.5, 0.25], by: close))
        #expect(result.map(\.explanation) == ["recommended for you", "trending in Kitchen", "trending in Kitchen", "popular in Garden"])
    }

    @Test func fewerWhenEvenTheFallbacksRunOut() {
        #expect(backfilled(count: 10).map(\.item) == [0, 2, 4, 5, 6])
    }

    @Test func fallbackAloneWhenNoSourceHasCandidates() {
        let scene = plainScene([SourceWeight(.personal)], fallback: [.popular])
        let result = SceneRanker(scene: scene).rank(
            count: 2, sources: [:], fallbacks: [.popular: candidates([3, 1, 2])], catalog: MemoryCatalog(count: 4))
        #expect(result.map(\.item) == [3, 1])
        #expect(result.map(\.score).elementsEqual([2.0 / 3, 1.0 / 3], by: close))
        #expect(result.map(\.explanation) == ["popular", "popular"])
    }
}

/// `tacit evaluate --allow-repeats` blends offline with the scene's formula: the same lists give
/// the same order as ``SceneRanker`` (online and offline cannot drift apart).
@Suite struct OfflineBlendMatchesSceneTests {
    @Test func offlineBlendOrdersAsTheScene() {
        var generator = SeededGenerator(seed: 11)
        for trial in 0..<50 {
            let n = 40
            let a = Array((0..<Int32(n)).shuffled(using: &generator).prefix(Int.random(in: 1...20, using: &generator)))
            let b = Array((0..<Int32(n)).shuffled(using: &generator).prefix(Int.random(in: 1...20, using: &generator)))
            let weight = [0.5, 1, 1.5, 2][trial % 4], limit = 12
            let scene = plainScene([SourceWeight(.personal, limit: limit), SourceWeight(.popular, weight: weight, limit: limit)], count: n)
            let online = SceneRanker(scene: scene).rank(count: n, sources: [.personal: candidates(a), .popular: candidates(b)], fallbacks: [:],
                                                        catalog: MemoryCatalog(count: n)).map(\.item)
            let offline = RepeatBlend.blend([(a.map { ScoredItem(item: $0, score: 0) }, 1), (b.map { ScoredItem(item: $0, score: 0) }, weight)],
                                            limit: limit, count: n).map(\.item)
            #expect(online == offline, "trial \(trial)")
        }
    }
}
