import Foundation
import TacitCore

/// When every session happens and how many events it holds, grouped by time window.
///
/// 1. Each user's event budget is an exact share of the target: one event each (when there are
///    at least as many events as users) plus the rest split in proportion to the Pareto activity
///    weights by cumulative rounding, so the budgets sum to exactly ``ShopSimulator/Configuration/events``.
/// 2. A budget is cut into sessions of `1 + geometric` events (mean
///    ``ShopSimulator/Configuration/meanSessionLength``), the last one taking what is left.
/// 3. A user's sessions start at sorted uniform times between their arrival and the end of the
///    log, at least `min(30 min, span / 2n)` apart, so one user's sessions rarely overlap.
///
/// Entries take 12 bytes per session (about 1.5 bytes per event at the default session length);
/// they are bucketed by start window so events can be produced in time order one window at a time.
struct SessionSchedule: Sendable {
    /// One session: its start (seconds after the log's start), its user and its event count.
    struct Entry: Sendable, Hashable {
        var offset: UInt32
        var user: UInt32
        var length: UInt32
    }

    /// Sessions grouped by start window; within a window in user order, then by start.
    let entries: [Entry]
    /// Window `w` holds `entries[windowBounds[w] ..< windowBounds[w + 1]]`.
    let windowBounds: [Int]
    /// Length of a window: about one million events per window, between 10 minutes and a day.
    let windowSeconds: Int64

    var windowCount: Int { windowBounds.count - 1 }

    init(_ configuration: ShopSimulator.Configuration) {
        let span = configuration.spanSeconds
        let perWindow = Double(span) * 1_000_000 / Double(configuration.events)
        windowSeconds = Int64(min(86_400, max(600, perWindow)))
        let windowCount = Int((span + windowSeconds - 1) / windowSeconds)
        let budgets = Self.budgets(configuration)

        // Per-user plans, in parallel over contiguous user blocks, concatenated in user order.
        let threads = max(1, min(configuration.threads, configuration.users / 1_024 + 1))
        let blocks = ResultSlots<[Entry]>(count: threads, initial: [])
        Parallel.forEachBlock(0..<configuration.users, threads: threads) { worker, users in
            var local: [Entry] = []
            local.reserveCapacity(Int(Double(users.count) * 24 / configuration.meanSessionLength))
            var lengths: [UInt32] = [], starts: [Double] = []
            for u in users where budgets[u] > 0 {
                Self.plan(user: Int32(u), budget: Int(budgets[u]), configuration, lengths: &lengths, starts: &starts)
                for (length, start) in zip(lengths, starts) {
                    local.append(Entry(offset: UInt32(min(Double(span - 1), start)), user: UInt32(u), length: length))
                }
            }
            blocks[worker] = local
        }

        // Stable counting sort by window.
        var counts = [Int](repeating: 0, count: windowCount + 1)
        let windowSeconds = self.windowSeconds
        for block in blocks.values {
            for entry in block { counts[Int(Int64(entry.offset) / windowSeconds) + 1] += 1 }
        }
        for w in 0..<windowCount { counts[w + 1] += counts[w] }
        windowBounds = counts
        var next = counts
        var sorted = [Entry](repeating: Entry(offset: 0, user: 0, length: 0), count: counts[windowCount])
        for block in blocks.values {
            for entry in block {
                let w = Int(Int64(entry.offset) / windowSeconds)
                sorted[next[w]] = entry
                next[w] += 1
            }
        }
        entries = sorted
    }

    /// Exact per-user event budgets summing to `configuration.events`.
    static func budgets(_ configuration: ShopSimulator.Configuration) -> [Int32] {
        let n = configuration.users
        var prefix = [Double](repeating: 0, count: n + 1)
        prefix.withUnsafeMutableBufferPointer { buffer in
            let shared = SharedMutableBuffer(buffer)
            Parallel.forEach(0..<n, threads: configuration.threads, chunk: 4_096) { u in
                shared[u + 1] = ShopSimulator.UserProfile.activity(of: Int32(u), configuration: configuration)
            }
        }
        for u in 0..<n { prefix[u + 1] += prefix[u] }
        let base = configuration.events >= n ? 1 : 0
        let rest = Double(configuration.events - base * n), total = prefix[n]
        var budgets = [Int32](repeating: 0, count: n)
        var previous = 0
        for u in 0..<n {
            let cumulative = Int((rest * (prefix[u + 1] / total)).rounded())
            budgets[u] = Int32(base + cumulative - previous)
            previous = cumulative
        }
        return budgets
    }

    /// The sessions of one user: their lengths and start offsets (seconds), in time order.
    static func plan(user: Int32, budget: Int, _ configuration: ShopSimulator.Configuration,
                     lengths: inout [UInt32], starts: inout [Double]) {
        var rng = RandomStreams.schedule(configuration.seed, user)
        let span = Double(configuration.spanSeconds)
        let arrival = rng.nextUnit() < configuration.newUserFraction ? rng.nextUnit() * 0.9 * span : 0
        lengths.removeAll(keepingCapacity: true)
        starts.removeAll(keepingCapacity: true)
        let mean = configuration.meanSessionLength
        let logFailure = mean > 1 ? Foundation.log(1 - 1 / mean) : 0
        var remaining = budget
        while remaining > 0 {
            var length = 1
            if mean > 1 {
                let u = 1 - rng.nextUnit()
                length += Int(min(1e6, (Foundation.log(u) / logFailure).rounded(.down)))
            }
            length = min(length, configuration.maximumSessionLength, remaining)
            lengths.append(UInt32(length))
            remaining -= length
        }
        let n = lengths.count
        let window = span - arrival
        let gap = min(1_800, window / Double(2 * n))
        let free = window - Double(n) * gap
        for _ in 0..<n { starts.append(rng.nextUnit() * free) }
        starts.sort()
        for k in 0..<n { starts[k] += arrival + Double(k) * gap }
    }
}
