import Foundation
import TacitCore
import TacitModels

/// One trial of a ``ModelSearch``: a model, its parameters and its validation metrics.
public struct SearchTrial: Sendable, Codable, Equatable {
    /// The model's catalog name.
    public var model: String
    public var parameters: Parameters
    /// Validation metrics by name (`NDCG@10`); empty when training failed.
    public var metrics: [String: Double]
    /// Seconds of fitting, and of fitting plus evaluating (what the trial cost the budget).
    public var fitSeconds: Double
    public var seconds: Double
    /// Why training failed for these parameters, when it did.
    public var error: String?
    /// When the trial ended (seconds since 1970).
    public var finishedAt: Double

    public init(model: String, parameters: Parameters, metrics: [String: Double], fitSeconds: Double, seconds: Double,
                error: String? = nil, finishedAt: Double) {
        self.model = model
        self.parameters = parameters
        self.metrics = metrics
        self.fitSeconds = fitSeconds
        self.seconds = seconds
        self.error = error
        self.finishedAt = finishedAt
    }

    /// The best successful trial of `trials` by the metric named `metric` (the first of equals).
    public static func best(of trials: [SearchTrial], by metric: String) -> SearchTrial? {
        var best: (SearchTrial, Double)?
        for trial in trials where trial.error == nil {
            let value = trial.metrics[metric] ?? 0
            if best == nil || value > best!.1 { best = (trial, value) }
        }
        return best?.0
    }

    private enum CodingKeys: String, CodingKey { case model, parameters, metrics, fitSeconds, seconds, error, finishedAt }

    /// Reads a stored trial. JSON does not keep `1000.0` apart from `1000`, so the parameters
    /// are typed again by the model's descriptor (a real parameter stays real), and a trial
    /// read back equals the trial written.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        model = try c.decode(String.self, forKey: .model)
        let stored = try c.decode(Parameters.self, forKey: .parameters)
        parameters = (try? ModelCatalog.descriptor(named: model)).map { $0.normalized(stored) } ?? stored
        metrics = try c.decode([String: Double].self, forKey: .metrics)
        fitSeconds = try c.decode(Double.self, forKey: .fitSeconds)
        seconds = try c.decode(Double.self, forKey: .seconds)
        error = try c.decodeIfPresent(String.self, forKey: .error)
        finishedAt = try c.decode(Double.self, forKey: .finishedAt)
    }
}

/// A search over the parameters of one or several models on validation data, within a budget of
/// trials and/or seconds: the engine of `tacit tune --models … --budget …` and of the service's
/// background search.
///
/// Every model first gets its defaults (with any fixed values), then samples of its documented
/// search ranges until it has had ``exploration`` trials, then perturbations of its best
/// assignment (``TrialProposer``). The next trial goes to the model with the fewest trials among
/// those still in the race: a model that has had its exploration trials stays in while its best
/// is at least ``keepWithin`` of the leader's best. Seconds are checked before each trial: a model
/// whose next trial (estimated by its mean trial time so far) would end past the budget gives its
/// turn to the next model that fits, and the search stops when none does (after at least one
/// trial); and, once a trial has succeeded, a trial still running when the search has spent
/// its budget and ``overrun`` of it more is stopped (trainers stop between epochs; the trial is
/// recorded as failed, with its seconds). Seeded, and resumable: given the trials of an
/// interrupted search it proposes exactly what it would have proposed next, and the budget counts
/// the seconds those trials took.
public struct ModelSearch: Sendable {
    /// The most a search may spend; `nil` fields are unlimited (at least one must be set).
    public struct Budget: Sendable, Codable, Equatable {
        public var seconds: Double?
        public var trials: Int?

        public init(seconds: Double? = nil, trials: Int? = nil) {
            self.seconds = seconds
            self.trials = trials
        }
    }

    public var models: [ModelDescriptor]
    public var metric: Metric
    public var seed: UInt64
    public var budget: Budget
    /// Fixed parameter values per model name (`--param`), never searched.
    public var fixed: [String: [String: ParameterValue]]
    /// Trials each model gets before its best decides whether it stays in the race. Default 6.
    public var exploration: Int
    /// A model stays in the race while its best is at least this fraction of the leader's. Default 0.9.
    public var keepWithin: Double
    /// The first assignment of a model (by name) instead of its defaults: the service starts
    /// from the parameters it serves.
    public var starts: [String: Parameters] = [:]
    /// How far past the seconds budget a running trial may go, as a fraction of the budget,
    /// before it is stopped. Default 0.1.
    public var overrun: Double = 0.1

