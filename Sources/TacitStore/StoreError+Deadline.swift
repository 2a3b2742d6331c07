import Foundation

extension StoreError {
    /// Runs `body`, throwing ``StoreError/unavailable(_:operation:reason:underlying:)`` when it
    /// has not finished within `limit`. It does not wait for `body` to notice its cancellation,
    /// so the caller gets its answer on time even from a store that is stuck.
    public static func within<T: Sendable>(
        _ limit: Duration, store: String, operation: String, _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        try await race(body) {
            try await Task.sleep(for: limit)
            return StoreError.unavailable(store, operation: operation, reason: "no answer within \(limit)")
        }
    }

    /// Runs `work` and `timer` side by side (unstructured tasks) and answers with whichever ends
    /// first: `work`'s result, or the error `timer` returns (then `work` is cancelled). The
    /// caller never waits for a task that ignores its cancellation — a driver's stuck connection
    /// request, say: the loser finishes, or not, on its own.
    static func race<T: Sendable>(
        _ work: @escaping @Sendable () async throws -> T, timer: @escaping @Sendable () async throws -> any Error
    ) async throws -> T {
        let answer = OneAnswer<T>()
        let tasks = RaceTasks()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                answer.set(continuation)
                let workTask = Task {
                    let result: Result<T, any Error>
                    do { result = .success(try await work()) } catch { result = .failure(error) }
                    answer.resume(result)
                    tasks.timer?.cancel()
                }
                let timerTask = Task {
                    guard let error = try? await timer() else { return }
                    answer.resume(.failure(error))
                    workTask.cancel()
                }
                tasks.set(work: workTask, timer: timerTask)
            }
        } onCancel: {
            answer.resume(.failure(CancellationError()))
            tasks.work?.cancel()
            tasks.timer?.cancel()
        }
    }
}

/// The two tasks of a race, for cancelling the loser.
///
/// `@unchecked Sendable`: its state is only touched under `lock`.
private final class RaceTasks: @unchecked Sendable {
    private let lock = NSLock()
    private var workTask: Task<Void, Never>?
    private var timerTask: Task<Void, Never>?

    func set(work: Task<Void, Never>, timer: Task<Void, Never>) {
        lock.withLock {
            workTask = work
            timerTask = timer
        }
    }

    var work: Task<Void, Never>? { lock.withLock { workTask } }
    var timer: Task<Void, Never>? { lock.withLock { timerTask } }
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
