import Testing
import TacitCore
import TacitStore

extension EventStoreConformance {
    static func version(_ number: Int, model: String = "als", metrics: [String: Double] = ["ndcg@10": 0.25]) -> ModelVersionRecord {
        ModelVersionRecord(
            version: number, model: model, parameters: ["factors": "64", "regularization": "0.01"],
            path: "/var/tacit/models/\(model)-\(number).tacitmodel", createdAt: 1_700_000_000 + Int64(number),
            lastSequence: Int64(1_000 * number), firstEventTime: number == 1 ? nil : 1_600_000_000,
            lastEventTime: number == 1 ? nil : 1_699_999_999, events: 10_000_000 * number, users: 50_000, items: 3_000,
            fitSeconds: 12.75, metrics: metrics)
    }

    static let records: [ConformanceCheck] = [
        .store("impressions round-trip one row per response, items in order, replaced by id") { (store: any EventStore) async throws in
            let r1 = Impression(recommendationID: "r1", user: "u1", scene: "home", model: "als-3",
                                items: ["i2", "i0", "i1", "i\"q\\u\no\u{1}te", "é"], timestamp: 1_700_000_000)
            let r2 = Impression(recommendationID: "r2", user: "u2", scene: "pdp", model: "popular", items: [], timestamp: 7,
                                experiment: "hero", variant: "control", propensity: 0.5)
            try await store.record([r1, r2])
            try await store.record([])
            #expect(try await store.impression(recommendationID: "r1") == r1)
            #expect(try await store.impression(recommendationID: "r2") == r2)
            #expect(try await store.impression(recommendationID: "r3") == nil)
            var again = r2
            again.items = ["i5"]
            var last = again
            last.items = ["i6", "i7"]
            try await store.record([again, last])
            #expect(try await store.impression(recommendationID: "r2") == last, "a repeated id keeps the last")
        },

        .store("model versions round-trip oldest first, and a saved number replaces its version") { (store: any EventStore) async throws in
            #expect(try await store.modelVersions().isEmpty)
            let two = version(2, model: "ease", metrics: ["ndcg@10": 0.31, "recall@20": 0.4, "coverage": 0])
            let one = version(1, metrics: [:])
            try await store.save(two)
            try await store.save(one)
            #expect(try await store.modelVersions() == [one, two])

            var retrained = version(1, model: "bpr", metrics: ["ndcg@10": 0.2])
            retrained.parameters = [:]
            retrained.firstEventTime = 5
            try await store.save(retrained)
            #expect(try await store.modelVersions() == [retrained, two])

            let odd = version(3, metrics: ["loss": .infinity, "nan": .nan, "tiny": 1e-300])
            try await store.save(odd)
            let read = try await store.modelVersions().last!
            #expect(read.metrics["loss"] == .infinity && read.metrics["nan"]!.isNaN && read.metrics["tiny"] == 1e-300)
        },
    ]
}
