import Foundation
import Testing
import TacitCore
import TacitServing
import TacitStore
import TacitTestSupport
import TacitModels

@Suite("Real-time serving")
struct RealTimeTests {
    @Test("a new user gets fallbacks first, then personal results from their first event")
    func newUserBecomesPersonal() async throws {
        let service = try await ServiceFixture.service()
        defer { Task { await service.shutdown() } }
        let before = try service.recommend(RecommendationRequest(user: "newcomer", count: 5))
        #expect(before.items.count == 5)
        #expect(before.model == nil)
        #expect(!before.items.contains { $0.source == .personal })

        _ = try await service.ingest([StoredEvent(user: "newcomer", item: "g2", kind: .view, timestamp: 1_800_000_000)])
        let after = try service.recommend(RecommendationRequest(user: "newcomer", count: 5))
        #expect(after.items.count == 5)
        #expect(after.model == "itemknn v1")
        #expect(!after.items.contains { $0.id == "g2" }, "the viewed item is excluded at once")
        let personal = after.items.filter { $0.source == .personal }
        #expect(!personal.isEmpty)
        #expect(personal.allSatisfy { $0.id.hasPrefix("g") }, "garden viewer gets garden items: \(personal.map(\.id))")
        #expect(personal.contains { $0.explanation == "because you viewed Garden 2" })
    }

    @Test("a trained user's purchase is excluded from the next response and steers the fold-in")
    func purchaseChangesNextResponse() async throws {
        let service = try await ServiceFixture.service()
        defer { Task { await service.shutdown() } }
        // a0 misses k0: item-kNN ranks it first.
        let first = try service.recommend(RecommendationRequest(user: "a0", count: 3))
        #expect(first.items.first?.id == "k0")
        _ = try await service.ingest([StoredEvent(user: "a0", item: "k0", kind: .purchase, timestamp: 1_800_000_000)])
        let second = try service.recommend(RecommendationRequest(user: "a0", count: 3))
        #expect(!second.items.contains { $0.id == "k0" })
        #expect(second.items.count == 3)
    }

    @Test("an upserted item is recommendable at once by its attributes")
    func newItemIsRecommendable() async throws {
        let service = try await ServiceFixture.service()
        defer { Task { await service.shutdown() } }
        try await service.upsert([ItemRecord(id: "k-new", title: "New Kettle", category: "Kitchen", brand: "Acme", price: 30)])
        let similar = try service.similar(to: "k-new", count: 4)
        #expect(similar.count == 4)
        #expect(similar.allSatisfy { $0.id.hasPrefix("k") })
        // A kitchen user's home page can show it through the content source.
        let home = try service.recommend(RecommendationRequest(user: "a1", count: 6))
        #expect(home.items.contains { $0.id == "k-new" }, "\(home.items.map(\.id))")
    }

    @Test("with a feature-aware model, an upserted item is scored by the model from its attributes")
    func newItemScoredByTheModel() async throws {
        var configuration = ServiceFixture.configuration
        configuration.model = .init(name: "content", parameters: [:])
        let service = try await ServiceFixture.service(configuration: configuration)
        defer { Task { await service.shutdown() } }
        #expect(service.registry.current?.coldItems != nil)
        try await service.upsert([ItemRecord(id: "k-new", title: "Kitchen Kettle", category: "Kitchen", brand: "Acme", price: 30)])
        // The personal source itself ranks it for a kitchen user (trained, no new events) ...
        let home = try service.recommend(RecommendationRequest(user: "a1", count: 6))
        #expect(home.items.first { $0.id == "k-new" }?.source == .personal, "\(home.items.map { ($0.id, $0.source) })")
        // ... and for a new user folded in from three events; a garden user's own unseen garden
        // item ranks above it (they share only a price bucket).
        _ = try await service.ingest((0..<3).map { StoredEvent(user: "fresh", item: "k\($0)", kind: .view, timestamp: 1_800_000_000 + Int64($0)) })
        let fresh = try service.recommend(RecommendationRequest(user: "fresh", count: 4))
        #expect(fresh.items.first { $0.id == "k-new" }?.source == .personal, "\(fresh.items.map { ($0.id, $0.source) })")
        let garden = try service.recommend(RecommendationRequest(user: "b1", count: 4))
        let position = { (id: String) in garden.items.firstIndex { $0.id == id } ?? Int.max }
        #expect(position("g1") < position("k-new"), "\(garden.items.map { ($0.id, $0.source) })")
        // Its similar items are the model's neighbours of its attributes.
        let similar = try service.similar(to: "k-new", count: 3)
        #expect(similar.count == 3 && similar.allSatisfy { $0.id.hasPrefix("k") && $0.source == .similar }, "\(similar.map { ($0.id, $0.source) })")
    }

    @Test("through the index, an item upserted after training is scored from its attributes as with exact scoring")
    func newItemBesideTheIndex() async throws {
        var configuration = ServiceFixture.configuration
        configuration.model = .init(name: "twotower", parameters: ["dimension": "8", "epochs": "40", "batch_size": "32", "learning_rate": "0.05",
                                                                   "user_embedding": "false", "seed": "7"])
        var responses: [[String]] = []
        for mode in [RetrievalSettings.Mode.exact, .index] {
            configuration.retrieval.mode = mode
            let service = try await ServiceFixture.service(configuration: configuration)
            let model = try #require(service.registry.current)
            #expect((model.retrievalIndexes != nil) == (mode == .index) && model.coldItems != nil)
            try await service.upsert([ItemRecord(id: "k-new", title: "Kitchen Kettle", category: "Kitchen", brand: "Acme", price: 30)])
            _ = try await service.ingest((0..<3).map { StoredEvent(user: "fresh", item: "k\($0)", kind: .view, timestamp: 1_800_000_000 + Int64($0)) })
            var ids: [String] = []
            for user in ["a1", "b1", "fresh"] {
                let list = try service.recommend(RecommendationRequest(user: user, count: 8))
                ids += list.items.map { "\(user):\($0.id):\($0.source)" }
            }
            #expect(ids.contains { $0.hasPrefix("a1:k-new:") } && ids.contains { $0.hasPrefix("fresh:k-new:") }, "\(ids)")
            responses.append(ids)
            await service.shutdown()
        }
        // The fixture's 10 items make 3 leaves, all probed: the index's lists are the exact ones,
        // the new item (outside the index, scored from its attributes) in the same places.
        #expect(responses[0] == responses[1])
    }

