import Foundation
import TacitCore
import TacitModels

/// One model fitted on training events and scored on test events: what `tacit evaluate` prints.
public struct EvaluationResult: Sendable {
    public var model: String
    public var parameters: Parameters
    public var fitSeconds: Double
    public var evaluateSeconds: Double
    public var report: MetricReport

    public init(model: String, parameters: Parameters, fitSeconds: Double, evaluateSeconds: Double, report: MetricReport) {
        self.model = model
        self.parameters = parameters
        self.fitSeconds = fitSeconds
        self.evaluateSeconds = evaluateSeconds
        self.report = report
    }
}

/// The shared pipeline of `evaluate`, `tune` and the benchmarks: weight the training events,
/// fit a model, evaluate it with full ranking.
public struct ModelRun: Sendable {
    public var weighting: WeightingPolicy
    public var evaluator: Evaluator
    public var threads: Int
    /// Item and user metadata handed to feature-aware models.
    public var side: SideInformation

    public init(weighting: WeightingPolicy = .init(), evaluator: Evaluator = .init(), threads: Int = Parallel.defaultThreads,
                side: SideInformation = .none) {
        self.weighting = weighting
        self.evaluator = evaluator
        self.threads = threads
        self.side = side
    }

    /// Fits `descriptor` with `parameters` on `training`.
    public func fit(_ descriptor: ModelDescriptor, parameters: Parameters, training: InteractionMatrix,
                    observer: any TrainingObserver = SilentObserver()) async throws -> (any Recommender, Double) {
        let trainer = try descriptor.trainer(parameters, options: TrainingOptions(threads: threads, side: side))
        let start = DispatchTime.now()
        let model = try await trainer.fit(training, observer: observer)
        return (model, Self.seconds(since: start))
    }

    /// Fits and evaluates on a prepared training matrix and test set, ranking every item or only
    /// `candidates` (the test set must then be built with them).
    public func run(_ descriptor: ModelDescriptor, parameters: Parameters, training: InteractionMatrix,
                    testSet: TestSet, candidates: CandidateSet? = nil,
                    observer: any TrainingObserver = SilentObserver()) async throws -> EvaluationResult {
        let (model, fitSeconds) = try await fit(descriptor, parameters: parameters, training: training, observer: observer)
        let start = DispatchTime.now()
        let report = evaluator.evaluate(model, on: testSet, candidates: candidates)
        return EvaluationResult(model: descriptor.name, parameters: parameters, fitSeconds: fitSeconds,
                                evaluateSeconds: Self.seconds(since: start), report: report)
    }

    static func seconds(since start: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    }
}
