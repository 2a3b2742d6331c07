import Foundation

/// "Buy it again": how likely a user is to consume again, now, an item they consumed before —
/// learned from the log as a hazard of returning, by how long ago the last consumption was
/// relative to the item's (and the user's own) repurchase interval, and by how often the user
/// consumed it.
///
/// **Occasions.** A user's events of a ``kinds`` kind on one item, in time order; an event at
/// the same second as the previous occasion (a basket line repeated, a quantity split) is the same
/// occasion.
///
/// **Intervals.** An item's typical interval `τ_i` is the geometric mean of the gaps between
/// consecutive occasions of every user on it, shrunk towards the log's geometric mean gap `G` by
/// ``priorGaps`` pseudo-gaps: `τ_i = exp((Σ ln gap + 2·ln G) / (n + 2))`. A user who consumed the
/// item `k ≥ 2` times from `first` to `last` has their own interval `(last − first)/(k − 1)`,
/// shrunk towards `τ_i` by one pseudo-gap in log space:
/// `τ_u = exp(((k − 1)·ln((last − first)/(k − 1)) + ln τ_i) / k)`; with `k = 1`, `τ_u = τ_i`.
///
/// **Hazard.** Every occasion of the log is followed over `x = elapsed / τ_u` (log bins of width
/// ``binWidth``, `ln x` from −12 to 18), in a stratum by `k` (1, 2, 3–4, 5 or more occasions so
/// far): it either returns in some bin (the next occasion's gap) or is still open when the user's
/// observation ends (censored, counted half in the bin it ends in). The hazard of a bin is `(returns + c·r̄) / (exposure + c)`, with
/// `r̄` the log's overall return rate and `c` = ``smoothing``: the share of occasions still open
/// at that elapsed time that return within it (a Kaplan–Meier style estimate). A staple bought
/// every two weeks peaks near `x = 1`; a page viewed twice in a session peaks at small `x`; an
/// item nobody buys twice has a hazard near zero everywhere.
///
/// **Score.** A user's item scores the hazard of its stratum and bin at the request time; ties
/// (one bin) go to the more recent occasion, then the lower item index. Without timestamps,
/// times are positions in the user's sequence.
///
/// Measured on the generated grocery-like log (docs/benchmarks.md): NDCG@10 0.768 on the next
/// basket after a time cut, against 0.480 for the plain purchase count.
public struct RepeatConsumption: Sendable, Equatable {
    /// The event kinds that count as consuming an item by default: purchases, and the kind of a
    /// log without a kind column (a play or rating log).
    public static let defaultKinds: Set<EventKind> = [.purchase, .interaction]
    /// The width of a hazard bin in `ln x`.
    public static let binWidth = 0.35
    /// The lowest `ln x` of the bins (elapsed times below `e^-12 · τ` fall in the first bin).
    public static let lowestLog = -12.0
    /// The highest `ln x` of the bins (longer elapsed times fall in the last bin).
    public static let highestLog = 18.0
    /// The number of bins, covering `ln x` from −12 to 18.
    public static let binCount = Int(((highestLog - lowestLog) / binWidth).rounded(.up))
    /// The number of occasion-count strata (k = 1, 2, 3–4, 5+).
    public static let strata = 4
    /// Pseudo-gaps at the log's mean interval that an item's interval is shrunk with.
    public static let priorGaps = 2.0
    /// Pseudo-exposure of each bin at the overall return rate.
    public static let smoothing = 0.1
    /// The interval assumed before any gap is seen: 14 days.
    public static let defaultInterval = 14.0 * 86_400

    /// Per stratum and bin (`stratum · binCount + bin`): occasions whose next occasion came at that
    /// elapsed time.
    public private(set) var returns: [Double]
    /// Per stratum and bin: occasions still open at the start of that bin.
    public private(set) var exposure: [Double]
    /// Per item index: the sum of ln(gap) and the number of gaps.
    public private(set) var itemGaps: [Int32: Gaps]
    /// The log's mean ln(gap).
    public private(set) var meanLogGap: Double
    /// Returns over occasions, over the whole log.
    public private(set) var returnRate: Double
    /// The event kinds that count as consuming an item (``defaultKinds`` unless given).
    public let kinds: Set<EventKind>

    /// The gaps between one item's consecutive occasions.
    public struct Gaps: Sendable, Equatable {
        public var logSum: Double
        public var count: Int
    }

