import Foundation
import Testing
import TacitCore
@testable import TacitServing
import TacitStore
import TacitTestSupport

/// The "right to be forgotten" end to end, on SQLite and (when `TACIT_TEST_POSTGRES_URL` is set)
/// PostgreSQL: right after `forget`, the user is served like one never seen and the counters are
/// those of a service that never saw their events; also after a restart, and a user who comes
/// back is folded in from their new events only.
@Suite("Forgetting a user")
struct ForgetUserTests {
    /// SQLite always; PostgreSQL when the test server's URL is set.
    static var stores: [String] {
        ProcessInfo.processInfo.environment["TACIT_TEST_POSTGRES_URL"] == nil ? ["sqlite"] : ["sqlite", "postgres"]
    }

    static func location(_ kind: String, directory: URL) -> String {
        guard kind == "postgres" else { return directory.appendingPathComponent("tacit.sqlite").path }
        return PostgresServiceTests.location()
    }

    /// u613's events: kitchen views, a cart and purchases (bought-together), newest of all.
    static var forgottenEvents: [StoredEvent] {
        var t: Int64 = 1_700_100_000
        return [("k0", EventKind.view), ("k1", .view), ("k0", .addToCart), ("k0", .purchase), ("k2", .purchase), ("g3", .view), ("k1", .purchase)]
            .map { item, kind in
                t += 3_600
                return StoredEvent(user: "u613", item: item, kind: kind, timestamp: t)
            }
    }

    /// Another user's purchases after u613's, so the counters mix both.
    static var laterEvents: [StoredEvent] {
        [StoredEvent(user: "a1", item: "k2", kind: .purchase, timestamp: 1_700_200_000),
         StoredEvent(user: "a1", item: "k0", kind: .addToCart, timestamp: 1_700_200_100)]
    }

    static func items(_ list: [RecommendedItem]) -> [String] { list.map { "\($0.id):\($0.source)" } }

    static func expectSameCounters(_ service: RecommendationService, _ reference: RecommendationService,
                                   sourceLocation: SourceLocation = #_sourceLocation) throws {
        let popular = try service.top(.popular, count: 10, category: nil), expected = try reference.top(.popular, count: 10, category: nil)
        #expect(popular.map(\.id) == expected.map(\.id), sourceLocation: sourceLocation)
        #expect(popular.map(\.score) == expected.map(\.score), sourceLocation: sourceLocation)
        let trending = try service.top(.trending, count: 10, category: nil), reference = try reference.top(.trending, count: 10, category: nil)
        #expect(trending.map(\.id) == reference.map(\.id), sourceLocation: sourceLocation)
        for (a, b) in zip(trending, reference) { #expect(abs(a.score - b.score) < 1e-5, "\(a.id): \(a.score) vs \(b.score)", sourceLocation: sourceLocation) }
    }

    @Test("after forget the user is served like one never seen, and counters are as if their events were never posted",
          arguments: stores)
    func forgetIsEndToEnd(store kind: String) async throws {
        let directory = Fixtures.temporaryDirectory()
        let location = Self.location(kind, directory: directory)
        var configuration = ServiceFixture.configuration
        configuration.model = .init(name: "als", parameters: ["factors": "4", "iterations": "3"])
        let store = try await Stores.open(location)
        try await store.upsert(ServiceFixture.items)
        _ = try await store.insert(ServiceFixture.events + Self.forgottenEvents + Self.laterEvents)
        try await store.upsert(UserRecord(id: "u613", attributes: ["country": "fr"]))
        try await store.close()
        let service = try await ServiceFixture.service(configuration: configuration, seed: false, directory: directory, location: location)
        #expect(service.registry.current?.trainedUser("u613") != nil, "the model trained u613's vector")

        // The reference: the same service, on a store that never saw u613.
        let referenceDirectory = Fixtures.temporaryDirectory()
        let referenceStore = try await Stores.open(referenceDirectory.appendingPathComponent("tacit.sqlite").path)
        try await referenceStore.upsert(ServiceFixture.items)
        _ = try await referenceStore.insert(ServiceFixture.events + Self.laterEvents)
        try await referenceStore.close()
        let reference = try await ServiceFixture.service(configuration: configuration, seed: false, directory: referenceDirectory)
        defer { Task { await reference.shutdown() } }

        // A response of u613 buffers an impression just before the deletion.
        let before = try service.recommend(RecommendationRequest(user: "u613", count: 5))
        #expect(before.model != nil)
        #expect(try await service.forget("u613") == Self.forgottenEvents.count)

        await service.impressions.flush()
        #expect(try await service.store.impressions(of: "u613").isEmpty, "the buffered impression is never written")
        #expect(try await service.store.events(of: "u613", limit: nil).isEmpty)
        #expect(try await service.store.user("u613") == nil)
        #expect(service.histories.entries(of: "u613").isEmpty)
        let stranger = try service.recommend(RecommendationRequest(user: "never-seen", count: 5))
        let forgotten = try service.recommend(RecommendationRequest(user: "u613", count: 5))
        #expect(Self.items(forgotten.items) == Self.items(stranger.items))
        #expect(forgotten.model == stranger.model)
        try Self.expectSameCounters(service, reference)
        for anchor in ["k0", "k1", "k2", "g3"] {
            let index = try #require(service.catalog.snapshot.index(of: anchor))
            let referenceIndex = try #require(reference.catalog.snapshot.index(of: anchor))
            let mine = service.cooccurrence.partners(of: [index], count: 10).map { (service.catalog.snapshot.id($0.item), $0.score) }
            let theirs = reference.cooccurrence.partners(of: [referenceIndex], count: 10).map { (reference.catalog.snapshot.id($0.item), $0.score) }
            #expect(mine.map(\.0) == theirs.map(\.0) && mine.map(\.1) == theirs.map(\.1), "bought together with \(anchor)")
        }

        // After a restart the stored model still holds the vector: it must not serve it.
        await service.shutdown()
        try await service.store.close()
        let restarted = try await ServiceFixture.service(configuration: configuration, seed: false, directory: directory, location: location)
        #expect(restarted.registry.current?.trainedUser("u613") != nil, "the stored model still holds u613")
        #expect(Self.items(try restarted.recommend(RecommendationRequest(user: "u613", count: 5)).items)
                == Self.items(try restarted.recommend(RecommendationRequest(user: "never-seen", count: 5)).items))
        try Self.expectSameCounters(restarted, reference)

        // Coming back: served as a new user, from the new events only.
        let comeback = [StoredEvent(user: "u613", item: "g1", kind: .view, timestamp: 1_700_300_000)]
        _ = try await restarted.ingest(comeback)
        _ = try await restarted.ingest(comeback.map { var e = $0; e.user = "fresh"; return e })
        let back = try restarted.recommend(RecommendationRequest(user: "u613", count: 5))
        #expect(back.items.contains { $0.source == .personal })
        #expect(Self.items(back.items) == Self.items(try restarted.recommend(RecommendationRequest(user: "fresh", count: 5)).items))

        // The next model is trained without the deleted events; the forgotten list is emptied.
        _ = try await restarted.lifecycle.trainAndWait()
        #expect(restarted.registry.current?.recommender.trainingData.users.index(of: "u613") != nil, "trained on the new event")
        // The prune runs in a task: the store's list first, then the in-memory one.
        var remaining = try await restarted.store.forgottenUsers()
        for _ in 0..<50 where !remaining.isEmpty || restarted.forgotten.count > 0 {
            try await Task.sleep(nanoseconds: 20_000_000)
            remaining = try await restarted.store.forgottenUsers()
        }
        #expect(remaining.isEmpty)
        #expect(restarted.forgotten.count == 0)
        await restarted.shutdown()
        try await restarted.store.close()
    }

