import Testing
import TacitCore
import TacitTestSupport
@testable import TacitModels

@Suite struct ItemKNNTests {
    /// users x items: [1 1 0], [1 0 1], [1 1 1], [0 1 0].
    func data() throws -> InteractionMatrix {
        let rows = [("u0", "a"), ("u0", "b"), ("u1", "a"), ("u1", "c"), ("u2", "a"), ("u2", "b"), ("u2", "c"), ("u3", "b")]
        return try WeightingPolicy().matrix(from: EventLog(rows.enumerated().map { Event(user: $1.0, item: $1.1, timestamp: Int64($0)) }))
    }

    @Test func cosineSimilaritiesMatchHandComputedValues() async throws {
        let model = try await ItemKNN().fit(try data(), observer: SilentObserver())
        // cos(a,b) = 2/3, cos(a,c) = 2/√6, cos(b,c) = 1/√6.
        let a = model.neighbors(of: 0)
        #expect(a.map(\.item) == [2, 1])
        #expect(abs(a[0].score - 0.81649658) < 1e-6 && abs(a[1].score - 0.66666667) < 1e-6)
        // u3 has b: scores a = 2/3, c = 1/√6.
        let recs = model.recommend(for: 3, count: 2, filter: .excludingHistory)
        #expect(recs.map(\.item) == [0, 2])
        #expect(abs(recs[0].score - 0.66666667) < 1e-6 && abs(recs[1].score - 0.40824829) < 1e-6)
    }

    @Test func neighbourLimitAndShrinkage() async throws {
        var configuration = ItemKNN.Configuration()
        configuration.neighbors = 1
        configuration.shrinkage = 1
        let model = try await ItemKNN(configuration).fit(try data(), observer: SilentObserver())
        let a = model.neighbors(of: 0)
        #expect(a.count == 1 && a[0].item == 2)
        #expect(abs(a[0].score - Float(2 / (6.0.squareRoot() + 1))) < 1e-6)
        #expect(model.similarItems(to: 0, count: 5, filter: .none).map(\.item) == [2])
    }

    @Test func checkerboardRecoversTheMissingItem() async throws {
        let data = Fixtures.checkerboard()
        for similarity in ItemKNN.Configuration.Similarity.allCases {
            var configuration = ItemKNN.Configuration()
            configuration.similarity = similarity
            let model = try await ItemKNN(configuration).fit(data, observer: SilentObserver())
            for u in 0..<8 {
                let top = model.recommend(for: UserIndex(u), count: 1, filter: .excludingHistory)
                #expect(data.items.id(at: top[0].item) == "i\(u)", "\(similarity) user \(u)")
            }
        }
    }

    @Test func conformsForEverySimilarity() async throws {
        for matrix in [Fixtures.checkerboard(), Fixtures.randomBlocks()] {
            for similarity in ["cosine", "tfidf", "bm25"] {
                let descriptor = ItemKNN.descriptor
                let model = try await descriptor.trainer(try descriptor.parameters(from: ["similarity=\(similarity)", "neighbors=10"])).fit(matrix)
                #expect(ModelConformance.recommender(model).isEmpty, "\(similarity)")
                #expect(ModelConformance.foldIn(model as! any FoldIn).isEmpty, "\(similarity)")
                #expect(ModelConformance.similarity(model as! any ItemSimilarity, itemCount: matrix.itemCount).isEmpty, "\(similarity)")
            }
        }
    }

    @Test func isIndependentOfThreadCount() async throws {
        let matrix = Fixtures.randomBlocks(users: 200, items: 80)
        var one = ItemKNN.Configuration(); one.threads = 1
        var four = ItemKNN.Configuration(); four.threads = 4
        let a = try await ItemKNN(one).fit(matrix, observer: SilentObserver())
        let b = try await ItemKNN(four).fit(matrix, observer: SilentObserver())
        for i in 0..<matrix.itemCount { #expect(a.neighbors(of: ItemIndex(i)) == b.neighbors(of: ItemIndex(i))) }
    }

    @Test func recencyDiscountsOlderHistoryItems() async throws {
        // u3 has b (t=7) and, later, c (t=20): with recency 1, b counts 0.5 and c counts 1.
        var rows = [("u0", "a", 0), ("u0", "b", 1), ("u1", "a", 2), ("u1", "c", 3), ("u2", "a", 4), ("u2", "b", 5), ("u2", "c", 6), ("u3", "b", 7)]
        rows.append(("u3", "c", 20))
        let data = try WeightingPolicy().matrix(from: EventLog(rows.map { Event(user: $0.0, item: $0.1, timestamp: Int64($0.2)) }))
        var configuration = ItemKNN.Configuration()
        configuration.recency = 1
        let model = try await ItemKNN(configuration).fit(data, observer: SilentObserver())
        let top = model.recommend(for: 3, count: 1, filter: .excludingHistory)
        // Now cos(b, a) = cos(c, a) = 2/3, so a = 0.5 · 2/3 + 1 · 2/3 = 1.
        #expect(top[0].item == 0)
        #expect(abs(top[0].score - 1) < 1e-6)
        // Fold-in of the same history with its timestamps gives the same list.
        #expect(model.recommend(history: data.history(of: 3), count: 1, filter: .excludingHistory) == top)
    }

    @Test func extremeRecencyNeverDuplicatesItems() async throws {
        // Weights that underflow to zero must not make an item appear twice.
        let matrix = Fixtures.randomBlocks(users: 80, items: 40, perUser: 15)
        let model = try await ItemKNN.descriptor.trainer(try ItemKNN.descriptor.parameters(from: ["recency=0.01"])).fit(matrix)
        #expect(ModelConformance.recommender(model, count: 20).isEmpty)
        #expect(ModelConformance.foldIn(model as! any FoldIn, count: 20).isEmpty)
    }
}
