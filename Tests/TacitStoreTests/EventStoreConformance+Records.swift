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
            #expect(try await store.impressions(recommendationIDs: ["r3", "r2", "r1", "r2"]) == [r1, r2], "by id, sorted, unknown ids left out")
            #expect(try await store.impressions(recommendationIDs: []).isEmpty)
            let many = (0..<1_203).map { Impression(recommendationID: String(format: "m%05d", $0), user: "u\($0 % 7)", scene: "home", model: "als",
                                                       items: ["i\($0)"], timestamp: Int64($0)) }
            try await store.record(many)
            #expect(try await store.impressions(recommendationIDs: many.map(\.recommendationID).reversed() + ["nope"]) == many,
                    "more ids than one query takes")
            // Paging through every impression, and through those shown before a time (retention).
            var every: [Impression] = []
            try await store.forEachImpressionPage(pageSize: 500) { every += $0 }
            #expect(every == many + [r1, r2], "every impression by id, over three pages")
            var old: [Impression] = []
            try await store.forEachImpressionPage(before: 100, pageSize: 7) { old += $0 }
            #expect(old == Array(many.prefix(100)) + [r2], "the impressions before 100, by id")
            #expect(try await store.impressions(after: "m01200", before: nil, limit: 3).map(\.recommendationID) == ["m01201", "m01202", "r1"])
            #expect(try await store.impressions(after: nil, before: 0, limit: 10).isEmpty)
            var again = r2
            again.items = ["i5"]
            var last = again
            last.items = ["i6", "i7"]
            try await store.record([again, last])
            #expect(try await store.impression(recommendationID: "r2") == last, "a repeated id keeps the last")
        },

        .store("model versions round-trip oldest first, and a saved model and number replaces its version") { (store: any EventStore) async throws in
            #expect(try await store.modelVersions().isEmpty)
            let two = version(2, model: "ease", metrics: ["ndcg@10": 0.31, "recall@20": 0.4, "coverage": 0])
            let one = version(1, metrics: [:])
            try await store.save(two)
            try await store.save(one)
            #expect(try await store.modelVersions() == [one, two])

            var retrained = version(1, metrics: ["ndcg@10": 0.2])
            retrained.parameters = [:]
            retrained.firstEventTime = 5
            try await store.save(retrained)
            #expect(try await store.modelVersions() == [retrained, two])

            let odd = version(3, metrics: ["loss": .infinity, "nan": .nan, "tiny": 1e-300])
            try await store.save(odd)
            let read = try await store.modelVersions().last!
            #expect(read.metrics["loss"] == .infinity && read.metrics["nan"]!.isNaN && read.metrics["tiny"] == 1e-300)
        },

        .store("each model numbers its own versions: the same number of two models is two records") { (store: any EventStore) async throws in
            let als1 = version(1), ease1 = version(1, model: "ease", metrics: [:]), als2 = version(2)
            var ease2 = version(2, model: "ease")
            ease2.createdAt = als2.createdAt + 10
            for record in [ease2, als2, ease1, als1] { try await store.save(record) }
            // Oldest first; records created in the same second by model name.
            #expect(try await store.modelVersions() == [als1, ease1, als2, ease2])
            #expect(try await store.modelVersions(of: "als") == [als1, als2])
            #expect(try await store.modelVersions(of: "ease") == [ease1, ease2])
            #expect(try await store.modelVersions(of: "bpr").isEmpty)

            // Saving ease v1 again replaces only ease's version 1.
            var retrained = ease1
            retrained.metrics = ["ndcg@10": 0.5]
            retrained.path = "/var/tacit/models/v1-ease.tacitmodel"
            try await store.save(retrained)
            #expect(try await store.modelVersions(of: "ease") == [retrained, ease2])
            #expect(try await store.modelVersions(of: "als") == [als1, als2])
            #expect(try await store.modelVersions().count == 4)
        },
    ]
}

extension EventStoreConformance {
    /// Rows of a first-schema `model_versions` table, numbered in one sequence over all models
    /// (als 1 and 2, then ease 3); SQL for both stores.
    static let firstSchemaModelVersionRows = """
        INSERT INTO model_versions (version, model, parameters, path, created_at, last_sequence, events, users, items, fit_seconds, metrics)
        VALUES (1, 'als', '{"factors": "8"}', '/m/v1-als.tacitmodel', 10, 100, 100, 5, 7, 0.5, '{"ndcg@10": 0.25}'),
               (2, 'als', '{}', '/m/v2-als.tacitmodel', 20, 200, 200, 5, 7, 0.5, '{}'),
               (3, 'ease', '{}', '/m/v3-ease.tacitmodel', 30, 300, 300, 5, 7, 0.5, '{}');
        """

    /// A store opened on ``firstSchemaModelVersionRows`` keeps their numbers, keyed by model: ease's
    /// own version 1 is a new record beside als v1.
    static func expectFirstSchemaModelVersionsKeyedByModel(_ store: any EventStore) async throws {
        let als = try await store.modelVersions(of: "als")
        #expect(als.map(\.version) == [1, 2])
        #expect(als.first?.parameters == ["factors": "8"] && als.first?.metrics == ["ndcg@10": 0.25])
        #expect(try await store.modelVersions(of: "ease").map(\.version) == [3])
        var ease1 = version(1, model: "ease")
        ease1.createdAt = 40
        try await store.save(ease1)
        #expect(try await store.modelVersions().map { "\($0.model) v\($0.version)" } == ["als v1", "als v2", "ease v3", "ease v1"])
    }
}
