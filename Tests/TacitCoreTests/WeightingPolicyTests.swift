import Foundation
import Testing
@testable import TacitCore

@Suite struct WeightingPolicyTests {
    func log(_ rows: [(String, String, EventKind, Int64)]) -> EventLog {
        EventLog(rows.map { Event(user: $0.0, item: $0.1, kind: $0.2, timestamp: $0.3) })
    }

    @Test func weightsKindsAndSumsRepeats() throws {
        let events = log([("u", "a", .view, 1), ("u", "a", .purchase, 2), ("u", "b", .click, 3), ("v", "a", .addToCart, 4)])
        let m = try WeightingPolicy().matrix(from: events)
        #expect(m.values.array == [9, 2, 4])          // u: a = 1 + 8, b = 2; v: a = 4
        #expect(m.timestamps?.array == [2, 3, 4])
        let custom = try WeightingPolicy(kindWeights: ["view": 3], defaultKindWeight: 0.5, kindScale: .absolute).matrix(from: events)
        #expect(custom.values.array == [3.5, 0.5, 0.5])
        // Relative: every kind has one event; the lightest (0.5; add_to_cart first by name) weighs 1.
        let relative = try WeightingPolicy(kindWeights: ["view": 3], defaultKindWeight: 0.5).matrix(from: events)
        #expect(relative.values.array == [7, 1, 1])
    }

    @Test func relativeKindWeightsDoNotDependOnTheNameOfALogsOnlyKind() throws {
        let rows: [(String, String, Int64)] = [("u", "a", 1), ("u", "a", 2), ("u", "b", 3), ("v", "a", 4)]
        for kind in [EventKind.view, .purchase, .addToCart, EventKind("refill")] {
            let m = try WeightingPolicy().matrix(from: log(rows.map { ($0.0, $0.1, kind, $0.2) }))
            #expect(m.values.array == [2, 1, 1], "kind \(kind.name)")       // counts: each event weighs 1
        }
        let absolute = try WeightingPolicy(kindScale: .absolute).matrix(from: log(rows.map { ($0.0, $0.1, .purchase, $0.2) }))
        #expect(absolute.values.array == [16, 8, 8])
    }

    @Test func relativeKindWeightsScaleToTheMostFrequentKind() throws {
        // Views are most frequent: the documented weights as they are (view 1, purchase 8).
        let mixed = log([("u", "a", .view, 1), ("u", "a", .purchase, 2), ("u", "b", .view, 3), ("v", "a", .view, 4)])
        #expect(try WeightingPolicy().matrix(from: mixed).values.array == [9, 1, 1])
        // Purchases are most frequent: a purchase weighs 1 and a view 1/8.
        let purchases = log([("u", "a", .view, 1), ("u", "a", .purchase, 2), ("u", "b", .purchase, 3), ("v", "a", .purchase, 4)])
        #expect(try WeightingPolicy().matrix(from: purchases).values.array == [1.125, 1, 1])
        let reference = try #require(WeightingPolicy().referenceKind(of: purchases))
        #expect(reference.kind == .purchase && reference.weight == 8 && reference.events == 3)
        // A kind that weighs 0 is never the reference, however frequent.
        let shown = log([("u", "a", EventKind("impression"), 1), ("u", "b", EventKind("impression"), 2), ("u", "a", .purchase, 3)])
        let ignoring = WeightingPolicy(kindWeights: ["impression": 0, "purchase": 8])
        #expect(try ignoring.matrix(from: shown).values.array == [1])
        #expect(ignoring.referenceKind(of: log([("u", "a", EventKind("impression"), 1)])) == nil)
    }