    /// What a trial measured: validation metrics by name and the seconds of the fit.
    public typealias Measurement = (metrics: [String: Double], fitSeconds: Double)

    public init(models: [ModelDescriptor], metric: Metric = Metric(.ndcg, at: 10), seed: UInt64 = 42, budget: Budget,
                fixed: [String: [String: ParameterValue]] = [:], exploration: Int = 6, keepWithin: Double = 0.9) {
        self.models = models
        self.metric = metric
        self.seed = seed
        self.budget = budget
        self.fixed = fixed
        self.exploration = max(1, exploration)
        self.keepWithin = keepWithin
    }

    /// The models `tacit tune --auto` and the service's `"models": "auto"` search for a training
    /// matrix of `items` items: als, bpr, ease (up to 20,000 items: its Gram matrix is items²),
    /// itemknn and popular, content and hybrid when items have features, and sasrec last: its
    /// first trial is the slowest by far (minutes on 200,000 events), so every other model has
    /// had one before it runs.
    public static func automaticModels(items: Int, hasItemFeatures: Bool) -> [String] {
        var names = ["als", "bpr"]
        if items <= 20_000 { names.append("ease") }
        names += ["itemknn", "popular"]
        if hasItemFeatures { names += ["content", "hybrid"] }
        return names + ["sasrec"]
    }

    /// Checks the settings; throws naming the field.
    public func validate() throws(TacitError) {
        if models.isEmpty { throw .invalidArgument("search: give at least one model") }
        if Set(models.map(\.name)).count != models.count { throw .invalidArgument("search: a model is listed twice") }
        if budget.seconds == nil && budget.trials == nil { throw .invalidArgument("search: the budget needs seconds or trials") }
        if let s = budget.seconds, !(s > 0) || !s.isFinite { throw .invalidArgument("search: budget seconds must be > 0, got \(s)") }
        if let t = budget.trials, t < 1 { throw .invalidArgument("search: budget trials must be >= 1, got \(t)") }
        if !(0...1).contains(keepWithin) { throw .invalidArgument("search: keepWithin must be in 0...1, got \(keepWithin)") }
    }

    /// The best successful trial of `trials` by ``metric`` (the first of equals).
    public func best(of trials: [SearchTrial]) -> SearchTrial? { SearchTrial.best(of: trials, by: metric.description) }

    /// Runs (or, given `previous` trials, resumes) the search. `stop` is asked before each trial
    /// (a shutdown); `progress` gets every new trial as it ends. Returns every trial, previous
    /// ones first. Throws only when no trial at all succeeded.
    public func run(training: InteractionMatrix, validation: TestSet, run: ModelRun, previous: [SearchTrial] = [],
                    observer: @escaping @Sendable (String, Int) -> any TrainingObserver = { _, _ in SilentObserver() },
                    stop: @Sendable () -> Bool = { false },
                    progress: @Sendable (SearchTrial) -> Void = { _ in }) async throws -> [SearchTrial] {
        try await self.run(previous: previous, stop: stop, progress: progress) { descriptor, parameters, index in
            let result = try await run.run(descriptor, parameters: parameters, training: training, testSet: validation,
                                           observer: observer(descriptor.name, index))
            return (result.report.named, result.fitSeconds)
        }
    }

    /// Runs (or resumes) the search with `measure` fitting and evaluating each trial (given the
    /// model, its parameters and the model's trial index): the service runs each trial in its
    /// training queue, between retrains.
    public func run(previous: [SearchTrial] = [], stop: @Sendable () -> Bool = { false },
                    progress: @Sendable (SearchTrial) -> Void = { _ in },
                    measure: @escaping @Sendable (ModelDescriptor, Parameters, Int) async throws -> Measurement) async throws -> [SearchTrial] {
        try validate()
        var state = State(self)
        for trial in previous { state.replay(trial) }
        var trials = previous
        while !Task.isCancelled, !stop(), let index = state.nextModel(budget: budget) {
            let descriptor = models[index]
            let parameters = state.proposers[index].next()
            let started = DispatchTime.now()
            var trial: SearchTrial
            let count = state.counts[index]
            do {
                // Until a trial has succeeded nothing is stopped: a search always ends with a result.
                let deadline = best(of: trials) == nil ? nil : budget.seconds.map { $0 * (1 + Swift.max(0, overrun)) - state.spent }
                let result = try await Self.stopping(after: deadline) {
                    try await measure(descriptor, parameters, count)
                }
                trial = SearchTrial(model: descriptor.name, parameters: parameters, metrics: result.metrics,
                                    fitSeconds: result.fitSeconds, seconds: 0, finishedAt: Date().timeIntervalSince1970)
            } catch let error as TacitError {
                trial = SearchTrial(model: descriptor.name, parameters: parameters, metrics: [:], fitSeconds: 0, seconds: 0,
                                    error: error.description, finishedAt: Date().timeIntervalSince1970)
            } catch is TrialStopped {
                trial = SearchTrial(model: descriptor.name, parameters: parameters, metrics: [:], fitSeconds: 0, seconds: 0,
                                    error: "stopped: the search's budget ran out during this trial", finishedAt: Date().timeIntervalSince1970)
            }
            trial.seconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
            state.record(trial, at: index)
            trials.append(trial)
            progress(trial)
        }
        guard best(of: trials) != nil else {
            throw TacitError.invalidArgument("search: no trial succeeded" + (trials.last?.error.map { " (last: \($0))" } ?? ""))
        }
        return trials
    }

