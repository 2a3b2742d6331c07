import Foundation
import TacitCore

/// Every item's activity per event kind, updated one event at a time: the all-time count, the
/// time first seen, and counts that decay exponentially with time constants of an hour, a day
/// and a week (the ranker's "last hour / day / week" popularity features).
///
/// One definition for both sides of the ranker: its fit replays the training log through one
/// (``RankerFeatures``), and the service updates one as each event is accepted, so an item's
/// features for a request at time `t` are the same numbers offline and online after the same
/// events. A decayed count is `Σ exp(−(t − tᵢ)/τ)` over the item's events `tᵢ`: kept as a value at
/// a reference time (the newest event's), so an update and a read are O(1) and the numbers
/// depend only on the events and their order of arrival.
///
/// Beside the events it counts each item's exposures (times shown in a recorded response) and
/// actions on recommendations, all-time, for the smoothed click-through rate.
public struct ItemActivity: Sendable {
    /// The decay time constants, in seconds, and their feature names.
    public static let windows: [(name: String, seconds: Double)] = [("1h", 3_600), ("1d", 86_400), ("7d", 604_800)]

    /// One kind's counters; arrays grow with the items seen.
    struct Counters: Sendable {
        var counts: [Int32] = []
        /// The newest event's time per item (`Int64.min` before the first).
        var references: [Int64] = []
        /// ``ItemActivity/windows``.count decayed values per item, at its reference time.
        var decayed: [Double] = []
    }

    /// The kinds counted, in order of first appearance.
    public private(set) var kinds: [EventKind] = []
    private var slots: [EventKind: Int] = [:]
    private var counters: [Counters] = []
    /// Each item's earliest event time (`Int64.max` before the first).
    private var firstSeen: [Int64] = []
    /// Each item's exposures (times shown in a recorded response) and actions on a
    /// recommendation (events carrying a recommendation id, of kinds with a weight above 0).
    private var shown: [Int32] = [], acted: [Int32] = []
    /// Every exposure and action counted, of every item (unknown ones included): the prior of the
    /// smoothed click-through rate.
    public private(set) var totalShown = 0, totalActed = 0

    /// The pseudo-exposures at the overall rate that smooth an item's click-through rate
    /// (``clickThrough(shown:acted:totalShown:totalActed:)``).
    public static let clickThroughPrior = 10.0

    public init() {}

    /// Counts one exposure of `item` (shown in a recorded response); an item without an index
    /// (negative) counts in the totals only.
    public mutating func recordShown(item: Int) {
        totalShown += 1
        guard item >= 0 else { return }
        Self.increment(&shown, at: item)
    }

    /// Counts one action on a recommendation of `item` (an event carrying a recommendation id, of
    /// a kind with a weight above 0); an item without an index counts in the totals only.
    public mutating func recordAction(item: Int) {
        totalActed += 1
        guard item >= 0 else { return }
        Self.increment(&acted, at: item)
    }

    /// Takes back one exposure recorded by ``recordShown(item:)`` (a forgotten user's, or past retention).
    public mutating func removeShown(item: Int) {
        guard totalShown > 0 else { return }
        if item >= 0 { guard item < shown.count, shown[item] > 0 else { return }; shown[item] -= 1 }
        totalShown -= 1
    }

    /// Takes back one action recorded by ``recordAction(item:)``.
    public mutating func removeAction(item: Int) {
        guard totalActed > 0 else { return }
        if item >= 0 { guard item < acted.count, acted[item] > 0 else { return }; acted[item] -= 1 }
        totalActed -= 1
    }

    /// `item`'s exposures and actions counted so far.
    public func exposures(item: Int) -> (shown: Int, acted: Int) {
        (item >= 0 && item < shown.count ? Int(shown[item]) : 0, item >= 0 && item < acted.count ? Int(acted[item]) : 0)
    }

    /// The smoothed click-through rate of an item shown `shown` times with `acted` actions:
    /// `(acted + m·p) / (shown + m)` with `m` = ``clickThroughPrior`` pseudo-exposures at the
    /// overall rate `p = totalActed / totalShown`; nil before any exposure was counted.
    public static func clickThrough(shown: Int, acted: Int, totalShown: Int, totalActed: Int) -> Double? {
        guard totalShown > 0 else { return nil }
        let prior = Double(totalActed) / Double(totalShown)
        return (Double(acted) + clickThroughPrior * prior) / (Double(shown) + clickThroughPrior)
    }

