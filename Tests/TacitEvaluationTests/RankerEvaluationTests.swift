import Testing
import TacitCore
import TacitModels
import TacitTestSupport
@testable import TacitEvaluation

/// The ranker's breakdown: the same candidates ordered by one source alone must score exactly
/// what that source scores evaluated on its own (with `per_source` ≥ the cutoff, its top 10 are
/// its own top 10), and a random order of the candidates must not beat the trees on planted data.
@Suite struct RankerEvaluationTests {
    /// Blocks of users sharing items; each user's last event (by time) is the test event.
    static func split() -> (training: InteractionMatrix, test: EventLog) {
        var random = SeededGenerator(seed: 11)
        var train = EventLog(), test = EventLog()
        var time: Int64 = 0
        for u in 0..<150 {
            let block = u % 5
            var chosen: [Int] = []
            while chosen.count < 12 {
                let item = random.nextUnit() < 0.85 ? block + 5 * Int(random.next() % 12) : Int(random.next() % 60)
                if !chosen.contains(item) { chosen.append(item) }
            }
            for (k, item) in chosen.enumerated() {
                time += 1
                let event = Event(user: "u\(u)", item: "i\(item)", timestamp: time * 3600)
                if k == chosen.count - 1 { test.append(event) } else { train.append(event) }
            }
        }
        return (try! WeightingPolicy().matrix(from: train), test)
    }

    @Test func breakdownMatchesEachSourceAlone() async throws {
        let (training, test) = Self.split()
        let testSet = TestSet(test: test, training: training)
        let run = ModelRun(evaluator: Evaluator(cutoffs: [10], threads: 2), threads: 2)
        let parameters = try Ranker.descriptor.parameters(from: ["per_source=20", "rounds=20", "popular=off"])
        let ranked = try await run.run(Ranker.descriptor, parameters: parameters, training: training, testSet: testSet)
        #expect(ranked.breakdown.map(\.name) == ["itemknn", "als", "ease", "blend", "random"])
        for descriptor in [ItemKNN.descriptor, ImplicitALS.descriptor, EASE.descriptor] {
            let alone = try await run.run(descriptor, parameters: descriptor.defaults, training: training, testSet: testSet)
            let row = try #require(ranked.breakdown.first { $0.name == descriptor.name })
            #expect(row.report[.ndcg, at: 10] == alone.report[.ndcg, at: 10], "\(descriptor.name)")
            #expect(row.report[.hitRate, at: 10] == alone.report[.hitRate, at: 10], "\(descriptor.name)")
        }
        let random = try #require(ranked.breakdown.last?.report[.ndcg, at: 10]), trees = try #require(ranked.report[.ndcg, at: 10])
        #expect(trees > random, "trees \(trees) vs random order \(random)")
        #expect(ranked.details["candidate_recall"].map { $0 > 0 && $0 <= 1 } == true)
        let gains = ranked.details.filter { $0.key.hasPrefix("gain.") }.values
        #expect(abs(gains.reduce(0, +) - 1) < 1e-9)
    }
}
