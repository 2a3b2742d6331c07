import Foundation
import TacitCore
import TacitModels

/// One tried parameter assignment and its validation metrics.
public struct TuningTrial: Sendable, Codable {
    public var parameters: Parameters
    public var metrics: [String: Double]
    public var fitSeconds: Double
    /// Why training failed for these parameters (for example a diverging learning rate); the
    /// trial then has no metrics and the search goes on.
    public var error: String?
}

/// The tuner's result: the best trial and all trials in order.
public struct TuningResult: Sendable, Codable {
    public var best: TuningTrial
    public var trials: [TuningTrial]
}

/// Hyper-parameter search on validation data.
///
/// The first trial is the defaults (with any fixed values); the first half of the remaining
/// trials sample each tuned parameter's documented search range (log-uniform where the spec says
/// so); the second half perturb the best assignment found so far. Seeded: the same seed tries
/// the same assignments.
public struct Tuner: Sendable {
    public var trials: Int
    public var metric: Metric
    public var seed: UInt64
    /// Parameter values the user fixed (`--param`); they are not searched.
    public var fixed: [String: ParameterValue]

    public init(trials: Int = 20, metric: Metric = Metric(.ndcg, at: 10), seed: UInt64 = 42, fixed: [String: ParameterValue] = [:]) {
        self.trials = max(1, trials)
        self.metric = metric
        self.seed = seed
        self.fixed = fixed
    }

    /// Runs the search. `progress` is called after each trial with its index and the trial;
    /// `observer` gives the training observer of each trial (by index), for progress within it.
    public func tune(_ descriptor: ModelDescriptor, training: InteractionMatrix, validation: TestSet, run: ModelRun,
                     observer: (Int) -> any TrainingObserver = { _ in SilentObserver() },
                     progress: @Sendable (Int, TuningTrial) -> Void = { _, _ in }) async throws -> TuningResult {
        var proposer = TrialProposer(descriptor, fixed: fixed, exploration: 1 + trials / 2, seed: seed)
        var results: [TuningTrial] = []
        var best: (value: Double, trial: TuningTrial)?
        var lastError: TacitError?
        for index in 0..<trials {
            let parameters = proposer.next()
            let trial: TuningTrial
            do {
                let result = try await run.run(descriptor, parameters: parameters, training: training, testSet: validation,
                                               observer: observer(index))
                trial = TuningTrial(parameters: parameters, metrics: result.report.named, fitSeconds: result.fitSeconds)
                let value = result.report[metric] ?? 0
                proposer.record(parameters, value: value)
                if best == nil || value > best!.value { best = (value, trial) }
            } catch let error as TacitError {
                // A parameter assignment the model rejects while training: record it, go on.
                trial = TuningTrial(parameters: parameters, metrics: [:], fitSeconds: 0, error: error.description)
                lastError = error
            }
            results.append(trial)
            progress(index, trial)
        }
        guard let best else { throw lastError ?? TacitError.invalidArgument("no tuning trial succeeded") }
        return TuningResult(best: best.trial, trials: results)
    }

    /// Parameters that have no effect under the current choices go back to their defaults, so
    /// equivalent assignments are recognised as already tried.
    static func resettingInactive(_ parameters: Parameters, _ descriptor: ModelDescriptor) -> Parameters {
        var result = parameters
        for spec in descriptor.parameters where !spec.isActive(in: parameters) { result[spec.name] = spec.defaultValue }
        return result
    }

    static func sample(_ descriptor: ModelDescriptor, rng: inout SeededGenerator) -> Parameters {
        var parameters = descriptor.defaults
        for spec in descriptor.parameters where spec.tuned { parameters[spec.name] = Self.sample(spec.domain, rng: &rng) }
        return parameters
    }

    static func perturb(_ base: Parameters, _ descriptor: ModelDescriptor, fixed: [String: ParameterValue], rng: inout SeededGenerator) -> Parameters {
        var parameters = base
        let tuned = descriptor.parameters.filter { $0.tuned && $0.isActive(in: base) && fixed[$0.name] == nil }
        guard !tuned.isEmpty else { return parameters }
        var changed = false
        // A perturbed value stays inside the search range (within the valid one): where
        // `tacit models` says the tuner searches.
        for _ in 0..<100 where !changed {
            for spec in tuned where rng.nextUnit() < 0.5 {
                changed = true
                switch spec.domain {
                case let .integer(valid, search, log):
                    let current = Double(parameters.integer(spec.name))
                    let value = Self.jitter(current, lower: Double(search.lowerBound), upper: Double(search.upperBound), log: log, rng: &rng)
                    let bounds = search.clamped(to: valid)
                    parameters[spec.name] = .integer(min(max(Int(value.rounded()), bounds.lowerBound), bounds.upperBound))
                case let .real(valid, search, log):
                    let value = Self.jitter(parameters.real(spec.name), lower: search.lowerBound, upper: search.upperBound, log: log, rng: &rng)
                    let bounds = search.clamped(to: valid)
                    parameters[spec.name] = .real(min(max(value, bounds.lowerBound), bounds.upperBound))
                case .choice:
                    if rng.nextUnit() < 0.3 { parameters[spec.name] = Self.sample(spec.domain, rng: &rng) }
                }
            }
        }
        return parameters
    }

    static func sample(_ domain: ParameterSpec.Domain, rng: inout SeededGenerator) -> ParameterValue {
        switch domain {
        case let .integer(_, search, log):
            let value = draw(Double(search.lowerBound), Double(search.upperBound), log: log, rng: &rng)
            return .integer(min(max(Int(value.rounded()), search.lowerBound), search.upperBound))
        case let .real(_, search, log):
            return .real(draw(search.lowerBound, search.upperBound, log: log, rng: &rng))
        case let .choice(options):
            return .choice(options[Int(rng.nextUnit() * Double(options.count)) % options.count])
        }
    }

    static func draw(_ lower: Double, _ upper: Double, log: Bool, rng: inout SeededGenerator) -> Double {
        let u = rng.nextUnit()
        if log && lower > 0 { return Foundation.exp(Foundation.log(lower) + u * (Foundation.log(upper) - Foundation.log(lower))) }
        return lower + u * (upper - lower)
    }

    /// Moves `value` by a Gaussian step of 15% of the search range (in log space when `log`).
    static func jitter(_ value: Double, lower: Double, upper: Double, log: Bool, rng: inout SeededGenerator) -> Double {
        if log && lower > 0 {
            let l = Foundation.log(max(value, lower * 1e-3))
            let step = 0.15 * (Foundation.log(upper) - Foundation.log(lower)) * rng.nextGaussian()
            return Foundation.exp(l + step)
        }
        return max(lower, value + 0.15 * (upper - lower) * rng.nextGaussian())
    }
}
