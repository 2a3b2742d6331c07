/// Runs model trainings one at a time, in the order they were asked for.
///
/// The service's models (its main model and the models of experiment variants) each have their
/// own ``ModelLifecycle``; they share this queue, so two fits never compete for the cores and
/// peak memory is that of one training.
actor TrainingQueue {
    /// The last training queued; the next one starts when it ends.
    private var tail: Task<Void, Never>?

    /// Runs `body` once every training queued before it has ended (whatever its outcome).
    func run<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let previous = tail
        let task = Task {
            await previous?.value
            return try await body()
        }
        tail = Task { _ = try? await task.value }
        return try await task.value
    }
}
