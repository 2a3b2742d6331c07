import Foundation
import Testing
import TacitCore
import TacitTestSupport
@testable import TacitModels

@Suite struct ContentBasedTests {
    /// Five items tagged a: x y, b: x, c: y z, d: z, e: x (df: x 3, y 2, z 2 of N = 5);
    /// u0 interacted with a and b, u1 with c, d and e.
    static let records = [
        ItemRecord(id: "a", tags: ["x", "y"]), ItemRecord(id: "b", tags: ["X"]), ItemRecord(id: "c", tags: ["y", "z"]),
        ItemRecord(id: "d", tags: ["z"]), ItemRecord(id: "e", tags: ["x "]),
    ]

    static func data() throws -> InteractionMatrix {
        let rows = [("u0", "a"), ("u0", "b"), ("u1", "c"), ("u1", "d"), ("u1", "e")]
        return try WeightingPolicy().matrix(from: EventLog(rows.enumerated().map { Event(user: $1.0, item: $1.1, timestamp: Int64($0)) }))
    }

    /// Cosine alone (no attribute prior): the hand-computed values below are cosines.
    static var cosine: ContentBased.Configuration {
        var configuration = ContentBased.Configuration()
        configuration.priorWeight = 0
        return configuration
    }

    static func fit(_ configuration: ContentBased.Configuration = cosine, records: [ItemRecord] = records) async throws -> ContentModel {
        try await ContentBased(configuration, items: SideInformation(items: records).items).fit(try data(), observer: SilentObserver())
    }

    func close(_ a: Float, _ b: Double, _ tolerance: Float = 1e-6) -> Bool { abs(a - Float(b)) <= tolerance }

    @Test func tfidfProfilesMatchHandComputedValues() async throws {
        let model = try await Self.fit()
        // idf(x) = ln(6/4) + 1 = 1.4054651, idf(y) = idf(z) = ln(6/3) + 1 = 1.6931472; a = (idf x, idf y) / ‖·‖.
        #expect(model.featurizer.features.ids == ["tag:x", "tag:y", "tag:z"])
        #expect(zip(model.featurizer.idf, [1.4054651081, 1.6931471806, 1.6931471806]).allSatisfy { close($0, $1) })
        let a = model.profile(of: 0)
        #expect(a.map(\.feature) == ["tag:x", "tag:y"])
        #expect(close(a[0].value, 0.6387105776) && close(a[1].value, 0.7694470730))
        let c = model.profile(of: 2)
        #expect(close(c[0].value, 0.5.squareRoot()) && close(c[1].value, 0.5.squareRoot()))
        #expect(model.profile(of: 1).map(\.value) == [1])
    }

    @Test func userProfileCosineScoresMatchHandComputedValues() async throws {
        let model = try await Self.fit()
        // u0 = a + b = (1.6387106, 0.7694471) → unit (0.9051825, 0.4250232); e = x, c = (y + z)/√2, d = z.
        let recs = model.recommend(for: 0, count: 3, filter: .excludingHistory)
        #expect(recs.map(\.item) == [4, 2, 3])
        #expect(close(recs[0].score, 0.9051824616) && close(recs[1].score, 0.3005367791) && recs[2].score == 0)
        let folded = model.recommend(history: SparseVector(pairs: [(0, 1), (1, 1)]), count: 3, filter: .excludingHistory)
        #expect(folded == recs)
        // Interaction values weight the profile: b alone scores e at 1.
        let onlyB = model.recommend(history: SparseVector(pairs: [(0, 0), (1, 2)]), count: 1, filter: .excludingHistory)
        #expect(onlyB[0].item == 4 && close(onlyB[0].score, 1))
        #expect(close(model.similarity(0, 2), 0.7694470730 * 0.5.squareRoot()))
        #expect(model.similarItems(to: 2, count: 5, filter: .none).map(\.item) == [3, 0])
    }

