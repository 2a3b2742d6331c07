import Foundation
import TacitCore

/// Live popularity and trending scores per catalog item, updated by every accepted event.
///
/// Popularity is the all-time sum of event weights. Trending is the same sum with each event
/// decayed by `0.5^(age / halfLife)`; it is kept relative to a moving reference time (scores are
/// rescaled when the reference moves), so ranking never depends on the current clock. The top
/// lists are cached and recomputed at most every ``refreshInterval`` seconds after a change.
public final class ActivityCounters: Sendable {
    /// Which counter.
    public enum Kind: Sendable { case popular, trending }

    struct State {
        var popular: [Float] = []
        var trending: [Double] = []
        /// Counted (positive-weight) events per item: an item whose events are all removed is
        /// reset to exactly zero, free of rounding.
        var counts: [Int32] = []
        var reference: Int64?
        /// The largest trending score (kept up to date by `record`, so reads need no scan).
        var trendingPeak: Double = 0
        var version: UInt64 = 0
        var cached: [Kind: (version: UInt64, at: Double, list: [ScoredItem])] = [:]
        var cachedByGroup: [GroupKey: (version: UInt64, at: Double, list: [ScoredItem])] = [:]
        /// Recounts in progress (``beginRecount(_:)``): the events recorded meanwhile for their items.
        var recounts: [Int: Recount] = [:]
        var nextRecount = 0

        /// Counts one event of item `i` with weight `w`, `exponent` half-lives after the reference.
        mutating func add(_ i: Int, weight w: Double, exponent: Double) {
            counts[i] += 1
            popular[i] += Float(w)
            trending[i] += w * Foundation.exp2(exponent)
        }

        /// After counts were taken back or recounted: a new version, and no cached list may
        /// still show the old counts (removal is immediate).
        mutating func replaced() {
            trendingPeak = trending.max() ?? 0
            version &+= 1
            cached.removeAll()
            cachedByGroup.removeAll()
        }
    }

    struct GroupKey: Hashable {
        let kind: Kind
        let group: String
    }

    let state = Locked(State())
    /// Trending half-life in seconds.
    public let halfLife: Double
    /// The smallest trending score, relative to the top item's, that counts as trending: 2^-10,
    /// activity ten half-lives older than the newest. Below it an item is not listed as trending
    /// (a shorter list, filled by a scene's fallback, rather than items scored about 0).
    public static let trendingFloor = 0x1p-10
    /// Seconds a cached top list may lag behind the counters.
    public let refreshInterval: Double
    /// Length of the cached top lists.
    public let listLength: Int
    let weighting: WeightingPolicy

    public init(halfLife: Double = 3 * 86_400, weighting: WeightingPolicy = WeightingPolicy(), refreshInterval: Double = 0.2, listLength: Int = 1_000) {
        self.halfLife = halfLife
        self.weighting = weighting
        self.refreshInterval = refreshInterval
        self.listLength = listLength
    }

    /// Counts events (catalog item, kind, time); `sequences` (the store's, one per event) let a
    /// recount in progress see them (``beginRecount(_:)``).
    public func record(_ events: [HistoryEvent], sequences: [Int64]? = nil) {
        guard !events.isEmpty else { return }
        state.withLock { s in
            if !s.recounts.isEmpty, let sequences {
                for (event, sequence) in zip(events, sequences) {
                    for key in s.recounts.keys where s.recounts[key]?.items.contains(event.item) == true {
                        s.recounts[key]?.journal.append(CountedEvent(event: event, sequence: sequence))
                    }
                }
            }
            for event in events {
                let i = Int(event.item)
                if i >= s.popular.count {
                    s.popular.append(contentsOf: repeatElement(0, count: i + 1 - s.popular.count))
                    s.trending.append(contentsOf: repeatElement(0, count: i + 1 - s.trending.count))
                    s.counts.append(contentsOf: repeatElement(0, count: i + 1 - s.counts.count))
                }
                let w = Double(weighting.weight(of: event.kind))
                guard w > 0 else { continue }
                let reference = s.reference ?? event.timestamp
                var exponent = Double(event.timestamp - reference) / halfLife
                if exponent > 40 {
                    // Move the reference forward and rescale, to stay far from overflow.
                    let scale = Foundation.exp2(-exponent)
                    for k in s.trending.indices { s.trending[k] *= scale }
                    s.trendingPeak *= scale
                    s.reference = event.timestamp
                    exponent = 0
                } else if s.reference == nil {
                    s.reference = event.timestamp
                }
                s.add(i, weight: w, exponent: exponent)
                s.trendingPeak = max(s.trendingPeak, s.trending[i])
            }
            s.version &+= 1
        }
    }

