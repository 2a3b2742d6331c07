import TacitCore

extension Hybrid {
    /// The collaborative models a hybrid can blend with content, by name.
    public static let collaborativeModels: [ModelDescriptor] = [ImplicitALS.descriptor, ItemKNN.descriptor, BPR.descriptor, EASE.descriptor]

    /// Blend parameters, then every collaborative model's parameters as `<model>.<name>` (active
    /// only while `collaborative` names that model), then the content model's as `content.<name>`.
    static let parameterSpecs: [ParameterSpec] = {
        var specs = [
            ParameterSpec("collaborative", "the collaborative model blended with content", domain: .choice(collaborativeModels.map(\.name)),
                          default: .choice("als"), tuned: false),
            ParameterSpec("content_weight", "content's weight in the per-user blend", domain: .real(valid: 0...1, search: 0...1, log: false),
                          default: .real(0.3)),
            ParameterSpec("normalization", "per-user score normalisation before blending",
                          domain: .choice(ScoreBlend.Normalization.allCases.map(\.rawValue)), default: .choice("minmax")),
            ParameterSpec("min_history", "users with fewer interactions get short_history_weight",
                          domain: .integer(valid: 0...1_000_000, search: 0...30, log: false), default: .integer(5)),
            ParameterSpec("short_history_weight", "content's weight for users with short histories (1 = content only)",
                          domain: .real(valid: 0...1, search: 0...1, log: false), default: .real(1)),
            ParameterSpec("candidates", "items each part ranks per user before blending",
                          domain: .integer(valid: 1...1_000_000, search: 50...1000, log: true), default: .integer(200), tuned: false),
        ]
        for model in collaborativeModels {
            for spec in model.parameters {
                specs.append(ParameterSpec("\(model.name).\(spec.name)", spec.summary, domain: spec.domain, default: spec.defaultValue,
                                           tuned: spec.tuned, when: ("collaborative", [model.name])))
            }
        }
        for spec in ContentBased.parameterSpecs {
            specs.append(ParameterSpec("content.\(spec.name)", spec.summary, domain: spec.domain, default: spec.defaultValue, tuned: spec.tuned))
        }
        return specs
    }()

    /// `hybrid`: documented parameters and tuning ranges. Needs item metadata (`--items`).
    public static let descriptor = ModelDescriptor(
        name: "hybrid", summary: "Weighted hybrid of a collaborative model (als, itemknn, bpr, ease) and content, switching to content for short histories",
        parameters: parameterSpecs,
        modelType: HybridModel.self
    ) { parameters, options throws(TacitError) in
        guard !options.side.items.isEmpty else { throw .missingItemMetadata(model: "hybrid") }
        let name = parameters.choice("collaborative")
        guard let model = collaborativeModels.first(where: { $0.name == name }) else {
            throw .unknownName("collaborative model", name, valid: collaborativeModels.map(\.name))
        }
        var inner = model.defaults
        for spec in model.parameters { if let value = parameters["\(name).\(spec.name)"] { inner[spec.name] = value } }
        var configuration = Configuration()
        configuration.contentWeight = parameters.real("content_weight")
        configuration.normalization = ScoreBlend.Normalization(rawValue: parameters.choice("normalization")) ?? .minmax
        configuration.minHistory = parameters.integer("min_history")
        configuration.shortHistoryContentWeight = parameters.real("short_history_weight")
        configuration.candidates = parameters.integer("candidates")
        try configuration.validate()
        let content = ContentBased(try ContentBased.configuration(parameters, prefix: "content."), items: options.side.items)
        return AnyTrainer(Hybrid(configuration, collaborativeName: name, collaborative: try model.trainer(inner, options: options), content: content))
    }
}