    @Test func theResolvedPolicyFoldsInEventsAsTheMatrixWeighedThem() throws {
        let events = log([("u", "a", .purchase, 1), ("u", "b", .purchase, 2), ("u", "b", .view, 3)])
        let policy = WeightingPolicy().resolved(for: events)
        #expect(policy.kindScale == .absolute && policy.weight(of: .purchase) == 1 && policy.weight(of: .view) == 0.125)
        #expect(policy.weight(of: EventKind("other")) == 0.125)           // the default kind weight, scaled too
        let m = try policy.matrix(from: events)
        #expect(m.values.array == [1, 1.125])
        let folded = policy.extend(SparseVector(pairs: []), with: [(item: 0, kind: .purchase, timestamp: 1),
                                                                    (item: 1, kind: .purchase, timestamp: 2), (item: 1, kind: .view, timestamp: 3)])
        #expect(folded.values == m.values.array)
        #expect(policy.resolved(for: log([("u", "a", .view, 1)])) == policy)   // already absolute
        #expect(WeightingPolicy().summary(for: events)
                == "weights: purchase 1, view 0.125 (relative: the most frequent kind, purchase, weighs 1); aggregation sum")
        #expect(WeightingPolicy(kindScale: .absolute, halfLife: 43_200).summary(for: events)
                == "weights: purchase 8, view 1 (absolute); aggregation sum; half-life 0.5 days")
    }

    @Test func aPolicyStoredBeforeKindScalesReadsAsAbsolute() throws {
        let old = #"{"kindWeights":{"purchase":8,"view":1},"defaultKindWeight":1,"aggregation":"sum","minUserCount":1,"minItemCount":1,"dropDuplicates":true}"#
        let policy = try JSONDecoder().decode(WeightingPolicy.self, from: Data(old.utf8))
        #expect(policy.kindScale == .absolute && policy.weight(of: .purchase) == 8)
        let roundTrip = try JSONDecoder().decode(WeightingPolicy.self, from: JSONEncoder().encode(WeightingPolicy(halfLife: 5)))
        #expect(roundTrip == WeightingPolicy(halfLife: 5))
    }

    @Test func aggregatesByMaxAndLog() throws {
        let events = log([("u", "a", .view, 1), ("u", "a", .view, 2), ("u", "a", .click, 3)])
        #expect(try WeightingPolicy(aggregation: .max).matrix(from: events).values.array == [2])
        let logged = try WeightingPolicy(aggregation: .log).matrix(from: events).values.array
        #expect(abs(logged[0] - 2.3219281) < 1e-6)     // log2(1 + 1 + 1 + 2)
    }

    @Test func dropsExactDuplicatesOnly() throws {
        let events = log([("u", "a", .view, 5), ("u", "a", .view, 5), ("u", "a", .view, 6)])
        #expect(try WeightingPolicy().matrix(from: events).values.array == [2])
        #expect(try WeightingPolicy(dropDuplicates: false).matrix(from: events).values.array == [3])
    }

    @Test func decaysWithTheHalfLife() throws {
        let events = log([("u", "a", .view, 0), ("u", "b", .view, 100), ("u", "c", .view, 200)])
        let m = try WeightingPolicy(halfLife: 100).matrix(from: events)
        let values = m.values.array
        #expect(abs(values[0] - 0.25) < 1e-6 && abs(values[1] - 0.5) < 1e-6 && values[2] == 1)
    }

    @Test func appliesAnIterativeKCore() throws {
        // u1 has 3 items, u2 has 2, u3 has 1 (item c). With min 2 per user and per item:
        // u3 goes; then c has only u1 and drops; u1 keeps a, b; u2 keeps a, b.
        let events = log([("u1", "a", .view, 1), ("u1", "b", .view, 2), ("u1", "c", .view, 3),
                          ("u2", "a", .view, 4), ("u2", "b", .view, 5), ("u3", "d", .view, 6)])
        let m = try WeightingPolicy(minUserCount: 2, minItemCount: 2).matrix(from: events)
        #expect(m.users.ids == ["u1", "u2"])
        #expect(m.items.ids == ["a", "b"])
        #expect(m.nnz == 4)
    }

    @Test func rejectsInvalidSettingsNamingTheField() {
        #expect(throws: TacitError.self) { try WeightingPolicy(halfLife: -1).validate() }
        do { try WeightingPolicy(kindWeights: ["view": -2]).validate() } catch { #expect(error.description.contains("'view'")) }
        do {
            try WeightingPolicy(defaultKindWeight: .infinity).validate()
            Issue.record("an infinite default kind weight was accepted")
        } catch { #expect(error.description.contains("default kind weight")) }
    }
}
