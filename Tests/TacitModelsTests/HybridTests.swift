import Foundation
import Testing
import TacitCore
import TacitTestSupport
@testable import TacitModels

@Suite struct HybridTests {
    let collaborative = [ScoredItem(item: 0, score: 3), ScoredItem(item: 1, score: 2), ScoredItem(item: 2, score: 1)]
    let content = [ScoredItem(item: 2, score: 0.9), ScoredItem(item: 3, score: 0.5), ScoredItem(item: 0, score: 0.1)]

    func close(_ a: [ScoredItem], _ b: [(ItemIndex, Double)]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.item == $1.0 && abs($0.score - Float($1.1)) <= 1e-6 }
    }

    @Test func minMaxBlendMatchesHandComputedValues() {
        // Normalised: collaborative 0 → 1, 1 → 0.5, 2 → 0; content 2 → 1, 3 → 0.5, 0 → 0; unlisted → 0.
        let blended = ScoreBlend(normalization: .minmax).combine(collaborative: collaborative, content: content, contentWeight: 0.25, count: 4)
        #expect(close(blended, [(0, 0.75), (1, 0.375), (2, 0.25), (3, 0.125)]))
        #expect(ScoreBlend().combine(collaborative: collaborative, content: content, contentWeight: 0.25, count: 2).map(\.item) == [0, 1])
    }

    @Test func zScoreBlendMatchesHandComputedValues() {
        // Both lists are z = (1.2247449, 0, -1.2247449); an unlisted item takes the list's lowest z.
        let z: Double = 1.5.squareRoot()
        let blended = ScoreBlend(normalization: .zscore).combine(collaborative: collaborative, content: content, contentWeight: 0.25, count: 4)
        let expected: [(ItemIndex, Double)] = [(0, 0.5 * z), (1, -0.25 * z), (2, -0.5 * z), (3, -0.75 * z)]
        #expect(close(blended, expected))
    }

    @Test func equalScoresNormaliseToZeroAndOneSidedBlendsKeepTheOrder() {
        let flat = [ScoredItem(item: 5, score: 2), ScoredItem(item: 4, score: 2)]
        #expect(ScoreBlend().normalize(flat).scores == [0, 0])
        let only = ScoreBlend().combine(collaborative: collaborative, content: [], contentWeight: 0, count: 3)
        #expect(close(only, [(0, 1), (1, 0.5), (2, 0)]))
    }

    func fit(_ assignments: [String], data: InteractionMatrix) async throws -> HybridModel {
        let descriptor = Hybrid.descriptor
        let trainer = try descriptor.trainer(try descriptor.parameters(from: assignments), options: TrainingOptions(threads: 2, side: Fixtures.catalog(for: data)))
        return try #require(try await trainer.fit(data) as? HybridModel)
    }

    @Test func shortHistoriesSwitchToContentAndZeroWeightIsTheCollaborativeModel() async throws {
        let data = Fixtures.randomBlocks()  // every user has 8 items
        let hybrid = try await fit(["collaborative=itemknn", "content_weight=0", "min_history=5"], data: data)
        for u in 0..<data.userCount {
            let trained = hybrid.recommend(for: UserIndex(u), count: 5, filter: .excludingHistory).map(\.item)
            #expect(trained == hybrid.collaborative.recommend(for: UserIndex(u), count: 5, filter: .excludingHistory).map(\.item), "user \(u)")
            // Four of the user's items: fewer than min_history, so content alone ranks them.
            let full = data.history(of: u)
            let short = SparseVector(sortedIndices: Array(full.indices.prefix(4)), values: Array(full.values.prefix(4)))
            #expect(hybrid.recommend(history: short, count: 5, filter: .excludingHistory).map(\.item)
                    == hybrid.content.recommend(history: short, count: 5, filter: .excludingHistory).map(\.item), "user \(u)")
        }
    }

    @Test func blendedListsLieBetweenTheParts() async throws {
        let data = Fixtures.randomBlocks()
        let hybrid = try await fit(["collaborative=als", "content_weight=0.5", "min_history=0"], data: data)
        for u in 0..<data.userCount {
            let list = hybrid.recommend(for: UserIndex(u), count: 10, filter: .excludingHistory)
            let union = Set(hybrid.collaborative.recommend(for: UserIndex(u), count: 200, filter: .excludingHistory).map(\.item)
                            + hybrid.content.recommend(for: UserIndex(u), count: 200, filter: .excludingHistory).map(\.item))
            #expect(list.allSatisfy { union.contains($0.item) && $0.score >= 0 && $0.score <= 1 })
        }
        #expect(abs(hybrid.similarity(0, 4) - (0.5 * (hybrid.collaborative as! any ItemPairSimilarity).similarity(0, 4) + 0.5 * hybrid.content.similarity(0, 4))) < 1e-6)
    }

    /// Scoring records places each in the user's blend as the hybrid's own list does: a training
    /// item's record scores what the list gave it; a new item copying a training item's
    /// attributes gets the twin's content part and the collaborative list's value for an unlisted
    /// item (exactly the twin's score at content weight 1).
    @Test(arguments: ["minmax", "zscore"]) func coldRecordsArePlacedInTheBlend(normalization: String) async throws {
        let data = Fixtures.randomBlocks()
        let catalog = Fixtures.catalog(for: data).items
        for weight in ["0.3", "1"] {
            let hybrid = try await fit(["collaborative=als", "content_weight=\(weight)", "min_history=0", "normalization=\(normalization)",
                                        "candidates=20"], data: data)
            let w = Float(weight)!
            for u in [0, 7, 19] {
                let user = UserIndex(u)
                let list = hybrid.recommend(for: user, count: 10, filter: .excludingHistory)
                let records = list.map { catalog[data.items.id(at: $0.item)]! }
                let scores = hybrid.scores(of: records, for: user)
                #expect(zip(scores, list).allSatisfy { abs($0 - $1.score) < 1e-5 }, "user \(u): \(scores) vs \(list.map(\.score))")
                var twin = records[0]
                twin.id = "new-twin"
                let twinScore = hybrid.scores(of: [twin], for: user)[0]
                let collaborative = hybrid.collaborative.recommend(for: user, count: 20, filter: .excludingHistory)
                let content = hybrid.content.recommend(for: user, count: 20, filter: .excludingHistory)
                let missing = w < 1 ? hybrid.blend.scale(of: collaborative).missing : 0
                let scale = hybrid.blend.scale(of: content)
                let contentPart = max(scale.place(hybrid.content.scores(of: [records[0]], for: user)[0]), scale.missing)
                #expect(abs(twinScore - ((1 - w) * missing + w * contentPart)) < 1e-5, "user \(u)")
                if w == 1 { #expect(abs(twinScore - list[0].score) < 1e-5) }
            }
        }
    }

    @Test(arguments: ["als", "itemknn", "bpr", "ease"])
    func conformsAndRoundTripsThroughAModelFile(collaborative: String) async throws {
        let data = Fixtures.randomBlocks()
        // Cholesky ALS solves users exactly, so fold-in reproduces them; BPR's fold-in is SGD (see BPRTests).
        let parameters = ["collaborative=\(collaborative)", "min_history=7", "normalization=zscore", "bpr.epochs=20", "als.solver=cholesky"]
        let hybrid = try await fit(parameters, data: data)
        #expect(ModelConformance.recommender(hybrid).isEmpty)
        #expect(ModelConformance.foldIn(hybrid, tolerance: collaborative == "bpr" ? 1 : 1e-3).isEmpty)
        #expect(ModelConformance.similarity(hybrid, itemCount: data.itemCount).isEmpty)

        let file = Fixtures.temporaryDirectory().appendingPathComponent("hybrid.tacit").path
        let values = try Hybrid.descriptor.parameters(from: parameters)
        try ModelFile.save(hybrid, name: "hybrid", parameters: values, to: file)
        let loaded = try ModelFile.load(from: file)
        #expect(loaded.parameters == values)
        let model = try #require(loaded.model as? HybridModel)
        #expect(model.collaborativeName == collaborative && model.configuration == hybrid.configuration)
        for u in 0..<data.userCount {
            #expect(model.recommend(for: UserIndex(u), count: 5, filter: .excludingHistory)
                    == hybrid.recommend(for: UserIndex(u), count: 5, filter: .excludingHistory))
        }
    }

    @Test func collaborativeParametersArePrefixedAndConditional() throws {
        let names = Hybrid.descriptor.parameters.map(\.name)
        #expect(names.contains("als.factors") && names.contains("itemknn.neighbors") && names.contains("content.tag_weight"))
        let parameters = try Hybrid.descriptor.parameters(from: ["collaborative=itemknn", "itemknn.neighbors=7"])
        #expect(parameters.integer("itemknn.neighbors") == 7)
        let spec = Hybrid.descriptor.parameters.first { $0.name == "als.factors" }!
        #expect(!spec.isActive(in: parameters))
        #expect(throws: TacitError.self) { try Hybrid.descriptor.parameters(from: ["collaborative=popular"]) }
    }
}
