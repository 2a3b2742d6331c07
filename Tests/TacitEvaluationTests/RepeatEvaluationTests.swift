import Testing
import TacitCore
import TacitModels
@testable import TacitEvaluation

/// `tacit evaluate --allow-repeats`: a test set that lets repeats count, "buy it again" alone,
/// and blended with a model as a scene blends its sources.
@Suite struct RepeatEvaluationTests {
    func log(_ rows: [(String, String, Int64)], kind: EventKind = .purchase) -> EventLog {
        EventLog(rows.map { Event(user: $0.0, item: $0.1, kind: kind, timestamp: $0.2) })
    }

    @Test("with allowRepeats a test item already in the history stays relevant and no user is left out as repeat-only")
    func testSetAllowsRepeats() throws {
        let training = try WeightingPolicy().matrix(from: log([("a", "x", 1), ("a", "y", 2), ("b", "y", 3)]))
        let test = log([("a", "x", 5), ("b", "x", 6)])
        let usual = TestSet(test: test, training: training)
        #expect(usual.users == [1] && usual.repeatOnlyUsers == 1)
        let repeats = TestSet(test: test, training: training, allowRepeats: true)
        let x = try #require(training.items.index(of: "x"))
        #expect(repeats.users == [0, 1] && repeats.relevant == [[x], [x]] && repeats.repeatOnlyUsers == 0)
    }

    @Test("the blend by hand: rank-normalised lists, weighted, summed; ties by item index")
    func blendByHand() {
        // [10, 11, 12] weight 1 → 1, 2/3, 1/3; [12, 13] weight 2 → 2, 1.
        let a = [10, 11, 12].map { ScoredItem(item: $0, score: 0) }, b = [12, 13].map { ScoredItem(item: $0, score: 0) }
        let blended = RepeatBlend.blend([(a, 1), (b, 2)], limit: 80, count: 10)
        #expect(blended.map(\.item) == [12, 10, 13, 11])
        #expect(abs(blended[0].score - Float(2 + 1.0 / 3)) < 1e-6)
        // A limit of 2 cuts the first list to [10, 11] → 1, 1/2.
        #expect(RepeatBlend.blend([(a, 1), (b, 2)], limit: 2, count: 3).map(\.item) == [12, 10, 13])
    }

    /// u buys x every 100 s (at 0, 100, 200, 300) and y once (at 250); v buys x at 0 and 100.
    /// At 400, x is due (x = 1) and y is not: repeat ranks x first. The blend with popular adds
    /// the items u never had after the repeat list when its weight is larger.
    @Test("the repeat recommender ranks the user's own items by their repurchase pattern; the blend adds the model's new items")
    func repeatRecommenderAndBlend() async throws {
        let training = try WeightingPolicy().matrix(from: log([
            ("u", "x", 0), ("u", "x", 100), ("u", "x", 200), ("u", "y", 250), ("u", "x", 300),
            ("v", "x", 0), ("v", "x", 100), ("v", "z", 150), ("w", "z", 10), ("w", "q", 20),
        ]))
        let repeats = RepeatRecommender(training: training)
        let u = try #require(training.users.index(of: "u"))
        let id = { (list: [ScoredItem]) in list.map { training.items.id(at: $0.item) } }
        let due = repeats.recommendAll(users: [u], times: [400], count: 10, filter: .none, threads: 1)[0]
        #expect(id(due) == ["x", "y"])
        #expect(repeats.recommend(for: u, count: 10, filter: .excludingHistory).isEmpty)
        let descriptor = try ModelCatalog.descriptor(named: "popular")
        let popular = try await descriptor.trainer(try descriptor.parameters(from: []), options: TrainingOptions()).fit(training, observer: SilentObserver())
        let blend = RepeatBlend(base: popular, repeats: repeats, weight: 2, limit: 80)
        let blended = blend.recommendAll(users: [u], times: [400], count: 4, filter: .excludingHistory, threads: 1)[0]
        // Repeat [x, y] → 2, 1; popular's new items for u [z, q] → 1, 1/2: x, then y and z tie at
        // 1 (by item index), then q.
        #expect(Set(id(Array(blended.prefix(1)))) == ["x"] && id(blended).count == 4 && id(blended).last == "q")
    }
}
