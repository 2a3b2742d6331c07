import HTTPTypes
import Hummingbird

/// Who may call a route. Access is a property of the route itself, declared where the route is
/// registered and checked inside its responder, so it is decided on the route the router matched:
/// no spelling of a path (`//`, `/./`, `%2F`, a trailing slash, another case) can reach a handler
/// without its check.
enum RouteAccess: Sendable, Equatable {
    /// Anyone: health, readiness, metrics, the page, the OpenAPI document.
    case open
    /// Reads of recommendations, items, popular ...: open while `serving.public_reads` is true,
    /// otherwise the API key.
    case read
    /// Writes, models, experiments' reports and personal data: always the API key (when one is set).
    case key
}

/// One route of the API: method, path pattern (`/v1/users/{id}`), access and handler.
struct Route: Sendable {
    typealias Handler = @Sendable (Request, ServiceRequestContext) async throws -> Response

    let method: HTTPRequest.Method
    let path: String
    let access: RouteAccess
    let handler: Handler

    init(_ method: HTTPRequest.Method, _ path: String, _ access: RouteAccess, _ handler: @escaping Handler) {
        self.method = method
        self.path = path
        self.access = access
        self.handler = handler
    }

    /// The pattern's segments (empty ones dropped, as the router does).
    var segments: [Substring] { path.split(separator: "/", omittingEmptySubsequences: true) }
}

/// The methods each path pattern answers, for `405 Method Not Allowed` and its `Allow` header.
struct RouteTable: Sendable {
    private let patterns: [(segments: [Substring], methods: [HTTPRequest.Method])]

    init(_ routes: [Route]) {
        var order: [String] = []
        var methods: [String: [HTTPRequest.Method]] = [:]
        var segments: [String: [Substring]] = [:]
        for route in routes {
            if methods[route.path] == nil { order.append(route.path) }
            methods[route.path, default: []].append(route.method)
            if route.method == .get { methods[route.path]?.append(.head) }
            segments[route.path] = route.segments
        }
        patterns = order.map { (segments[$0] ?? [], methods[$0] ?? []) }
    }

    /// The methods of every pattern that matches `path` (a raw request path), in registration
    /// order without repeats; empty when no route has this path.
    func methods(for path: String) -> [HTTPRequest.Method] {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        var found: [HTTPRequest.Method] = []
        for pattern in patterns where Self.matches(pattern.segments, parts) {
            for method in pattern.methods where !found.contains(method) { found.append(method) }
        }
        return found
    }

    private static func matches(_ pattern: [Substring], _ parts: [Substring]) -> Bool {
        guard pattern.count == parts.count else { return false }
        for (p, s) in zip(pattern, parts) where !(p.hasPrefix("{") && p.hasSuffix("}")) && p != s { return false }
        return true
    }
}