    @Test func coldRecordsScoreInTheFittedFeatureSpace() async throws {
        // A record outside the training data, in the catalogue: it counts for IDF (N = 6, df y = 3).
        let cold = ItemRecord(id: "new", tags: ["y", "unknown"])
        let model = try await Self.fit(records: Self.records + [cold])
        let history = SparseVector(pairs: [(0, 1), (1, 1)])
        let scores = model.scores(of: [cold, ItemRecord(id: "bare"), ItemRecord(id: "e2", tags: ["x"])], history: history)
        let profile = model.userProfile(history)
        #expect(close(scores[0], Double(profile.values[1])))
        #expect(scores[1] == 0)
        #expect(close(scores[2], Double(profile.values[0])))
        // Scored like a training item with the same record would be.
        let e = model.recommend(history: history, count: 5, filter: .excludingHistory).first { $0.item == 4 }!
        #expect(close(scores[2], Double(e.score)))
        // A training user (u0 has a and b, weight 1 each) scores like that history.
        #expect(model.scores(of: [cold], for: 0) == model.scores(of: [cold], history: history))
        // Similar items of a record: its own item is never listed; a cold record gets neighbours.
        let c = Self.records.first { $0.id == model.trainingData.items.id(at: 2) }!
        #expect(model.similarItems(to: c, count: 5, filter: .none) == model.similarItems(to: 2, count: 5, filter: .none))
        #expect(!model.similarItems(to: cold, count: 5, filter: .none).isEmpty)
    }

    @Test func featureGroupsAreWeightedAndTitlesTokenised() async throws {
        var configuration = Self.cosine
        configuration.minimumFrequency = 1
        configuration.titleWeight = 0
        let records = [ItemRecord(id: "a", category: "Books", brand: "Acme", tags: ["x"]), ItemRecord(id: "b", tags: ["x"])]
        let model = try await Self.fit(configuration, records: records)
        // Tag 1, category 0.5, brand 0.5: ‖w‖ = √1.5.
        let a = model.profile(of: 0)
        #expect(a.map(\.feature) == ["brand:acme", "category:books", "tag:x"])
        #expect(close(a[0].value, 0.5 / 1.5.squareRoot()) && close(a[1].value, 0.5 / 1.5.squareRoot()) && close(a[2].value, 1 / 1.5.squareRoot()))
        #expect(close(model.similarity(0, 1), 1 / 1.5.squareRoot()))
        #expect(ItemFeaturizer.tokens("The Toy-Story 2 (1995)") == ["the", "toy", "story", "1995"])
        #expect(ItemFeaturizer.quantiles([50, 10, 40, 20, 30], buckets: 5) == [20, 30, 40, 50])
        #expect(ItemFeaturizer.quantiles([7, 7, 7], buckets: 4) == [])
    }

