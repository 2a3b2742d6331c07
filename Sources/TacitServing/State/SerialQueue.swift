/// Runs async jobs one at a time, in the order they were asked for.
///
/// Trainings: the service's models (its main model and the models of experiment variants) each
/// have their own ``ModelLifecycle``; they share one queue, so two fits never compete for the
/// cores and peak memory is that of one training. Removals: forgetting users and retention run
/// one at a time, so a recount of counters never races another removal.
actor SerialQueue {
    /// The last job queued; the next one starts when it ends.
    private var tail: Task<Void, Never>?

    /// Runs `body` once every job queued before it has ended (whatever its outcome). Cancelling
    /// the caller cancels `body` (a search's trial stopped at its budget's end); the next job
    /// still waits for it to end.
    func run<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let previous = tail
        let task = Task {
            await previous?.value
            return try await body()
        }
        tail = Task { _ = try? await task.value }
        return try await withTaskCancellationHandler { try await task.value } onCancel: { task.cancel() }
    }
}