    /// One user's occasions on one item (times ascending) and when the user's observation ends
    /// (the statistics' build time in the service, the user's last event offline).
    public struct Pair: Sendable {
        public var item: Int32
        public var times: [Int64]
        public var observedUntil: Int64

        public init(item: Int32, times: [Int64], observedUntil: Int64) {
            self.item = item
            self.times = times
            self.observedUntil = observedUntil
        }
    }

    /// Statistics with nothing learned: every item has the default interval and every bin the
    /// same hazard, so scores tie and the most recent occasion comes first.
    public init(kinds: Set<EventKind> = Self.defaultKinds) {
        self.kinds = kinds
        let cells = Self.strata * Self.binCount
        returns = [Double](repeating: 0, count: cells)
        exposure = [Double](repeating: 0, count: cells)
        itemGaps = [:]
        meanLogGap = log(Self.defaultInterval)
        returnRate = 0
    }

    /// Learns the statistics from every (user, item) pair's occasions (``pairs(of:observedUntil:)``
    /// with the same `kinds`).
    /// - Complexity: O(occasions + pairs + strata · bins).
    public init(pairs: [Pair], kinds: Set<EventKind> = Self.defaultKinds) {
        self.init(kinds: kinds)
        // Pass 1: the item intervals.
        var total = 0.0, gaps = 0
        for pair in pairs where pair.times.count > 1 {
            var entry = itemGaps[pair.item] ?? Gaps(logSum: 0, count: 0)
            for k in 1..<pair.times.count {
                let g = log(Double(max(1, Self.elapsed(pair.times[k], since: pair.times[k - 1]))))
                entry.logSum += g
                entry.count += 1
                total += g
                gaps += 1
            }
            itemGaps[pair.item] = entry
        }
        if gaps > 0 { meanLogGap = total / Double(gaps) }
        // Pass 2: each occasion followed until it returns or its observation ends. Exposure
        // covers bins 0...b of a return, and 0..<b plus half of bin b of an occasion censored in
        // bin b (the actuarial life table: censored on average halfway through the bin, and the
        // open-ended last bin keeps a hazard below 1). Difference arrays.
        var starts = [Double](repeating: 0, count: Self.strata * (Self.binCount + 1))
        var occasions = 0, returned = 0
        for pair in pairs {
            let itemInterval = interval(of: pair.item)
            let first = pair.times.first ?? 0
            for j in pair.times.indices {
                let k = j + 1
                let stratum = Self.stratum(occasions: k)
                let userInterval = Self.userInterval(occasions: k, first: first, last: pair.times[j], item: itemInterval)
                occasions += 1
                let end: Int
                if j + 1 < pair.times.count {
                    let bin = Self.bin(elapsed: Self.elapsed(pair.times[j + 1], since: pair.times[j]), interval: userInterval)
                    returns[stratum * Self.binCount + bin] += 1
                    returned += 1
                    end = bin + 1
                } else {
                    end = Self.bin(elapsed: Self.elapsed(pair.observedUntil, since: pair.times[j]), interval: userInterval)
                    exposure[stratum * Self.binCount + end] += 0.5
                }
                starts[stratum * (Self.binCount + 1)] += 1
                starts[stratum * (Self.binCount + 1) + end] -= 1
            }
        }
        for stratum in 0..<Self.strata {
            var open = 0.0
            for bin in 0..<Self.binCount {
                open += starts[stratum * (Self.binCount + 1) + bin]
                exposure[stratum * Self.binCount + bin] += open
            }
        }
        returnRate = occasions > 0 ? Double(returned) / Double(occasions) : 0
    }

    /// The typical interval of `item` in seconds (see the type's documentation).
    public func interval(of item: Int32) -> Double {
        let gaps = itemGaps[item] ?? Gaps(logSum: 0, count: 0)
        return exp((gaps.logSum + Self.priorGaps * meanLogGap) / (Double(gaps.count) + Self.priorGaps))
    }

    /// The hazard of returning to `item`, consumed `occasions` times from `first` to `last`, at
    /// time `now`.
    public func score(item: Int32, occasions: Int, first: Int64, last: Int64, now: Int64) -> Double {
        guard occasions > 0 else { return 0 }
        let userInterval = Self.userInterval(occasions: occasions, first: first, last: last, item: interval(of: item))
        let cell = Self.stratum(occasions: occasions) * Self.binCount + Self.bin(elapsed: Self.elapsed(now, since: last), interval: userInterval)
        return (returns[cell] + Self.smoothing * returnRate) / (exposure[cell] + Self.smoothing)
    }