    @Test("with sasrec, each new event (and its kind) moves the next personal recommendation at once")
    func sequentialModelFollowsEachEvent() async throws {
        var configuration = ServiceFixture.configuration
        configuration.model = .init(name: "sasrec", parameters: ["epochs": "60", "dimension": "16", "max_length": "12", "learning_rate": "0.01",
                                                                 "dropout": "0.1", "batch_size": "32", "warmup_steps": "0"])
        let service = try await ServiceFixture.service(configuration: configuration)
        defer { Task { await service.shutdown() } }
        // Shoppers walk the ten items as a ring: after viewing one they view the next; after
        // buying one they skip the next.
        let ring = ServiceFixture.kitchen + ServiceFixture.garden
        var rng = SeededGenerator(seed: 5)
        var events: [StoredEvent] = []
        var t: Int64 = 1_750_000_000
        for u in 0..<80 {
            var k = Int(rng.next() % 10)
            for _ in 0..<(6 + Int(rng.next() % 6)) {
                let bought = rng.nextUnit() < 0.3
                t += 1
                events.append(StoredEvent(user: "walker\(u)", item: ring[k], kind: bought ? .purchase : .view, timestamp: t))
                k = (k + (bought ? 2 : 1)) % 10
            }
        }
        _ = try await service.ingest(events)
        _ = try await service.lifecycle.trainAndWait()
        #expect(service.registry.current?.sequential != nil)
        func nextPersonal(after item: String, kind: EventKind) async throws -> String? {
            t += 1
            _ = try await service.ingest([StoredEvent(user: "visitor", item: item, kind: kind, timestamp: t)])
            let response = try service.recommend(RecommendationRequest(user: "visitor", count: 8))
            #expect(response.model == "sasrec v2")
            return response.items.first { $0.source == .personal }?.id
        }
        _ = try await nextPersonal(after: "k1", kind: .view)
        #expect(try await nextPersonal(after: "k2", kind: .view) == "k3")
        #expect(try await nextPersonal(after: "k3", kind: .view) == "k4")
        #expect(try await nextPersonal(after: "k4", kind: .purchase) == "g1")
    }

    @Test("a repeated event id is stored and counted once")
    func duplicateEventIDs() async throws {
        let service = try await ServiceFixture.service()
        defer { Task { await service.shutdown() } }
        let event = StoredEvent(eventID: "e-1", user: "dup", item: "k1", kind: .purchase, timestamp: 1_800_000_000)
        let first = try await service.ingest([event, event])
        #expect(first.inserted == 1 && first.duplicates == 1)
        let again = try await service.ingest([event])
        #expect(again.inserted == 0 && again.duplicates == 1)
        #expect(try await service.events(of: "dup", limit: nil).count == 1)
    }

    @Test("unknown scenes and counts out of range are client errors")
    func badRequests() async throws {
        let service = try await ServiceFixture.service()
        defer { Task { await service.shutdown() } }
        #expect(throws: ServiceError.self) { try service.recommend(RecommendationRequest(user: "a0", scene: "nope")) }
        #expect(throws: ServiceError.self) { try service.recommend(RecommendationRequest(user: "a0", count: 0)) }
        #expect(throws: ServiceError.self) { try service.similar(to: "missing", count: 3) }
    }

    @Test("retraining swaps a new version in; a restart loads the newest version and the histories")
    func retrainAndRestart() async throws {
        let directory = Fixtures.temporaryDirectory()
        let service = try await ServiceFixture.service(directory: directory)
        #expect(service.registry.current?.info.version == 1)
        _ = try await service.ingest([StoredEvent(user: "late", item: "g1", kind: .view, timestamp: 1_800_000_000)])
        let record = try await service.lifecycle.trainAndWait()
        #expect(record.version == 2)
        #expect(service.registry.current?.info.version == 2)
        #expect(service.registry.current?.trainedUser("late") != nil)
        await service.shutdown()
        try await service.store.close()

        let reopened = try await ServiceFixture.service(seed: false, directory: directory)
        defer { Task { await reopened.shutdown() } }
        #expect(reopened.registry.current?.info.version == 2)
        let response = try reopened.recommend(RecommendationRequest(user: "late", count: 4))
        #expect(!response.items.contains { $0.id == "g1" }, "history restored from the store")
        #expect(try await reopened.store.modelVersions().map(\.version) == [1, 2])
    }

    @Test("forgetting a user removes their events and live history")
    func forgetUser() async throws {
        let service = try await ServiceFixture.service()
        defer { Task { await service.shutdown() } }
        _ = try await service.ingest([StoredEvent(user: "gone", item: "g1", kind: .view, timestamp: 1_800_000_000)])
        #expect(try await service.forget("gone") == 1)
        #expect(try await service.events(of: "gone", limit: nil).isEmpty)
        let response = try service.recommend(RecommendationRequest(user: "gone", count: 3))
        #expect(response.model == nil)
    }
}
