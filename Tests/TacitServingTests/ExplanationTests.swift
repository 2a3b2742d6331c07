import TacitCore
import Testing
@testable import TacitServing

@Suite("Explanations")
struct ExplanationTests {
    private let catalog = MemoryCatalog([
        ItemRecord(id: "kettle", title: "Blue Kettle", category: "Kitchen", brand: "Acme"),
        ItemRecord(id: "i1"),
        ItemRecord(id: "i2", title: "", category: "Garden"),
        ItemRecord(id: "pan", title: "Red Pan", category: "Kitchen", brand: "Acme"),
        ItemRecord(id: "hose", title: "Hose", category: "Garden", brand: "Flow"),
        nil,
    ])

    private func explain(
        _ item: Int32, _ source: CandidateSourceKind, anchor: Int32? = nil, history: [HistoryEvent] = [], context: [Int32] = []
    ) -> String {
        let explainer = Explainer(catalog: catalog, history: history, context: context)
        return explainer.explain(item, source: source, anchor: anchor)
    }

    @Test func personalUsesTheStrongestEventOnTheAnchor() {
        let viewed = [HistoryEvent(item: 0, kind: .view, timestamp: 1), HistoryEvent(item: 0, kind: .click, timestamp: 2)]
        #expect(explain(3, .personal, anchor: 0, history: viewed) == "because you viewed Blue Kettle")
        let carted = viewed + [HistoryEvent(item: 0, kind: .addToCart, timestamp: 3)]
        #expect(explain(3, .personal, anchor: 0, history: carted) == "because you added Blue Kettle to your cart")
        let bought = [HistoryEvent(item: 0, kind: .purchase, timestamp: 0)] + carted
        #expect(explain(3, .personal, anchor: 0, history: bought) == "because you bought Blue Kettle")
        #expect(explain(3, .personal, anchor: 1, history: bought) == "because you viewed i1")  // no title: the id
        #expect(explain(3, .personal, anchor: 2) == "because you viewed i2")  // empty title: the id
        #expect(explain(3, .personal) == "recommended for you")
        // A rating log's events (kind `interaction`) name no verb.
        let rated = [HistoryEvent(item: 0, kind: .interaction, timestamp: 1)]
        #expect(explain(3, .personal, anchor: 0, history: rated) == "related to Blue Kettle")
        #expect(explain(3, .personal, anchor: 0, history: rated + [HistoryEvent(item: 0, kind: .click, timestamp: 2)]) == "because you viewed Blue Kettle")
    }

    @Test func itemToItemSources() {
        #expect(explain(3, .similar, anchor: 0) == "similar to Blue Kettle")
        #expect(explain(3, .similar, context: [0]) == "similar to Blue Kettle")
        #expect(explain(3, .similar) == "similar to items you viewed")
        #expect(explain(3, .complementary, anchor: 4) == "often bought with Hose")
        #expect(explain(3, .complementary, context: [5]) == "often bought with i5")
        #expect(explain(3, .complementary) == "often bought together")
    }

    @Test func catalogSources() {
        #expect(explain(4, .trending) == "trending in Garden")
        #expect(explain(5, .trending) == "trending now")
        #expect(explain(1, .popular) == "popular")
        #expect(explain(0, .popular) == "popular in Kitchen")
        #expect(explain(3, .content, anchor: 0) == "more from Acme")
        #expect(explain(4, .content, anchor: 0) == "more in Garden")
        #expect(explain(3, .content) == "more in Kitchen")
        #expect(explain(5, .content, anchor: 0) == "picked for your interests")
    }

    @Test func rankedItemsAreExplainedByTheirBestSource() {
        let scene = SceneConfig(sources: [SourceWeight(.personal), SourceWeight(.content, weight: 0.1)], fallback: [])
        let lists: [CandidateSourceKind: [Candidate]] = [
            .personal: [Candidate(item: 3, score: 9, anchor: 0)], .content: [Candidate(item: 3, score: 1, anchor: 4)],
        ]
        let result = SceneRanker(scene: scene).rank(
            count: 1, sources: lists, fallbacks: [:], catalog: catalog,
            history: [HistoryEvent(item: 0, kind: .purchase, timestamp: 1)])
        #expect(result == [RankedItem(item: 3, score: 1.1, source: .personal, explanation: "because you bought Blue Kettle")])
    }
}
