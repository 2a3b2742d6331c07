import Foundation
import Testing
import TacitCore
import TacitTestSupport
@testable import TacitModels

/// Inner-product models retrieving through the index (``RetrievalSettings``): the same lists as
/// exact scoring when every leaf is probed, for single users, batches, fold-in and a ranker's
/// sources; untouched below the threshold or with `exact`.
@Suite struct RetrievalModelTests {
    static func settings(_ mode: RetrievalSettings.Mode, everything: Bool) -> RetrievalSettings {
        var settings = RetrievalSettings()
        settings.mode = mode
        if everything {
            settings.index.probes = 1_000_000
            settings.index.rescore = 1_000_000
        }
        return settings
    }

    @Test(arguments: ["als", "bpr"])
    func indexWithEveryLeafEqualsExactScoring(model name: String) async throws {
        let data = Fixtures.randomBlocks(users: 80, items: 300, perUser: 12)
        let descriptor = try ModelCatalog.descriptor(named: name)
        let exact = try await descriptor.trainer(try descriptor.parameters(from: ["factors=8"]), threads: 1).fit(data)
        let indexed = Self.settings(.index, everything: true).prepare(exact)
        let index = try #require(RetrievalSettings.index(of: indexed))
        #expect(index.itemCount == data.itemCount && index.leaves == Int(Double(data.itemCount).squareRoot().rounded()))
        #expect(RetrievalSettings.index(of: exact) == nil)
        let users = (0..<80).map { UserIndex($0) }
        let filter = ItemFilter(excludeHistory: true, excluded: [3, 5, 8], allowed: { $0 % 3 != 0 })
        for user in users {
            #expect(indexed.recommend(for: user, count: 10, filter: filter) == exact.recommend(for: user, count: 10, filter: filter), "user \(user)")
        }
        // The exact batch scores by matrix products (another summation order): the same items, scores within rounding.
        let batch = indexed.recommendAll(users: users, count: 10, filter: .excludingHistory, threads: 2)
        let reference = exact.recommendAll(users: users, count: 10, filter: .excludingHistory, threads: 2)
        for (found, expected) in zip(batch, reference) {
            #expect(found.map(\.item) == expected.map(\.item) && zip(found, expected).allSatisfy { abs($0.score - $1.score) <= 1e-5 * max(1, abs($1.score)) })
        }
        // Fold-in retrieves through the same index.
        let history = SparseVector(pairs: [(4, 1), (17, 2), (90, 1)])
        let foldIn = try #require(exact as? any FoldIn), foldedIndexed = try #require(indexed as? any FoldIn)
        #expect(foldedIndexed.recommend(history: history, count: 10, filter: .excludingHistory) == foldIn.recommend(history: history, count: 10, filter: .excludingHistory))
        // Similar items (cosine) through their own index: with every leaf probed the exact lists.
        let similar = try #require(exact as? any ItemSimilarity), similarIndexed = try #require(indexed as? any ItemSimilarity)
        for item in stride(from: 0, to: data.itemCount, by: 7) {
            #expect(similarIndexed.similarItems(to: ItemIndex(item), count: 8, filter: filter) == similar.similarItems(to: ItemIndex(item), count: 8, filter: filter),
                    "item \(item)")
        }
        #expect(similarIndexed.similarItems(to: -1, count: 5, filter: .none).isEmpty && similarIndexed.similarItems(to: 1_000_000, count: 5, filter: .none).isEmpty)
        // With the default probes, still `count` items that pass the filter.
        let quick = RetrievalSettings.settings(.index).prepare(exact)
        for user in users.prefix(20) {
            let list = quick.recommend(for: user, count: 10, filter: filter)
            #expect(list.count == 10 && list.allSatisfy { filter.admits($0.item) && !data.row(Int(user)).items.contains($0.item) })
        }
    }

    /// The nearest item (for telling how close an item's neighbours are): without an index the
    /// first similar item; through the similar-items index the best of the item's own leaf — never
    /// the item, never more similar than the true nearest, as similar as the true nearest for most
    /// items, and for every item when the index has one leaf.
    @Test(arguments: [("als", "factors=8"), ("twotower", "dimension=8")])
    func nearestItemThroughTheOwnLeaf(model name: String, parameter: String) async throws {
        let data = Fixtures.randomBlocks(users: 80, items: 400, perUser: 12)
        let descriptor = try ModelCatalog.descriptor(named: name)
        let exact = try await descriptor.trainer(try descriptor.parameters(from: [parameter]), threads: 1).fit(data)
        let plain = try #require(exact as? any ItemSimilarity & InnerProductModel)
        let indexed = try #require(Self.settings(.index, everything: false).prepare(exact) as? any ItemSimilarity & InnerProductModel)
        var oneLeaf = Self.settings(.index, everything: false)
        oneLeaf.index.leaves = 1
        let single = try #require(oneLeaf.prepare(exact) as? any ItemSimilarity)
        // Items of one block have nearly equal vectors: a tie within rounding may go either way.
        var same = 0
        for item in (0..<data.itemCount).map({ ItemIndex($0) }) {
            let truth = try #require(plain.similarItems(to: item, count: 1, filter: .none).first)
            #expect(plain.nearestItem(to: item) == truth.item)
            let whole = try #require(single.nearestItem(to: item))
            #expect(whole != item && abs(plain.scorer.cosine(item, whole) - truth.score) <= 1e-5, "item \(item): one leaf holds every item")
            let found = try #require(indexed.nearestItem(to: item))
            let similarity = plain.scorer.cosine(item, found)
            #expect(found != item && similarity <= truth.score + 1e-5)
            if similarity >= truth.score - 1e-5 { same += 1 }
        }
        #expect(Double(same) / Double(data.itemCount) >= 0.6, "\(same) of \(data.itemCount) own-leaf nearest items are the true nearest")
        #expect(indexed.nearestItem(to: -1) == nil && indexed.nearestItem(to: ItemIndex(data.itemCount)) == nil)
    }

    /// A model saved with its indexes attached keeps them: the load reads them (the same build,
    /// the same lists as before saving); settings that build alike only change the search
    /// settings; other leaves rebuild; exact drops them; a model saved without indexes loads
    /// without any.
    @Test func indexesAreSavedInTheModelFile() async throws {
        let data = Fixtures.randomBlocks(users: 60, items: 400, perUser: 10)
        let parameters = try ImplicitALS.descriptor.parameters(from: ["factors=8"])
        let model = try await ImplicitALS.descriptor.trainer(parameters, threads: 1).fit(data)
        let indexed = Self.settings(.index, everything: false).prepare(model)
        let built = try #require(RetrievalSettings.indexes(of: indexed))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tacit-saved-index-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try ModelFile.save(indexed, name: "als", parameters: parameters, to: directory + "/with.tacit")
        try ModelFile.save(model, name: "als", parameters: parameters, to: directory + "/without.tacit")
        let loaded = try ModelFile.load(from: directory + "/with.tacit").model
        let read = try #require(RetrievalSettings.indexes(of: loaded))
        #expect(read.personal.buildSeconds == built.personal.buildSeconds && read.personal.bytes == built.personal.bytes)
        #expect(read.similar?.bytes == built.similar?.bytes && read.similar?.nearestInLeaf(of: 3) == built.similar?.nearestInLeaf(of: 3))
        let filter = ItemFilter(excludeHistory: true, excluded: [1, 2], allowed: nil)
        for user in 0..<60 {
            #expect(loaded.recommend(for: UserIndex(user), count: 10, filter: filter) == indexed.recommend(for: UserIndex(user), count: 10, filter: filter))
        }
        let kept = Self.settings(.index, everything: false).prepare(loaded)
        #expect(RetrievalSettings.index(of: kept)?.buildSeconds == built.personal.buildSeconds, "the same settings read the saved index")
        var moreProbes = Self.settings(.index, everything: false)
        moreProbes.index.probes = 7
        let searched = try #require(RetrievalSettings.index(of: moreProbes.prepare(loaded)))
        #expect(searched.buildSeconds == built.personal.buildSeconds && searched.defaultProbes == 7, "probes only steer the search")
        var otherLeaves = Self.settings(.index, everything: false)
        otherLeaves.index.leaves = 5
        #expect(RetrievalSettings.index(of: otherLeaves.prepare(loaded))?.leaves == 5)
        #expect(RetrievalSettings.index(of: Self.settings(.exact, everything: false).prepare(loaded)) == nil)
        #expect(RetrievalSettings.index(of: try ModelFile.load(from: directory + "/without.tacit").model) == nil)
    }

    @Test func thresholdAndExactModeKeepExactScoring() async throws {
        let data = Fixtures.randomBlocks(users: 30, items: 100, perUser: 8)
        let model = try await ImplicitALS.descriptor.trainer(try ImplicitALS.descriptor.parameters(from: ["factors=4"]), threads: 1).fit(data)
        var auto = RetrievalSettings()
        #expect(RetrievalSettings.index(of: auto.prepare(model)) == nil, "\(data.itemCount) items: below the default threshold")
        auto.threshold = data.itemCount
        let indexed = auto.prepare(model)
        #expect(RetrievalSettings.index(of: indexed) != nil)
        #expect(RetrievalSettings.index(of: Self.settings(.exact, everything: false).prepare(indexed)) == nil, "exact drops an index")
        #expect(RetrievalSettings.index(of: auto.prepare(indexed))?.buildSeconds == RetrievalSettings.index(of: indexed)?.buildSeconds,
                "the same settings keep the index built")
        let popular = try await Popularity.descriptor.trainer(Popularity.descriptor.defaults, threads: 1).fit(data)
        #expect(RetrievalSettings.index(of: Self.settings(.index, everything: false).prepare(popular)) == nil, "not an inner-product model")
        var invalid = RetrievalSettings()
        invalid.index.rescore = 0
        #expect(throws: TacitError.self) { try invalid.validate() }
    }

    /// A ranker's inner-product sources retrieve through the index; with every leaf probed its
    /// lists are the exact ones.
    @Test func rankerSourcesUseTheIndex() async throws {
        let data = Fixtures.randomBlocks(users: 60, items: 120, perUser: 10)
        let descriptor = Ranker.descriptor
        let parameters = try descriptor.parameters(from: ["rounds=5", "cuts=1", "ease=off", "popular=off", "per_source=10", "als.factors=8"])
        let ranker = try #require(try await descriptor.trainer(parameters, threads: 1).fit(data) as? RankerModel)
        let indexed = try #require(Self.settings(.index, everything: true).prepare(ranker) as? RankerModel)
        #expect(RetrievalSettings.index(of: indexed)?.itemCount == data.itemCount && RetrievalSettings.index(of: ranker) == nil)
        for user in 0..<60 {
            #expect(indexed.recommend(for: UserIndex(user), count: 10, filter: .excludingHistory) == ranker.recommend(for: UserIndex(user), count: 10, filter: .excludingHistory))
        }
    }
}

extension RetrievalSettings {
    static func settings(_ mode: Mode) -> RetrievalSettings {
        var settings = RetrievalSettings()
        settings.mode = mode
        return settings
    }
}
