import ArgumentParser
import Foundation
import TacitCore
import TacitEvaluation
import TacitModels

struct TuneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tune",
        abstract: "Search a model's documented parameter space on validation data, or several models' within a budget.",
        discussion: HelpText.format("""
        Trains on --train (repeatable) and ranks for the users of --valid, trying --trials
        assignments: the defaults first, then random samples of each parameter's search range
        (`tacit models` lists them), then refinements of the best. Parameters given with --param
        are held fixed. The best parameters print as --param flags that pass straight to
        `tacit evaluate`, `tacit recommend` and `tacit train`.

        With --models a,b,c (or --auto) it searches several models within --budget (seconds, or \
        5m, 1h) and/or --trials in all: every model gets its defaults and then samples of its \
        ranges until it has had 6 trials; after that the trials go to the models whose best is \
        within 90% of the leader's, fewest trials first. It prints each trial and a leaderboard, \
        and the winner as --model and --param flags. --auto searches als, bpr, ease (up to \
        20,000 items), itemknn, popular, content and hybrid with --items, and sasrec last (its \
        trials are the slowest), within \
        5 minutes unless --budget says otherwise. With several models, fix a parameter as \
        --param model.key=value.

        With --candidates, every trial ranks only the candidates (new items from their attributes,
        as `tacit evaluate --candidates` does): tune on the valid.csv and valid-candidates.csv of
        `tacit split --protocol cold-items`.

        Examples:
          tacit tune --train train.csv --valid valid.csv --model itemknn --trials 40 --json tune.json
          tacit tune --train train.csv --valid valid.csv --auto --budget 10m
        """)
    )

    @Option(help: "Training events (repeatable).")
    var train: [String]
    @Option(help: "Validation events.")
    var valid: String
    @Option(help: "The model to tune (see `tacit models`).")
    var model: String?
    @Option(help: "Several models to search together, comma-separated (see `tacit models`).")
    var models: String?
    @Flag(help: "Search the models that fit the data (see above) within --budget (default 5m).")
    var auto = false
    @Option(help: "Number of parameter assignments to try (with several models: in all; default 20 with one model).")
    var trials: Int?
    @Option(help: "Time budget of a several-model search: seconds, or a number with s, m or h (e.g. 300, 5m).")
    var budget: String?
    @Option(help: "The metric to maximise, e.g. NDCG@10, HR@10, Recall@20.")
    var metric: String = "NDCG@10"
    @Option(name: .customLong("param"), help: ArgumentHelp("Hold a parameter fixed, key=value (repeatable).", valueName: "key=value"))
    var parameters: [String] = []
    @Option(help: "Seed of the search.")
    var seed: UInt64 = 42
    @Option(help: "Write the best and all trials as JSON to this file.")
    var json: String?
    @OptionGroup var input: InputOptions
    @OptionGroup var catalog: CatalogOptions
    @OptionGroup var candidates: CandidateOptions
    @OptionGroup var weighting: WeightingOptions
    @OptionGroup var threading: ThreadOptions

    func validate() throws {
        guard ArgumentChecks.enabled else { return }
        if let trials, trials < 1 { throw ValidationError("--trials must be at least 1") }
        guard !train.isEmpty else { throw ValidationError("give at least one --train file") }
        let choices = (model == nil ? 0 : 1) + (models == nil ? 0 : 1) + (auto ? 1 : 0)
        guard choices == 1 else { throw ValidationError("give exactly one of --model, --models and --auto") }
        if let budget {
            guard model == nil else { throw ValidationError("--budget applies to --models and --auto; with --model, use --trials") }
            _ = try Self.seconds(budget)
        }
    }

    /// `300`, `300s`, `5m`, `1.5h` in seconds; anything else (or not > 0) is refused naming --budget.
    static func seconds(_ text: String) throws -> Double {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600]
        let unit = text.last.flatMap { units[$0] }
        let number = unit == nil ? text : String(text.dropLast())
        guard let value = Double(number), value > 0, value.isFinite, value * (unit ?? 1) <= 30 * 86_400 else {
            throw ValidationError("--budget '\(text)' must be a positive number of seconds, or a number with s, m or h, up to 30 days")
        }
        return value * (unit ?? 1)
    }

    func run() async throws {
        threading.apply()
        guard let model else { return try await search() }
        let trials = self.trials ?? 20
        let descriptor = try ModelCatalog.descriptor(named: model)
        let target = try Metric(parsing: metric)
        let fixedParameters = try descriptor.parameters(from: parameters)
        let fixedNames = Set(parameters.compactMap { $0.split(separator: "=").first.map(String.init) })
        let fixed = fixedParameters.values.filter { fixedNames.contains($0.key) }
        let trainLog = try input.read(train)
        let configured = try weighting.policy()
        let policy = configured.resolved(for: trainLog)
        let training = try policy.matrix(from: trainLog)
        Console.error(configured.summary(for: trainLog))
        let evaluator = Evaluator(cutoffs: [target.cutoff, 10, 20], threads: threading.threads)
        let (validation, run) = try validationRun(training: training, policy: policy, evaluator: evaluator)
        let tuner = Tuner(trials: trials, metric: target, seed: seed, fixed: fixed)
        let name = target.description
        let started = Date()
        let total = trials
        let observe = { (index: Int) -> any TrainingObserver in
            ConsoleObserver(model: "\(descriptor.name) trial \(index + 1)/\(total)", unit: ConsoleObserver.unit(of: descriptor.name), verbose: false)
        }
        let result = try await tuner.tune(descriptor, training: training, validation: validation, run: run, observer: observe) { index, trial in
            let parameters = trial.parameters.sortedPairs.map { "\($0.0)=\($0.1)" }.joined(separator: " ")
            let elapsed = Date().timeIntervalSince(started)
            let left = index + 1 < total ? ", about \(ProgressTask.duration(elapsed / Double(index + 1) * Double(total - index - 1))) left" : ""
            let head = String(format: "trial %3d/%d", index + 1, total)
            ProgressDisplay.shared.clear()
            if let error = trial.error {
                Console.error("\(head)  failed: \(error)  \(parameters)\(left)")
            } else {
                Console.error("\(head)  \(name) \(String(format: "%.5f", trial.metrics[name] ?? 0))  fit \(String(format: "%.2f", trial.fitSeconds))s  \(parameters)\(left)")
            }
        }
        let best = result.best
        print("best \(name) = \(Console.format(best.metrics[name] ?? 0)) over \(result.trials.count) trials")
        print(best.parameters.sortedPairs.map { "--param \($0.0)=\($0.1)" }.joined(separator: " "))
        if let json { try Console.writeJSON(TuningJSON(result), to: json) }
    }

    /// The validation users and the pipeline every trial runs: ranking every item, or only
    /// `--candidates`.
    func validationRun(training: InteractionMatrix, policy: WeightingPolicy, evaluator: Evaluator) throws -> (TestSet, ModelRun) {
        let side = try catalog.side()
        let validLog = try input.read([valid])
        var run = ModelRun(weighting: policy, evaluator: evaluator, threads: threading.threads, side: side)
        run.candidates = try candidates.set(training: training, side: side)
        let validation = run.candidates.map { TestSet(test: validLog, training: training, candidates: $0) } ?? TestSet(test: validLog, training: training)
        if run.candidates != nil { Console.error("validation: \(validation.users.count) users with a relevant candidate") }
        return (validation, run)
    }
}

/// `{"best": {"parameters": {...}, "metrics": {...}}, "trials": [...]}`.
struct TuningJSON: Encodable {
    struct Trial: Encodable {
        let parameters: [String: ParameterValue]
        let metrics: [String: Double]
        let fitSeconds: Double
        enum CodingKeys: String, CodingKey { case parameters, metrics, fitSeconds = "fit_seconds" }
        init(_ trial: TuningTrial) {
            parameters = trial.parameters.values
            metrics = trial.metrics
            fitSeconds = trial.fitSeconds
        }
    }
    let best: Trial
    let trials: [Trial]
    init(_ result: TuningResult) {
        best = Trial(result.best)
        trials = result.trials.map(Trial.init)
    }
}
