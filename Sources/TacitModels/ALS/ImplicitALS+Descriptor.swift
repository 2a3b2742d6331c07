import TacitCore

extension ImplicitALS {
    /// `als`: documented parameters and tuning ranges.
    public static let descriptor = ModelDescriptor(
        name: "als", summary: "Implicit alternating least squares (Hu, Koren & Volinsky 2008), CG or Cholesky",
        parameters: [
            ParameterSpec("factors", "latent factors per user and item", domain: .integer(valid: 1...4096, search: 16...256, log: true), default: .integer(64)),
            ParameterSpec("iterations", "alternating iterations", domain: .integer(valid: 1...1000, search: 5...30, log: false), default: .integer(15)),
            ParameterSpec("regularization", "L2 regularisation λ", domain: .real(valid: 0...1e9, search: 1e-3...100, log: true), default: .real(0.01)),
            ParameterSpec("alpha", "confidence slope: c = 1 + alpha · weight", domain: .real(valid: 0...1e9, search: 0.1...100, log: true), default: .real(1)),
            ParameterSpec("frequency_scaling", "regularisation exponent ν: λ · n^ν for n interactions (0 = off)",
                          domain: .real(valid: 0...4, search: 0...1, log: false), default: .real(0)),
            ParameterSpec("recency", "history half-life in events (0 = off)", domain: .real(valid: 0...1e9, search: 1...1000, log: true), default: .real(0)),
            ParameterSpec("solver", "per-row solver: conjugate gradient or exact Cholesky",
                          domain: .choice(Configuration.Solver.allCases.map(\.rawValue)), default: .choice("cg"), tuned: false),
            ParameterSpec("cg_steps", "conjugate-gradient steps per row and half-step", domain: .integer(valid: 1...1000, search: 2...6, log: false),
                          default: .integer(3), tuned: false, when: ("solver", ["cg"])),
            ParameterSpec("seed", "seed of the initial factors", domain: .integer(valid: 0...Int.max, search: 0...1000, log: false),
                          default: .integer(42), tuned: false),
            .precision,
        ],
        modelType: ImplicitALSModel.self
    ) { parameters, options throws(TacitError) in
        var configuration = Configuration()
        configuration.factors = parameters.integer("factors")
        configuration.iterations = parameters.integer("iterations")
        configuration.regularization = parameters.real("regularization")
        configuration.alpha = parameters.real("alpha")
        configuration.frequencyScaling = parameters.real("frequency_scaling")
        configuration.recency = parameters.real("recency")
        configuration.solver = Configuration.Solver(rawValue: parameters.choice("solver")) ?? .cg
        configuration.cgSteps = parameters.integer("cg_steps")
        configuration.seed = UInt64(parameters.integer("seed"))
        configuration.precision = parameters.precision
        configuration.threads = options.threads
        try configuration.validate()
        return AnyTrainer(ImplicitALS(configuration, earlyStopping: options.earlyStopping))
    }
}
