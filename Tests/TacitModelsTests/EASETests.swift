import Foundation
import Testing
import TacitCore
import TacitEvaluation
import TacitTestSupport
@testable import TacitModels

@Suite struct EASETests {
    func matrix(_ rows: [(String, String)], kinds: [EventKind]? = nil) throws -> InteractionMatrix {
        let events = rows.enumerated().map { k, row in
            Event(user: row.0, item: row.1, kind: kinds?[k] ?? .interaction, timestamp: Int64(k))
        }
        return try WeightingPolicy().matrix(from: EventLog(events))
    }

    func fit(_ data: InteractionMatrix, lambda: Double, input: EASE.Configuration.Input = .binary, threads: Int = 2) async throws -> EASEModel {
        var configuration = EASE.Configuration()
        configuration.lambda = lambda
        configuration.input = input
        configuration.threads = threads
        return try await EASE(configuration).fit(data, observer: SilentObserver())
    }

    /// `G` in Double, straight from the definition `G_ij = Σ_u x_ui x_uj`.
    func referenceGram(_ data: InteractionMatrix, binary: Bool) -> [[Double]] {
        let n = data.itemCount
        var g = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        for u in 0..<data.userCount {
            let row = data.row(u)
            for a in 0..<row.items.count {
                for b in 0..<row.items.count {
                    let x = binary ? 1 : Double(row.values[a]) * Double(row.values[b])
                    g[Int(row.items[a])][Int(row.items[b])] += x
                }
            }
        }
        return g
    }

    /// `B = −P / diag(P)` with `P = (G + λI)⁻¹` by naive Gauss–Jordan elimination with partial
    /// pivoting, in Double: the exact reference for the Float32 Cholesky path.
    func referenceWeights(_ data: InteractionMatrix, lambda: Double, binary: Bool) -> [[Double]] {
        let n = data.itemCount
        var a = referenceGram(data, binary: binary)
        for i in 0..<n { a[i][i] += lambda }
        var inverse = (0..<n).map { i in (0..<n).map { j in i == j ? 1.0 : 0.0 } }
        for column in 0..<n {
            let pivot = (column..<n).max { abs(a[$0][column]) < abs(a[$1][column]) }!
            a.swapAt(column, pivot)
            inverse.swapAt(column, pivot)
            let scale = a[column][column]
            for j in 0..<n { a[column][j] /= scale; inverse[column][j] /= scale }
            for row in 0..<n where row != column {
                let factor = a[row][column]
                for j in 0..<n { a[row][j] -= factor * a[column][j]; inverse[row][j] -= factor * inverse[column][j] }
            }
        }
        return (0..<n).map { i in (0..<n).map { j in i == j ? 0 : -inverse[i][j] / inverse[j][j] } }
    }

    @Test func twoItemWeightsAreRidgeRegressionsOnEachOther() async throws {
        // X = [1 1; 1 0; 1 0]: G = [3 1; 1 1]. With λ = 1, P ∝ [2 −1; −1 4], so
        // B_ab = −P_ab/P_bb = 1/4 = G_ab/(G_aa + λ) and B_ba = 1/2 = G_ab/(G_bb + λ).
        let data = try matrix([("u0", "a"), ("u0", "b"), ("u1", "a"), ("u2", "a")])
        let a = data.items.index(of: "a")!, b = data.items.index(of: "b")!
        let model = try await fit(data, lambda: 1)
        #expect(abs(model.weight(from: a, to: b) - 0.25) < 1e-6)
        #expect(abs(model.weight(from: b, to: a) - 0.5) < 1e-6)
        #expect(model.weight(from: a, to: a) == 0 && model.weight(from: b, to: b) == 0)
        // u1 holds a: b scores B_ab. A folded-in history {b} scores a with B_ba.
        let recs = model.recommend(for: data.users.index(of: "u1")!, count: 1, filter: .excludingHistory)
        #expect(recs.map(\.item) == [b] && abs(recs[0].score - 0.25) < 1e-6)
        let folded = model.recommend(history: SparseVector(pairs: [(b, 1)]), count: 1, filter: .excludingHistory)
        #expect(folded.map(\.item) == [a] && abs(folded[0].score - 0.5) < 1e-6)
    }

