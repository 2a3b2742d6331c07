import Foundation
import Testing
import TacitCore
import TacitEvaluation
import TacitTestSupport
@testable import TacitModels

/// A source with fixed lists per user (filters ignored).
private struct FixedSource: Recommender {
    let trainingData: InteractionMatrix
    let lists: [Int: [ScoredItem]]
    func recommend(for user: UserIndex, count: Int, filter: ItemFilter) -> [ScoredItem] { Array((lists[Int(user)] ?? []).prefix(count)) }
}

/// `similarity(a, b) = a + b / 10` on item indices.
private struct IndexSimilarity: ItemPairSimilarity {
    func similarity(_ a: ItemIndex, _ b: ItemIndex) -> Float { Float(a) + Float(b) / 10 }
}

@Suite struct RankerTests {
    static let day: Int64 = 86_400

    /// u: a (day 0), b (2), c (9); v: b (1), e (5), d (10); w: a (3), b (4).
    static func small() throws -> InteractionMatrix {
        var log = EventLog()
        for (user, item, d) in [("u", "a", 0), ("u", "b", 2), ("u", "c", 9), ("v", "b", 1), ("v", "e", 5), ("v", "d", 10), ("w", "a", 3), ("w", "b", 4)] {
            log.append(Event(user: user, item: item, timestamp: Int64(d) * day))
        }
        return try WeightingPolicy().matrix(from: log)
    }

    /// Users with more than two entries lose their latest one; w (two entries) keeps both.
    @Test func holdoutTakesEachUsersLatestEntry() throws {
        let data = try Self.small()
        let holdout = RankerHoldout(data)
        let user = { Int32(data.users.index(of: $0)!) }, item = { Int32(data.items.index(of: $0)!) }
        #expect(holdout.labels.map(\.user) == [user("u"), user("v")] && holdout.labels.map(\.item) == [item("c"), item("d")])
        #expect(holdout.base.nnz == 6 && !holdout.base.contains(user: Int(user("u")), item: item("c")))
        #expect(holdout.base.contains(user: Int(user("w")), item: item("a")) && holdout.base.contains(user: Int(user("w")), item: item("b")))
        #expect(holdout.base.users.count == data.users.count && holdout.base.items.count == data.items.count)
    }

    /// Every feature of v's two candidates by hand (now = day 10).
    @Test func featuresByHand() throws {
        let data = try Self.small()
        let i = { Int32(data.items.index(of: $0)!) }, v = Int(data.users.index(of: "v")!)
        let first = FixedSource(trainingData: data, lists: [v: [ScoredItem(item: i("a"), score: 0.9), ScoredItem(item: i("c"), score: 0.5)]])
        let second = FixedSource(trainingData: data, lists: [v: [ScoredItem(item: i("c"), score: 2)]])
        let features = RankerFeatures(data: data, sources: [.init(name: "one", model: first), .init(name: "two", model: second)],
                                      similarity: IndexSimilarity(), perSource: 10)
        #expect(features.names == ["one.score", "one.rank", "two.score", "two.rank"] + RankerFeatures.shared)
        let (items, rows) = features.candidates(for: v, filter: .excludingHistory)
        #expect(items == [i("a"), i("c")])
        let latest = [i("d"), i("e"), i("b")]  // v's items, newest first
        func similarities(_ x: Int32) -> [Float] {
            let s = latest.map { IndexSimilarity().similarity(x, $0) }
            return [s[0], s.reduce(0, +) / 3, s.max()!]
        }
        let logFour = Float(log1p(3.0))
        // a: users u (day 0) and w (day 3, inside the 7 days before day 10); c: u on day 9.
        let a: [Float] = [0.9, 1, .nan, .nan, 1, Float(log1p(2.0)), Float(log1p(1.0)), 10, logFour, 0] + similarities(i("a"))
        let c: [Float] = [0.5, 2, 2, 1, 2, Float(log1p(1.0)), Float(log1p(1.0)), 1, logFour, 0] + similarities(i("c"))
        #expect(Self.same(rows, a + c), "\(rows)")
        // Without a similarity model the sim.* features are missing.
        let plain = RankerFeatures(data: data, sources: [.init(name: "one", model: first)], similarity: nil, perSource: 1)
        let row = plain.candidates(for: v, filter: .excludingHistory).rows
        #expect(row.count == 2 + RankerFeatures.shared.count && row.suffix(3).allSatisfy(\.isNaN) && row[0] == 0.9)
    }

