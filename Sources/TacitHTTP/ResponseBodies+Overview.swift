import TacitStore

extension Body {
    /// `GET /v1/stats/overview`.
    struct Overview: Encodable {
        let bucket: String
        let bucket_seconds: Int64
        let since: Int64
        let until: Int64
        /// Every event kind with events in the range, sorted.
        let kinds: [String]
        /// Every bucket from `since` to `until`, oldest first (empty buckets included).
        let activity: [ActivityPoint]
        let totals: Totals
        /// Every stored model version, oldest first, with its holdout metrics.
        let models: [ModelVersion]
        let requests: Requests
        /// The background search (`training.search`), when on.
        let search: Search?
    }

    struct ActivityPoint: Encodable {
        let start: Int64
        let events: Int
        let users: Int
        let kinds: [String: Int]

        init(_ bucket: ActivityBucket) {
            start = bucket.start
            events = bucket.events
            users = bucket.users
            kinds = bucket.kinds
        }
    }

    struct Totals: Encodable {
        /// Events stored.
        let events: Int
        /// Items stored with metadata.
        let items: Int
        /// Items the live catalogue knows (with metadata or seen in events).
        let catalog_items: Int
        /// Users with events in memory.
        let users: Int
        /// Events in the overview's range.
        let events_in_range: Int
    }

    struct Requests: Encodable {
        /// The last hour, a minute per entry, oldest first.
        let minutes: [RequestMinute]
        /// Every route since the service started, busiest first.
        let routes: [RouteRequests]
    }

    struct RequestMinute: Encodable {
        let start: Int64
        let requests: Int
        let errors: Int
        let client_errors: Int
        let mean_seconds: Double?
        let p95_seconds: Double?

        enum CodingKeys: String, CodingKey { case start, requests, errors, client_errors, mean_seconds, p95_seconds }

        init(_ m: RequestWindow.Minute) {
            start = m.start
            requests = m.requests
            errors = m.errors
            client_errors = m.clientErrors
            mean_seconds = m.meanSeconds
            p95_seconds = m.p95Seconds
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(start, forKey: .start)
            try c.encode(requests, forKey: .requests)
            try c.encode(errors, forKey: .errors)
            try c.encode(client_errors, forKey: .client_errors)
            try c.encode(mean_seconds, forKey: .mean_seconds)
            try c.encode(p95_seconds, forKey: .p95_seconds)
        }
    }

    struct RouteRequests: Encodable {
        let route: String
        let method: String
        let requests: Int
        let errors: Int
        let client_errors: Int
        let mean_seconds: Double?
        let p95_seconds: Double?

        enum CodingKeys: String, CodingKey { case route, method, requests, errors, client_errors, mean_seconds, p95_seconds }

        init(_ r: ServiceMetrics.RouteSummary) {
            route = r.route
            method = r.method
            requests = r.requests
            errors = r.errors
            client_errors = r.clientErrors
            mean_seconds = r.meanSeconds
            p95_seconds = r.p95Seconds
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(route, forKey: .route)
            try c.encode(method, forKey: .method)
            try c.encode(requests, forKey: .requests)
            try c.encode(errors, forKey: .errors)
            try c.encode(client_errors, forKey: .client_errors)
            try c.encode(mean_seconds, forKey: .mean_seconds)
            try c.encode(p95_seconds, forKey: .p95_seconds)
        }
    }
}
