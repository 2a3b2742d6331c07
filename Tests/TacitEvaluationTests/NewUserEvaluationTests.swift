import Foundation
import Testing
import TacitCore
import TacitModels
@testable import TacitEvaluation

/// `tacit evaluate --new-users`: test users without training data, ranked from their attributes.
@Suite struct NewUserEvaluationTests {
    /// Training: u1 {A, B}, u2 {A, C, D}, u3 {A, D}: popularity A 3, D 2, B 1, C 1 (B before C by
    /// index). Test: u1 has training data (left out); new users n1 {D, B}, n2 {C, X} (X is not in
    /// the catalogue), n3 {A}.
    func data() throws -> (training: InteractionMatrix, test: EventLog, side: SideInformation) {
        let train = [("u1", "A"), ("u1", "B"), ("u2", "A"), ("u2", "C"), ("u2", "D"), ("u3", "A"), ("u3", "D")]
        let test = [("u1", "C"), ("n1", "D"), ("n2", "X"), ("n1", "B"), ("n2", "C"), ("n3", "A")]
        let training = try WeightingPolicy().matrix(from: EventLog(train.enumerated().map { Event(user: $1.0, item: $1.1, timestamp: Int64($0)) }))
        let side = SideInformation(users: [UserRecord(id: "n1", attributes: ["likes": "B"]), UserRecord(id: "n3", attributes: ["likes": "D"]),
                                           UserRecord(id: "u1", attributes: ["likes": "A"])])
        return (training, EventLog(test.enumerated().map { Event(user: $1.0, item: $1.1, timestamp: Int64(100 + $0)) }), side)
    }

    @Test func newUsersHoldEveryTestItemAndTheirAttributes() throws {
        let (training, test, side) = try data()
        let set = NewUserTestSet(test: test, training: training, side: side)
        #expect(set.users == ["n1", "n2", "n3"])
        #expect(set.knownUsers == 1)
        #expect(set.usersWithAttributes == 2)
        #expect(set.attributes.map { $0?.attributes["likes"] } == ["B", nil, "D"])
        let index = { (id: String) in try #require(training.items.index(of: id)) }
        #expect(set.relevant == [[try index("B"), try index("D")].sorted(), [try index("C")], [try index("A")]])
        #expect(set.relevantCounts == [2, 2, 1])
    }

    /// Popularity ranks [A, D] for everyone at K = 2. n1: D at rank 2 of 2 relevant, NDCG =
    /// (1/log2 3) / (1 + 1/log2 3); n2: no hit; n3: A at rank 1, NDCG 1.
    @Test func popularityOnNewUsersIsExact() async throws {
        let (training, test, side) = try data()
        let model = try await Popularity().fit(training, observer: SilentObserver())
        let report = try #require(Evaluator(cutoffs: [2], threads: 2).evaluate(model, newUsers: NewUserTestSet(test: test, training: training, side: side)))
        let dcg: Double = 1 / log2(3.0)
        let n1: Double = dcg / (1 + dcg)
        let expected: [(Metric.Kind, Double)] = [(.ndcg, (n1 + 1) / 3), (.hitRate, 2.0 / 3), (.recall, 1.5 / 3), (.precision, 1.0 / 3)]
        #expect(report.users == 3 && report.skippedUsers == 1)
        for (kind, value) in expected {
            let measured: Double = try #require(report[kind, at: 2])
            #expect(abs(measured - value) < 1e-12, "\(kind): \(measured) vs \(value)")
        }
    }

    /// A model ranking only the item a user "likes": n1 gets [B] (a hit at rank 1 of 2 relevant:
    /// NDCG 1 / (1 + 1/log2 3)), n2 has no record (an empty list), n3 gets [D] (a miss).
    @Test func attributesReachTheModel() throws {
        let (training, test, side) = try data()
        let report = try #require(Evaluator(cutoffs: [2], threads: 1).evaluate(LikesModel(trainingData: training),
                                                                              newUsers: NewUserTestSet(test: test, training: training, side: side)))
        let idcg: Double = 1 + 1 / log2(3.0)
        let ndcg: Double = try #require(report[.ndcg, at: 2])
        let hitRate: Double = try #require(report[.hitRate, at: 2])
        #expect(abs(ndcg - 1 / idcg / 3) < 1e-12)
        #expect(abs(hitRate - 1.0 / 3) < 1e-12)
    }

    @Test func aModelThatNeedsAHistoryIsReportedAsUnable() async throws {
        let (training, test, side) = try data()
        let newUsers = NewUserTestSet(test: test, training: training, side: side)
        #expect(Evaluator(cutoffs: [2]).evaluate(HistoryOnlyModel(trainingData: training), newUsers: newUsers) == nil)
        let run = ModelRun(evaluator: Evaluator(cutoffs: [2], threads: 1), threads: 1)
        let als = try ModelCatalog.descriptor(named: "als")
        let result = try await run.runNewUsers(als, parameters: try als.parameters(from: ["factors=2"]), training: training, newUsers: newUsers)
        #expect(result.note == ModelRun.cannotRankNewUsers)
        #expect(result.report.users == 0 && result.report.values.isEmpty)
    }
}

/// Ranks the training item named by a user's `likes` attribute, nothing else.
private struct LikesModel: Recommender, UserAttributeScoring {
    let trainingData: InteractionMatrix
    func recommend(for user: UserIndex, count: Int, filter: ItemFilter) -> [ScoredItem] { [] }
    func recommend(history: SparseVector, attributes: UserRecord?, count: Int, filter: ItemFilter) -> [ScoredItem] {
        guard let liked = attributes?.attributes["likes"], let item = trainingData.items.index(of: liked) else { return [] }
        return [ScoredItem(item: item, score: 1)]
    }
}

/// A model with no way to rank a user it was not trained on.
private struct HistoryOnlyModel: Recommender {
    let trainingData: InteractionMatrix
    func recommend(for user: UserIndex, count: Int, filter: ItemFilter) -> [ScoredItem] { [] }
}
