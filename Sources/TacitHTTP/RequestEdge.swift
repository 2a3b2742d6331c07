import Foundation
import HTTPTypes
import Hummingbird
import TacitCore

/// `414 URI Too Long` (JSON) for a request target longer than ``limit`` bytes.
///
/// The HTTP decoder accepts request heads up to ``TacitServer/maxHeadBytes`` so that such a
/// request reaches this check; a head beyond that is refused by the decoder (400, connection closed).
struct URILimit: RouterMiddleware {
    typealias Context = ServiceRequestContext
    /// The longest request target (path and query) accepted, in bytes.
    static let limit = 8_192

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let length = request.uri.description.utf8.count
        guard length <= Self.limit else {
            throw APIError(.uriTooLong, "request target is \(length) bytes; at most \(Self.limit)")
        }
        return try await next(request, context)
    }
}

/// What a request that matched no route gets: `405 Method Not Allowed` with `Allow` when the
/// path exists for other methods, else `404` with a JSON message.
struct UnmatchedRoute: RouterMiddleware {
    typealias Context = ServiceRequestContext
    let table: RouteTable

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound && context.endpointPath == "NotFound" {
            let allowed = table.methods(for: request.uri.path)
            guard !allowed.isEmpty else { throw APIError.notFound("no route for \(request.uri.path)") }
            var headers = HTTPFields()
            headers[.allow] = allowed.map(\.rawValue).joined(separator: ", ")
            throw APIError(.methodNotAllowed, "method \(request.method.rawValue) not allowed; allowed: \(headers[.allow] ?? "")",
                           headers: headers)
        }
    }
}

extension ServiceRequestContext {
    /// The path parameter `name`, percent-decoded exactly once (RFC 3986) and checked against the
    /// id rules (``ExternalID``); 400 naming `field` otherwise.
    func pathID(_ name: String, field: String) throws -> String {
        let raw = try parameters.require(name)
        guard let decoded = raw.removingPercentEncoding else {
            throw APIError.badRequest("\(field): '\(raw)' is not valid percent-encoding of UTF-8")
        }
        if let problem = ExternalID.problem(decoded) { throw APIError.badRequest("\(field): \(problem)") }
        return decoded
    }
}