    @Test func withoutItemMetadataTrainingFailsNamingItems() async throws {
        for descriptor in [ContentBased.descriptor, Hybrid.descriptor] {
            #expect(throws: TacitError.missingItemMetadata(model: descriptor.name)) {
                _ = try descriptor.trainer(descriptor.defaults, options: TrainingOptions())
            }
        }
        #expect(TacitError.missingItemMetadata(model: "content").description.contains("--items"))
        await #expect(throws: TacitError.self) {
            _ = try await ContentBased(items: SideInformation(items: [ItemRecord(id: "zzz", tags: ["q"])]).items)
                .fit(try Self.data(), observer: SilentObserver())
        }
    }

    @Test func conformsAndRoundTripsThroughAModelFile() async throws {
        for matrix in [Fixtures.checkerboard(), Fixtures.randomBlocks()] {
            let options = TrainingOptions(threads: 2, side: Fixtures.catalog(for: matrix))
            let model = try await ContentBased.descriptor.trainer(ContentBased.descriptor.defaults, options: options).fit(matrix)
            #expect(ModelConformance.recommender(model).isEmpty)
            #expect(ModelConformance.foldIn(model as! any FoldIn).isEmpty)
            #expect(ModelConformance.similarity(model as! any ItemSimilarity, itemCount: matrix.itemCount).isEmpty)

            let file = Fixtures.temporaryDirectory().appendingPathComponent("content.tacit").path
            try ModelFile.save(model, name: "content", parameters: ContentBased.descriptor.defaults, to: file)
            let loaded = try #require(try ModelFile.load(from: file).model as? ContentModel)
            let original = model as! ContentModel
            let records = Array(options.side.items.values.sorted { $0.id < $1.id }.prefix(5))
            for u in 0..<matrix.userCount {
                #expect(loaded.recommend(for: UserIndex(u), count: 5, filter: .excludingHistory)
                        == original.recommend(for: UserIndex(u), count: 5, filter: .excludingHistory))
                #expect(loaded.scores(of: records, history: matrix.history(of: u)) == original.scores(of: records, history: matrix.history(of: u)))
            }
        }
    }

    /// Two buckets: `tag:x` and `tag:z` hash to bucket 0, `tag:y` to 1 (FNV-1a + splitmix64,
    /// computed in Python). Column `tag:#0` is held by all five records (idf = ln(6/6) + 1 = 1),
    /// `tag:#1` by a and c (idf = ln(6/3) + 1); a (x y) and c (y z) get the same profile.
    @Test func hashedColumnsMatchHandComputedValues() async throws {
        var configuration = Self.cosine
        configuration.hashBuckets = 2
        let model = try await Self.fit(configuration)
        #expect(model.featurizer.features.ids == ["tag:#0", "tag:#1"])
        #expect(zip(model.featurizer.idf, [1, 1.6931471806]).allSatisfy { close($0, $1) })
        let a = model.profile(of: 0), c = model.profile(of: 2)
        #expect(a.map(\.feature) == ["tag:#0", "tag:#1"] && close(a[0].value, 0.5085423204) && close(a[1].value, 0.8610369959))
        #expect(c.map(\.value) == a.map(\.value) && close(model.similarity(0, 2), 1, 1e-5))
        #expect(model.profile(of: 3).map(\.feature) == ["tag:#0"])
        // A new record's unseen tag counts in its bucket's column.
        let bucket = FeatureHashing(buckets: 2)!.bucket("tag:w")
        let cold = model.scores(of: [ItemRecord(id: "new", tags: ["w"])], history: SparseVector(pairs: [(3, 1)]))
        #expect(close(cold[0], bucket == 0 ? 1 : 0))

        // Saved and read back (layout 2, with the buckets).
        let file = Fixtures.temporaryDirectory().appendingPathComponent("hashed-content.tacit").path
        let parameters = try ContentBased.descriptor.parameters(from: ["hash_buckets=2"])
        try ModelFile.save(model, name: "content", parameters: parameters, to: file)
        let loaded = try #require(try ModelFile.load(from: file).model as? ContentModel)
        #expect(loaded.featurizer.hashing == FeatureHashing(buckets: 2))
        #expect(loaded.scores(of: [ItemRecord(id: "new", tags: ["w", "y"])], history: SparseVector(pairs: [(0, 1)]))
                == model.scores(of: [ItemRecord(id: "new", tags: ["w", "y"])], history: SparseVector(pairs: [(0, 1)])))
    }

    /// The attribute prior. a has 3 users, b c d e one each: log(1 + users) is 2 ln 2 for a, ln 2
    /// for the others. Feature means: x (a b e) 4/3 ln 2, y (a c) 3/2 ln 2, z (c d) ln 2; divided by
    /// the largest (y): x 8/9, y 1, z 2/3.
    @Test func thePriorIsThePopularityOfAnItemsFeatures() async throws {
        let rows = [("u0", "a"), ("u1", "a"), ("u2", "a"), ("u0", "b"), ("u1", "c"), ("u2", "d"), ("u2", "e")]
        let data = try WeightingPolicy().matrix(from: EventLog(rows.enumerated().map { Event(user: $1.0, item: $1.1, timestamp: Int64($0)) }))
        var configuration = Self.cosine
        configuration.priorWeight = 0.5
        let model = try await ContentBased(configuration, items: SideInformation(items: Self.records).items).fit(data, observer: SilentObserver())
        #expect(model.featurizer.features.ids == ["tag:x", "tag:y", "tag:z"])
        #expect(zip(model.featurePriors, [8.0 / 9, 1, 2.0 / 3]).allSatisfy { close($0, $1) }, "\(model.featurePriors)")
        // A new item tagged z shares nothing with u0 (a b: x y): its score is its prior alone, 0.5 · 2/3.
        #expect(close(model.scores(of: [ItemRecord(id: "new", tags: ["z"])], for: 0)[0], 1.0 / 3))
        #expect(close(model.scores(of: [ItemRecord(id: "new", tags: ["z"])], history: SparseVector(pairs: []))[0], 1.0 / 3))
        // Training items carry it too: d (z) for u0 scores 1/3; c (y z) scores its cosine with u0 plus
        // 0.5 · (8/9 · 0 + 1 · √½ + 2/3 · √½).
        let list = model.recommend(for: 0, count: 3, filter: .excludingHistory)
        let d = try #require(list.first { $0.item == 3 }), c = try #require(list.first { $0.item == 2 })
        #expect(close(d.score, 1.0 / 3))
        let cosine = model.scores(of: [ItemRecord(id: "c2", tags: ["y", "z"])], for: 0)[0] - Float(0.5 * (5.0 / 3) * 0.5.squareRoot())
        #expect(close(c.score, Double(cosine) + 0.5 * (5.0 / 3) * 0.5.squareRoot(), 1e-5))
        #expect(cosine > 0)
        // Saved and read back: the same scores.
        let file = Fixtures.temporaryDirectory().appendingPathComponent("prior-content.tacit").path
        try ModelFile.save(model, name: "content", parameters: try ContentBased.descriptor.parameters(from: ["prior_weight=0.5"]), to: file)
        let loaded = try #require(try ModelFile.load(from: file).model as? ContentModel)
        #expect(loaded.featurePriors == model.featurePriors && loaded.priorWeight == 0.5)
        #expect(loaded.recommend(for: 0, count: 3, filter: .excludingHistory) == list)
        // Without a weight nothing changes: scores are cosines.
        let plain = try await ContentBased(Self.cosine, items: SideInformation(items: Self.records).items).fit(data, observer: SilentObserver())
        #expect(close(plain.scores(of: [ItemRecord(id: "new", tags: ["z"])], for: 0)[0], 0))
    }

    /// A file of the layout before hashing (sections start with the recency) still reads.
    @Test func layoutOneFilesStillRead() async throws {
        let model = try await Self.fit()
        let path = Fixtures.temporaryDirectory().appendingPathComponent("layout1.bin").path
        var writer = try ArchiveWriter(path: path, magic: "TESTLAY1", version: 1)
        writer.write(2.5)
        writer.write(array: model.featurizer.groupWeights)
        writer.write(array: model.featurizer.priceBoundaries)
        writer.write(array: model.featurizer.groups.map(\.rawValue))
        writer.write(array: model.featurizer.idf)
        writer.write(model.profiles)
        try writer.finish()
        var reader = try ArchiveReader(path: path, magic: "TESTLAY1", supportedVersion: 1)
        let read = try ContentModel.unarchive(from: &reader, trainingData: model.trainingData)
        #expect(read.recency == 2.5 && read.featurizer.hashing == nil && read.featurizer.features == model.featurizer.features)
        #expect(read.recommend(for: 0, count: 3, filter: .excludingHistory).map(\.item) == [4, 2, 3])
    }

    @Test func randomBlocksRecommendWithinTheUsersBlock() async throws {
        // Categories and block tags follow randomBlocks' blocks (15% of picks are off-block noise):
        // most recommendations stay in block, against 1 in 4 by chance.
        let matrix = Fixtures.randomBlocks()
        let model = try await ContentBased(items: Fixtures.catalog(for: matrix).items).fit(matrix, observer: SilentObserver())
        var inBlock = 0, total = 0
        for u in 0..<matrix.userCount {
            for entry in model.recommend(for: UserIndex(u), count: 3, filter: .excludingHistory) {
                total += 1
                if Int(matrix.items.id(at: entry.item).dropFirst())! % 4 == u % 4 { inBlock += 1 }
            }
        }
        #expect(Double(inBlock) / Double(total) > 0.75, "\(inBlock) of \(total) in block")
    }
}
