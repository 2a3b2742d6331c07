import Foundation
import TacitCore
import TacitModels

/// One model fitted on training events and scored on test events: what `tacit evaluate` prints.
public struct EvaluationResult: Sendable {
    public var model: String
    public var parameters: Parameters
    public var fitSeconds: Double
    public var evaluateSeconds: Double
    public var report: MetricReport
    /// Why the model was not evaluated (its report is then empty): a model that cannot rank new
    /// users at all, under `--new-users`.
    public var note: String?
    /// What the report leaves out although the model was evaluated: candidates outside its
    /// training data that a model without a cold-item path never ranked.
    public var warning: String?
    /// For a two-stage model (`ranker`), the same candidates in other orders, evaluated alike:
    /// each source alone, the fixed-weight blend, a random order.
    public var breakdown: [(name: String, report: MetricReport)] = []
    /// For a two-stage model, what its fit measured: candidate recall and mean candidates on its
    /// held-out events, and each feature's share of the trees' total gain (`gain.<feature>`).
    public var details: [String: Double] = [:]

    public init(model: String, parameters: Parameters, fitSeconds: Double, evaluateSeconds: Double, report: MetricReport, note: String? = nil) {
        self.model = model
        self.parameters = parameters
        self.fitSeconds = fitSeconds
        self.evaluateSeconds = evaluateSeconds
        self.report = report
        self.note = note
    }
}

/// `tacit evaluate --allow-repeats`: a test set that lets previously consumed items count, and
/// the "buy it again" ranking learned from the training events.
public struct RepeatEvaluation: Sendable {
    /// The test set built with `allowRepeats`.
    public var testSet: TestSet
    /// The user's own items, ranked by their repurchase pattern.
    public var recommender: RepeatRecommender
    /// The repeat list's weight in the blend (the model's is 1).
    public var weight: Double

    /// Seconds taken to learn ``recommender`` (the `repeat` row's fit time).
    public var buildSeconds: Double

    public init(testSet: TestSet, recommender: RepeatRecommender, weight: Double = 1, buildSeconds: Double = 0) {
        self.testSet = testSet
        self.recommender = recommender
        self.weight = weight
        self.buildSeconds = buildSeconds
    }

    /// The test set of `test` that lets repeats count, and the repeat ranking learned from
    /// `training` with `kinds` as consumption (timed).
    public init(test: EventLog, training: InteractionMatrix, kinds: Set<EventKind>, weight: Double) {
        let start = DispatchTime.now()
        let recommender = RepeatRecommender(training: training, kinds: kinds)
        self.init(testSet: TestSet(test: test, training: training, allowRepeats: true), recommender: recommender, weight: weight,
                  buildSeconds: ModelRun.seconds(since: start))
    }

    /// The name of the repeat list's own result.
    public static let row = "repeat"

    /// The names of the rows a model gets.
    public static let allowedRow = "repeats allowed", blendedRow = "+ repeat"

    /// The model free to list the user's own items, and the model blended with the repeat list
    /// as a scene blends them (each list cut at 4 × the deepest cutoff, as a scene's default).
    func evaluate(_ model: any Recommender, evaluator: Evaluator) -> [(name: String, report: MetricReport)] {
        let blend = RepeatBlend(base: model, repeats: recommender, weight: weight, limit: 4 * (evaluator.cutoffs.last ?? 10))
        return [(Self.allowedRow, evaluator.evaluate(model, on: testSet, filter: .none)),
                (Self.blendedRow, evaluator.evaluate(blend, on: testSet))]
    }

    /// The repeat list alone, as the result named ``row``.
    public func evaluateAlone(evaluator: Evaluator) -> EvaluationResult {
        let start = DispatchTime.now()
        let report = evaluator.evaluate(recommender, on: testSet, filter: .none)
        return EvaluationResult(model: Self.row, parameters: Parameters(), fitSeconds: buildSeconds,
                                evaluateSeconds: ModelRun.seconds(since: start), report: report)
    }
}

/// The shared pipeline of `evaluate`, `tune` and the benchmarks: weight the training events,
/// fit a model, evaluate it with full ranking.
public struct ModelRun: Sendable {
    public var weighting: WeightingPolicy
    public var evaluator: Evaluator
    public var threads: Int
    /// Item and user metadata handed to feature-aware models.
    public var side: SideInformation
    /// Logged impressions handed to a learned ranker (its lists are trained on them once enough
    /// are logged); weighted by ``weighting``.
    public var shownLists: [ShownList]
    /// Every logged impression and attributed action (a learned ranker's click-through features).
    public var exposures: ItemExposures
    /// How a fitted inner-product model retrieves (exactly, or through its index); nil: as fitted.
    public var retrieval: RetrievalSettings?
    /// The items ranked when ``run(_:parameters:training:testSet:candidates:observer:)`` is given
    /// none (`tune --candidates`: every trial ranks them); nil: every item.
    public var candidates: CandidateSet?
    /// `--allow-repeats`: each model is also evaluated on a test set whose relevant items may be
    /// repeats, alone and blended with "buy it again" (rows of its ``EvaluationResult/breakdown``).
    public var repeats: RepeatEvaluation?