    /// Takes back what ``record(_:)`` added for `events` (a forgotten user's, or events past
    /// retention): afterwards popularity and trending are what they would be had the events never
    /// been recorded (up to rounding; an item left without events is exactly zero).
    ///
    /// Returns the items whose trending score cannot be trusted after the subtraction: what was
    /// removed outweighed what remains by so much (recent events over far older ones) that the
    /// difference lost its precision. Recount those from the store (``beginRecount(_:)``).
    @discardableResult
    public func remove(_ events: [HistoryEvent]) -> Set<Int32> {
        guard !events.isEmpty else { return [] }
        return state.withLock { s in
            var imprecise: Set<Int32> = []
            var changed = false
            for event in events {
                let i = Int(event.item)
                let w = Double(weighting.weight(of: event.kind))
                guard w > 0, i < s.counts.count, s.counts[i] > 0, let reference = s.reference else { continue }
                changed = true
                s.counts[i] -= 1
                if s.counts[i] == 0 {
                    s.popular[i] = 0
                    s.trending[i] = 0
                } else {
                    s.popular[i] = max(0, s.popular[i] - Float(w))
                    let before = s.trending[i]
                    s.trending[i] = max(0, before - w * Foundation.exp2(Double(event.timestamp - reference) / halfLife))
                    // Rounding error is about before * 2^-52: below 2^-30 of before, the rest is noise.
                    if s.trending[i] <= before * 0x1p-30 { imprecise.insert(event.item) }
                }
            }
            if changed { s.replaced() }
            return imprecise
        }
    }

    /// The score of one item.
    public func score(_ item: Int32, _ kind: Kind) -> Double {
        state.withLock { s in
            let i = Int(item)
            guard i < s.popular.count else { return 0 }
            return kind == .popular ? Double(s.popular[i]) : s.trending[i]
        }
    }

    /// The top items by `kind`, best first (ties by lower index); at most ``listLength``.
    public func top(_ kind: Kind, now: Double = ProcessInfo.processInfo.systemUptime) -> [ScoredItem] {
        state.withLock { s in
            if let cached = s.cached[kind], cached.version == s.version || now - cached.at < refreshInterval {
                return cached.list
            }
            var top = TopK(listLength)
            switch kind {
            case .popular:
                for (i, v) in s.popular.enumerated() where v > 0 { top.insert(Int32(i), score: v) }
            case .trending:
                let peak = s.trendingPeak
                guard peak > 0 else { break }
                // Scaled to the peak so Float keeps the precision of the ratios; items below
                // ``trendingFloor`` of the peak have no recent activity and are not trending.
                for (i, v) in s.trending.enumerated() where v >= peak * Self.trendingFloor { top.insert(Int32(i), score: Float(v / peak)) }
            }
            let list = top.sorted()
            s.cached[kind] = (s.version, now, list)
            return list
        }
    }

    /// The top items by `kind` of a named group of items (a category), best first, at most
    /// ``listLength``; cached like ``top(_:now:)``, so `items` is scanned at most once per refresh.
    public func top(_ kind: Kind, group: String, items: [Int32], count: Int, now: Double = ProcessInfo.processInfo.systemUptime) -> [ScoredItem] {
        let key = GroupKey(kind: kind, group: group)
        let hit: [ScoredItem]? = state.withLock { s in
            guard let cached = s.cachedByGroup[key], cached.version == s.version || now - cached.at < refreshInterval else { return nil }
            return cached.list
        }
        if let hit { return Array(hit.prefix(count)) }
        let list = top(kind, among: items, count: listLength)
        state.withLock { s in s.cachedByGroup[key] = (s.version, now, list) }
        return Array(list.prefix(count))
    }

    /// The top items by `kind` among `items` (a category's items), best first.
    public func top(_ kind: Kind, among items: [Int32], count: Int) -> [ScoredItem] {
        state.withLock { s in
            var top = TopK(max(1, count))
            let peak = kind == .trending ? max(s.trendingPeak, .leastNonzeroMagnitude) : 1
            let floor = kind == .trending ? Float(Self.trendingFloor) : 0
            for item in items where Int(item) < s.popular.count {
                let v = kind == .popular ? s.popular[Int(item)] : Float(s.trending[Int(item)] / peak)
                if v > 0, v >= floor { top.insert(item, score: v) }
            }
            return top.sorted()
        }
    }
}
