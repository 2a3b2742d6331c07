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
    private let makeTrainer: @Sendable (Parameters, Int) throws(TacitError) -> AnyTrainer

    /// - Parameter makeTrainer: builds the trainer from complete parameters and a thread count.
    public init(name: String, summary: String, parameters: [ParameterSpec],
                makeTrainer: @escaping @Sendable (Parameters, Int) throws(TacitError) -> AnyTrainer) {
        self.name = name
        self.summary = summary
        self.parameters = parameters
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

    /// Builds a trainer for `parameters`, using `threads` worker threads.
    public func trainer(_ parameters: Parameters, threads: Int = Parallel.defaultThreads) throws(TacitError) -> AnyTrainer {
        try makeTrainer(parameters, max(1, threads))
    }
}
