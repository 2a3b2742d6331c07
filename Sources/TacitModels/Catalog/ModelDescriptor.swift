import TacitCore

/// A trainer with its model type erased, so the CLI and the service can hold any model by name.
public struct AnyTrainer: Sendable {
    private let fitBody: @Sendable (InteractionMatrix, any TrainingObserver) async throws -> any Recommender

    public init<T: Trainer>(_ trainer: T) {
        fitBody = { data, observer in try await trainer.fit(data, observer: observer) }
    }

    /// Fits the wrapped trainer.
    public func fit(_ data: InteractionMatrix, observer: any TrainingObserver = SilentObserver()) async throws -> any Recommender {
        try await fitBody(data, observer)
    }
}

/// A named model: its documented parameters and how to build its trainer from validated values.
///
/// Each model's file declares its descriptor next to its typed `Configuration`; the
/// ``ModelCatalog`` lists them. Nothing switches on model names.
public struct ModelDescriptor: Sendable {
    public let name: String
    public let summary: String
    public let parameters: [ParameterSpec]
    /// The fitted model type, when models of this kind can be saved to a model file.
    public let modelType: (any PersistableModel.Type)?
    private let makeTrainer: @Sendable (Parameters, TrainingOptions) throws(TacitError) -> AnyTrainer

    /// - Parameters:
    ///   - modelType: the fitted model type, for ``ModelFile``.
    ///   - makeTrainer: builds the trainer from complete parameters and the run options.
    public init(name: String, summary: String, parameters: [ParameterSpec], modelType: (any PersistableModel.Type)? = nil,
                makeTrainer: @escaping @Sendable (Parameters, TrainingOptions) throws(TacitError) -> AnyTrainer) {
        self.name = name
        self.summary = summary
        self.parameters = parameters
        self.modelType = modelType
        self.makeTrainer = makeTrainer
    }

    /// The default value of every parameter.
    public var defaults: Parameters {
        Parameters(Dictionary(uniqueKeysWithValues: parameters.map { ($0.name, $0.defaultValue) }))
    }

    /// Parses `key=value` strings over the defaults. Unknown names fail listing the valid ones.
    public func parameters(from assignments: [String]) throws(TacitError) -> Parameters {
        var result = defaults
        for assignment in assignments {
            guard let eq = assignment.firstIndex(of: "=") else {
                throw .invalidArgument("parameter '\(assignment)' must be written key=value")
            }
            let key = String(assignment[..<eq]), value = String(assignment[assignment.index(after: eq)...])
            guard let spec = parameters.first(where: { $0.name == key }) else {
                throw .unknownName("parameter for model '\(name)'", key, valid: parameters.map(\.name))
            }
            result[key] = try spec.parse(value)
        }
        return result
    }

    /// `parameters` with each value in its spec's type (JSON writes the real 7.0 as `7`, which
    /// reads back as an integer), defaults filled in for missing names, unknown names dropped.
    public func normalized(_ parameters: Parameters) -> Parameters {
        var result = defaults
        for spec in self.parameters {
            guard let value = parameters[spec.name] else { continue }
            switch (spec.domain, value) {
            case let (.real, .integer(v)): result[spec.name] = .real(Double(v))
            case let (.integer, .real(v)) where v == v.rounded(): result[spec.name] = .integer(Int(v))
            default: result[spec.name] = value
            }
        }
        return result
    }

    /// Builds a trainer for `parameters`, using `threads` worker threads.
    public func trainer(_ parameters: Parameters, threads: Int = Parallel.defaultThreads) throws(TacitError) -> AnyTrainer {
        try makeTrainer(parameters, TrainingOptions(threads: threads))
    }

    /// Builds a trainer for `parameters` with run options (threads, early stopping).
    public func trainer(_ parameters: Parameters, options: TrainingOptions) throws(TacitError) -> AnyTrainer {
        try makeTrainer(parameters, options)
    }
}

/// How a trainer runs, apart from the model's parameters: threads, early stopping and the
/// item/user metadata that feature-aware models use.
public struct TrainingOptions: Sendable {
    /// Worker threads (at least 1).
    public var threads: Int
    /// Early stopping on held-out data; iterative trainers (ALS, BPR) honour it, others ignore it.
    public var earlyStopping: EarlyStopping?
    /// Item and user metadata (category, brand, price, tags, user attributes); collaborative
    /// models ignore it.
    public var side: SideInformation
    /// Lists shown to users and the events attributed to them, for trainers that learn from
    /// impressions (the learned ranker); every other model ignores them.
    public var impressions: LoggedImpressions?

    public init(threads: Int = Parallel.defaultThreads, earlyStopping: EarlyStopping? = nil, side: SideInformation = .none,
                impressions: LoggedImpressions? = nil) {
        self.threads = max(1, threads)
        self.earlyStopping = earlyStopping
        self.side = side
        self.impressions = impressions
    }
}
