import TacitCore

extension BPR {
    /// `bpr`: documented parameters and tuning ranges.
    public static let descriptor = ModelDescriptor(
        name: "bpr", summary: "Bayesian personalized ranking (Rendle et al. 2009), lock-free parallel SGD with item bias",
        parameters: [
            ParameterSpec("factors", "latent factors per user and item", domain: .integer(valid: 1...4096, search: 16...256, log: true), default: .integer(64)),
            ParameterSpec("epochs", "passes over the data (nnz sampled triples each)", domain: .integer(valid: 1...100_000, search: 20...400, log: true),
                          default: .integer(100)),
            ParameterSpec("learning_rate", "SGD learning rate", domain: .real(valid: 1e-9...100, search: 0.003...0.3, log: true), default: .real(0.05)),
            ParameterSpec("regularization", "L2 regularisation λ, applied at every update",
                          domain: .real(valid: 0...1e6, search: 1e-4...0.1, log: true), default: .real(0.01)),
            ParameterSpec("sampling", "negative sampling: uniform or by popularity", domain: .choice(Configuration.NegativeSampling.allCases.map(\.rawValue)),
                          default: .choice("popularity"), tuned: false),
            ParameterSpec("sampling_exponent", "popularity sampling ∝ count^exponent (1 = implicit's sampler)",
                          domain: .real(valid: 0...4, search: 0...1, log: false), default: .real(0.5), tuned: false, when: ("sampling", ["popularity"])),
            ParameterSpec("verify_negatives", "skip triples whose negative the user has interacted with", domain: .choice(["true", "false"]),
                          default: .choice("true"), tuned: false),
            ParameterSpec("schedule", "learning-rate schedule over epochs", domain: .choice(Configuration.Schedule.allCases.map(\.rawValue)),
                          default: .choice("linear"), tuned: false),
            ParameterSpec("final_learning_rate", "the last epoch's learning rate as a fraction of learning_rate",
                          domain: .real(valid: 1e-6...1, search: 0.01...1, log: true), default: .real(0.1), tuned: false,
                          when: ("schedule", ["linear", "inverse"])),
            ParameterSpec("seed", "seed of the initial factors and the sampling streams", domain: .integer(valid: 0...Int.max, search: 0...1000, log: false),
                          default: .integer(42), tuned: false),
            .precision,
        ],
        modelType: BPRModel.self
    ) { parameters, options throws(TacitError) in
        var configuration = Configuration()
        configuration.factors = parameters.integer("factors")
        configuration.epochs = parameters.integer("epochs")
        configuration.learningRate = parameters.real("learning_rate")
        configuration.regularization = parameters.real("regularization")
        configuration.sampling = Configuration.NegativeSampling(rawValue: parameters.choice("sampling")) ?? .popularity
        configuration.samplingExponent = parameters.real("sampling_exponent")
        configuration.verifyNegatives = parameters.choice("verify_negatives") == "true"
        configuration.schedule = Configuration.Schedule(rawValue: parameters.choice("schedule")) ?? .linear
        configuration.finalLearningRate = parameters.real("final_learning_rate")
        configuration.seed = UInt64(parameters.integer("seed"))
        configuration.precision = parameters.precision
        configuration.threads = options.threads
        try configuration.validate()
        return AnyTrainer(BPR(configuration, earlyStopping: options.earlyStopping))
    }
}
