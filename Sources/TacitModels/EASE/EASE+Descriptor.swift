import TacitCore

extension EASE {
    /// `ease`: documented parameters and tuning ranges; `lambda` and `recency` are tuned.
    public static let descriptor = ModelDescriptor(
        name: "ease", summary: "Embarrassingly shallow autoencoder (Steck 2019): closed-form item-item weights",
        parameters: [
            ParameterSpec("lambda", "L2 regularisation λ on the Gram diagonal", domain: .real(valid: 1e-6...1e9, search: 1...10_000, log: true),
                          default: .real(500)),
            ParameterSpec("recency", "history half-life in events when scoring (0 = off)", domain: .real(valid: 0...1e6, search: 0.3...300, log: true),
                          default: .real(0)),
            ParameterSpec("max_items", "largest catalog accepted (fitting needs 4 · items² bytes)",
                          domain: .integer(valid: 1...1_000_000, search: 1000...100_000, log: true), default: .integer(30_000), tuned: false),
            ParameterSpec("input", "X entries: 1 per interaction (binary) or the weighted confidence",
                          domain: .choice(Configuration.Input.allCases.map(\.rawValue)), default: .choice("binary"), tuned: false),
        ],
        modelType: EASEModel.self
    ) { parameters, options throws(TacitError) in
        var configuration = Configuration()
        configuration.lambda = parameters.real("lambda")
        configuration.maxItems = parameters.integer("max_items")
        configuration.input = Configuration.Input(rawValue: parameters.choice("input")) ?? .binary
        configuration.recency = parameters.real("recency")
        configuration.threads = options.threads
        try configuration.validate()
        return AnyTrainer(EASE(configuration))
    }
}
