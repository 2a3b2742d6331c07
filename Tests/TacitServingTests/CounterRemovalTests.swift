import Foundation
import Testing
import TacitCore
@testable import TacitServing
import TacitStore
import TacitTestSupport

/// Taking events back from popularity and trending (forget, retention) and the bound on stored
/// far-future events: the counters end as if the removed events had never been recorded.
@Suite("Counter removal and recount")
struct CounterRemovalTests {
    static let day: Int64 = 86_400

    static func view(_ item: Int32, _ t: Int64) -> HistoryEvent { HistoryEvent(item: item, kind: .view, timestamp: t) }

    @Test("removing recent events from items with far older ones asks for a recount; the recount is exact, journal included")
    func recountIsExact() {
        let old: Int64 = 1_000_000_000
        let recent = old + 400 * 3 * Self.day  // 400 half-lives later: the old weights are 2^-400 of the recent ones
        let oldEvents = [Self.view(0, old), Self.view(1, old + 3_600), Self.view(1, old + 7_200), Self.view(2, old)]
        let recentEvents = [Self.view(0, recent), Self.view(1, recent), Self.view(3, recent)]
        let counters = ActivityCounters()
        counters.record(oldEvents, sequences: [1, 2, 3, 4])
        counters.record(recentEvents, sequences: [5, 6, 7])
        // Without the recent events the reference stays where they moved it: the reference counters see the same clock.
        let reference = ActivityCounters()
        reference.record(oldEvents + [Self.view(3, recent)], sequences: [1, 2, 3, 4, 7])

        let imprecise = counters.remove([Self.view(0, recent), Self.view(1, recent)])
        #expect(imprecise == [0, 1], "old weights are lost in the subtraction")
        let token = counters.beginRecount(imprecise)
        // An event recorded while the scan runs, which the scan does not see.
        counters.record([Self.view(1, recent)], sequences: [8])
        reference.record([Self.view(1, recent)], sequences: [8])
        counters.finishRecount(token, scanned: [
            .init(event: Self.view(0, old), sequence: 1), .init(event: Self.view(1, old + 3_600), sequence: 2),
            .init(event: Self.view(1, old + 7_200), sequence: 3),
        ])
        for item: Int32 in 0...3 {
            #expect(counters.score(item, .popular) == reference.score(item, .popular), "popular \(item)")
            let a = counters.score(item, .trending), b = reference.score(item, .trending)
            #expect(abs(a - b) <= 1e-12 * max(a, b), "trending \(item): \(a) vs \(b)")
        }
        #expect(counters.score(0, .trending) > 0, "the old view of item 0 still counts")
        #expect(counters.top(.trending, now: 1e9).map(\.item) == reference.top(.trending, now: 1e9).map(\.item))
    }

    @Test("removing an item's only events sets it to exactly zero; a small removal needs no recount")
    func exactZeroAndPreciseRemoval() {
        let counters = ActivityCounters()
        counters.record([Self.view(0, 1_000), Self.view(1, 1_000), Self.view(1, 2_000)], sequences: [1, 2, 3])
        #expect(counters.remove([Self.view(0, 1_000), Self.view(1, 2_000)]).isEmpty)
        #expect(counters.score(0, .popular) == 0)
        #expect(counters.score(0, .trending) == 0)
        #expect(counters.score(1, .popular) == 1)
        #expect(abs(counters.score(1, .trending) - 1) < 1e-12)
    }

    @Test("an event stored in the far future by an older version does not zero everyone's trending after a restart")
    func farFutureStoredEventIsBounded() async throws {
        let directory = Fixtures.temporaryDirectory()
        let location = directory.appendingPathComponent("tacit.sqlite").path
        let store = try await Stores.open(location)
        try await store.upsert(ServiceFixture.items)
        let now = Int64(Date().timeIntervalSince1970)
        let recent = ServiceFixture.events.map { event -> StoredEvent in
            var event = event
            event.timestamp = now - 86_400 + (event.timestamp - 1_700_000_000)
            return event
        }
        // Written straight to the store, as a version without the edge's time bound could have.
        _ = try await store.insert(recent + [StoredEvent(user: "poison", item: "g0", kind: .view, timestamp: 253_402_300_799)])
        try await store.close()
        let service = try await ServiceFixture.service(seed: false, directory: directory, location: location)
        defer { Task { await service.shutdown() } }
        let trending = try service.top(.trending, count: 10, category: nil)
        #expect(trending.count == 10, "every item keeps a trending score")
        #expect(trending.allSatisfy { $0.score > 0.01 }, "\(trending.map { "\($0.id) \($0.score)" })")
    }
}