    /// One item's occasions by one user: how many, the first and the last.
    public struct Occasions: Sendable, Equatable {
        public var item: Int32
        public var count: Int
        public var first: Int64
        public var last: Int64

        public init(item: Int32, count: Int, first: Int64, last: Int64) {
            self.item = item
            self.count = count
            self.first = first
            self.last = last
        }

        /// The summary of one pair's occasions (it has at least one).
        public init(pair: Pair) {
            self.init(item: pair.item, count: pair.times.count, first: pair.times.first ?? 0, last: pair.times.last ?? 0)
        }
    }

    /// A user's consumed items best first, at most `count`: `events` are the user's events
    /// (item, kind, time) oldest first; only ``kinds`` count. `now` is the request time.
    public func rank(_ events: [(item: Int32, kind: EventKind, timestamp: Int64)], now: Int64, count: Int) -> [(item: Int32, score: Double)] {
        rank(Self.occasions(of: events, kinds: kinds), now: now, count: count)
    }

    /// The items of `occasions` best first, at most `count`, as of `now`.
    public func rank(_ occasions: [Occasions], now: Int64, count: Int) -> [(item: Int32, score: Double)] {
        var scored = occasions.map { (item: $0.item, score: score(item: $0.item, occasions: $0.count, first: $0.first, last: $0.last, now: now), last: $0.last) }
        scored.sort { ($0.score, $0.last, -Int64($0.item)) > ($1.score, $1.last, -Int64($1.item)) }
        return scored.prefix(max(0, count)).map { ($0.item, $0.score) }
    }

    /// One user's occasions per item: the count and the first and last time, in order of first
    /// occasion (``pairs(of:observedUntil:kinds:)`` summarised).
    public static func occasions(of events: [(item: Int32, kind: EventKind, timestamp: Int64)], kinds: Set<EventKind> = defaultKinds) -> [Occasions] {
        pairs(of: events, observedUntil: 0, kinds: kinds).map(Occasions.init(pair:))
    }

    /// One user's occasion times per item (ascending), for ``init(pairs:kinds:)``.
    public static func pairs(of events: [(item: Int32, kind: EventKind, timestamp: Int64)], observedUntil: Int64,
                             kinds: Set<EventKind> = defaultKinds) -> [Pair] {
        var slot: [Int32: Int] = [:]
        var result: [Pair] = []
        for event in events.sorted(by: { $0.timestamp < $1.timestamp }) where kinds.contains(event.kind) {
            if let s = slot[event.item] {
                if result[s].times.last != event.timestamp { result[s].times.append(event.timestamp) }
            } else {
                slot[event.item] = result.count
                result.append(Pair(item: event.item, times: [event.timestamp], observedUntil: observedUntil))
            }
        }
        return result
    }

    /// The stratum of a pair with `occasions` occasions so far.
    static func stratum(occasions k: Int) -> Int { k <= 1 ? 0 : k == 2 ? 1 : k <= 4 ? 2 : 3 }

    /// The user's own interval on an item (see the type's documentation).
    static func userInterval(occasions k: Int, first: Int64, last: Int64, item: Double) -> Double {
        guard k >= 2 else { return item }
        let own = max(1, Double(elapsed(last, since: first)) / Double(k - 1))
        return exp((Double(k - 1) * log(own) + log(item)) / Double(k))
    }

    /// `time − start`, saturating instead of overflowing (timestamps far apart).
    static func elapsed(_ time: Int64, since start: Int64) -> Int64 {
        let (d, overflow) = time.subtractingReportingOverflow(start)
        return overflow ? (time > start ? .max : .min) : d
    }

    /// The bin of an elapsed time (at least one second) over an interval.
    static func bin(elapsed: Int64, interval: Double) -> Int {
        let x = log(Double(max(1, elapsed)) / max(interval, 1))
        guard x.isFinite else { return x > 0 ? binCount - 1 : 0 }
        return min(binCount - 1, max(0, Int(((x - lowestLog) / binWidth).rounded(.down))))
    }
}
