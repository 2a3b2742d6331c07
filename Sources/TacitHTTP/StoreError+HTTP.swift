import Foundation
import Hummingbird
import TacitStore

extension StoreError: ServiceErrorConvertible {
    /// What a client is told to wait before retrying while the store is unavailable, in seconds:
    /// about the time PostgreSQL's pool takes to reconnect after a short outage.
    static let retryAfterSeconds = 5

    /// ``StoreError/Code/unavailable``: `503 Service Unavailable` with `Retry-After` (the request
    /// did nothing that was acknowledged; retrying it, with the same event ids, is safe).
    /// Anything else: `500`, as for any other server failure. The operator's log gets the full
    /// error either way.
    var apiError: APIError {
        if isUnavailable {
            var headers = HTTPFields()
            headers[.retryAfter] = "\(Self.retryAfterSeconds)"
            return APIError(.serviceUnavailable, "the store is unavailable; retry in \(Self.retryAfterSeconds) s", headers: headers)
        }
        return APIError(.internalServerError, "internal error: \(self)")
    }
}