    public init(weighting: WeightingPolicy = .init(), evaluator: Evaluator = .init(), threads: Int = Parallel.defaultThreads,
                side: SideInformation = .none, shownLists: [ShownList] = [], exposures: ItemExposures = ItemExposures()) {
        self.weighting = weighting
        self.evaluator = evaluator
        self.threads = threads
        self.side = side
        self.shownLists = shownLists
        self.exposures = exposures
    }

    /// Fits `descriptor` with `parameters` on `training`.
    public func fit(_ descriptor: ModelDescriptor, parameters: Parameters, training: InteractionMatrix,
                    observer: any TrainingObserver = SilentObserver()) async throws -> (any Recommender, Double) {
        let impressions = shownLists.isEmpty && exposures.isEmpty ? nil : LoggedImpressions(lists: shownLists, weighting: weighting, exposures: exposures)
        let trainer = try descriptor.trainer(parameters, options: TrainingOptions(threads: threads, side: side, impressions: impressions))
        let start = DispatchTime.now()
        let model = try await trainer.fit(training, observer: observer)
        let seconds = Self.seconds(since: start)
        return (retrieval.map { $0.prepare(model) } ?? model, seconds)
    }

    /// Fits and evaluates on a prepared training matrix and test set, ranking every item or only
    /// `candidates` (default: ``candidates``; the test set must then be built with them).
    public func run(_ descriptor: ModelDescriptor, parameters: Parameters, training: InteractionMatrix,
                    testSet: TestSet, candidates: CandidateSet? = nil,
                    observer: any TrainingObserver = SilentObserver()) async throws -> EvaluationResult {
        let candidates = candidates ?? self.candidates
        let (model, fitSeconds) = try await fit(descriptor, parameters: parameters, training: training, observer: observer)
        let start = DispatchTime.now()
        let report = evaluator.evaluate(model, on: testSet, candidates: candidates)
        var result = EvaluationResult(model: descriptor.name, parameters: parameters, fitSeconds: fitSeconds,
                                      evaluateSeconds: Self.seconds(since: start), report: report)
        if let candidates, !candidates.scoresColdItems(model) {
            result.warning = "\(descriptor.name) has no cold-item path: the \(candidates.coldPositions.count) candidates outside its training data were never ranked"
        }
        if let ranker = model as? RankerModel {
            result.breakdown = ranker.baselines.map { ($0.name, evaluator.evaluate(ranker.reordered($0.ordering), on: testSet, candidates: candidates)) }
            result.details = Self.details(of: ranker.summary)
        }
        if let repeats, candidates == nil {
            result.breakdown += repeats.evaluate(model, evaluator: evaluator)
        }
        return result
    }

    /// A ranker's fit summary as named numbers (gains as shares of the total).
    static func details(of summary: RankerModel.Summary) -> [String: Double] {
        var values = ["candidate_recall": summary.candidateRecall, "mean_candidates": summary.meanCandidates,
                      "labeled_users": Double(summary.labeledUsers), "shown_lists": Double(summary.shownLists),
                      "exposures": Double(summary.exposures), "actions": Double(summary.actions)]
        let total = summary.gains.values.reduce(0, +)
        for (name, gain) in summary.gains { values["gain.\(name)"] = total > 0 ? gain / total : 0 }
        return values
    }

    /// Fits on `training` and evaluates on the test users absent from it, ranked from their
    /// attributes (``Evaluator/evaluate(_:newUsers:)``). A model that cannot rank them at all gets
    /// an empty report and a ``EvaluationResult/note`` saying so.
    public func runNewUsers(_ descriptor: ModelDescriptor, parameters: Parameters, training: InteractionMatrix, newUsers: NewUserTestSet,
                            observer: any TrainingObserver = SilentObserver()) async throws -> EvaluationResult {
        let (model, fitSeconds) = try await fit(descriptor, parameters: parameters, training: training, observer: observer)
        let start = DispatchTime.now()
        let report = evaluator.evaluate(model, newUsers: newUsers)
        return EvaluationResult(model: descriptor.name, parameters: parameters, fitSeconds: fitSeconds, evaluateSeconds: Self.seconds(since: start),
                                report: report ?? MetricReport(values: [:], users: 0, skippedUsers: newUsers.knownUsers),
                                note: report == nil ? Self.cannotRankNewUsers : nil)
    }

    /// The note of a model that cannot rank users without training data.
    public static let cannotRankNewUsers = "cannot rank new users (it needs a history; no user-attribute or popularity ranking)"

    static func seconds(since start: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    }
}
