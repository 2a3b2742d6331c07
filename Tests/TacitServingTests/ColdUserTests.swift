import Foundation
import Testing
import TacitCore
import TacitServing
import TacitStore
import TacitTestSupport

/// The cold-user path: a user with a stored record and no trained vector is ranked by a two-tower
/// model from their attributes (and history, once they have one) instead of the popular fallback.
@Suite("Cold users from their attributes")
struct ColdUserTests {
    /// 40 users: a0…a19 cook (`hobby=cooking`) and view kitchen items, b0…b19 garden
    /// (`hobby=gardening`); each views four of their five items, one at a time.
    static var events: [StoredEvent] { ServiceFixture.events(usersPerBlock: 20) }

    static var records: [UserRecord] {
        (0..<20).flatMap { u in
            [UserRecord(id: "a\(u)", attributes: ["hobby": "cooking", "age": "\(20 + u)"]),
             UserRecord(id: "b\(u)", attributes: ["hobby": "gardening", "age": "\(21 + u)"])]
        }
    }

    static var configuration: ServiceConfiguration {
        var c = ServiceFixture.configuration
        c.model = .init(name: "twotower", parameters: ["dimension": "8", "epochs": "40", "batch_size": "32", "learning_rate": "0.05",
                                                        "user_embedding": "false", "min_attribute_users": "5", "seed": "7"])
        return c
    }

    /// A service whose store holds the users' records before the model is trained on them.
    static func service() async throws -> RecommendationService {
        let directory = Fixtures.temporaryDirectory()
        let store = try await Stores.open(directory.appendingPathComponent("tacit.sqlite").path)
        for record in records { try await store.upsert(record) }
        try await store.close()
        return try await ServiceFixture.service(configuration: configuration, events: events, directory: directory)
    }

    @Test("a new user with only attributes gets the model's ranking of them, not the popular fallback")
    func attributesOnly() async throws {
        let service = try await Self.service()
        defer { Task { await service.shutdown() } }
        #expect(service.registry.current?.coldUsers != nil)
        // No record, no events: the fallbacks serve, no model.
        let anonymous = try service.recommend(RecommendationRequest(user: "anonymous", count: 3))
        #expect(anonymous.model == nil && !anonymous.items.contains { $0.source == .personal })

        try await service.upsert(UserRecord(id: "gardener", attributes: ["hobby": "gardening"]))
        try await service.upsert(UserRecord(id: "cook", attributes: ["hobby": "cooking"]))
        let gardener = try service.recommend(RecommendationRequest(user: "gardener", count: 3))
        #expect(gardener.model == "twotower v1")
        #expect(gardener.items.allSatisfy { $0.source == .personal && $0.id.hasPrefix("g") }, "\(gardener.items.map { ($0.id, $0.source) })")
        let cook = try service.recommend(RecommendationRequest(user: "cook", count: 3))
        #expect(cook.items.allSatisfy { $0.source == .personal && $0.id.hasPrefix("k") }, "\(cook.items.map { ($0.id, $0.source) })")
        // Attributes the model never saw are nothing to rank from: the fallbacks serve.
        try await service.upsert(UserRecord(id: "sailor", attributes: ["hobby": "sailing"]))
        #expect(try service.recommend(RecommendationRequest(user: "sailor", count: 3)).model == nil)
    }

    @Test("with events, the attributes join the history; forgetting the user drops the record")
    func attributesAndHistory() async throws {
        let service = try await Self.service()
        defer { Task { await service.shutdown() } }
        try await service.upsert(UserRecord(id: "gardener", attributes: ["hobby": "gardening"]))
        _ = try await service.ingest([StoredEvent(user: "gardener", item: "g0", kind: .view, timestamp: 1_800_000_000)])
        let after = try service.recommend(RecommendationRequest(user: "gardener", count: 3))
        #expect(after.model == "twotower v1")
        #expect(!after.items.contains { $0.id == "g0" }, "the viewed item is excluded")
        #expect(after.items.allSatisfy { $0.source == .personal && $0.id.hasPrefix("g") }, "\(after.items.map { ($0.id, $0.source) })")

        // A trained user keeps their trained vector (cached list), record or not.
        let trained = try service.recommend(RecommendationRequest(user: "b3", count: 1))
        #expect(trained.items.first?.id == "g3", "b3 never saw g3: \(trained.items.map(\.id))")

        _ = try await service.forget("gardener")
        #expect(try await service.store.user("gardener") == nil)
        let forgotten = try service.recommend(RecommendationRequest(user: "gardener", count: 3))
        #expect(forgotten.model == nil, "no record and no events left: \(forgotten.items.map { ($0.id, $0.source) })")
    }

    @Test("records stored before a restart are loaded and used")
    func recordsSurviveRestart() async throws {
        let directory = Fixtures.temporaryDirectory()
        let first = try await ServiceFixture.service(configuration: Self.configuration, events: Self.events, directory: directory)
        for record in Self.records { try await first.upsert(record) }
        try await first.upsert(UserRecord(id: "gardener", attributes: ["hobby": "gardening"]))
        // The running model trained without records: it has no attribute rows yet.
        #expect(try first.recommend(RecommendationRequest(user: "gardener", count: 3)).model == nil)
        _ = try await first.lifecycle.trainAndWait()
        let retrained = try first.recommend(RecommendationRequest(user: "gardener", count: 3))
        #expect(retrained.model == "twotower v2" && retrained.items.allSatisfy { $0.id.hasPrefix("g") },
                "\(retrained.items.map { ($0.id, $0.source) })")
        await first.shutdown()
        try await first.store.close()

        let second = try await ServiceFixture.service(configuration: Self.configuration, seed: false, directory: directory)
        defer { Task { await second.shutdown() } }
        let again = try second.recommend(RecommendationRequest(user: "gardener", count: 3))
        #expect(again.model == "twotower v2" && again.items.allSatisfy { $0.source == .personal && $0.id.hasPrefix("g") },
                "\(again.items.map { ($0.id, $0.source) })")
    }
}
