import Foundation
import Testing
import TacitCore
import TacitStore
import TacitTestSupport
@testable import TacitServing

/// The `repeat` source in the service: "buy it again" from the user's live history, ranked by
/// the hazard learned from every remembered history.
@Suite("Repeat source")
struct RepeatSourceTests {
    static let day: Int64 = 86_400

    private static func configuration() throws -> ServiceConfiguration {
        var configuration = ServiceFixture.configuration
        configuration.strategy = try StrategyConfig.decode(Data("""
        {"scenes": {"home": {"sources": [{"source": "personal"}]},
                    "again": {"sources": [{"source": "repeat", "weight": 2}, {"source": "personal"}],
                              "filters": {"exclude_purchased": false, "exclude_seen": false}, "fallback": []}}}
        """.utf8))
        return configuration
    }

    @Test("a due staple comes first once the hazard is learned; before that, the most recent purchase; views are not repeats")
    func dueStapleFirst() async throws {
        let service = try await ServiceFixture.service(configuration: try Self.configuration())
        defer { Task { await service.shutdown() } }
        let now = Int64(Date().timeIntervalSince1970)
        // Ten households buy k1 every 7 days; "shopper" too (last 7 days ago), and bought g3 once
        // yesterday (nobody ever buys g3 twice), and viewed k2.
        var events: [StoredEvent] = []
        for h in 0..<10 {
            for w in 1...6 { events.append(StoredEvent(user: "h\(h)", item: "k1", kind: .purchase, timestamp: now - Int64(w) * 7 * Self.day)) }
            events.append(StoredEvent(user: "h\(h)", item: "g\(h % 5)", kind: .purchase, timestamp: now - 30 * Self.day))
        }
        for w in 1...4 { events.append(StoredEvent(user: "shopper", item: "k1", kind: .purchase, timestamp: now - Int64(w) * 7 * Self.day)) }
        events.append(StoredEvent(user: "shopper", item: "g3", kind: .purchase, timestamp: now - Self.day))
        events.append(StoredEvent(user: "shopper", item: "k2", kind: .view, timestamp: now - 3600))
        _ = try await service.ingest(events)

        // Before any build: most recent purchase first.
        service.repeats.invalidate()
        let before = service.sources.repeatPurchases(
            RecommendationContext(user: "shopper", history: service.histories.entries(of: "shopper"), contextItems: [],
                                  catalog: service.catalog.snapshot, model: nil, time: now), limit: 10)
        #expect(before.map { service.catalog.snapshot.id($0.item) } == ["g3", "k1"])

        service.repeats.rebuild(now: now)
        let response = try service.recommend(RecommendationRequest(user: "shopper", scene: "again", count: 4))
        let again = response.items.filter { $0.source == .repeatPurchase }
        #expect(again.map(\.id) == ["k1", "g3"], "\(response.items.map { ($0.id, $0.source) })")
        #expect(again.allSatisfy { $0.explanation == "buy it again" })
        #expect(response.items.first?.id == "k1")
        #expect(!again.contains { $0.id == "k2" })
        // A user with no purchases gets no repeat items.
        let viewer = try service.recommend(RecommendationRequest(user: "a1", scene: "again", count: 4))
        #expect(!viewer.items.contains { $0.source == .repeatPurchase })
    }

    @Test("a scene with the repeat source that drops purchased or seen items is refused by name")
    func sceneMustKeepPurchases() {
        for (filters, field) in [("{}", "exclude_purchased"), ("{\"exclude_purchased\": false, \"exclude_seen\": true}", "exclude_seen")] {
            let json = "{\"scenes\": {\"home\": {\"sources\": [{\"source\": \"repeat\"}], \"filters\": \(filters)}}}"
            do {
                _ = try StrategyConfig.decode(Data(json.utf8), file: "strategy.json")
                Issue.record("\(json) was accepted")
            } catch {
                #expect(error.description.contains("scenes.home.filters.\(field): must be false in a scene with the repeat source"), "\(error)")
            }
        }
    }
}