    private static func increment(_ counts: inout [Int32], at item: Int) {
        if item >= counts.count { counts.append(contentsOf: repeatElement(0, count: item + 1 - counts.count)) }
        counts[item] &+= 1
    }

    /// Counts one event of `item` (a non-negative index) of `kind` at `time`.
    /// - Complexity: O(1) amortized.
    public mutating func record(item: Int, kind: EventKind, at time: Int64) {
        guard item >= 0 else { return }
        let slot: Int
        if let known = slots[kind] { slot = known } else {
            slot = kinds.count
            slots[kind] = slot
            kinds.append(kind)
            counters.append(Counters())
        }
        if item >= firstSeen.count { firstSeen.append(contentsOf: repeatElement(.max, count: item + 1 - firstSeen.count)) }
        firstSeen[item] = min(firstSeen[item], time)
        let windows = Self.windows.count
        counters[slot].grow(to: item + 1, windows: windows)
        let reference = counters[slot].references[item]
        if counters[slot].counts[item] == 0 {
            counters[slot].references[item] = time
            for w in 0..<windows { counters[slot].decayed[item * windows + w] = 1 }
        } else if time >= reference {
            let elapsed = Double(time) - Double(reference)  // in floating point: any two times subtract without a trap
            for w in 0..<windows {
                let k = item * windows + w
                counters[slot].decayed[k] = counters[slot].decayed[k] * Foundation.exp(-elapsed / Self.windows[w].seconds) + 1
            }
            counters[slot].references[item] = time
        } else {
            // An event older than the newest one counts already decayed to the reference time.
            let age = Double(reference) - Double(time)
            for w in 0..<windows { counters[slot].decayed[item * windows + w] += Foundation.exp(-age / Self.windows[w].seconds) }
        }
        counters[slot].counts[item] += 1
    }

    /// Takes back one event recorded by ``record(item:kind:at:)`` (a forgotten user's): the count
    /// drops by one and the decayed values by the event's share (exactly zero once no event is
    /// left). The first-seen time stays.
    public mutating func remove(item: Int, kind: EventKind, at time: Int64) {
        guard item >= 0, let slot = slots[kind], item < counters[slot].counts.count, counters[slot].counts[item] > 0 else { return }
        let windows = Self.windows.count
        counters[slot].counts[item] -= 1
        let left = counters[slot].counts[item] > 0
        let age = max(0, Double(counters[slot].references[item]) - Double(time))
        for w in 0..<windows {
            let k = item * windows + w
            counters[slot].decayed[k] = left ? max(0, counters[slot].decayed[k] - Foundation.exp(-age / Self.windows[w].seconds)) : 0
        }
    }

    /// The events of `item` of `kind` counted so far.
    public func count(item: Int, kind: EventKind) -> Int {
        guard let slot = slots[kind], item >= 0, item < counters[slot].counts.count else { return 0 }
        return Int(counters[slot].counts[item])
    }

    /// Where `kind`'s counters are (nil: no event of it yet): reads by slot skip hashing the kind.
    func slot(of kind: EventKind) -> Int? { slots[kind] }

    /// The decayed count of `item`'s events of `kind` in window `window` (an index into
    /// ``windows``) as of `time`: the value at the newest event decayed over the time since
    /// (none when `time` is earlier).
    public func decayed(item: Int, kind: EventKind, window: Int, at time: Int64) -> Double {
        guard let slot = slots[kind], item >= 0, item < counters[slot].counts.count, counters[slot].counts[item] > 0 else { return 0 }
        return Self.decay(counters[slot].decayed[item * Self.windows.count + window], from: counters[slot].references[item], to: time, window: window)
    }

    /// `value`, kept at time `reference`, decayed to `time` with window `window`'s time constant
    /// (unchanged when `time` is earlier): the one formula of the service's reads and the replay's.
    @inline(__always)
    static func decay(_ value: Double, from reference: Int64, to time: Int64, window: Int) -> Double {
        value * Foundation.exp(-max(0, Double(time) - Double(reference)) / windows[window].seconds)
    }