    @Test("retention removes old events and impressions; counters equal a service that never saw them", arguments: stores)
    func retention(store kind: String) async throws {
        let directory = Fixtures.temporaryDirectory()
        let location = Self.location(kind, directory: directory)
        let cutoff: Int64 = 1_700_100_000
        let service = try await ServiceFixture.service(directory: directory, location: location)
        defer { Task { await service.shutdown() } }
        _ = try await service.ingest(Self.forgottenEvents + Self.laterEvents)
        try await service.store.record([
            Impression(recommendationID: "old", user: "a1", scene: "home", model: "x", items: ["k0"], timestamp: cutoff - 1),
            Impression(recommendationID: "new", user: "a1", scene: "home", model: "x", items: ["k0"], timestamp: cutoff + 1),
        ])
        let reference = try await ServiceFixture.service(seed: false)
        defer { Task { await reference.shutdown() } }
        try await reference.upsert(ServiceFixture.items)
        _ = try await reference.ingest(Self.forgottenEvents + Self.laterEvents)

        let removed = try await service.applyRetention(before: cutoff)
        #expect(removed.events == ServiceFixture.events.count)
        #expect(removed.impressions == 1)
        #expect(try await service.store.eventCount() == Self.forgottenEvents.count + Self.laterEvents.count)
        #expect(try await service.store.impression(recommendationID: "old") == nil)
        #expect(try await service.store.impression(recommendationID: "new") != nil)
        #expect(service.histories.entries(of: "a1").count == Self.laterEvents.count)
        #expect(service.histories.entries(of: "b1").isEmpty)
        try Self.expectSameCounters(service, reference)
    }

    @Test("export returns the user's record, events and impressions, including buffered ones")
    func export() async throws {
        let service = try await ServiceFixture.service()
        defer { Task { await service.shutdown() } }
        try await service.store.upsert(UserRecord(id: "a1", attributes: ["plan": "pro"]))
        _ = try service.recommend(RecommendationRequest(user: "a1", count: 3))
        let export = try await service.export("a1")
        #expect(export.record?.attributes == ["plan": "pro"])
        #expect(export.events.count == 4)
        #expect(export.impressions.count == 1)
        let nobody = try await service.export("nobody")
        #expect(nobody.record == nil && nobody.events.isEmpty && nobody.impressions.isEmpty)
    }
}
