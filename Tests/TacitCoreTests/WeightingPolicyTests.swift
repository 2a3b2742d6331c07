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
        let custom = try WeightingPolicy(kindWeights: ["view": 3], defaultKindWeight: 0.5).matrix(from: events)
        #expect(custom.values.array == [3.5, 0.5, 0.5])
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
    }
}
