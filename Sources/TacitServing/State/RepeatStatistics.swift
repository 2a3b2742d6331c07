import Foundation
import TacitCore

/// What the `repeat` source ("buy it again") has learned from the service's remembered histories:
/// a ``RepeatConsumption`` rebuilt in the background when it is older than ``maximumAge`` or was
/// invalidated (a user forgotten), never on a request's path. Until the first build finishes,
/// the source ranks a user's consumed items most recent first.
///
/// The user's own occasions are read live from their history at each request, so a purchase
/// counts on the very next request; only the shared hazard and intervals wait for a rebuild.
public final class RepeatStatistics: Sendable {
    private struct State {
        var statistics: RepeatConsumption?
        /// Uptime (seconds) of the last build; nil before the first or after an invalidation.
        var builtAt: Double?
        var building = false
    }

    private let state = Locked(State())
    private let histories: UserHistories
    /// The age (seconds) after which a request schedules a rebuild.
    public let maximumAge: Double

    public init(histories: UserHistories, maximumAge: Double = 600) {
        self.histories = histories
        self.maximumAge = maximumAge
    }

    /// The statistics in use (nil before the first build); schedules a rebuild when they are
    /// stale and none is running.
    public func current(now: Int64) -> RepeatConsumption? {
        let uptime = Self.uptime()
        let (statistics, start) = state.withLock { s -> (RepeatConsumption?, Bool) in
            let stale = s.builtAt.map { uptime - $0 > maximumAge } ?? true
            guard stale, !s.building else { return (s.statistics, false) }
            s.building = true
            return (s.statistics, true)
        }
        if start { Task.detached(priority: .utility) { [self] in self.rebuild(now: now) } }
        return statistics
    }

    /// Rebuilds from every remembered history, each user observed until `now`, and returns the
    /// new statistics. - Complexity: O(remembered events).
    @discardableResult
    public func rebuild(now: Int64) -> RepeatConsumption {
        state.withLock { $0.building = true }
        var pairs: [RepeatConsumption.Pair] = []
        histories.forEachUser { _, entries in
            let events = entries.map { (item: $0.event.item, kind: $0.event.kind, timestamp: $0.event.timestamp) }
            pairs += RepeatConsumption.pairs(of: events, observedUntil: now)
        }
        let statistics = RepeatConsumption(pairs: pairs)
        let uptime = Self.uptime()
        state.withLock { s in
            s.statistics = statistics
            s.builtAt = uptime
            s.building = false
        }
        return statistics
    }

    /// Marks the statistics stale: the next request schedules a rebuild (after a user is
    /// forgotten, so their occasions leave the shared statistics within one rebuild).
    public func invalidate() { state.withLock { $0.builtAt = nil } }

    private static func uptime() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
}

extension UserHistories {
    /// Calls `body` with every remembered user and their entries, one shard at a time (each
    /// shard copied under its lock, `body` called outside it).
    func forEachUser(_ body: (UserID, [Entry]) -> Void) {
        for shard in shards {
            let copy = shard.withLock { $0 }
            for (user, entries) in copy { body(user, entries) }
        }
    }
}