    /// The counters of `items` for `kinds`, copied as they are (a reader holding a lock on the
    /// activity releases it before any feature is computed from them: ``ActivityReadings/fill(_:item:time:)``).
    public func readings(of items: [Int], kinds: [EventKind]) -> ActivityReadings {
        let windows = Self.windows.count, slots = kinds.map(slot(of:))
        var readings = ActivityReadings(kinds: kinds.count, items: items.count)
        readings.totalShown = totalShown
        readings.totalActed = totalActed
        for (k, item) in items.enumerated() {
            readings.firstSeen[k] = firstSeen(item: item) ?? .max
            (readings.shown[k], readings.acted[k]) = exposures(item: item)
            for (s, slot) in slots.enumerated() {
                guard let slot, item >= 0, item < counters[slot].counts.count else { continue }
                let at = k * kinds.count + s
                readings.counts[at] = counters[slot].counts[item]
                readings.references[at] = counters[slot].references[item]
                for w in 0..<windows { readings.decayed[at * windows + w] = counters[slot].decayed[item * windows + w] }
            }
        }
        return readings
    }

    /// The time of `item`'s earliest event, when it has one.
    public func firstSeen(item: Int) -> Int64? {
        guard item >= 0, item < firstSeen.count, firstSeen[item] != .max else { return nil }
        return firstSeen[item]
    }
}

extension ItemActivity.Counters {
    mutating func grow(to items: Int, windows: Int) {
        guard items > counts.count else { return }
        let extra = items - counts.count
        counts.append(contentsOf: repeatElement(0, count: extra))
        references.append(contentsOf: repeatElement(.min, count: extra))
        decayed.append(contentsOf: repeatElement(0, count: extra * windows))
    }
}

/// Some items' activity counters copied out of an ``ItemActivity`` (``ItemActivity/readings(of:kinds:)``):
/// the features are computed from them with no lock held.
public struct ActivityReadings: Sendable {
    let kinds: Int
    var counts: [Int32]
    var references: [Int64]
    var decayed: [Double]
    /// Each item's earliest event time (`Int64.max` when none).
    var firstSeen: [Int64]
    /// Each item's exposures and actions, and the totals of every item.
    var shown: [Int], acted: [Int]
    var totalShown = 0, totalActed = 0

    init(kinds: Int, items: Int) {
        self.kinds = kinds
        counts = [Int32](repeating: 0, count: kinds * items)
        references = [Int64](repeating: .min, count: kinds * items)
        decayed = [Double](repeating: 0, count: kinds * items * ItemActivity.windows.count)
        firstSeen = [Int64](repeating: .max, count: items)
        shown = [Int](repeating: 0, count: items)
        acted = [Int](repeating: 0, count: items)
    }

    /// Writes item `k`'s features at `row`: per kind the count, then the decayed counts of every
    /// window as of `time` (all 0 without events) — the values of ``ItemActivity/count(item:kind:)``
    /// and ``ItemActivity/decayed(item:kind:window:at:)``.
    func fill(_ row: UnsafeMutablePointer<Float>, item k: Int, time: Int64) {
        let windows = ItemActivity.windows.count
        for s in 0..<kinds {
            let at = k * kinds + s, offset = s * (1 + windows)
            guard counts[at] > 0 else {
                for w in 0...windows { row[offset + w] = 0 }
                continue
            }
            row[offset] = Float(counts[at])
            for w in 0..<windows {
                row[offset + 1 + w] = Float(ItemActivity.decay(decayed[at * windows + w], from: references[at], to: time, window: w))
            }
        }
    }

    /// Item `k`'s exposures and smoothed click-through rate (``ItemActivity/clickThrough(shown:acted:totalShown:totalActed:)``;
    /// NaN before any exposure).
    func exposureFeatures(item k: Int) -> (shown: Float, clickThrough: Float) {
        let rate = ItemActivity.clickThrough(shown: shown[k], acted: acted[k], totalShown: totalShown, totalActed: totalActed)
        return (Float(shown[k]), rate.map(Float.init) ?? .nan)
    }

    /// Days from item `k`'s first event to `time` (nil: never seen).
    func ageDays(item k: Int, at time: Int64) -> Float? {
        firstSeen[k] == .max ? nil : Float((Double(time) - Double(firstSeen[k])) / 86_400)
    }
}
