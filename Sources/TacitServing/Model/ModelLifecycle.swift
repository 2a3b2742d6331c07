import Foundation
import Logging
import TacitCore
import TacitModels
import TacitStore

/// Trains the versions of one model in the background and swaps them in: on demand, on a
/// schedule, and at start (the model's latest stored version loads; with none, one is trained).
///
/// The service has one lifecycle per model it serves (its main model and each model of an
/// experiment variant), each with its own ``ModelRegistry``, version numbers and files. One
/// training of a model runs at a time, and the lifecycles share a ``SerialQueue``, so one
/// training of any model runs at a time. Requests keep being served by the previous version
/// until the new one is loaded and swapped in atomically by the ``ModelRegistry``.
public actor ModelLifecycle {
    /// What the lifecycle is doing, for `GET /v1/models`.
    public struct Status: Sendable, Equatable {
        public var training: Bool = false
        public var lastStarted: Date?
        public var lastFinished: Date?
        public var lastError: String?
    }

    private let store: any EventStore
    private let configuration: ServiceConfiguration
    /// The model this lifecycle trains, as configured.
    public nonisolated let model: ServiceConfiguration.ModelChoice
    /// What it trains now: the configured model, or the model and parameters a background search
    /// chose (``adopt(_:)``) once one has. Versions are numbered, stored, loaded and pruned per
    /// model name, so a lifecycle that adopts `ease` in place of `als` trains `ease` v1, v2 …
    public private(set) var choice: ServiceConfiguration.ModelChoice
    private let queue: SerialQueue
    private let registry: ModelRegistry
    private let catalog: ServingCatalog
    private let directory: String
    private let logger: Logger
    public private(set) var status = Status()
    private var running: Task<ModelVersionRecord, any Error>?
    private var schedule: Task<Void, Never>?

    init(store: any EventStore, configuration: ServiceConfiguration, model: ServiceConfiguration.ModelChoice, queue: SerialQueue,
         registry: ModelRegistry, catalog: ServingCatalog, directory: String, logger: Logger) {
        self.store = store
        self.configuration = configuration
        self.model = model
        self.choice = model
        self.queue = queue
        self.registry = registry
        self.catalog = catalog
        self.directory = directory
        self.logger = logger
    }

    /// Loads the newest stored version of the model it trains (``choice``) whose file still
    /// loads. Returns it, or `nil` when none does.
    func loadLatest() async throws -> ModelVersionRecord? {
        for record in try await store.modelVersions(of: choice.name).reversed() {
            do {
                let contents = try ModelFile.load(from: record.path, verify: true)
                registry.swap(to: ServingModel(contents: contents, info: record, catalog: catalog, cacheUsers: configuration.serving.cacheUsers,
                                               retrieval: configuration.retrieval))
                logger.info("loaded model \(record.model) v\(record.version) from \(record.path)")
                return record
            } catch {
                logger.warning("model \(record.model) v\(record.version) at \(record.path) does not load: \(error)")
            }
        }
        return nil
    }

    /// Starts a training run in the background unless one is running; returns the version it will have.
    @discardableResult
    public func startTraining() async throws -> Int {
        guard running == nil else { throw ServiceError.trainingInProgress }
        let version = (try await store.modelVersions(of: choice.name).map(\.version).max() ?? 0) + 1
        let task = Task { [store, configuration, choice, queue, directory, registry, catalog] () async throws -> ModelVersionRecord in
            try await queue.run {
                let trainer = ModelTrainer(store: store, configuration: configuration, model: choice, directory: directory)
                let output = try await trainer.train(version: version)
                try await store.save(output.record)
                registry.swap(to: ServingModel(contents: output.contents, info: output.record, catalog: catalog,
                                               cacheUsers: configuration.serving.cacheUsers, retrieval: configuration.retrieval))
                return output.record
            }
        }
        running = task
        status.training = true
        status.lastStarted = Date()
        Task { await self.finish(task, version: version) }
        return version
    }

    /// Trains `choice` (a model and its parameters) from now on: the next version, and every
    /// retrain after it.
    public func adopt(_ choice: ServiceConfiguration.ModelChoice) {
        self.choice = choice
    }

    /// Waits until the training running now (if any) has ended, whatever its outcome.
    public func waitForTraining() async {
        _ = try? await running?.value
    }

    /// Trains now and waits for the new version to serve.
    @discardableResult
    public func trainAndWait() async throws -> ModelVersionRecord {
        _ = try await startTraining()
        guard let task = running else { throw ServiceError.trainingInProgress }
        return try await task.value
    }

    private func finish(_ task: Task<ModelVersionRecord, any Error>, version: Int) async {
        do {
            let record = try await task.value
            status.lastError = nil
            logger.info("serving model \(record.model) v\(record.version): \(record.events) events, fit \(String(format: "%.2f", record.fitSeconds)) s")
            pruneFiles()
        } catch {
            status.lastError = "\(error)"
            logger.error("training \(choice.name) v\(version) failed: \(error)")
        }
        status.training = false
        status.lastFinished = Date()
        running = nil
    }

    /// Retrains every `interval` seconds when enough new events arrived.
    func startSchedule() {
        guard let interval = configuration.training.retrainInterval, interval > 0, schedule == nil else { return }
        schedule = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: UInt64(interval * 1e9))
                guard let self, !Task.isCancelled else { return }
                await self.scheduledRun()
            }
        }
    }

    private func scheduledRun() async {
        guard running == nil else { return }
        guard configuration.trains(model.name, at: Int64(Date().timeIntervalSince1970)) else {
            // Every experiment naming this model has stopped: nothing routes requests to it.
            if registry.current != nil {
                registry.clear()
                logger.info("unloaded \(model.name): the experiments naming it have stopped")
            }
            return
        }
        do {
            let last = try await store.lastSequence()
            let served = registry.current?.info.lastSequence ?? 0
            guard last - served >= Int64(max(1, configuration.training.minNewEvents)) else { return }
            try await startTraining()
        } catch {
            logger.error("scheduled retrain of \(model.name): \(error)")
        }
    }

    /// Stops the schedule and waits for a running training to end.
    func shutdown() async {
        schedule?.cancel()
        schedule = nil
        guard let running else { return }
        let since = status.lastStarted.map { " (started \(Int(Date().timeIntervalSince($0))) s ago)" } ?? ""
        logger.notice("shutdown: waiting for the running training of model \(model.name)\(since) to finish")
        _ = try? await running.value
        logger.notice("shutdown: the training of model \(model.name) finished")
    }

    /// Deletes the files of the model it trains (`v<N>-<model>.tacitmodel`) beyond their newest
    /// `keepFiles` (never the one serving); other models' files are theirs to prune.
    private func pruneFiles() {
        let keep = max(1, configuration.training.keepFiles)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        let serving = registry.current?.info.path
        let suffix = "-\(choice.name).tacitmodel"
        let files = names
            .compactMap { name -> (Int, String)? in
                guard name.hasPrefix("v"), name.hasSuffix(suffix) else { return nil }
                let digits = name.dropFirst().dropLast(suffix.count)
                guard let v = Int(digits) else { return nil }
                return (v, (directory as NSString).appendingPathComponent(name))
            }
            .sorted { $0.0 > $1.0 }
        for (_, path) in files.dropFirst(keep) where path != serving { try? FileManager.default.removeItem(atPath: path) }
    }
}
