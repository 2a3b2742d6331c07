import TacitBoosting
import TacitCore

extension Ranker {
    /// The models a ranker can retrieve candidates from, and whether each is on by default.
    public static let sourceModels: [ModelDescriptor] = [Popularity.descriptor, Popularity.trendingDescriptor, ItemKNN.descriptor,
                                                         ImplicitALS.descriptor, BPR.descriptor, EASE.descriptor, TwoTower.descriptor,
                                                         SASRec.descriptor]
    static let defaultSources: Set<String> = ["popular", "itemknn", "als", "ease"]

    /// The ranker's own parameters, then per source a switch `<source>=on|off` and the source's
    /// parameters as `<source>.<name>` (active while the source is on; not tuned: pass tuned
    /// values explicitly).
    static let parameterSpecs: [ParameterSpec] = {
        var specs = [
            ParameterSpec("per_source", "candidates each source contributes", domain: .integer(valid: 1...100_000, search: 20...200, log: true),
                          default: .integer(50)),
            ParameterSpec("similarity", "the source whose item similarity gives the sim.* features (auto: the first that has one)",
                          domain: .choice(["auto", "itemknn", "als", "bpr", "twotower", "sasrec"]), default: .choice("auto"), tuned: false),
            ParameterSpec("label_events", "each user's latest entries held out as the fit's labels (graded, the earliest highest)",
                          domain: .integer(valid: 1...100, search: 1...5, log: false), default: .integer(1)),
            ParameterSpec("cuts", "cut points per user: each refits the sources without one more latest event and adds a query group per user",
                          domain: .integer(valid: 1...20, search: 1...3, log: false), default: .integer(3), tuned: false),
            ParameterSpec("prior", "the source whose rank is the trees' starting score (none: start from 0)",
                          domain: .choice(["none", "popular", "trending", "itemknn", "als", "bpr", "ease", "twotower", "sasrec"]), default: .choice("none"),
                          tuned: false),
            ParameterSpec("prior_weight", "the prior's scale: rank r starts at -weight * ln r", domain: .real(valid: 0...100, search: 0.1...3, log: true),
                          default: .real(1), when: ("prior", ["popular", "trending", "itemknn", "als", "bpr", "ease", "twotower", "sasrec"])),
            ParameterSpec("impressions", "learn from logged impressions and the events attributed to them once min_shown_lists are logged (the service's); off: always from the log",
                          domain: .choice(["auto", "off"]), default: .choice("auto"), tuned: false),
            ParameterSpec("min_shown_lists", "shown lists with an attributed event (after the log's median event time) needed to learn from impressions",
                          domain: .integer(valid: 1...10_000_000, search: 50...5_000, log: true), default: .integer(200), tuned: false,
                          when: ("impressions", ["auto"])),
            ParameterSpec("max_shown_lists", "the newest shown lists learned from", domain: .integer(valid: 1...10_000_000, search: 1_000...100_000, log: true),
                          default: .integer(50_000), tuned: false, when: ("impressions", ["auto"])),
            ParameterSpec("objective", "XGBoost ranking objective", domain: .choice(BoostingConfiguration.objectives), default: .choice("rank:ndcg"),
                          tuned: false),
            ParameterSpec("rounds", "boosting rounds (trees)", domain: .integer(valid: 1...10_000, search: 20...500, log: true), default: .integer(50)),
            ParameterSpec("learning_rate", "shrinkage of each tree (eta)", domain: .real(valid: 1e-4...1, search: 0.02...0.3, log: true),
                          default: .real(0.1)),
            ParameterSpec("max_depth", "maximum tree depth", domain: .integer(valid: 1...32, search: 2...10, log: false), default: .integer(4)),
            ParameterSpec("min_child_weight", "minimum hessian sum in a leaf", domain: .real(valid: 0...1e6, search: 0.1...100, log: true),
                          default: .real(1)),
            ParameterSpec("subsample", "rows sampled per tree", domain: .real(valid: 0.01...1, search: 0.5...1, log: false), default: .real(1)),
            ParameterSpec("column_sample", "features sampled per tree", domain: .real(valid: 0.01...1, search: 0.5...1, log: false), default: .real(1)),
            ParameterSpec("seed", "seed of XGBoost's sampling", domain: .integer(valid: 0...Int.max, search: 0...1000, log: false),
                          default: .integer(42), tuned: false),
        ]
        for model in sourceModels {
            specs.append(ParameterSpec(model.name, "use \(model.name) as a candidate source", domain: .choice(["on", "off"]),
                                       default: .choice(defaultSources.contains(model.name) ? "on" : "off"), tuned: false))
            for spec in model.parameters {
                specs.append(ParameterSpec("\(model.name).\(spec.name)", spec.summary, domain: spec.domain, default: spec.defaultValue,
                                           tuned: false, when: (model.name, ["on"])))
            }
        }
        return specs
    }()

    /// `ranker`: documented parameters and tuning ranges.
    public static let descriptor = ModelDescriptor(
        name: "ranker",
        summary: "Learned ranking stage: LambdaMART (XGBoost) over the candidates of several sources, trained on each user's latest events "
            + "(or, in the service, on logged impressions and the events attributed to them)",
        parameters: parameterSpecs,
        modelType: RankerModel.self
    ) { parameters, options throws(TacitError) in
        var configuration = Configuration()
        for model in sourceModels where parameters.choice(model.name) == "on" {
            var own = model.defaults
            for spec in model.parameters { own[spec.name] = parameters["\(model.name).\(spec.name)"] ?? spec.defaultValue }
            configuration.sources.append((model.name, own))
        }
        configuration.perSource = parameters.integer("per_source")
        let similarity = parameters.choice("similarity")
        configuration.similarity = similarity == "auto" ? nil : similarity
        configuration.labelEvents = parameters.integer("label_events")
        configuration.cuts = parameters.integer("cuts")
        let prior = parameters.choice("prior")
        configuration.prior = prior == "none" ? nil : prior
        configuration.priorWeight = parameters.real("prior_weight")
        configuration.fromImpressions = parameters.choice("impressions") == "auto"
        configuration.minimumShownLists = parameters.integer("min_shown_lists")
        configuration.maximumShownLists = parameters.integer("max_shown_lists")
        configuration.boosting.objective = parameters.choice("objective")
        configuration.boosting.rounds = parameters.integer("rounds")
        configuration.boosting.learningRate = parameters.real("learning_rate")
        configuration.boosting.maxDepth = parameters.integer("max_depth")
        configuration.boosting.minChildWeight = parameters.real("min_child_weight")
        configuration.boosting.subsample = parameters.real("subsample")
        configuration.boosting.columnSample = parameters.real("column_sample")
        configuration.boosting.seed = UInt64(parameters.integer("seed"))
        configuration.threads = options.threads
        try configuration.validate()
        return AnyTrainer(Ranker(configuration, side: options.side, impressions: options.impressions))
    }
}
