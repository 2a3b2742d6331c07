import Foundation
import Testing
import TacitCore
import TacitServing
import TacitStore
import TacitTestSupport

/// `RecommendationService.personalRanking(of:for:)`: the user's order of given items.
@Suite("Personal ranking of given items")
struct PersonalRankingTests {
    @Test("a trained user's given items carry the model's own scores, best first; unknown ids last with no score")
    func trainedUser() async throws {
        let service = try await ServiceFixture.service()
        defer { Task { await service.shutdown() } }
        let model = try #require(service.registry.current)
        let user = try #require(model.trainedUser("a0"))
        // The reference: the model's scores of every item for a0, history included.
        let all = model.recommender.recommend(for: user, count: model.recommender.trainingData.itemCount, filter: .none)
        let catalog = service.catalog.snapshot
        var reference: [String: Double] = [:]
        for scored in all { reference[catalog.id(model.catalogItem(scored.item))] = Double(scored.score) }

        let given = ["g0", "k3", "nowhere", "k0", "g4"]
        let ranking = try service.personalRanking(of: given, for: "a0")
        #expect(ranking.basis == .model)
        #expect(ranking.model == "itemknn v1")
        #expect(ranking.items.map(\.id).count == 5)
        #expect(ranking.items.last == PersonalRanking.Entry(id: "nowhere", score: nil))
        let scored = ranking.items.dropLast()
        for entry in scored { #expect(entry.score == reference[entry.id], "\(entry.id)") }
        // Kitchen items (a0's block, k0 the one it misses, k3 in its history) above garden ones.
        #expect(Set(scored.prefix(2).map(\.id)) == ["k0", "k3"], "\(ranking.items)")
        #expect(zip(scored, scored.dropFirst()).allSatisfy { ($0.score ?? 0) >= ($1.score ?? 0) })
        // Only ids the model does not know: nothing to score, every one kept in the order given.
        let unknown = try service.personalRanking(of: ["zz", "yy"], for: "a0")
        #expect(unknown.items == [.init(id: "zz", score: nil), .init(id: "yy", score: nil)])
    }

    @Test("a user the model cannot rank gets the popularity order; a first event makes it personal")
    func newUser() async throws {
        let service = try await ServiceFixture.service()
        defer { Task { await service.shutdown() } }
        // k0 was viewed by 4 of the six kitchen users (a0 and a5 miss it), k1 and g1 by 5.
        let before = try service.personalRanking(of: ["k0", "g1", "k1", "unknown"], for: "newcomer")
        #expect(before.basis == .popularity)
        #expect(before.model == nil)
        #expect(before.items == [.init(id: "g1", score: 5), .init(id: "k1", score: 5), .init(id: "k0", score: 4), .init(id: "unknown", score: nil)])

        _ = try await service.ingest([StoredEvent(user: "newcomer", item: "g2", kind: .view, timestamp: 1_800_000_000)])
        let after = try service.personalRanking(of: ["k0", "g1", "k1"], for: "newcomer")
        #expect(after.basis == .model)
        #expect(after.items.first?.id == "g1", "\(after.items)")
    }

    @Test("an empty list, a repeated id and too many items are refused naming the field")
    func invalidLists() async throws {
        let service = try await ServiceFixture.service()
        defer { Task { await service.shutdown() } }
        #expect(throws: ServiceError.invalidField("items", "must hold at least one item id")) { try service.personalRanking(of: [], for: "a0") }
        #expect(throws: ServiceError.invalidField("items[2]", "'k1' repeats items[0]")) { try service.personalRanking(of: ["k1", "k2", "k1"], for: "a0") }
        let many = (0...RecommendationService.maxRankedItems).map { "x\($0)" }
        #expect(throws: ServiceError.invalidField("items", "at most 1000 items, got 1001")) { try service.personalRanking(of: many, for: "a0") }
    }
}
