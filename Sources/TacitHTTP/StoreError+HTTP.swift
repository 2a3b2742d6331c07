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

    /// Runs `body`, throwing ``StoreError/unavailable(_:operation:reason:underlying:)`` when it
    /// has not finished within `limit`. It does not wait for `body` to notice its cancellation,
    /// so the caller gets its answer on time even from a store that is stuck.
    static func within<T: Sendable>(
        _ limit: Duration, store: String, operation: String, _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let answer = OneAnswer<T>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                answer.set(continuation)
                let work = Task {
                    do { answer.resume(.success(try await body())) } catch { answer.resume(.failure(error)) }
                }
                Task {
                    try? await Task.sleep(for: limit)
                    answer.resume(.failure(StoreError.unavailable(store, operation: operation, reason: "no answer within \(limit)")))
                    work.cancel()
                }
            }
        } onCancel: {
            answer.resume(.failure(CancellationError()))
        }
    }
}

/// A continuation resumed once, by whichever of the work and its timer ends first.
///
/// `@unchecked Sendable`: its state is only touched under `lock`.
private final class OneAnswer<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T, any Error>?
    /// The first result, once there is one.
    private var early: Result<T, any Error>?

    func set(_ continuation: CheckedContinuation<T, any Error>) {
        let result: Result<T, any Error>? = lock.withLock {
            if let early { return early }
            self.continuation = continuation
            return nil
        }
        if let result { continuation.resume(with: result) }
    }

    func resume(_ result: Result<T, any Error>) {
        let waiting: CheckedContinuation<T, any Error>? = lock.withLock {
            if let continuation {
                self.continuation = nil
                early = result
                return continuation
            }
            if early == nil { early = result }
            return nil
        }
        waiting?.resume(with: result)
    }
}
