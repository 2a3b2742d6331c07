import Foundation
import Hummingbird
import TacitServing

/// Request counters and latency histograms in the Prometheus text format (`GET /metrics`).
///
/// `@unchecked Sendable`: every stored property is only touched under `lock`.
final class ServiceMetrics: @unchecked Sendable {
    /// Latency bucket upper bounds in seconds.
    static let buckets: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]

    private struct Series {
        var count = 0
        var sum = 0.0
        var buckets = [Int](repeating: 0, count: ServiceMetrics.buckets.count)
    }

    private let lock = NSLock()
    private var requests: [String: Int] = [:]          // "route|method|status"
    private var latency: [String: Series] = [:]         // "route|method"
    private var events = 0
    private var duplicates = 0
    private var window = RequestWindow()

    func observe(route: String, method: String, status: Int, seconds: Double) {
        lock.lock()
        defer { lock.unlock() }
        requests["\(route)|\(method)|\(status)", default: 0] += 1
        var series = latency["\(route)|\(method)", default: Series()]
        series.count += 1
        series.sum += seconds
        for (k, bound) in Self.buckets.enumerated() where seconds <= bound { series.buckets[k] += 1 }
        latency["\(route)|\(method)"] = series
        window.observe(at: Date().timeIntervalSince1970, status: status, seconds: seconds)
    }

    /// Requests per route and method since the start, with their latency.
    struct RouteSummary: Sendable, Equatable {
        var route: String
        var method: String
        var requests: Int
        var errors: Int
        var clientErrors: Int
        var meanSeconds: Double?
        var p95Seconds: Double?
    }

    /// The last hour's requests per minute (oldest first) and every route's totals, busiest first.
    func overview(at time: Double) -> (minutes: [RequestWindow.Minute], routes: [RouteSummary]) {
        lock.lock()
        let requests = self.requests, latency = self.latency, minutes = window.series(at: time)
        lock.unlock()
        var errors: [String: (server: Int, client: Int)] = [:]
        for (key, n) in requests {
            let parts = key.split(separator: "|", omittingEmptySubsequences: false)
            guard parts.count == 3, let status = Int(parts[2]) else { continue }
            let series = "\(parts[0])|\(parts[1])"
            if status >= 500 { errors[series, default: (0, 0)].server += n } else if status >= 400 { errors[series, default: (0, 0)].client += n }
        }
        let routes = latency.map { key, s -> RouteSummary in
            let parts = key.split(separator: "|", omittingEmptySubsequences: false)
            return RouteSummary(
                route: String(parts.first ?? ""), method: String(parts.last ?? ""), requests: s.count,
                errors: errors[key]?.server ?? 0, clientErrors: errors[key]?.client ?? 0,
                meanSeconds: s.count == 0 ? nil : s.sum / Double(s.count),
                p95Seconds: RequestWindow.quantile(0.95, buckets: s.buckets, count: s.count))
        }
        return (minutes, routes.sorted { ($0.requests, $1.route, $1.method) > ($1.requests, $0.route, $0.method) })
    }

    func eventsAccepted(_ count: Int, duplicates: Int) {
        lock.lock()
        defer { lock.unlock() }
        events += count
        self.duplicates += duplicates
    }

    func render(service: RecommendationService) -> String {
        lock.lock()
        let requests = self.requests, latency = self.latency, events = self.events, duplicates = self.duplicates
        lock.unlock()
        var out = ""
        out += "# HELP tacit_http_requests_total HTTP requests by route, method and status.\n# TYPE tacit_http_requests_total counter\n"
        for (key, n) in requests.sorted(by: { $0.key < $1.key }) {
            let p = key.split(separator: "|", omittingEmptySubsequences: false)
            out += "tacit_http_requests_total{route=\"\(p[0])\",method=\"\(p[1])\",status=\"\(p[2])\"} \(n)\n"
        }
        out += "# HELP tacit_http_request_duration_seconds HTTP request latency.\n# TYPE tacit_http_request_duration_seconds histogram\n"
        for (key, s) in latency.sorted(by: { $0.key < $1.key }) {
            let p = key.split(separator: "|", omittingEmptySubsequences: false)
            let labels = "route=\"\(p[0])\",method=\"\(p[1])\""
            for (k, bound) in Self.buckets.enumerated() {
                out += "tacit_http_request_duration_seconds_bucket{\(labels),le=\"\(bound)\"} \(s.buckets[k])\n"
            }
            out += "tacit_http_request_duration_seconds_bucket{\(labels),le=\"+Inf\"} \(s.count)\n"
            out += "tacit_http_request_duration_seconds_sum{\(labels)} \(s.sum)\n"
            out += "tacit_http_request_duration_seconds_count{\(labels)} \(s.count)\n"
        }
        let counts = service.liveCounts
        out += "# HELP tacit_events_accepted_total Events stored through the API.\n# TYPE tacit_events_accepted_total counter\n"
        out += "tacit_events_accepted_total \(events)\n"
        out += "# HELP tacit_events_duplicate_total Events ignored as duplicates of a stored event id.\n# TYPE tacit_events_duplicate_total counter\n"
        out += "tacit_events_duplicate_total \(duplicates)\n"
        out += "# HELP tacit_catalog_items Items known to the live catalog.\n# TYPE tacit_catalog_items gauge\ntacit_catalog_items \(counts.items)\n"
        out += "# HELP tacit_users_in_memory Users with remembered events.\n# TYPE tacit_users_in_memory gauge\ntacit_users_in_memory \(counts.users)\n"
        out += "# HELP tacit_impressions_dropped_total Impressions not recorded because the store fell behind.\n# TYPE tacit_impressions_dropped_total counter\n"
        out += "tacit_impressions_dropped_total \(service.impressionsDropped)\n"
        out += "# HELP tacit_model_version The model version serving (0 = none).\n# TYPE tacit_model_version gauge\n"
        out += "tacit_model_version \(service.registry.current?.info.version ?? 0)\n"
        if !service.variantModels.isEmpty {
            out += "# HELP tacit_variant_model_version The version serving of each model of experiment variants (0 = none yet).\n"
            out += "# TYPE tacit_variant_model_version gauge\n"
            for variant in service.variantModels {
                out += "tacit_variant_model_version{model=\"\(variant.name)\"} \(variant.registry.current?.info.version ?? 0)\n"
            }
        }
        return out
    }
}

/// Records every request's route, status and latency into ``ServiceMetrics``.
struct MetricsRecorder: RouterMiddleware {
    typealias Context = ServiceRequestContext
    let metrics: ServiceMetrics
    static let methods: Set<HTTPRequest.Method> = [.get, .head, .post, .put, .delete, .patch, .options]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = DispatchTime.now().uptimeNanoseconds
        func record(_ status: Int) {
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            // Labels come from a fixed set, so no request can grow the number of series.
            let method = Self.methods.contains(request.method) ? request.method.rawValue : "OTHER"
            let route = context.endpointPath.map { $0 == "NotFound" ? "unmatched" : $0 } ?? "unmatched"
            metrics.observe(route: route, method: method, status: status, seconds: seconds)
        }
        do {
            let response = try await next(request, context)
            record(response.status.code)
            return response
        } catch let error as any HTTPResponseError {
            record(error.status.code)
            throw error
        } catch {
            record(500)
            throw error
        }
    }
}
