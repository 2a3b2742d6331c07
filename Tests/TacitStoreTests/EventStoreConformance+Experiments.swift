import Testing
import TacitCore
import TacitStore

extension EventStoreConformance {
    static let experiments: [ConformanceCheck] = [
        .store("an experiment's impressions page by recommendation id; other experiments are left out") { (store: any EventStore) async throws in
            func shown(_ id: String, _ user: String, _ experiment: String?, _ variant: String?) -> Impression {
                Impression(recommendationID: id, user: user, scene: "home", model: "als", items: ["i1", "i2"], timestamp: 10,
                           experiment: experiment, variant: variant, propensity: variant == nil ? nil : 0.5)
            }
            let mine = [shown("r3", "u1", "hero", "b"), shown("r1", "u2", "hero", "a"), shown("r5", "u2", "hero", nil)]
            try await store.record(mine + [shown("r2", "u1", "other", "a"), shown("r4", "u3", nil, nil)])
            let sorted = mine.sorted { $0.recommendationID < $1.recommendationID }
            #expect(try await store.impressions(experiment: "hero", after: nil, limit: 10) == sorted)
            #expect(try await store.impressions(experiment: "hero", after: nil, limit: 2) == Array(sorted[0..<2]))
            #expect(try await store.impressions(experiment: "hero", after: "r3", limit: 2) == [sorted[2]])
            #expect(try await store.impressions(experiment: "hero", after: "r5", limit: 2) == [])
            #expect(try await store.impressions(experiment: "none", after: nil, limit: 2) == [])
            #expect(try await store.impressions(experiment: "hero", after: nil, limit: 0) == [])
            await expectStoreError(.invalidArgument) { _ = try await store.impressions(experiment: "hero", after: nil, limit: -1) }
        },

        .store("an experiment's outcomes are the events carrying one of its recommendation ids, by sequence") { (store: any EventStore) async throws in
            try await store.record([
                Impression(recommendationID: "r1", user: "u1", scene: "home", model: "als", items: ["i1"], timestamp: 10,
                           experiment: "hero", variant: "a", propensity: 0.5),
                Impression(recommendationID: "r2", user: "u2", scene: "home", model: "als", items: ["i1"], timestamp: 10,
                           experiment: "other", variant: "a", propensity: 0.5),
            ])
            let events = [
                event("u1", "i1", .click, recommendation: "r1"), event("u1", "i2", .view),
                event("u2", "i1", .click, recommendation: "r2"), event("u1", "i1", .purchase, value: 25, recommendation: "r1"),
                event("u3", "i1", .click, recommendation: "unknown"),
            ]
            let summary = try await store.insert(events)
            let all = stored(events, summary)
            #expect(try await store.outcomes(experiment: "hero", after: 0, limit: 10) == [all[0], all[3]])
            #expect(try await store.outcomes(experiment: "hero", after: 0, limit: 1) == [all[0]])
            #expect(try await store.outcomes(experiment: "hero", after: all[0].sequence, limit: 10) == [all[3]])
            #expect(try await store.outcomes(experiment: "other", after: 0, limit: 10) == [all[2]])
            #expect(try await store.outcomes(experiment: "none", after: 0, limit: 10) == [])
            await expectStoreError(.invalidArgument) { _ = try await store.outcomes(experiment: "hero", after: 0, limit: -1) }
        },
    ]
}
