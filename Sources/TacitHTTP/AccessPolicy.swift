import HTTPTypes
import Hummingbird

/// Who may call what: with an API key configured, writes (POST/PUT/DELETE) and admin routes
/// (`/v1/models...`) need it in `X-API-Key`; reads need it too unless reads are public. Health,
/// metrics, the page and the OpenAPI document are always open.
struct AccessPolicy: RouterMiddleware {
    typealias Context = ServiceRequestContext
    let apiKey: String?
    let publicReads: Bool
    static let header = HTTPField.Name("X-API-Key")!

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let apiKey, requiresKey(request) else { return try await next(request, context) }
        guard let sent = request.headers[Self.header] else {
            throw APIError(.unauthorized, "missing X-API-Key header")
        }
        guard Self.constantTimeEqual(sent, apiKey) else { throw APIError(.unauthorized, "wrong API key") }
        return try await next(request, context)
    }

    private func requiresKey(_ request: Request) -> Bool {
        let path = request.uri.path
        guard path.hasPrefix("/v1/") else { return false }
        if path.hasPrefix("/v1/models") { return true }
        if request.method == .get || request.method == .head { return !publicReads }
        return true
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
            if error.apiError.status.code >= 500 { context.logger.error("\(request.method) \(request.uri.path): \(error)") }
            throw error.apiError
        } catch {
            context.logger.error("\(request.method) \(request.uri.path): \(error)")
            throw APIError(.internalServerError, "internal error: \(error)")
        }
    }
}

/// Errors that know their HTTP form.
protocol ServiceErrorConvertible: Error {
    var apiError: APIError { get }
}
