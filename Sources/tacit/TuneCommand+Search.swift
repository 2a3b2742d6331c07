import ArgumentParser
import Foundation
import TacitCore
import TacitEvaluation
import TacitModels

extension TuneCommand {
    /// `--models` / `--auto`: a ``ModelSearch`` within the budget, each trial printed as it ends,
    /// then the leaderboard and the winner's flags.
    func search() async throws {
        let trainLog = try input.read(train)
        let configured = try weighting.policy()
        let policy = configured.resolved(for: trainLog)
        let training = try policy.matrix(from: trainLog)
        Console.error(configured.summary(for: trainLog))
        let names = auto ? ModelSearch.automaticModels(items: training.itemCount, hasItemFeatures: catalog.items != nil)
            : (models ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let descriptors = try names.map { name throws(TacitError) in try ModelCatalog.descriptor(named: name) }
        let assignments = try ParameterAssignments.split(parameters, models: descriptors.map(\.name))
        var fixed: [String: [String: ParameterValue]] = [:]
        for descriptor in descriptors {
            let given = assignments[descriptor.name] ?? []
            let keys = Set(given.compactMap { $0.split(separator: "=").first.map(String.init) })
            fixed[descriptor.name] = try descriptor.parameters(from: given).values.filter { keys.contains($0.key) }
        }
        let target = try Metric(parsing: metric)
        let seconds = try budget.map(Self.seconds) ?? (auto && trials == nil ? 300 : nil)
        let search = ModelSearch(models: descriptors, metric: target, seed: seed,
                                 budget: .init(seconds: seconds, trials: trials ?? (seconds == nil ? 20 : nil)), fixed: fixed)
        try search.validate()
        let evaluator = Evaluator(cutoffs: [target.cutoff, 10, 20], threads: threading.threads)
        let (validation, run) = try validationRun(training: training, policy: policy, evaluator: evaluator)
        let name = target.description
        let limit = [seconds.map { "\(ProgressTask.duration($0))" }, search.budget.trials.map { "\($0) trials" }].compactMap { $0 }
        Console.error("searching \(descriptors.map(\.name).joined(separator: ", ")) on \(validation.users.count) validation users within "
                      + limit.joined(separator: " and "))
        let started = Date()
        let counter = TrialCounter()
        let trials = try await search.run(training: training, validation: validation, run: run, observer: { model, index in
            ConsoleObserver(model: "\(model) trial \(index + 1)", unit: ConsoleObserver.unit(of: model), verbose: false)
        }, progress: { trial in
            let number = counter.next()
            let parameters = trial.parameters.sortedPairs.map { "\($0.0)=\($0.1)" }.joined(separator: " ")
            let head = String(format: "trial %3d  %5.0fs  ", number, Date().timeIntervalSince(started)) + trial.model.padded(to: 8)
            ProgressDisplay.shared.clear()
            if let error = trial.error {
                Console.error("\(head)  failed: \(error)  \(parameters)")
            } else {
                Console.error("\(head)  \(name) \(String(format: "%.5f", trial.metrics[name] ?? 0))  fit \(String(format: "%.2f", trial.fitSeconds))s  \(parameters)")
            }
        })
        let board = Leaderboard(trials, models: descriptors.map(\.name), metric: name)
        print(board.table)
        guard let best = search.best(of: trials) else { return }
        print("best \(name) = \(Console.format(best.metrics[name] ?? 0)) over \(trials.count) trials in \(ProgressTask.duration(Date().timeIntervalSince(started))): \(best.model)")
        print((["--model \(best.model)"] + best.parameters.sortedPairs.map { "--param \($0.0)=\($0.1)" }).joined(separator: " "))
        if let json { try Console.writeJSON(SearchJSON(best: best, leaderboard: board.rows, trials: trials), to: json) }
    }
}

/// Numbers the trials as they end (the progress callback is `@Sendable`).
private final class TrialCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func next() -> Int { lock.withLock { count += 1; return count } }
}

/// Each model's best trial, trial count and mean fit time, best first.
struct Leaderboard {
    struct Row: Encodable {
        let model: String
        let best: Double?
        let trials: Int
        let failed: Int
        let meanFitSeconds: Double
        let parameters: [String: ParameterValue]?
        enum CodingKeys: String, CodingKey { case model, best, trials, failed, meanFitSeconds = "mean_fit_seconds", parameters }
    }
    let rows: [Row]
    let metric: String

    init(_ trials: [SearchTrial], models: [String], metric: String) {
        self.metric = metric
        rows = models.map { model in
            let mine = trials.filter { $0.model == model }
            let ok = mine.filter { $0.error == nil }
            let best = SearchTrial.best(of: mine, by: metric)
            return Row(model: model, best: best.map { $0.metrics[metric] ?? 0 }, trials: mine.count, failed: mine.count - ok.count,
                       meanFitSeconds: ok.isEmpty ? 0 : ok.map(\.fitSeconds).reduce(0, +) / Double(ok.count), parameters: best?.parameters.values)
        }.sorted { ($0.best ?? -1) > ($1.best ?? -1) }
    }

    var table: String {
        var lines = ["rank  model      best \(metric)  trials  mean fit"]
        for (rank, row) in rows.enumerated() {
            let best = row.best.map { String(format: "%.4f", $0) } ?? "-"
            lines.append(String(format: "%4d  ", rank + 1) + row.model.padded(to: 9) + "  " + best.padded(to: 5 + metric.count)
                         + String(format: "  %6d  %7.2fs", row.trials, row.meanFitSeconds) + (row.failed > 0 ? "  (\(row.failed) failed)" : ""))
        }
        return lines.joined(separator: "\n")
    }
}

/// `{"best": {"model", "parameters", "metrics", ...}, "leaderboard": [...], "trials": [...]}`.
struct SearchJSON: Encodable {
    struct Trial: Encodable {
        let model: String
        let parameters: [String: ParameterValue]
        let metrics: [String: Double]
        let fitSeconds: Double
        let error: String?
        enum CodingKeys: String, CodingKey { case model, parameters, metrics, fitSeconds = "fit_seconds", error }
        init(_ trial: SearchTrial) {
            model = trial.model
            parameters = trial.parameters.values
            metrics = trial.metrics
            fitSeconds = trial.fitSeconds
            error = trial.error
        }
    }
    let best: Trial
    let leaderboard: [Leaderboard.Row]
    let trials: [Trial]

    init(best: SearchTrial, leaderboard: [Leaderboard.Row], trials: [SearchTrial]) {
        self.best = Trial(best)
        self.leaderboard = leaderboard
        self.trials = trials.map(Trial.init)
    }
}

private extension String {
    /// The string followed by spaces up to `width` characters (longer strings stay whole).
    func padded(to width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
}
