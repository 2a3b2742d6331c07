import Foundation
import Testing
@testable import TacitCore

/// "Buy it again": the hazard of returning to an item, learned from the log, on cases small
/// enough to compute by hand.
@Suite struct RepeatConsumptionTests {
    /// A: item 0 at 0 and 100, item 1 at 50, observed until 100; B: item 0 at 0, observed until
    /// 1000. One gap (100 s) in the log, so every interval is 100 s.
    static let statistics = RepeatConsumption(pairs: [
        .init(item: 0, times: [0, 100], observedUntil: 100),
        .init(item: 1, times: [50], observedUntil: 100),
        .init(item: 0, times: [0], observedUntil: 1000),
    ])

    @Test("intervals: the item's geometric mean gap shrunk to the log's; a user's own shrunk to the item's")
    func intervals() {
        let s = Self.statistics
        #expect(abs(s.interval(of: 0) - 100) < 1e-9)    // exp((ln 100 + 2 ln 100) / 3)
        #expect(abs(s.interval(of: 1) - 100) < 1e-9)    // no gap: the log's mean
        #expect(abs(s.meanLogGap - log(100)) < 1e-12)
        // Two occasions 400 s apart against an item interval of 100: exp((ln 400 + ln 100) / 2) = 200.
        #expect(abs(RepeatConsumption.userInterval(occasions: 2, first: 0, last: 400, item: 100) - 200) < 1e-9)
        #expect(RepeatConsumption.userInterval(occasions: 1, first: 0, last: 0, item: 100) == 100)
        #expect(s.returnRate == 0.25)                   // 1 return of 4 occasions
    }

    @Test("the hazard of a bin: returns over the occasions open in it, censored ones counting half where they end")
    func hazard() {
        let s = Self.statistics
        // ln x = 0 (x = 1) is bin floor(12 / 0.35) = 34, x = 10 is bin floor(14.30 / 0.35) = 40.
        #expect(RepeatConsumption.bin(elapsed: 100, interval: 100) == 34)
        #expect(RepeatConsumption.bin(elapsed: 1000, interval: 100) == 40)
        // Bin 34 of the first stratum: A's item 0 returned in it, B's item 0 was open (censored in
        // bin 40), A's item 1 had ended (censored in bin 32): (1 + 0.1 · 0.25) / (2 + 0.1).
        let h34 = 1.025 / 2.1
        #expect(abs(s.score(item: 0, occasions: 1, first: 0, last: 0, now: 100) - h34) < 1e-12)
        #expect(abs(s.score(item: 1, occasions: 1, first: 50, last: 50, now: 150) - h34) < 1e-12)
        // Bin 40: only B's censored half: (0 + 0.025) / (0.5 + 0.1).
        #expect(abs(s.score(item: 0, occasions: 1, first: 0, last: 0, now: 1000) - 0.025 / 0.6) < 1e-12)
        // A bin nobody reached: the overall rate.
        #expect(abs(s.score(item: 0, occasions: 1, first: 0, last: 0, now: 100_000_000) - 0.25) < 1e-12)
        #expect(s.score(item: 0, occasions: 0, first: 0, last: 0, now: 100) == 0)
    }

    @Test("a user's items: only consumption kinds, one occasion per second, best hazard first, ties to the more recent")
    func ranking() {
        let events: [(item: Int32, kind: EventKind, timestamp: Int64)] = [
            (5, .purchase, 10), (5, .purchase, 10), (6, .view, 20), (7, .purchase, 30), (5, .purchase, 40),
        ]
        let occasions = RepeatConsumption.occasions(of: events)
        #expect(occasions == [.init(item: 5, count: 2, first: 10, last: 40), .init(item: 7, count: 1, first: 30, last: 30)])
        // Nothing learned: every score ties at 0 and the most recent comes first.
        let empty = RepeatConsumption()
        #expect(empty.rank(events, now: 50, count: 10).map(\.item) == [5, 7])
        #expect(empty.rank(events, now: 50, count: 1).map(\.item) == [5])
        // Views count when asked.
        #expect(RepeatConsumption(kinds: [.view, .purchase]).rank(events, now: 50, count: 10).map(\.item) == [5, 7, 6])
        // A learned hazard orders by itself: item 1 bought once 100 s ago (x = 1, h 0.49) before
        // item 0 bought once 1000 s ago (x = 10, h 0.04), although item 0 is older.
        let scored = Self.statistics.rank([(0, .purchase, 0), (1, .purchase, 900)], now: 1000, count: 2)
        #expect(scored.map(\.item) == [1, 0])
        // Pairs for learning: sorted by time, same-second events merged, other kinds left out.
        let pairs = RepeatConsumption.pairs(of: Array(events.reversed()), observedUntil: 60)
        #expect(pairs.map(\.item) == [5, 7] && pairs[0].times == [10, 40] && pairs.allSatisfy { $0.observedUntil == 60 })
    }

    @Test("hostile times neither trap nor overflow")
    func extremeTimes() {
        let s = RepeatConsumption(pairs: [.init(item: 0, times: [.min, 0, .max], observedUntil: .max)])
        #expect(s.score(item: 0, occasions: 3, first: .min, last: .max, now: .min).isFinite)
        #expect(s.score(item: 0, occasions: 2, first: .max, last: .min, now: .max).isFinite)
        #expect(RepeatConsumption.elapsed(.max, since: .min) == .max && RepeatConsumption.elapsed(.min, since: .max) == .min)
    }
}
