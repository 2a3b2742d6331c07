import Testing
import TacitCore
import TacitStore

extension EventStoreConformance {
    /// Export, forgotten users and retention.
    static let privacy: [ConformanceCheck] = [
        .store("impressions(of:) returns the user's impressions oldest first") { (store: any EventStore) async throws in
            try await store.record([
                Impression(recommendationID: "r2", user: "u1", scene: "home", model: "m", items: ["i2"], timestamp: 20),
                Impression(recommendationID: "r1", user: "u1", scene: "cart", model: "m", items: ["i1", "i3"], timestamp: 10,
                           experiment: "e", variant: "v", propensity: 0.5),
                Impression(recommendationID: "r3", user: "u2", scene: "home", model: "m", items: ["i1"], timestamp: 5),
            ])
            let list = try await store.impressions(of: "u1")
            #expect(list.map(\.recommendationID) == ["r1", "r2"])
            #expect(list.first == Impression(recommendationID: "r1", user: "u1", scene: "cart", model: "m", items: ["i1", "i3"],
                                             timestamp: 10, experiment: "e", variant: "v", propensity: 0.5))
            #expect(try await store.impressions(of: "nobody").isEmpty)
        },
        .store("deleteUser remembers the user as forgotten at the sequence before the deletion; prune drops older ones") { (store: any EventStore) async throws in
            #expect(try await store.forgottenUsers().isEmpty)
            let summary = try await store.insert([event("kept", "i1"), event("gone", "i2"), event("gone", "i3")])
            _ = try await store.deleteUser("gone")
            #expect(try await store.forgottenUsers() == ["gone": summary.sequences[2]])
            let later = try await store.insert([event("kept", "i2")])
            _ = try await store.deleteUser("kept")
            #expect(try await store.forgottenUsers() == ["gone": summary.sequences[2], "kept": later.sequences[0]])
            try await store.pruneForgottenUsers(before: later.sequences[0])
            #expect(try await store.forgottenUsers() == ["kept": later.sequences[0]])
            try await store.pruneForgottenUsers(before: later.sequences[0] + 1)
            #expect(try await store.forgottenUsers().isEmpty)
        },
        .store("deleteEvents(before:limit:) deletes and returns the oldest events before a time, in pages") { (store: any EventStore) async throws in
            let events = [event("u1", "i1", at: 100), event("u2", "i1", at: 300), event("u1", "i2", at: 50, id: "e3"),
                          event("u1", "i3", at: 200), event("u2", "i2", at: 150)]
            let summary = try await store.insert(events)
            let all = stored(events, summary)
            let first = try await store.deleteEvents(before: 200, limit: 2)
            #expect(first == [all[0], all[2]])
            let second = try await store.deleteEvents(before: 200, limit: 2)
            #expect(second == [all[4]])
            #expect(try await store.deleteEvents(before: 200, limit: 2).isEmpty)
            #expect(try await store.events(after: 0, limit: 10) == [all[1], all[3]])
            // A deleted event id is free again.
            #expect(try await store.insert([event("u1", "i2", at: 50, id: "e3")]).inserted == 1)
        },
        .store("deleteImpressions(before:) deletes the impressions before a time and counts them") { (store: any EventStore) async throws in
            try await store.record([
                Impression(recommendationID: "r1", user: "u1", scene: "home", model: "m", items: ["i1"], timestamp: 10),
                Impression(recommendationID: "r2", user: "u2", scene: "home", model: "m", items: ["i1"], timestamp: 20),
                Impression(recommendationID: "r3", user: "u1", scene: "home", model: "m", items: ["i1"], timestamp: 30),
            ])
            #expect(try await store.deleteImpressions(before: 30) == 2)
            #expect(try await store.impression(recommendationID: "r1") == nil)
            #expect(try await store.impression(recommendationID: "r3") != nil)
            #expect(try await store.deleteImpressions(before: 30) == 0)
        },
    ]
}
