import HTTPTypes
import Hummingbird

/// Who may call what: with an API key configured, routes of access ``RouteAccess/key`` need it in
/// `X-API-Key`, and so do ``RouteAccess/read`` routes unless reads are public; ``RouteAccess/open``
/// routes never do. The check runs inside the responder of the route the router matched
/// (``ServiceRoutes/router()``), never on the raw path.
struct AccessPolicy: Sendable {
    let apiKey: String?
    let publicReads: Bool
    static let header = HTTPField.Name("X-API-Key")!

    /// Throws 401 unless `request` may call a route of `access`.
    func authorize(_ access: RouteAccess, _ request: Request) throws {
        guard let apiKey, requiresKey(access) else { return }
        guard let sent = request.headers[Self.header] else {
            throw APIError(.unauthorized, "missing X-API-Key header")
        }
        guard Self.constantTimeEqual(sent, apiKey) else { throw APIError(.unauthorized, "wrong API key") }
    }

    func requiresKey(_ access: RouteAccess) -> Bool {
        switch access {
        case .open: return false
        case .read: return !publicReads
        case .key: return true
        }
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        var diff = UInt8(x.count == y.count ? 0 : 1)
        for k in 0..<max(x.count, y.count) { diff |= (k < x.count ? x[k] : 0) ^ (k < y.count ? y[k] : 0) }
        return diff == 0
    }
}

/// Turns errors that are not already HTTP responses into JSON: service and store errors keep
/// their message (4xx for client mistakes), anything else is a 500 with a generic message.
struct ErrorJSON: RouterMiddleware {
    typealias Context = ServiceRequestContext

    /// The matched route's pattern (`/v1/users/{id}/events`) for the log, never the raw path:
    /// a path holds ids (users' ids too, which may be personal or pseudonymized), and logs keep none.
    static func route(_ context: Context) -> String { context.endpointPath ?? "(no route)" }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw error
        } catch let error as HTTPError {
            throw APIError(error.status, error.body ?? "\(error.status.reasonPhrase)")
        } catch let error as any HTTPResponseError {
            throw APIError(error.status, "\(error.status.reasonPhrase)")
        } catch let error as ServiceErrorConvertible {
            if error.apiError.status.code >= 500 { context.logger.error("\(request.method) \(Self.route(context)): \(error)") }
            throw error.apiError
        } catch {
            context.logger.error("\(request.method) \(Self.route(context)): \(error)")
            throw APIError(.internalServerError, "internal error: \(error)")
        }
    }
}

/// Errors that know their HTTP form.
protocol ServiceErrorConvertible: Error {
    var apiError: APIError { get }
}
