import TacitBoosting
import TacitCore

/// A learned ranking stage over several retrieval sources (LambdaMART through XGBoost).
///
/// The fit is leak-free: every user's latest entry is held out (``RankerHoldout``), the sources
/// are fitted on the rest, each held-out user's candidates (the union of the sources' top
/// `perSource`) get their features (``RankerFeatures``) and a label (1 for the held-out item), and
/// the trees learn to put the held-out item first (users whose item is not among their candidates
/// teach nothing and are left out). Then the sources are refitted on all of `data`, and the model
/// ranks their candidates with the trees. Evaluated on a later test event, the trees never saw it.
public struct Ranker: Trainer {
    /// The ranker's settings.
    public struct Configuration: Sendable {
        /// The retrieval sources, by catalogue name, each with its parameters.
        public var sources: [(name: String, parameters: Parameters)] = []
        /// Candidates from each source.
        public var perSource = 50
        /// The source whose item-pair similarity gives the `sim.*` features (nil: the first source that has one).
        public var similarity: String?
        /// The boosted trees.
        public var boosting = BoostingConfiguration()
        /// Threads for the sources and the candidate features.
        public var threads = Parallel.defaultThreads

        public init() {}

        /// - Throws: a ``TacitError`` naming the first invalid setting.
        public func validate() throws(TacitError) {
            guard !sources.isEmpty else { throw .invalidArgument("ranker: at least one source must be on") }
            guard (1...100_000).contains(perSource) else { throw .invalidArgument("ranker: per_source must be in 1...100000, got \(perSource)") }
            try boosting.validate()
        }
    }

    public let configuration: Configuration
    /// Side information passed to the sources that use it.
    public let side: SideInformation

    public init(_ configuration: Configuration, side: SideInformation = .none) {
        self.configuration = configuration
        self.side = side
    }

    public func fit(_ data: InteractionMatrix, observer: some TrainingObserver) async throws -> RankerModel {
        let config = configuration
        try config.validate()
        guard data.timestamps != nil else { throw TacitError.invalidArgument("ranker: the training events need timestamps (the latest event of each user trains the trees)") }
        let holdout = RankerHoldout(data)
        guard !holdout.labels.isEmpty else { throw TacitError.invalidArgument("ranker: no user has more than two training events to hold one out") }
        let total = 3
        observer.progress(step: 0, of: total, message: "fitting \(config.sources.count) sources on all but each user's latest event", values: [:])
        let trainingFeatures = try await features(on: holdout.base)
        let (examples, recall, candidates) = Self.examples(trainingFeatures, labels: holdout.labels, threads: config.threads)
        observer.progress(step: 1, of: total, message: "ranking examples", values: ["labeled_users": Double(holdout.labels.count),
                                                                                     "candidate_recall": recall, "candidates": candidates])
        guard examples.count > 0 else { throw TacitError.invalidArgument("ranker: no held-out item is among its user's candidates; raise per_source") }
        var boosting = config.boosting
        boosting.threads = config.threads
        let booster = try BoostedRanker.train(examples, configuration: boosting)
        observer.progress(step: 2, of: total, message: "boosted \(boosting.rounds) trees on \(examples.groups.count) users", values: [:])
        let servingFeatures = try await features(on: data)
        observer.progress(step: total, of: total, message: "sources refitted on all events", values: [:])
        let gains = Dictionary(zip(examples.featureNames, booster.totalGain()), uniquingKeysWith: { a, _ in a })
        return RankerModel(features: servingFeatures, booster: booster,
                           summary: .init(labeledUsers: holdout.labels.count, candidateRecall: recall, meanCandidates: candidates, gains: gains))
    }

    /// Fits every source on `data` and builds the feature context over them.
    func features(on data: InteractionMatrix) async throws -> RankerFeatures {
        var sources: [RankerFeatures.Source] = []
        for (name, parameters) in configuration.sources {
            guard let descriptor = Self.sourceModels.first(where: { $0.name == name }) else {
                throw TacitError.unknownName("ranker source", name, valid: Self.sourceModels.map(\.name))
            }
            let trainer = try descriptor.trainer(parameters, options: TrainingOptions(threads: configuration.threads, side: side))
            sources.append(.init(name: name, model: try await trainer.fit(data)))
        }
        let similarity: (any ItemPairSimilarity)?
        if let name = configuration.similarity {
            guard let source = sources.first(where: { $0.name == name }), let pair = source.model as? any ItemPairSimilarity else {
                throw TacitError.invalidArgument("ranker: similarity source '\(name)' is not an enabled source with item-pair similarity")
            }
            similarity = pair
        } else {
            similarity = sources.lazy.compactMap { $0.model as? any ItemPairSimilarity }.first
        }
        return RankerFeatures(data: data, sources: sources, similarity: similarity, perSource: configuration.perSource)
    }

    /// The ranking examples of the held-out users whose item is among their candidates, in user
    /// order; also the candidate recall and the mean candidate count over all labelled users.
    static func examples(_ features: RankerFeatures, labels: [(user: Int32, item: Int32)], threads: Int)
        -> (RankingExamples, recall: Double, candidates: Double) {
        let names = features.names
        let slots = ResultSlots<(rows: [Float], labels: [Float], count: Int)?>(count: labels.count, initial: nil)
        Parallel.forEach(0..<labels.count, threads: threads) { k in
            let (user, item) = labels[k]
            let (items, rows) = features.candidates(for: Int(user), filter: .excludingHistory)
            let grades = items.map { $0 == item ? Float(1) : 0 }
            slots[k] = (rows, grades, items.count)
        }
        var examples = RankingExamples(featureNames: names)
        var hits = 0, candidates = 0
        for case let (rows, grades, count)? in slots.values {
            candidates += count
            guard grades.contains(1) else { continue }
            hits += 1
            examples.append(features: rows, labels: grades)
        }
        let n = Double(max(1, labels.count))
        return (examples, Double(hits) / n, Double(candidates) / n)
    }
}
