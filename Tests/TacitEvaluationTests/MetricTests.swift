import Testing
@testable import TacitEvaluation
import TacitCore

@Suite struct MetricTests {
    func accumulator(cutoffs: [Int] = [2, 4]) -> MetricAccumulator {
        // 10 items; item i has i + 1 training users out of 16.
        MetricAccumulator(cutoffs: cutoffs, itemPopularity: (0..<10).map { $0 + 1 }, userCount: 16, categories: nil)
    }

    @Test func handComputedRankingMetrics() {
        var acc = accumulator()
        acc.add(ranked: [5, 3, 9, 1], relevant: [1, 3], relevantCount: 2)
        let r = acc.report()
        #expect(r.users == 1)
        #expect(r[.hitRate, at: 2] == 1)
        #expect(r[.recall, at: 2] == 0.5)
        #expect(r[.precision, at: 2] == 0.5)
        #expect(abs(r[.ndcg, at: 2]! - 0.38685280723454163) < 1e-12)
        #expect(r[.mrr, at: 2] == 0.5)
        #expect(r[.map, at: 2] == 0.25)
        #expect(abs(r[.ndcg, at: 4]! - 0.6509209298071326) < 1e-12)
        #expect(r[.recall, at: 4] == 1)
        #expect(r[.map, at: 4] == 0.5)
        #expect(r[.coverage, at: 2] == 0.2)
        #expect(r[.coverage, at: 4] == 0.4)
        // Popularity of items 5 and 3 is 6 and 4.
        #expect(r[.popularity, at: 2] == 5)
        let novelty = (-Foundation_log2(6.0 / 16) - Foundation_log2(4.0 / 16)) / 2
        #expect(abs(r[.novelty, at: 2]! - novelty) < 1e-12)
    }

    @Test func itemsOutsideTheCatalogStayRelevant() {
        var acc = accumulator()
        acc.add(ranked: [5, 3, 9, 1], relevant: [1, 3], relevantCount: 3)
        let r = acc.report()
        #expect(abs(r[.ndcg, at: 4]! - 0.49818925746641285) < 1e-12)
        #expect(abs(r[.recall, at: 4]! - 2.0 / 3) < 1e-12)
    }

    @Test func averagesOverUsersAndMergesWorkers() {
        var a = accumulator(), b = accumulator()
        a.add(ranked: [0, 1], relevant: [0], relevantCount: 1)      // hit at 1
        b.add(ranked: [2, 3], relevant: [7], relevantCount: 1)      // miss
        a.merge(b)
        let r = a.report(skippedUsers: 4)
        #expect(r.users == 2 && r.skippedUsers == 4)
        #expect(r[.hitRate, at: 2] == 0.5 && r[.ndcg, at: 2] == 0.5 && r[.mrr, at: 2] == 0.5)
        #expect(r[.coverage, at: 2] == 0.4)
    }

    @Test func diversityCountsPairsWithDifferentCategories() {
        var acc = MetricAccumulator(cutoffs: [3], itemPopularity: [1, 1, 1, 1], userCount: 4, categories: [0, 0, 1, -1])
        acc.add(ranked: [0, 1, 2], relevant: [], relevantCount: 1)
        #expect(abs(acc.report()[.diversity, at: 3]! - 2.0 / 3) < 1e-12)
    }

    @Test func parsesMetricNames() throws {
        #expect(try Metric(parsing: "ndcg@10") == Metric(.ndcg, at: 10))
        #expect(Metric(.recall, at: 20).description == "Recall@20")
        #expect(throws: TacitError.self) { try Metric(parsing: "AUC@10") }
    }
}

import Foundation
func Foundation_log2(_ x: Double) -> Double { Foundation.log2(x) }
