import Foundation
import Logging
import TacitCore
import TacitEvaluation
import TacitModels
import TacitStore

/// The service's background search (`training.search`): tunes the main model's parameters, and
/// with `models` chooses among several models, on a holdout of the store's own events, then
/// serves the best model and parameters found.
///
/// The holdout is each user's last event (users with one event train only), taken from the
/// events stored when the search starts. The first trial is the configured model with its
/// configured parameters (the baseline); the next ones follow ``ModelSearch`` over the
/// configured model and the other models searched. Each trial fits and evaluates inside the
/// service's training queue, so it never overlaps a retrain (one fit at a time, with
/// `training.threads`), and requests are served throughout. Every trial is written at once to
/// `search-<model>.json` in the model directory; a restarted service reads it, counts the
/// seconds already spent and goes on where it stopped. When the budget is spent and the best
/// trial beats the baseline, the lifecycle adopts its model and parameters and trains a new
/// version with them on all events (every later retrain keeps them).
public actor ModelSearchRunner {
    /// The search as `GET /v1/models` shows it and as its file stores it.
    public struct Status: Sendable, Codable, Equatable {
        public enum Phase: String, Sendable, Codable {
            /// Waiting for the first model version to serve.
            case waiting
            case running
            case finished
            /// Could not run (no holdout users, no trial succeeded); `error` says why. Without
            /// trials, it starts over when another version of the main model serves.
            case failed
        }

        public var phase: Phase = .waiting
        /// The configured model (the baseline's).
        public var model: String
        /// What the configuration asked to search besides the configured model's parameters:
        /// `nil` nothing, `["auto"]`, or the model names listed. A saved search asked for
        /// something else starts over.
        public var requested: [String]?
        /// The models searched, the configured one first, once the search has started (`nil` in
        /// files written before models could be chosen: the configured model only).
        public var models: [String]?
        public var metric: String
        public var budgetSeconds: Double
        public var maxTrials: Int?
        public var holdoutUsers: Int = 0
        public var trials: [SearchTrial] = []
        /// The version trained with the winning parameters, once it serves.
        public var appliedVersion: Int?
        /// The parameters adopted (as `--param` text), once the search has finished with a winner.
        public var adopted: [String: String]?
        /// The model adopted with ``adopted`` (`nil` in older files: the configured model).
        public var adoptedModel: String?
        public var error: String?
        public var startedAt: Double?
        public var finishedAt: Double?

        /// Seconds the trials took (the budget spent).
        public var spentSeconds: Double { trials.map(\.seconds).reduce(0, +) }

        /// The configured parameters' trial: the first.
        public var baseline: SearchTrial? { trials.first }

        /// The best successful trial by ``metric``.
        public var best: SearchTrial? { SearchTrial.best(of: trials, by: metric) }

        /// A search of `model` that has not started.
        public init(model: String, requested: [String]? = nil, metric: String, budgetSeconds: Double, maxTrials: Int? = nil) {
            self.model = model
            self.requested = requested
            self.metric = metric
            self.budgetSeconds = budgetSeconds
            self.maxTrials = maxTrials
        }

        /// The model and parameters adopted, once the search has finished with a winner.
        public var adoptedChoice: ServiceConfiguration.ModelChoice? {
            adopted.map { ServiceConfiguration.ModelChoice(name: adoptedModel ?? model, parameters: $0) }
        }
    }

    private let store: any EventStore
    private let configuration: ServiceConfiguration
    private let settings: ServiceConfiguration.Search
    private let lifecycle: ModelLifecycle
    private let registry: ModelRegistry
    private let queue: SerialQueue
    private let directory: String
    private let logger: Logger
    private let state: Locked<Status>
    private let stopped = Locked(false)
    private var task: Task<Void, Never>?

    /// The file that keeps the search: `search-<model>.json` in the model directory.
    public nonisolated var path: String {
        (directory as NSString).appendingPathComponent("search-\(lifecycle.model.name).json")
    }

    /// What the search has done so far.
    public nonisolated var status: Status { state.current }

    init(store: any EventStore, configuration: ServiceConfiguration, settings: ServiceConfiguration.Search, lifecycle: ModelLifecycle,
         registry: ModelRegistry, queue: SerialQueue, directory: String, logger: Logger) {
        self.registry = registry
        self.store = store
        self.configuration = configuration
        self.settings = settings
        self.lifecycle = lifecycle
        self.queue = queue
        self.directory = directory
        self.logger = logger
        state = Locked(Status(model: lifecycle.model.name, requested: Self.requested(settings.models), metric: settings.metric,
                              budgetSeconds: settings.budgetSeconds, maxTrials: settings.maxTrials))
    }

    /// What `models` asks for, as the file keeps it.
    private static func requested(_ models: ServiceConfiguration.Search.Models) -> [String]? {
        switch models {
        case .configured: nil
        case .automatic: ["auto"]
        case .list(let names): names
        }
    }

    /// Reads the search's file; a finished search's model and parameters are adopted at once,
    /// so the main model's newest version of that model loads next. Call before the main model
    /// loads.
    func restore() async {
        guard let saved = load() else { return }
        state.withLock { status in
            status.trials = saved.trials
            status.models = saved.models
            status.appliedVersion = saved.appliedVersion
            status.adopted = saved.adopted
            status.adoptedModel = saved.adoptedModel
            status.startedAt = saved.startedAt
            status.finishedAt = saved.finishedAt
            status.holdoutUsers = saved.holdoutUsers
            status.phase = saved.phase == .finished ? .finished : .waiting
        }
        if saved.phase == .finished {
            if let adopted = saved.adoptedChoice { await lifecycle.adopt(adopted) }
            let outcome = saved.adoptedChoice.map { "; serving \($0.name) \(Self.text($0.parameters))" } ?? "; the configured parameters stay"
            logger.info("search of \(lifecycle.model.name): finished earlier (\(saved.trials.count) trials)\(outcome)")
        } else {
            logger.info("search of \(lifecycle.model.name): resuming after \(saved.trials.count) trials, \(Int(saved.spentSeconds)) s spent")
        }
    }

    /// Starts or resumes the search in the background, unless it finished earlier.
    func start() {
        guard state.current.phase != .finished, task == nil else { return }
        task = Task { await self.run() }
    }

    /// Stops after the running trial (its result is kept) and waits; the search resumes at the next start.
    func shutdown() async {
        stopped.withLock { $0 = true }
        await task?.value
    }

    /// Runs the search. A search that fails before any trial ran (too few events to hold out)
    /// starts over once another version of the main model serves: new data (a scheduled or
    /// requested retrain) may let it run. One whose trials all failed stays failed until a
    /// restart (running them again would fail the same way).
    private func run() async {
        while !stopped.current {
            do {
                try await search()
                return
            } catch {
                guard !stopped.current else { return }
                var failed = state.current
                failed.phase = .failed
                failed.error = "\(error)"
                failed.finishedAt = Date().timeIntervalSince1970
                saveNow(failed)
                state.withLock { $0 = failed }
                let again = failed.trials.isEmpty ? "; it starts over when a new version of the model serves" : ""
                logger.error("search of \(lifecycle.model.name) failed: \(error)\(again)")
                guard failed.trials.isEmpty, await nextVersion() else { return }
                state.withLock { status in
                    status = Status(model: status.model, requested: status.requested, metric: status.metric,
                                    budgetSeconds: status.budgetSeconds, maxTrials: status.maxTrials)
                }
            }
        }
    }

    /// Waits until a version other than the one serving now serves; `false` when stopped first.
    private func nextVersion() async -> Bool {
        // (model, version) names a version: each model numbers its own.
        let serving = registry.current.map { [$0.info.model, "\($0.info.version)"] }
        while !stopped.current {
            if let current = registry.current, [current.info.model, "\(current.info.version)"] != serving { return true }
            try? await Task.sleep(nanoseconds: 250_000_000)
        }
        return false
    }

    private func search() async throws {
        // The search starts once the main model serves (the first version trains on start).
        while registry.current == nil {
            guard !stopped.current else { return }
            try await Task.sleep(nanoseconds: 500_000_000)
        }
        let choice = lifecycle.model
        let descriptor = try ModelCatalog.descriptor(named: choice.name)
        let start = try descriptor.parameters(from: choice.parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })
        let metric = try Metric(parsing: settings.metric)
        let trainer = ModelTrainer(store: store, configuration: configuration, model: choice, directory: directory)
        let split = LeaveLastOut(validation: false).split(try await trainer.events())
        let weighting = configuration.weighting.resolved(for: split.train)
        let training = try weighting.matrix(from: split.train)
        let validation = TestSet(test: split.test, training: training)
        guard !validation.users.isEmpty else {
            throw TacitError.invalidArgument("no user has a last event to hold out and earlier events to train on")
        }
        let side = try await trainer.side()
        let names = state.current.models ?? searchedModels(items: training.itemCount, side: side)
        let descriptors = try names.map { name throws(TacitError) in try ModelCatalog.descriptor(named: name) }
        let run = ModelRun(weighting: weighting, evaluator: Evaluator(cutoffs: [metric.cutoff, 10, 20], threads: configuration.training.threads),
                           threads: configuration.training.threads, side: side)
        state.withLock {
            $0.phase = .running
            $0.models = names
            $0.holdoutUsers = validation.users.count
            $0.startedAt = $0.startedAt ?? Date().timeIntervalSince1970
        }
        saveNow()
        let limit = settings.maxTrials.map { " or \($0) trials" } ?? ""
        logger.info("search of \(names.joined(separator: ", ")): \(validation.users.count) holdout users, budget \(Int(settings.budgetSeconds)) s\(limit)")
        var search = ModelSearch(models: descriptors, metric: metric, seed: settings.seed,
                                 budget: .init(seconds: settings.budgetSeconds, trials: settings.maxTrials))
        search.starts = [descriptor.name: start]
        let trials = try await search.run(previous: state.current.trials, stop: { [stopped] in stopped.current }, progress: { [state, logger, settings] trial in
            state.withLock { $0.trials.append(trial) }
            self.saveNow()
            let outcome = trial.error.map { "failed: \($0)" } ?? String(format: "%.5f", trial.metrics[settings.metric] ?? 0)
            logger.info("search trial \(state.current.trials.count): \(trial.model) \(settings.metric) \(outcome)")
        }, measure: { [queue] descriptor, parameters, _ in
            try await queue.run {
                let result = try await run.run(descriptor, parameters: parameters, training: training, testSet: validation)
                return (result.report.named, result.fitSeconds)
            }
        })
        guard !stopped.current else { return }
        try await finish(trials, start: start, descriptor: descriptor)
    }

    /// The models to search, the configured one first: the configured model alone, the list
    /// given, or ``ModelSearch/automaticModels(items:hasItemFeatures:)`` without the models of
    /// experiment variants (they have lifecycles of their own).
    private func searchedModels(items: Int, side: SideInformation) -> [String] {
        let configured = lifecycle.model.name
        let others: [String]
        switch settings.models {
        case .configured:
            others = []
        case .list(let names):
            others = names
        case .automatic:
            let variants = configuration.experimentVariantModelNames
            let features = side.items.values.contains { $0.category != nil || $0.brand != nil || !$0.tags.isEmpty || !$0.attributes.isEmpty }
            others = ModelSearch.automaticModels(items: items, hasItemFeatures: features).filter { !variants.contains($0) }
        }
        return [configured] + others.filter { $0 != configured }
    }

    /// Adopts the best trial's model and parameters when they beat the baseline, and trains with them.
    private func finish(_ trials: [SearchTrial], start: Parameters, descriptor: ModelDescriptor) async throws {
        let status = state.current
        let metric = settings.metric
        if let best = status.best, let baseline = status.baseline, best.model != descriptor.name || best.parameters != start,
           (best.metrics[metric] ?? 0) > (baseline.error == nil ? baseline.metrics[metric] ?? 0 : -1) {
            let adopted = best.parameters.values.mapValues(\.description)
            await lifecycle.adopt(ServiceConfiguration.ModelChoice(name: best.model, parameters: adopted))
            state.withLock {
                $0.adopted = adopted
                $0.adoptedModel = best.model
            }
            let values = String(format: "%.5f against %.5f", best.metrics[metric] ?? 0, baseline.metrics[metric] ?? 0)
            logger.info("search of \(descriptor.name): \(metric) \(values) configured; training \(best.model) with \(Self.text(adopted))")
            await lifecycle.waitForTraining()
            let record = try await lifecycle.trainAndWait()
            state.withLock { $0.appliedVersion = record.version }
        } else {
            logger.info("search of \(descriptor.name): the configured parameters stay (no trial beat them)")
        }
        // The file first: whoever sees the search finished finds it finished in the file too.
        var final = state.current
        final.phase = .finished
        final.finishedAt = Date().timeIntervalSince1970
        saveNow(final)
        state.withLock { $0 = final }
    }

    /// Writes `status` (default: the current one) to ``path`` atomically; a failure is logged,
    /// the search goes on.
    private nonisolated func saveNow(_ status: Status? = nil) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            try encoder.encode(status ?? state.current).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            logger.warning("search: could not write \(path): \(error)")
        }
    }

    /// The saved search, when its file exists and is for this model, metric and list of models;
    /// a file that does not read, or whose adopted model and parameters the service could not
    /// train (an edited file), is set aside (renamed `.bad`) and the search starts over.
    private func load() -> Status? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        do {
            let saved = try JSONDecoder().decode(Status.self, from: data)
            guard saved.model == lifecycle.model.name, saved.metric == settings.metric, saved.requested == state.current.requested else {
                let asked = saved.requested.map { " among \($0.joined(separator: ", "))" } ?? ""
                logger.notice("search: \(path) is for \(saved.model)\(asked) by \(saved.metric); starting a new search")
                return nil
            }
            if let models = saved.models { try check(models) }
            if let adopted = saved.adoptedChoice { try check(adopted, searched: saved.models ?? [saved.model]) }
            return saved
        } catch {
            logger.warning("search: \(path) does not read (\(error)); set aside as .bad, starting a new search")
            try? FileManager.default.removeItem(atPath: path + ".bad")
            try? FileManager.default.moveItem(atPath: path, toPath: path + ".bad")
            return nil
        }
    }

    /// Throws unless `models` (a saved search's) are catalog models, the configured one first,
    /// none twice and none an experiment variant's.
    private func check(_ models: [String]) throws {
        guard models.first == lifecycle.model.name, Set(models).count == models.count else {
            throw TacitError.invalidArgument("the models searched must start with the configured model and name each model once")
        }
        for name in models {
            _ = try ModelCatalog.descriptor(named: name)
            if name != lifecycle.model.name, configuration.experimentVariantModelNames.contains(name) {
                throw TacitError.invalidArgument("'\(name)' is an experiment variant's model")
            }
        }
    }

    /// Throws unless `adopted` is a model the search tried and may serve (not an experiment
    /// variant's) with parameters that model accepts.
    private func check(_ adopted: ServiceConfiguration.ModelChoice, searched: [String]) throws {
        guard searched.contains(adopted.name) else {
            throw TacitError.invalidArgument("the adopted model '\(adopted.name)' is not among the models searched")
        }
        if adopted.name != lifecycle.model.name, configuration.experimentVariantModelNames.contains(adopted.name) {
            throw TacitError.invalidArgument("the adopted model '\(adopted.name)' is an experiment variant's model")
        }
        _ = try ModelCatalog.descriptor(named: adopted.name).parameters(from: adopted.parameters.map { "\($0.key)=\($0.value)" })
    }

    private static func text(_ parameters: [String: String]) -> String {
        parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
    }
}
