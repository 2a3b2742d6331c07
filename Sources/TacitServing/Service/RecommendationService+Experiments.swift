import Foundation
import TacitExperiments

extension RecommendationService {
    /// One configured experiment and whether it assigns users now.
    public struct ExperimentStatus: Sendable {
        public var definition: ExperimentDefinition
        /// Whether the experiment's window contains the current time.
        public var running: Bool
        /// A bandit's current allocation over the variants (nil for a fixed split).
        public var allocation: [Double]?
    }

    /// The configured experiments, in configuration order, with their status at `time`.
    public func experimentStatuses(at time: Int64) -> [ExperimentStatus] {
        experiments.entries.map { entry in
            ExperimentStatus(definition: entry.definition, running: entry.definition.isRunning(at: time),
                             allocation: experiments.allocation(of: entry.definition.id))
        }
    }

    /// The current allocation of a bandit experiment; nil for a fixed split or an unknown id.
    public func experimentAllocation(id: String) -> [Double]? { experiments.allocation(of: id) }

    /// A bandit experiment's plays and successes per arm (rebuilt from the store on start); nil
    /// for a fixed split or an unknown id.
    public func experimentTallies(id: String) -> BanditState? { experiments.banditState(of: id) }

    /// The report of experiment `id` from the stored impressions and outcomes (see
    /// ``ExperimentReporter``). Impressions still in the write buffer are flushed first.
    /// - Throws: ``ServiceError/notFound(_:_:)`` for an unknown id; store errors.
    public func experimentReport(id: String, alpha: Double = 0.05) async throws -> ExperimentReport {
        guard let entry = experiments.entries.first(where: { $0.definition.id == id }) else {
            throw ServiceError.notFound("experiment", id)
        }
        await impressions.flush()
        return try await ExperimentReporter.report(entry.definition, store: store, alpha: alpha)
    }
}