    /// A trial stopped at the budget's end.
    struct TrialStopped: Error {}

    /// Runs `body`, cancelling it after `seconds` (nil: no limit) and then throwing
    /// ``TrialStopped`` once it has returned.
    static func stopping(after seconds: Double?, _ body: @escaping @Sendable () async throws -> Measurement) async throws -> Measurement {
        guard let seconds else { return try await body() }
        return try await withThrowingTaskGroup(of: Measurement?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(nanoseconds: UInt64(Swift.min(Swift.max(0, seconds), 1e9) * 1e9))
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let measured = first else { throw TrialStopped() }
            return measured
        }
    }

    /// The search's bookkeeping: one proposer per model, trial counts, bests and times.
    struct State {
        let search: ModelSearch
        var proposers: [TrialProposer]
        var counts: [Int]
        var bests: [Double?]
        var seconds: [Double]
        var spent = 0.0
        var total = 0

        init(_ search: ModelSearch) {
            self.search = search
            proposers = search.models.enumerated().map { index, descriptor in
                TrialProposer(descriptor, fixed: search.fixed[descriptor.name] ?? [:], exploration: search.exploration,
                              seed: search.seed &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15, start: search.starts[descriptor.name])
            }
            counts = Array(repeating: 0, count: search.models.count)
            bests = Array(repeating: nil, count: search.models.count)
            seconds = Array(repeating: 0, count: search.models.count)
        }

        /// Takes an earlier trial into account as if it had just run: its model's proposer draws
        /// (and so moves on exactly as it did) and records the result.
        mutating func replay(_ trial: SearchTrial) {
            guard let index = search.models.firstIndex(where: { $0.name == trial.model }) else {
                spent += trial.seconds.isFinite ? Swift.max(0, trial.seconds) : 0
                total += 1
                return
            }
            _ = proposers[index].next()
            record(trial, at: index)
        }

        mutating func record(_ trial: SearchTrial, at index: Int) {
            let value = trial.error == nil ? trial.metrics[search.metric.description] ?? 0 : nil
            proposers[index].record(trial.parameters, value: value)
            if let value, bests[index] == nil || value > bests[index]! { bests[index] = value }
            // A recorded time comes from a file: a negative or non-finite one counts as 0 s.
            let cost = trial.seconds.isFinite ? Swift.max(0, trial.seconds) : 0
            counts[index] += 1
            seconds[index] += cost
            spent += cost
            total += 1
        }

        /// The model of the next trial, or `nil` when the budget is spent: the racing model with
        /// the fewest trials whose next trial is expected to fit in the seconds left (a slow model
        /// that no longer fits leaves the turn to faster ones).
        func nextModel(budget: Budget) -> Int? {
            if let limit = budget.trials, total >= limit { return nil }
            let leader = bests.compactMap { $0 }.max() ?? 0
            let racing = counts.indices.filter { i in
                counts[i] < search.exploration || (bests[i].map { $0 >= search.keepWithin * leader } ?? false)
            }
            for index in racing.sorted(by: { (counts[$0], $0) < (counts[$1], $1) }) {
                if let limit = budget.seconds, total > 0 {
                    let estimate = counts[index] > 0 ? seconds[index] / Double(counts[index]) : spent / Double(max(1, total))
                    if spent + estimate > limit { continue }
                }
                return index
            }
            return nil
        }
    }
}
