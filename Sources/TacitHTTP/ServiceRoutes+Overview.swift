import Foundation
import Hummingbird
import TacitCore
import TacitServing
import TacitStore

extension ServiceRoutes {
    /// The operator's overview (`GET /v1/stats/overview`, the `/dashboard` page) and the random
    /// user sample behind the page's "Random user" (`GET /v1/users`).
    func overviewRoutes() -> [Route] {
        [
            Route(.get, "/v1/stats/overview", .key) { request, _ in
                let window = try OverviewWindow(Query(request), now: Int64(Date().timeIntervalSince1970))
                return try JSONResponse.make(try await overview(window))
            },
            Route(.get, "/v1/users", .key) { request, _ in
                let query = try Query(request)
                let count = try query.int("count", range: 1...100) ?? 1
                guard service.pseudonymizer == nil else {
                    throw APIError(.conflict, "users: stored user ids are pseudonyms (privacy.pseudonymize_user_ids), so they cannot be listed")
                }
                let seed = try query.int("seed", range: 0...Int.max).map { UInt64($0) } ?? UInt64.random(in: 0...UInt64.max)
                return try JSONResponse.object(["users": service.sampleUsers(count, seed: seed)])
            },
            Route(.get, "/dashboard", .open) { _, _ in JSONResponse.text(WebPage.dashboard, contentType: "text/html; charset=utf-8") },
        ]
    }

    /// Builds the overview: events and active users per bucket (one `GROUP BY` pass in the
    /// store), sizes, every model version's metrics and the service's own request metrics.
    func overview(_ window: OverviewWindow) async throws -> Body.Overview {
        let store = service.store
        let stored = try await store.activity(from: window.since, to: window.until, bucketSeconds: window.bucket.seconds)
        var byStart: [Int64: ActivityBucket] = [:]
        for bucket in stored { byStart[bucket.start] = bucket }
        let activity = stride(from: window.since, to: window.until, by: Int(window.bucket.seconds)).map { start in
            Body.ActivityPoint(byStart[start] ?? ActivityBucket(start: start, kinds: [:], users: 0))
        }
        let kinds = Set(stored.flatMap(\.kinds.keys)).sorted()
        let versions = try await store.modelVersions()
        let counts = service.liveCounts
        let requests = metrics.overview(at: Date().timeIntervalSince1970)
        return Body.Overview(
            bucket: window.bucket.rawValue, bucket_seconds: window.bucket.seconds, since: window.since, until: window.until,
            kinds: kinds, activity: activity,
            totals: Body.Totals(events: try await store.eventCount(), items: try await store.itemCount(),
                                catalog_items: counts.items, users: counts.users,
                                events_in_range: stored.reduce(0) { $0 + $1.events }),
            models: versions.map { Body.ModelVersion($0, serving: $0.version == service.currentModel(named: $0.model)?.info.version) },
            requests: Body.Requests(minutes: requests.minutes.map(Body.RequestMinute.init), routes: requests.routes.map(Body.RouteRequests.init)),
            search: service.search.map { Body.Search($0.status) })
    }
}

/// The time range and bucket width of `GET /v1/stats/overview`, validated at the edge.
struct OverviewWindow: Sendable, Equatable {
    enum Bucket: String, Sendable {
        case hour, day
        var seconds: Int64 { self == .hour ? 3_600 : 86_400 }
        /// The range shown when `since` is absent: two days of hours, or 30 days.
        var defaultSpan: Int64 { self == .hour ? 48 * 3_600 : 30 * 86_400 }
    }

    /// The most buckets one overview returns.
    static let maxBuckets: Int64 = 1_000
    /// The latest time accepted (the year 9999).
    static let maxTime = 253_402_300_799

    let bucket: Bucket
    /// The first bucket's start (`since` rounded down to the bucket, moved forward to keep at
    /// most ``maxBuckets``).
    let since: Int64
    /// The end of the bucket holding `until` (exclusive).
    let until: Int64

    init(_ query: Query, now: Int64) throws {
        let name = query.string("bucket") ?? "hour"
        guard let bucket = Bucket(rawValue: name) else { throw APIError.badRequest("bucket: must be hour or day, got '\(name)'") }
        let width = bucket.seconds
        let until = Int64(try query.int("until", range: 0...Self.maxTime) ?? Int(max(0, now)))
        let end = ActivityBucket.start(of: until, width: width) + width
        let since = try query.int("since", range: 0...Self.maxTime).map(Int64.init) ?? max(0, end - bucket.defaultSpan)
        guard since < end else { throw APIError.badRequest("since: must be before until (\(until)), got \(since)") }
        // At most maxBuckets: an earlier since moves forward (the answer's since says so).
        let start = max(ActivityBucket.start(of: since, width: width), end - Self.maxBuckets * width)
        self.bucket = bucket
        self.since = start
        self.until = end
    }
}
