import Testing
import TacitCore
import TacitServing
import TacitStore
import TacitTestSupport

/// "Because you viewed X" is claimed only when X carries the item's score: with a model that
/// scores every item (ALS), a history spanning unrelated categories must not lend one viewed
/// item's name to items of another category.
@Suite("Honest explanations")
struct HonestExplanationTests {
    private static let configuration: ServiceConfiguration = {
        var configuration = ServiceFixture.configuration
        configuration.model = .init(name: "als", parameters: ["factors": "4", "iterations": "20", "regularization": "0.1", "seed": "3"])
        return configuration
    }()

    private static func category(_ id: ItemID) -> String { id.hasPrefix("k") ? "Kitchen" : "Garden" }

    @Test("a history across two categories: each anchored item is explained by a viewed item of its own category")
    func mixedHistory() async throws {
        let service = try await ServiceFixture.service(configuration: Self.configuration)
        defer { Task { await service.shutdown() } }
        _ = try await service.ingest([
            StoredEvent(user: "mixed", item: "k1", kind: .view, timestamp: 1_800_000_000),
            StoredEvent(user: "mixed", item: "g2", kind: .view, timestamp: 1_800_000_001),
        ])
        let response = try service.recommend(RecommendationRequest(user: "mixed", count: 8))
        let personal = response.items.filter { $0.source == .personal }
        #expect(personal.count >= 4, "\(response.items.map { ($0.id, $0.source) })")
        for item in personal {
            if item.explanation == "because you viewed Kitchen 1" {
                #expect(Self.category(item.id) == "Kitchen", "\(item.id) claimed Kitchen 1")
            } else if item.explanation == "because you viewed Garden 2" {
                #expect(Self.category(item.id) == "Garden", "\(item.id) claimed Garden 2")
            } else {
                #expect(item.explanation == "recommended for you", "\(item.id): \(item.explanation)")
            }
        }
        #expect(personal.contains { $0.explanation == "because you viewed Kitchen 1" }, "\(personal.map { ($0.id, $0.explanation) })")
        #expect(personal.contains { $0.explanation == "because you viewed Garden 2" }, "\(personal.map { ($0.id, $0.explanation) })")
    }

    @Test("one viewed garden item never explains a kitchen item")
    func singleItemHistory() async throws {
        let service = try await ServiceFixture.service(configuration: Self.configuration)
        defer { Task { await service.shutdown() } }
        _ = try await service.ingest([StoredEvent(user: "one", item: "g2", kind: .view, timestamp: 1_800_000_000)])
        let response = try service.recommend(RecommendationRequest(user: "one", count: 9))
        let claimed = response.items.filter { $0.explanation == "because you viewed Garden 2" }
        #expect(!claimed.isEmpty, "\(response.items.map { ($0.id, $0.explanation) })")
        #expect(claimed.allSatisfy { Self.category($0.id) == "Garden" }, "\(response.items.map { ($0.id, $0.explanation) })")
        let kitchen = response.items.filter { Self.category($0.id) == "Kitchen" }
        #expect(kitchen.allSatisfy { !$0.explanation.contains("Garden") }, "\(kitchen.map { ($0.id, $0.explanation) })")
    }
}
