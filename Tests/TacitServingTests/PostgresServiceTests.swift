import Foundation
import Testing
import TacitCore
import TacitServing
import TacitStore
import TacitTestSupport

/// The service's real-time path on PostgreSQL (the store conformance suite covers the store
/// itself). `scripts/test.sh` starts a throwaway server and sets `TACIT_TEST_POSTGRES_URL`.
@Suite("Service on PostgreSQL", .enabled(if: ProcessInfo.processInfo.environment["TACIT_TEST_POSTGRES_URL"] != nil,
                                         "TACIT_TEST_POSTGRES_URL is unset: run scripts/test.sh, which starts PostgreSQL"))
struct PostgresServiceTests {
    static func location() -> String {
        let url = ProcessInfo.processInfo.environment["TACIT_TEST_POSTGRES_URL"]!
        let token = UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
        return url + (url.contains("?") ? "&" : "?") + "schema=svc_\(token)"
    }

    @Test("events change the next response, retrain swaps, a restart reloads model and histories")
    func realTimeOnPostgres() async throws {
        let location = Self.location()
        let directory = Fixtures.temporaryDirectory()
        let service = try await ServiceFixture.service(directory: directory, location: location)
        #expect(service.store.description.hasPrefix("postgres"))
        #expect(service.registry.current?.info.version == 1)
        _ = try await service.ingest([StoredEvent(eventID: "p1", user: "pg-user", item: "g2", kind: .view, timestamp: 1_800_000_000)])
        let response = try service.recommend(RecommendationRequest(user: "pg-user", count: 4))
        #expect(response.items.count == 4)
        #expect(!response.items.contains { $0.id == "g2" })
        #expect(response.model == "itemknn v1")
        let duplicate = try await service.ingest([StoredEvent(eventID: "p1", user: "pg-user", item: "g2", kind: .view, timestamp: 1_800_000_000)])
        #expect(duplicate.duplicates == 1)
        #expect(try await service.lifecycle.trainAndWait().version == 2)
        await service.shutdown()
        try await service.store.close()

        let reopened = try await ServiceFixture.service(seed: false, directory: directory, location: location)
        #expect(reopened.registry.current?.info.version == 2)
        #expect(try await reopened.events(of: "pg-user", limit: nil).count == 1)
        #expect(!(try reopened.recommend(RecommendationRequest(user: "pg-user", count: 4)).items.contains { $0.id == "g2" }))
        await reopened.shutdown()
        try await reopened.store.close()
    }
}
