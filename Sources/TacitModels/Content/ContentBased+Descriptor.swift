import TacitCore

extension ContentBased {
    /// The documented parameters of the content model; ``Hybrid`` lists them again under `content.`.
    static let parameterSpecs: [ParameterSpec] = [
        ParameterSpec("tag_weight", "weight of tags/genres (TF-IDF)", domain: .real(valid: 0...1e3, search: 0...1, log: false), default: .real(1)),
        ParameterSpec("title_weight", "weight of title tokens (TF-IDF)", domain: .real(valid: 0...1e3, search: 0...1, log: false), default: .real(0.5)),
        ParameterSpec("category_weight", "weight of the category (one-hot)", domain: .real(valid: 0...1e3, search: 0...1, log: false), default: .real(0.5)),
        ParameterSpec("brand_weight", "weight of the brand (one-hot)", domain: .real(valid: 0...1e3, search: 0...1, log: false), default: .real(0.5)),
        ParameterSpec("price_weight", "weight of the price bucket (one-hot)", domain: .real(valid: 0...1e3, search: 0...1, log: false), default: .real(0.25)),
        ParameterSpec("attribute_weight", "weight of further name=value attributes (one-hot)",
                      domain: .real(valid: 0...1e3, search: 0...1, log: false), default: .real(0.25)),
        ParameterSpec("price_buckets", "price buckets at catalogue quantiles", domain: .integer(valid: 1...1000, search: 2...20, log: true), default: .integer(5)),
        ParameterSpec("min_frequency", "features held by fewer items are dropped", domain: .integer(valid: 1...1_000_000, search: 1...10, log: true),
                      default: .integer(2)),
        ParameterSpec("recency", "history half-life in events (0 = off)", domain: .real(valid: 0...1e9, search: 0.3...300, log: true), default: .real(0)),
        ParameterSpec("prior_weight", "weight of the attribute prior: the popularity of the training items sharing an item's features",
                      domain: .real(valid: 0...1e3, search: 0...2, log: false), default: .real(1)),
        ParameterSpec("hash_buckets", "hash buckets of each feature group's columns (0 = one column per term)",
                      domain: .integer(valid: 0...(1 << 30), search: 256...1_048_576, log: true), default: .integer(0), tuned: false),
    ]

    /// The configuration from validated parameters named `prefix + spec name`.
    static func configuration(_ parameters: Parameters, prefix: String = "") throws(TacitError) -> Configuration {
        var configuration = Configuration()
        configuration.tagWeight = parameters.real(prefix + "tag_weight")
        configuration.titleWeight = parameters.real(prefix + "title_weight")
        configuration.categoryWeight = parameters.real(prefix + "category_weight")
        configuration.brandWeight = parameters.real(prefix + "brand_weight")
        configuration.priceWeight = parameters.real(prefix + "price_weight")
        configuration.attributeWeight = parameters.real(prefix + "attribute_weight")
        configuration.priceBuckets = parameters.integer(prefix + "price_buckets")
        configuration.minimumFrequency = parameters.integer(prefix + "min_frequency")
        configuration.recency = parameters.real(prefix + "recency")
        configuration.hashBuckets = parameters.integer(prefix + "hash_buckets")
        configuration.priorWeight = parameters.real(prefix + "prior_weight")
        try configuration.validate()
        return configuration
    }

    /// `content`: documented parameters and tuning ranges. Needs item metadata (`--items`).
    public static let descriptor = ModelDescriptor(
        name: "content", summary: "Content-based: TF-IDF/one-hot item profiles from --items, cosine with the user's weighted profile",
        parameters: parameterSpecs,
        modelType: ContentModel.self
    ) { parameters, options throws(TacitError) in
        guard !options.side.items.isEmpty else { throw .missingItemMetadata(model: "content") }
        return AnyTrainer(ContentBased(try configuration(parameters), items: options.side.items))
    }
}
