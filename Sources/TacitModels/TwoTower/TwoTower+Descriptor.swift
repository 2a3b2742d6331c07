import TacitCore

extension TwoTower {
    /// `twotower`: documented parameters and tuning ranges.
    public static let descriptor = ModelDescriptor(
        name: "twotower",
        summary: "Two-tower retrieval (history-pooling query tower, feature candidate tower), in-batch softmax with log-Q correction",
        parameters: [
            ParameterSpec("dimension", "width of the embeddings and tower outputs", domain: .integer(valid: 1...4096, search: 16...256, log: true),
                          default: .integer(64)),
            ParameterSpec("epochs", "passes over the training interactions", domain: .integer(valid: 1...10_000, search: 3...40, log: true),
                          default: .integer(6)),
            ParameterSpec("batch_size", "examples per batch (in-batch negatives)", domain: .integer(valid: 2...65_536, search: 64...2048, log: true),
                          default: .integer(256)),
            ParameterSpec("learning_rate", "Adam step size", domain: .real(valid: 1e-9...10, search: 1e-3...0.1, log: true), default: .real(0.01)),
            ParameterSpec("temperature", "softmax temperature τ (scores are q·c/τ)", domain: .real(valid: 1e-4...100, search: 0.02...1, log: true),
                          default: .real(0.1)),
            ParameterSpec("history_length", "recent items pooled by the query tower", domain: .integer(valid: 1...100_000, search: 5...200, log: true),
                          default: .integer(50)),
            ParameterSpec("recent_length", "most recent items pooled again into a query part of their own (0 = none; capped at history_length)",
                          domain: .integer(valid: 0...100_000, search: 0...10, log: false), default: .integer(3)),
            ParameterSpec("user_embedding", "query tower includes a user-id embedding", domain: .choice(["true", "false"]), default: .choice("true")),
            ParameterSpec("weight_decay", "decoupled weight decay (AdamW; 0 = Adam)", domain: .real(valid: 0...0.5, search: 1e-6...1e-2, log: true),
                          default: .real(0), tuned: false),
            ParameterSpec("negatives", "extra uniformly sampled negatives per batch", domain: .integer(valid: 0...1_000_000, search: 0...512, log: false),
                          default: .integer(0), tuned: false),
            ParameterSpec("log_q", "log-Q correction of in-batch sampling bias", domain: .choice(["true", "false"]), default: .choice("true")),
            ParameterSpec("price_buckets", "price quantile buckets", domain: .integer(valid: 1...1000, search: 2...50, log: true),
                          default: .integer(10), tuned: false),
            ParameterSpec("user_buckets", "quantile buckets of a numeric user attribute (numbers with > 32 distinct values)",
                          domain: .integer(valid: 1...1000, search: 2...50, log: true), default: .integer(10), tuned: false),
            ParameterSpec("min_attribute_users", "training users a user-attribute value needs for its own embedding row",
                          domain: .integer(valid: 1...1_000_000, search: 1...100, log: true), default: .integer(10), tuned: false),
            ParameterSpec("id_dropout", "probability of dropping a candidate's id embedding in training (new-item robustness)",
                          domain: .real(valid: 0...0.99, search: 0...0.5, log: false), default: .real(0)),
            ParameterSpec("user_dropout", "probability of training a query from the user's attributes alone (new-user robustness; needs --users)",
                          domain: .real(valid: 0...0.99, search: 0...0.5, log: false), default: .real(0), tuned: false),
            ParameterSpec("hash_buckets", "hash buckets of the id and feature tables (0 = one row per user, item and value; a table with fewer values keeps one row each)",
                          domain: .integer(valid: 0...(1 << 30), search: 1024...1_048_576, log: true), default: .integer(0), tuned: false),
            ParameterSpec("seed", "seed of the initial weights, shuffles and negatives", domain: .integer(valid: 0...Int.max, search: 0...1000, log: false),
                          default: .integer(42), tuned: false),
            .precision,
        ],
        modelType: TwoTowerModel.self
    ) { parameters, options throws(TacitError) in
        var configuration = Configuration()
        configuration.dimension = parameters.integer("dimension")
        configuration.epochs = parameters.integer("epochs")
        configuration.batchSize = parameters.integer("batch_size")
        configuration.learningRate = parameters.real("learning_rate")
        configuration.temperature = parameters.real("temperature")
        configuration.historyLength = parameters.integer("history_length")
        configuration.recentLength = parameters.integer("recent_length")
        configuration.userEmbedding = parameters.choice("user_embedding") == "true"
        configuration.weightDecay = parameters.real("weight_decay")
        configuration.negatives = parameters.integer("negatives")
        configuration.logQCorrection = parameters.choice("log_q") == "true"
        configuration.priceBuckets = parameters.integer("price_buckets")
        configuration.userBuckets = parameters.integer("user_buckets")
        configuration.minimumAttributeUsers = parameters.integer("min_attribute_users")
        configuration.idDropout = parameters.real("id_dropout")
        configuration.userDropout = parameters.real("user_dropout")
        configuration.hashBuckets = parameters.integer("hash_buckets")
        configuration.seed = UInt64(parameters.integer("seed"))
        configuration.precision = parameters.precision
        configuration.threads = options.threads
        try configuration.validate()
        return AnyTrainer(TwoTower(configuration, side: options.side, earlyStopping: options.earlyStopping))
    }
}
