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
        /// Each user's latest entries held out as labels in the fit (graded: the entry right
        /// after the kept history highest).
        public var labelEvents = 1
        /// Cut points per user: cut `c` (from 0) fits the sources without each user's latest
        /// `c + labelEvents` entries and labels the first `labelEvents` of them, so every cut adds
        /// one query group per user at the cost of one more fit of the sources.
        public var cuts = 3
        /// The source whose rank is every candidate's starting score, so that the trees learn
        /// corrections to its order (nil: the trees start from 0).
        public var prior: String?
        /// The prior's scale: a candidate at rank `r` of the prior starts at `−weight · ln r`
        /// (`−weight · ln(per_source + 1)` when the prior does not list it).
        public var priorWeight = 1.0
        /// Learn from logged impressions when enough are given: the shown lists with an
        /// attributed event are the query groups (acted-on items their positives, the rest of the
        /// list their negatives), the sources trained on the events before them.
        public var fromImpressions = true
        /// The usable shown lists (a known user, two known items, one acted on) needed to learn
        /// from impressions instead of the log.
        public var minimumShownLists = 200
        /// At most this many of the newest usable lists are learned from.
        public var maximumShownLists = 50_000
        /// The boosted trees.
        public var boosting = BoostingConfiguration()
        /// Threads for the sources and the candidate features.
        public var threads = Parallel.defaultThreads

        public init() {}

        /// - Throws: a ``TacitError`` naming the first invalid setting.
        public func validate() throws(TacitError) {
            guard !sources.isEmpty else { throw .invalidArgument("ranker: at least one source must be on") }
            guard (1...100_000).contains(perSource) else { throw .invalidArgument("ranker: per_source must be in 1...100000, got \(perSource)") }
            guard (1...100).contains(labelEvents) else { throw .invalidArgument("ranker: label_events must be in 1...100, got \(labelEvents)") }
            guard (1...20).contains(cuts) else { throw .invalidArgument("ranker: cuts must be in 1...20, got \(cuts)") }
            guard minimumShownLists >= 1, maximumShownLists >= minimumShownLists else {
                throw .invalidArgument("ranker: min_shown_lists must be >= 1 and at most max_shown_lists, got \(minimumShownLists) and \(maximumShownLists)")
            }
            if let prior, !sources.contains(where: { $0.name == prior }) {
                throw .invalidArgument("ranker: prior '\(prior)' is not an enabled source")
            }
            guard priorWeight >= 0, priorWeight.isFinite else { throw .invalidArgument("ranker: prior_weight must be >= 0, got \(priorWeight)") }
            try boosting.validate()
        }
    }

    public let configuration: Configuration
    /// Side information passed to the sources that use it.
    public let side: SideInformation
    /// Logged impressions with their attributed events: the fit learns from them once enough are
    /// logged (``Configuration/minimumShownLists``), and counts every exposure and action for the
    /// click-through features.
    public let impressions: LoggedImpressions?

    public init(_ configuration: Configuration, side: SideInformation = .none, impressions: LoggedImpressions? = nil) {
        self.configuration = configuration
        self.side = side
        self.impressions = impressions
    }

    public func fit(_ data: InteractionMatrix, observer: some TrainingObserver) async throws -> RankerModel {
        let config = configuration
        try config.validate()
        guard data.timestamps != nil else { throw TacitError.invalidArgument("ranker: the training events need timestamps (the latest event of each user trains the trees)") }
        // Every training event counts for the item activity before a label's time (other
        // users' held-out events included: the service would have seen them), and so does every
        // logged impression and action for the click-through features.
        let events = data.sequences ?? EventSequences(entriesOf: data)
        let replay = ActivityReplay(events, exposures: impressions?.exposures ?? ItemExposures(), items: data.items)
        let attributes = RankerItemAttributes(items: data.items, side: side)
        let fromImpressions = try await impressionExamples(data, events: events, replay: replay, attributes: attributes, observer: observer)
        let fit: (RankingExamples, Int, Double, Double)
        if let fromImpressions { fit = fromImpressions } else { fit = try await logExamples(data, replay: replay, attributes: attributes, observer: observer) }
        let (examples, labelled, recall, meanCandidates) = fit
        let total = (fromImpressions == nil ? config.cuts : 1) + 2, step = total - 2
        observer.progress(step: step, of: total, message: "ranking examples",
                          values: ["labeled_users": Double(labelled), "candidate_recall": recall, "candidates": meanCandidates])
        guard examples.count > 0 else {
            throw TacitError.invalidArgument("ranker: no held-out item is among its user's candidates; raise per_source")
        }
        var boosting = config.boosting
        boosting.threads = config.threads
        let booster = try BoostedRanker.train(examples, configuration: boosting)
        observer.progress(step: step + 1, of: total, message: "boosted \(boosting.rounds) trees on \(examples.groups.count) query groups", values: [:])
        let servingFeatures = try await features(on: data, replay: replay, attributes: attributes)
        observer.progress(step: total, of: total, message: "sources refitted on all events", values: [:])
        let gains = Dictionary(zip(examples.featureNames, booster.totalGain()), uniquingKeysWith: { a, _ in a })
        return RankerModel(features: servingFeatures, booster: booster,
                           summary: .init(labeledUsers: labelled, candidateRecall: recall, meanCandidates: meanCandidates, gains: gains,
                                          shownLists: fromImpressions == nil ? 0 : labelled, exposures: replay.shown.count, actions: replay.actions.count))
    }

    /// The ranking examples of the log: per cut point, each user's next held-out entries
    /// labelled among the candidates of the sources fitted without them (``RankerHoldout``).
    /// Also the labelled users (once per cut), the candidate recall and the mean candidate count.
    private func logExamples(_ data: InteractionMatrix, replay: ActivityReplay, attributes: RankerItemAttributes,
                             observer: some TrainingObserver) async throws -> (RankingExamples, Int, Double, Double) {
        let config = configuration, total = config.cuts + 2
        var examples = RankingExamples(featureNames: [])
        var labelled = 0, held = 0, hits = 0.0, candidates = 0.0
        for cut in 0..<config.cuts {
            let holdout = RankerHoldout(data, events: cut + config.labelEvents, labelled: config.labelEvents)
            guard !holdout.labels.isEmpty else {
                guard cut > 0 else {
                    throw TacitError.invalidArgument("ranker: no user keeps two training events after holding out their latest \(config.labelEvents)")
                }
                break
            }
            observer.progress(step: cut, of: total, message: "cut \(cut + 1): fitting \(config.sources.count) sources on all but each user's latest "
                              + "\(cut + config.labelEvents) events", values: [:])
            let cutFeatures = try await features(on: holdout.base, replay: replay, attributes: attributes)
            let (cutExamples, recall, meanCandidates) = Self.examples(cutFeatures, labels: holdout.labels, threads: config.threads)
            let cutHeld = holdout.labels.reduce(0) { $0 + $1.items.count }
            labelled += holdout.labels.count
            held += cutHeld
            hits += recall * Double(cutHeld)
            candidates += meanCandidates * Double(holdout.labels.count)
            if cut == 0 { examples = cutExamples } else { examples.append(contentsOf: cutExamples) }
        }
        return (examples, labelled, hits / Double(max(1, held)), candidates / Double(max(1, labelled)))
    }

    /// The ranking examples of the logged impressions, when at least ``Configuration/minimumShownLists``
    /// usable lists were shown after the cut (``impressionCut(_:events:)``): the sources fitted on
    /// the events before it, each list a query group (``examples(_:cut:groups:threads:chunk:)``).
    /// Nil otherwise (the fit learns from the log).
    private func impressionExamples(_ data: InteractionMatrix, events: EventSequences, replay: ActivityReplay, attributes: RankerItemAttributes,
                                    observer: some TrainingObserver) async throws -> (RankingExamples, Int, Double, Double)? {
        let config = configuration
        guard config.fromImpressions, let impressions, !impressions.lists.isEmpty else { return nil }
        let usable = Self.shownGroups(impressions.lists, data: data, limit: config.maximumShownLists)
        guard let cut = Self.impressionCut(usable, events: events) else { return nil }
        let groups = usable.filter { $0.time >= cut }
        guard groups.count >= config.minimumShownLists else { return nil }
        observer.progress(step: 0, of: 3, message: "fitting \(config.sources.count) sources on the events before the first of \(groups.count) "
                          + "shown lists with an attributed event", values: [:])
        let split = RankerTemporalCut(data, events: events, before: cut, weighting: impressions.weighting)
        let cutFeatures = try await features(on: split.base, histories: events, replay: replay, attributes: attributes)
        let (examples, recall, candidates) = Self.examples(cutFeatures, cut: split, groups: groups, threads: config.threads)
        return (examples, groups.count, recall, candidates)
    }

    /// Fits every source on `data` and builds the feature context over them, with item activity
    /// from `replay`'s events.
    func features(on data: InteractionMatrix, histories: EventSequences? = nil, replay: ActivityReplay,
                  attributes: RankerItemAttributes) async throws -> RankerFeatures {
        var sources: [RankerFeatures.Source] = []
        for (name, parameters) in configuration.sources {
            guard let descriptor = Self.sourceModels.first(where: { $0.name == name }) else {
                throw TacitError.unknownName("ranker source", name, valid: Self.sourceModels.map(\.name))
            }
            let trainer = try descriptor.trainer(parameters, options: TrainingOptions(threads: configuration.threads, side: side))
            sources.append(.init(name: name, model: try await trainer.fit(data)))
        }
        let similarity: Int?
        if let name = configuration.similarity {
            guard let k = sources.firstIndex(where: { $0.name == name }), sources[k].model is any ItemPairSimilarity else {
                throw TacitError.invalidArgument("ranker: similarity source '\(name)' is not an enabled source with item-pair similarity")
            }
            similarity = k
        } else {
            similarity = sources.firstIndex { $0.model is any ItemPairSimilarity }
        }
        let prior = configuration.prior.flatMap { name in sources.firstIndex { $0.name == name } }
            .map { (source: $0, weight: Float(configuration.priorWeight)) }
        return RankerFeatures(data: data, histories: histories, replay: replay, sources: sources,
                              similarity: similarity.flatMap { sources[$0].model as? any ItemPairSimilarity },
                              similaritySource: similarity, perSource: configuration.perSource, prior: prior,
                              attributes: attributes)
    }

    /// The ranking examples of the held-out users with a held-out item among their candidates,
    /// in user order: each held-out item labelled with its grade (``RankerHoldout``), the other
    /// candidates 0. Also the candidate recall (the share of held-out items among their user's
    /// candidates) and the mean candidate count over all labelled users.
    static func examples(_ features: RankerFeatures, labels: [RankerHoldout.Label], threads: Int)
        -> (RankingExamples, recall: Double, candidates: Double) {
        // Streamed in time order; only the groups with a labelled candidate are kept, then
        // appended in user order.
        var kept: [(label: Int, rows: [Float], grades: [Float])] = []
        var hits = 0, held = 0, candidates = 0
        features.forEachCandidates(for: labels.map { .init(user: Int($0.user), time: $0.time) }, filter: .excludingHistory, threads: threads) {
            k, items, rows in
            let label = labels[k]
            held += label.items.count
            let grade = Dictionary(zip(label.items, label.grades), uniquingKeysWith: { a, _ in a })
            let grades = items.map { grade[$0] ?? 0 }
            let found = grades.count(where: { $0 > 0 })
            candidates += items.count
            hits += found
            if found > 0 { kept.append((k, rows, grades)) }
        }
        var examples = RankingExamples(featureNames: features.names)
        for group in kept.sorted(by: { $0.label < $1.label }) {
            examples.append(features: group.rows, labels: group.grades, margins: features.margins(group.rows))
        }
        return (examples, Double(hits) / Double(max(1, held)), Double(candidates) / Double(max(1, labels.count)))
    }
}