    @Test func weightsMatchTheGaussJordanReference() async throws {
        // 6 users x 4 items, every item held by at least one user.
        let rows = [("u0", "a"), ("u0", "b"), ("u0", "c"), ("u1", "a"), ("u1", "c"), ("u2", "b"), ("u2", "d"),
                    ("u3", "a"), ("u3", "b"), ("u3", "c"), ("u3", "d"), ("u4", "c"), ("u5", "d"), ("u5", "a")]
        let data = try matrix(rows)
        for lambda in [0.5, 3.0, 50.0] {
            let model = try await fit(data, lambda: lambda)
            let reference = referenceWeights(data, lambda: lambda, binary: true)
            for i in 0..<4 {
                for j in 0..<4 {
                    #expect(abs(Double(model.weight(from: ItemIndex(i), to: ItemIndex(j))) - reference[i][j]) < 1e-4, "λ=\(lambda) B[\(i),\(j)]")
                }
            }
        }
        // Confidence input: purchases weigh more than views under the default weighting policy.
        let kinds: [EventKind] = rows.indices.map { $0 % 3 == 0 ? .purchase : .view }
        let weighted = try matrix(rows, kinds: kinds)
        #expect(Set(weighted.values.buffer).count > 1)
        let model = try await fit(weighted, lambda: 2, input: .confidence)
        let reference = referenceWeights(weighted, lambda: 2, binary: false)
        for i in 0..<4 {
            for j in 0..<4 { #expect(abs(Double(model.weight(from: ItemIndex(i), to: ItemIndex(j))) - reference[i][j]) < 1e-4) }
        }
    }

    @Test func denseAndSparseGramMatricesAgree() throws {
        for data in [Fixtures.checkerboard(), Fixtures.randomBlocks(), Fixtures.randomBlocks(users: 700, items: 90, perUser: 12, seed: 3)] {
            let n = data.itemCount
            for binary in [true, false] {
                var dense = [Float](repeating: .nan, count: n * n), sparse = [Float](repeating: .nan, count: n * n)
                dense.withUnsafeMutableBufferPointer { EASE.gram(data, binary: binary, method: .dense, threads: 2, into: $0) }
                sparse.withUnsafeMutableBufferPointer { EASE.gram(data, binary: binary, method: .sparse, threads: 3, into: $0) }
                let reference = referenceGram(data, binary: binary)
                if binary {
                    // Integer counts: both paths are exact.
                    #expect(dense == sparse)
                    #expect(dense == reference.joined().map { Float($0) })
                } else {
                    for k in 0..<(n * n) {
                        let expected = reference[k / n][k % n]
                        #expect(abs(Double(dense[k]) - expected) <= 1e-5 * max(1, expected))
                        #expect(abs(Double(sparse[k]) - expected) <= 1e-5 * max(1, expected))
                    }
                }
                for i in 0..<n { for j in 0..<i { #expect(dense[i * n + j] == dense[j * n + i] && sparse[i * n + j] == sparse[j * n + i]) } }
            }
        }
    }

    @Test func gramMethodFollowsTheCost() throws {
        // Dense blocks: users · items² / 2 is small next to 60 · Σ|u|².
        #expect(EASE.gramMethod(for: Fixtures.checkerboard()) == .dense)
        // 3 users with one item each among 100,000: ssyrk would do 1.5e10 multiply-adds for 3 co-occurrences.
        let items = IDMap((0..<100_000).map { "i\($0)" })
        let sparse = InteractionMatrix(users: IDMap(["u0", "u1", "u2"]), items: items, rowPointers: StorageBuffer([0, 1, 2, 3]),
                                       columnIndices: StorageBuffer([5, 70, 99_999]), values: StorageBuffer([1, 1, 1]), timestamps: nil)
        #expect(EASE.gramMethod(for: sparse) == .sparse)
    }

    @Test func refusesCatalogsAboveMaxItemsNamingTheMemory() async throws {
        // 120,000 items x 120,000 x 4 bytes = 5.76e10 bytes = 53.6 GiB. Refused before allocating.
        let items = IDMap((0..<120_000).map { "i\($0)" })
        let data = InteractionMatrix(users: IDMap(["u0"]), items: items, rowPointers: StorageBuffer([0, 1]),
                                     columnIndices: StorageBuffer([7]), values: StorageBuffer([1]), timestamps: nil)
        do {
            _ = try await EASE().fit(data, observer: SilentObserver())
            Issue.record("no error")
        } catch let error as TacitError {
            #expect(error.description.hasPrefix("ease: 120000 items need 53.6 GiB for the dense item × item matrix"))
            #expect(error.description.contains("limit max_items=30000"))
            #expect(error.description.contains("als or itemknn"))
        }
        // The limit is a parameter.
        let small = Fixtures.randomBlocks()
        let trainer = try EASE.descriptor.trainer(try EASE.descriptor.parameters(from: ["max_items=39"]))
        await #expect(throws: TacitError.self) { try await trainer.fit(small) }
        _ = try await EASE.descriptor.trainer(try EASE.descriptor.parameters(from: ["max_items=40"])).fit(small)
        #expect(throws: TacitError.self) { try EASE.descriptor.trainer(try EASE.descriptor.parameters(from: ["lambda=0"])) }
    }

    @Test func conformsOnTheFixtures() async throws {
        for data in [Fixtures.checkerboard(), Fixtures.randomBlocks()] {
            for assignment in [["lambda=1"], ["lambda=500"], ["lambda=20", "input=confidence"]] {
                let model = try await EASE.descriptor.trainer(try EASE.descriptor.parameters(from: assignment), threads: 2).fit(data)
                #expect(ModelConformance.recommender(model).isEmpty, "\(assignment)")
                #expect(ModelConformance.foldIn(model as! any FoldIn).isEmpty, "\(assignment)")
                #expect(ModelConformance.similarity(model as! any ItemSimilarity, itemCount: data.itemCount).isEmpty, "\(assignment)")
            }
        }
    }

    @Test func batchEqualsSingleRecommendations() async throws {
        let data = Fixtures.randomBlocks(users: 150, items: 60, perUser: 10)
        let model = try await fit(data, lambda: 10)
        let users = (0..<UserIndex(data.userCount)).map { $0 }
        let filters: [ItemFilter] = [.excludingHistory, .none, ItemFilter(excluded: [0, 5, 7], allowed: { $0 % 3 != 0 })]
        for filter in filters {
            let single = users.map { model.recommend(for: $0, count: 10, filter: filter) }
            for threads in [1, 3] { #expect(model.recommendAll(users: users, count: 10, filter: filter, threads: threads) == single) }
        }
        // A subset in any order, with repeats.
        let some: [UserIndex] = [9, 3, 3, 140]
        #expect(model.recommendAll(users: some, count: 4, threads: 2) == some.map { model.recommend(for: $0, count: 4, filter: .excludingHistory) })
    }

    @Test func checkerboardRecoversTheMissingItem() async throws {
        let data = Fixtures.checkerboard()
        for lambda in [0.1, 1.0, 500.0] {
            let model = try await fit(data, lambda: lambda)
            for u in 0..<8 {
                let top = model.recommend(for: UserIndex(u), count: 1, filter: .excludingHistory)
                #expect(data.items.id(at: top[0].item) == "i\(u)", "λ=\(lambda) user \(u)")
            }
        }
    }

    @Test func similarItemsAreTheRowOfBAndTheOneItemFoldIn() async throws {
        let data = Fixtures.randomBlocks()
        let model = try await fit(data, lambda: 5)
        let n = data.itemCount
        for i in 0..<n {
            let item = ItemIndex(i)
            let similar = model.similarItems(to: item, count: n - 1, filter: .none)
            #expect(similar == model.recommend(history: SparseVector(pairs: [(item, 1)]), count: n - 1, filter: .excludingHistory))
            #expect(similar.allSatisfy { $0.score == model.weight(from: item, to: $0.item) })
        }
        // Items outside the catalog are ignored by fold-in.
        let history = SparseVector(pairs: [(2, 1), (Int32(n + 5), 1)])
        #expect(model.recommend(history: history, count: 5, filter: .excludingHistory)
                == model.recommend(history: SparseVector(pairs: [(2, 1)]), count: 5, filter: .excludingHistory))
    }

    @Test func recencyDiscountsOlderHistoryItems() async throws {
        // u3 holds a (t=3), then b (t=9): with recency 1, a counts 0.5 and b counts 1 when scoring c.
        let rows = [("u0", "a", 0), ("u0", "c", 1), ("u1", "b", 2), ("u1", "c", 4), ("u2", "a", 5), ("u2", "b", 6),
                    ("u3", "a", 3), ("u3", "b", 9)]
        let data = try WeightingPolicy().matrix(from: EventLog(rows.map { Event(user: $0.0, item: $0.1, timestamp: Int64($0.2)) }))
        let a = data.items.index(of: "a")!, b = data.items.index(of: "b")!, c = data.items.index(of: "c")!
        var configuration = EASE.Configuration()
        configuration.lambda = 1
        configuration.recency = 1
        let model = try await EASE(configuration).fit(data, observer: SilentObserver())
        let u3 = data.users.index(of: "u3")!
        let top = model.recommend(for: u3, count: 1, filter: .excludingHistory)
        #expect(top.map(\.item) == [c])
        #expect(abs(top[0].score - (0.5 * model.weight(from: a, to: c) + model.weight(from: b, to: c))) < 1e-6)
        // Fold-in of the same history with its timestamps agrees; without timestamps nothing is discounted.
        #expect(model.recommend(history: data.history(of: Int(u3)), count: 1, filter: .excludingHistory) == top)
        let undiscounted = model.recommend(history: SparseVector(pairs: [(a, 1), (b, 1)]), count: 1, filter: .excludingHistory)
        #expect(abs(undiscounted[0].score - (model.weight(from: a, to: c) + model.weight(from: b, to: c))) < 1e-6)
        // Batch scoring applies the same discount.
        #expect(model.recommendAll(users: [u3], count: 1, threads: 2) == [top])
    }

    @Test func modelFileRoundTripGivesIdenticalRecommendations() async throws {
        let data = Fixtures.randomBlocks()
        let parameters = try EASE.descriptor.parameters(from: ["lambda=7.5", "input=confidence", "recency=4"])
        let model = try await EASE.descriptor.trainer(parameters, threads: 2).fit(data)
        let path = Fixtures.temporaryDirectory().appendingPathComponent("ease.tacit").path
        try ModelFile.save(model, name: "ease", parameters: parameters, to: path)
        let loaded = try ModelFile.load(from: path)
        #expect(loaded.descriptor.name == "ease" && loaded.parameters == parameters)
        let original = model as! EASEModel, restored = loaded.model as! EASEModel
        #expect(restored.lambda == 7.5 && restored.input == .confidence && restored.recency == 4)
        #expect(restored.weights.array == original.weights.array)
        for u in 0..<data.userCount {
            #expect(restored.recommend(for: UserIndex(u), count: 10, filter: .excludingHistory)
                    == original.recommend(for: UserIndex(u), count: 10, filter: .excludingHistory))
        }
        for i in 0..<data.itemCount {
            #expect(restored.similarItems(to: ItemIndex(i), count: 5, filter: .none) == original.similarItems(to: ItemIndex(i), count: 5, filter: .none))
        }
    }

    @Test func resultDoesNotDependOnThreadsOrGramMethod() async throws {
        let data = Fixtures.randomBlocks(users: 300, items: 70, perUser: 12)
        let one = try await fit(data, lambda: 10, threads: 1)
        let two = try await fit(data, lambda: 10, threads: 2)
        for (a, b) in zip(one.weights.buffer, two.weights.buffer) { #expect(abs(a - b) <= 1e-6) }
    }
}

/// MovieLens 100K leave-last-out (EVALUATION.md), through the pipeline of `tacit evaluate`.
@Suite(.serialized, .enabled(if: Fixtures.movieLens != nil, "\(Fixtures.movieLensMissing)"))
struct EASEMovieLensTests {
    /// Found by `tacit tune --train train.csv --valid valid.csv --model ease --trials 20`
    /// (validation NDCG@10 0.1234; docs/models.md); evaluated on test.csv after training on
    /// train.csv + valid.csv.
    static let tuned = ["lambda=1599.9160313803384", "recency=2.7628426695701336"]

    @Test func tunedParametersBeatTheNumpyReference() async throws {
        let loo = Fixtures.movieLens!.appendingPathComponent("splits/loo")
        let (train, _) = try EventImporter().read(paths: ["train.csv", "valid.csv"].map { loo.appendingPathComponent($0).path })
        let (test, _) = try EventImporter().read(paths: [loo.appendingPathComponent("test.csv").path])
        let run = ModelRun(weighting: WeightingPolicy(), evaluator: Evaluator(cutoffs: [10, 20], threads: 2), threads: 2)
        let training = try run.weighting.matrix(from: train)
        let parameters = try EASE.descriptor.parameters(from: Self.tuned)
        let result = try await run.run(EASE.descriptor, parameters: parameters, training: training,
                                       testSet: TestSet(test: test, training: training))
        let ndcg = result.report[.ndcg, at: 10]!
        #expect(result.report.users == 943)
        // numpy EASE tuned the same way (λ only): 0.0723; the issue's goal: 0.083. Measured: 0.1080.
        #expect(ndcg >= 0.0723, "ease NDCG@10 = \(ndcg)")
        #expect(ndcg >= 0.083, "ease NDCG@10 = \(ndcg)")
    }

    /// Without recency this is the paper's EASE: the same numbers as a numpy implementation
    /// (Float64 `np.linalg.inv`) at the same λ, 0.0737 at λ = 500.
    @Test func plainEASEMatchesTheNumpyImplementation() async throws {
        let loo = Fixtures.movieLens!.appendingPathComponent("splits/loo")
        let (train, _) = try EventImporter().read(paths: ["train.csv", "valid.csv"].map { loo.appendingPathComponent($0).path })
        let (test, _) = try EventImporter().read(paths: [loo.appendingPathComponent("test.csv").path])
        let run = ModelRun(weighting: WeightingPolicy(), evaluator: Evaluator(cutoffs: [10], threads: 2), threads: 2)
        let training = try run.weighting.matrix(from: train)
        let result = try await run.run(EASE.descriptor, parameters: EASE.descriptor.defaults, training: training,
                                       testSet: TestSet(test: test, training: training))
        #expect(abs(result.report[.ndcg, at: 10]! - 0.07373265818816603) < 2e-4, "ease NDCG@10 = \(result.report[.ndcg, at: 10]!)")
    }
}