    static func same(_ x: [Float], _ y: [Float]) -> Bool {
        x.count == y.count && zip(x, y).allSatisfy { ($0.isNaN && $1.isNaN) || abs($0 - $1) <= 1e-6 * max(1, abs($1)) }
    }

    @Test func fitsRanksAndReportsItsHoldout() async throws {
        let data = Fixtures.randomBlocks(users: 120, items: 40, perUser: 10)
        let parameters = try Ranker.descriptor.parameters(from: ["rounds=20", "per_source=15"])
        let model = try #require(try await Ranker.descriptor.trainer(parameters, threads: 2).fit(data) as? RankerModel)
        #expect(ModelConformance.recommender(model).isEmpty)
        #expect(model.summary.labeledUsers == 120 && model.summary.candidateRecall > 0.5 && model.summary.candidateRecall <= 1)
        #expect(model.featureNames.count == 4 * 2 + RankerFeatures.shared.count)
        #expect(model.summary.gains.values.contains { $0 > 0 })
        // Recommendations come from the candidates of the sources refitted on all the data: never the user's own items.
        for u in 0..<data.userCount {
            let items = Set(data.row(u).items)
            #expect(model.recommend(for: UserIndex(u), count: 10, filter: .excludingHistory).allSatisfy { !items.contains($0.item) })
        }
    }

    @Test func refusesWhatItCannotTrainOn() async throws {
        #expect(throws: TacitError.invalidArgument("ranker: at least one source must be on")) {
            try Ranker.descriptor.trainer(try Ranker.descriptor.parameters(from: ["popular=off", "itemknn=off", "als=off", "ease=off"]))
        }
        #expect(throws: TacitError.self) { try Ranker.descriptor.parameters(from: ["ease=maybe"]) }
        let data = try Self.small()
        let users = (0..<data.userCount).flatMap { u in [Int32](repeating: Int32(u), count: data.rowLength(u)) }
        let untimed = InteractionMatrix(users: data.users, items: data.items, userIndices: users, itemIndices: Array(data.columnIndices.buffer),
                                        values: Array(data.values.buffer))
        await #expect(throws: TacitError.invalidArgument("ranker: the training events need timestamps (the latest event of each user trains the trees)")) {
            try await Ranker.descriptor.trainer(Ranker.descriptor.defaults).fit(untimed)
        }
    }

    /// LOO on MovieLens 100K: the re-ranked candidates of popular, itemknn, als and ease (all at
    /// their defaults) beat the best of those sources alone by at least 5 %.
    @Test(.enabled(if: Fixtures.movieLens != nil, "\(Fixtures.movieLensMissing)"))
    func movieLensBeatsItsSources() async throws {
        let ml = Fixtures.movieLens!, loo = ml.appendingPathComponent("splits/loo")
        let (trainLog, _) = try EventImporter().read(paths: ["train.csv", "valid.csv"].map { loo.appendingPathComponent($0).path })
        let (testLog, _) = try EventImporter().read(paths: [loo.appendingPathComponent("test.csv").path])
        let training = try WeightingPolicy().matrix(from: trainLog)
        let run = ModelRun(evaluator: Evaluator(cutoffs: [10], threads: 2), threads: 2)
        let testSet = TestSet(test: testLog, training: training)
        var best = 0.0
        for descriptor in [ItemKNN.descriptor, ImplicitALS.descriptor, EASE.descriptor] {
            let result = try await run.run(descriptor, parameters: descriptor.defaults, training: training, testSet: testSet)
            best = max(best, try #require(result.report[.ndcg, at: 10]))
        }
        let ranked = try await run.run(Ranker.descriptor, parameters: Ranker.descriptor.defaults, training: training, testSet: testSet)
        let ndcg = try #require(ranked.report[.ndcg, at: 10])
        #expect(ndcg >= 1.05 * best, "ranker NDCG@10 \(ndcg) vs best source \(best)")
    }
}
