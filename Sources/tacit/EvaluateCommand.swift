import ArgumentParser
import Foundation
import TacitCore
import TacitEvaluation
import TacitModels

extension SplitProtocol: ExpressibleByArgument {}

struct EvaluateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Fit models and evaluate them with full ranking (EVALUATION.md).",
        discussion: HelpText.format("""
        Either give training and test files (--train, repeatable, and --test), or one --data file
        that is split with --protocol (loo, temporal, random or cold-items). Every item is ranked for every
        test user; the user's training items are excluded. With several items per user in the
        test file, a user's relevant set is their test items not in their training data, and test
        users without training data are skipped. With --candidates, only the candidates are
        ranked, a user's relevant set is their test items among the candidates, and users with
        none are left out. A candidate outside the training data is scored from its attributes
        (--items) by content, hybrid and twotower; a model without that path never ranks it, and
        its row says so. --protocol cold-items withholds 15% of the items with at least 5 events
        (seeded by --seed) and ranks only them: item cold start (see `tacit split`).

        With --new-users, only the test users that have no training data are evaluated (user
        cold start): each is ranked from their attributes in --users alone, with all their test
        items relevant. twotower trained with --users embeds the attributes with its query
        tower; popular ranks everyone alike; a model that needs a history (als, ease, itemknn,
        ...) cannot rank a new user at all and is reported as such.

        Progress (epochs, users evaluated, rate, time left) goes to standard error: a status line
        on a terminal, plain lines every 10 s otherwise (TACIT_PROGRESS=off|lines|terminal,
        TACIT_PROGRESS_INTERVAL=seconds). Each model's row is printed, and --json and --report
        rewritten, as soon as it finishes; Ctrl-C keeps every finished model.

        Examples:
          tacit evaluate --train train.csv --train valid.csv --test test.csv --model itemknn --param neighbors=50
          tacit evaluate --data ratings.csv --protocol temporal --models popular,itemknn --json out.json --report report.html
          tacit evaluate --train train.csv --test test.csv --models content,twotower --items items.csv --candidates new-items.csv
          tacit evaluate --train train.csv --test new-users.csv --models popular,twotower --users users.csv --new-users
        """)
    )

    @Option(help: "Training events (repeatable; files are concatenated in order).")
    var train: [String] = []
    @Option(help: "Test events.")
    var test: String?
    @Option(help: "All events, split internally with --protocol.")
    var data: String?
    @Option(name: .customLong("protocol"), help: "Split protocol for --data: loo, temporal, random or cold-items.")
    var splitProtocol: SplitProtocol = .loo
    @Option(help: "Seed for the random and cold-items protocols.")
    var seed: UInt64 = 42
    @Option(help: "The model to evaluate (see `tacit models`).")
    var model: String?
    @Option(help: "Comma-separated models to compare in one table.")
    var models: String?
    @Option(name: .customLong("param"), help: ArgumentHelp(
        "A model parameter, key=value (repeatable). With several models, write model.key=value.", valueName: "key=value"))
    var parameters: [String] = []
    @Option(help: "The main cutoff K (metrics are also reported at 10 and 20).")
    var k: Int = 10
    @Option(help: "Write the results as JSON to this file (rewritten as each model finishes).")
    var json: String?
    @Option(help: "Write a self-contained HTML report to this file: the metrics table, bar charts per metric, metric@K curves, fit times, the protocol and the data (rewritten as each model finishes).")
    var report: String?
    @Flag(help: "Print training progress.")
    var verbose = false
    @Flag(help: "Evaluate only the test users without training data, ranked from their attributes (--users): user cold start.")
    var newUsers = false
    @Flag(help: "Also let previously consumed items count: each model is evaluated again on test items that may be in the user's training history (free to list them), and blended with \"buy it again\" (the repeat source); a `repeat` row ranks the user's own items alone.")
    var allowRepeats = false
    @Option(help: "With --allow-repeats: the repeat list's weight in the blend (the model's is 1), as a scene's source weight.")
    var repeatWeight: Double = 1
    @Option(help: "With --allow-repeats: the event kinds that count as consuming an item for the repeat list (comma-separated; default purchase,interaction). Add view to rank re-visits too.")
    var repeatKinds: String?
    @OptionGroup var input: InputOptions
    @OptionGroup var catalog: CatalogOptions
    @OptionGroup var candidates: CandidateOptions
    @OptionGroup var weighting: WeightingOptions
    @OptionGroup var threading: ThreadOptions
    @OptionGroup var retrieval: RetrievalOptions

    func validate() throws {
        guard ArgumentChecks.enabled else { return }
        if data == nil && (train.isEmpty || test == nil) { throw ValidationError("give --train and --test, or --data with --protocol") }
        if data != nil && (!train.isEmpty || test != nil) { throw ValidationError("--data cannot be combined with --train/--test") }
        if model == nil && models == nil { throw ValidationError("name a --model (or --models a,b,...); valid: \(ModelCatalog.names.joined(separator: ", "))") }
        guard k >= 1 else { throw ValidationError("--k must be at least 1") }
        if newUsers && candidates.candidates != nil { throw ValidationError("--new-users cannot be combined with --candidates") }
        if allowRepeats && (newUsers || candidates.candidates != nil || (data != nil && splitProtocol == .coldItems)) {
            throw ValidationError("--allow-repeats cannot be combined with --new-users, --candidates or --protocol cold-items (their test items are never in the user's history)")
        }
        guard repeatWeight.isFinite, repeatWeight > 0 else { throw ValidationError("--repeat-weight must be > 0, got \(repeatWeight)") }
        _ = try consumptionKinds()
        if newUsers && data != nil && splitProtocol == .coldItems {
            throw ValidationError("--new-users cannot be combined with --protocol cold-items (it ranks the withheld items for known users)")
        }
    }

    func run() async throws {
        threading.apply()
        let names = (models.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } } ?? []) + (model.map { [$0] } ?? [])
        let descriptors = try names.map { name throws(TacitError) in try ModelCatalog.descriptor(named: name) }
        let assignments = try ParameterAssignments.split(parameters, models: descriptors.map(\.name))
        let resolved = try descriptors.map { d throws(TacitError) in try d.parameters(from: assignments[d.name] ?? []) }

        let (trainLog, testLog, withheld) = try loadSplit()
        let configured = try weighting.policy()
        let policy = configured.resolved(for: trainLog)
        let training = try policy.matrix(from: trainLog)
        Console.error(configured.summary(for: trainLog))
        let side = try catalog.side()
        let categories = catalog.items == nil ? nil : side.items.compactMapValues(\.category)
        let cutoffs = [k, 10, 20] + (report == nil ? [] : EvaluationReport.curveCutoffs)
        let evaluator = Evaluator(cutoffs: cutoffs, threads: threading.threads, itemCategories: categories)
        var run = ModelRun(weighting: policy, evaluator: evaluator, threads: threading.threads, side: side)
        run.retrieval = try retrieval.settings()
        let candidateSet = try candidates.set(training: training, side: side)
            ?? withheld.map { CandidateOptions.set($0.map { ItemRecord(id: $0) }, from: "the items cold-items withheld", training: training, side: side) }
        let testSet = candidateSet.map { TestSet(test: testLog, training: training, candidates: $0) } ?? TestSet(test: testLog, training: training)
        let newUserSet = newUsers ? NewUserTestSet(test: testLog, training: training, side: side) : nil
        let repeats = allowRepeats ? RepeatEvaluation(test: testLog, training: training, kinds: try consumptionKinds(), weight: repeatWeight) : nil
        run.repeats = repeats
        let summary = EvaluationReport.DataSummary(
            source: data.map { "\($0), split with --protocol \(splitProtocol.rawValue)" + (splitProtocol == .coldItems || splitProtocol == .random ? " --seed \(seed)" : "") } ?? "train: \(train.joined(separator: ", ")); test: \(test ?? "")",
            trainingEvents: trainLog.count, users: training.userCount, items: training.itemCount, interactions: training.nnz,
            testUsers: newUserSet?.count ?? testSet.users.count, skippedUsers: newUserSet == nil ? testSet.skippedUsers : 0,
            repeatOnlyUsers: newUserSet == nil ? testSet.repeatOnlyUsers : 0, unrankableItems: newUserSet == nil ? testSet.unrankableItems : 0)
        if let newUserSet {
            Console.error("training: \(training.userCount) users, \(training.itemCount) items, \(training.nnz) interactions; test: \(newUserSet.count) new users"
                          + " (\(newUserSet.usersWithAttributes) with a --users record), \(newUserSet.knownUsers) test users with training data left out")
        } else {
            Console.error("training: \(training.userCount) users, \(training.itemCount) items, \(training.nnz) interactions; test: \(testSet.users.count) users"
                          + (candidateSet == nil ? "" : " with a relevant candidate"))
            for line in ResultTable.coverageNotes(summary) { Console.error(line) }
        }

        // Each model's row, JSON and report are written the moment it finishes, so an
        // interrupted run keeps every finished model.
        let finished = FinishedWork()
        let interruption = Interruption { [names] in
            let done = finished.names
            let kept = [json, report].compactMap { $0 }
            return "\(done.count) of \(names.count) models finished (\(done.joined(separator: ", ")))"
                + (kept.isEmpty ? "" : "; their results are in \(kept.joined(separator: " and "))")
        }
        let rows = names + (repeats == nil ? [] : [RepeatEvaluation.row])
        let table = ResultTable(models: rows, cutoff: k, diversity: categories != nil, repeats: repeats != nil)
        ProgressDisplay.shared.permanent(table.header)
        var results: [EvaluationResult] = []
        for (descriptor, parameters) in zip(descriptors, resolved) {
            let observer = ConsoleObserver(model: descriptor.name, verbose: verbose)
            let evaluation = ProgressTask(descriptor.name, unit: "user")
            var modelRun = run
            modelRun.evaluator.progress = { done, total in evaluation.update(done, of: total, detail: "evaluating") }
            let result = if let newUserSet {
                try await modelRun.runNewUsers(descriptor, parameters: parameters, training: training, newUsers: newUserSet, observer: observer)
            } else {
                try await modelRun.run(descriptor, parameters: parameters, training: training, testSet: testSet,
                                       candidates: candidateSet, observer: observer)
            }
            observer.finish()
            evaluation.finish()
            results.append(result)
            try write(results, pending: Array(rows.dropFirst(results.count)), summary: summary)
            finished.add(descriptor.name)
            ProgressDisplay.shared.permanent(table.row(result))
            for line in table.breakdown(result) { ProgressDisplay.shared.permanent(line) }
        }
        if let repeats {
            // The user's own items alone, on the test set that lets repeats count.
            let result = repeats.evaluateAlone(evaluator: evaluator)
            results.append(result)
            try write(results, pending: [], summary: summary)
            ProgressDisplay.shared.permanent(table.row(result))
            ProgressDisplay.shared.permanent("  (rows marked · and `repeat`: \(repeats.testSet.users.count) users, test items already in their history count;"
                                             + " `+ repeat` blends the model's new items with the repeat list, weight \(Console.format(repeats.weight)))")
        }
        if let first = results.first {
            ProgressDisplay.shared.permanent(newUserSet.map { ResultTable.footer(newUsers: $0) } ?? ResultTable.footer(first, summary: summary))
        }
        withExtendedLifetime(interruption) {}
    }

    /// The kinds of `--repeat-kinds`.
    private func consumptionKinds() throws -> Set<EventKind> {
        guard let repeatKinds else { return RepeatConsumption.defaultKinds }
        let names = repeatKinds.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard !names.contains(where: \.isEmpty) else { throw ValidationError("--repeat-kinds: an empty kind name in '\(repeatKinds)'") }
        return Set(names.map { EventKind($0) })
    }

    /// What a result's JSON says of the data: the `repeat` row lets repeats count, so no user of
    /// it was left out as repeat-only.
    private func jsonSummary(of result: EvaluationResult, _ summary: EvaluationReport.DataSummary) -> EvaluationReport.DataSummary {
        guard allowRepeats, result.model == RepeatEvaluation.row else { return summary }
        var adjusted = summary
        adjusted.repeatOnlyUsers = 0
        return adjusted
    }

    /// Writes the JSON and the HTML report of the models finished so far.
    private func write(_ results: [EvaluationResult], pending: [String], summary: EvaluationReport.DataSummary) throws {
        if let json {
            if results.count == 1 && pending.isEmpty && data == nil {
                try Console.writeJSON(EvaluationJSON(results[0], summary: summary), to: json)
            } else {
                try Console.writeJSON(ComparisonJSON(protocolName: data == nil ? nil : splitProtocol.rawValue,
                                                     results: results.map { EvaluationJSON($0, summary: jsonSummary(of: $0, summary)) },
                                                     pending: pending.isEmpty ? nil : pending), to: json)
            }
        }
        if let report {
            let page = EvaluationReport(results: results, pending: pending, cutoff: k, data: summary,
                                        protocolName: (data == nil ? "given train and test files" : splitProtocol.rawValue)
                                            + (candidates.candidates.map { "; ranking only the candidates of \($0)" } ?? "")
                                            + (newUsers ? "; only test users without training data, ranked from their attributes (--new-users)" : ""))
            try page.html().write(toFile: report, atomically: true, encoding: .utf8)
        }
    }

    /// Training and test events; with `--protocol cold-items`, also the withheld items (ranked
    /// as the candidates unless `--candidates` is given).
    private func loadSplit() throws -> (EventLog, EventLog, [ItemID]?) {
        if let data {
            let log = try input.read([data])
            if splitProtocol == .coldItems {
                let cold = ColdItemsSplit(seed: seed).split(log)
                guard !cold.testItems.isEmpty else {
                    throw ValidationError("--protocol cold-items: no item of \(data) has the \(ColdItemsSplit().minimumEvents) events needed to be withheld")
                }
                var train = cold.split.train
                if let validation = cold.split.validation { train.append(contentsOf: validation) }
                return (train, cold.split.test, cold.testItems)
            }
            let split = splitProtocol.split(log, seed: seed)
            var train = split.train
            if let validation = split.validation { train.append(contentsOf: validation) }
            return (train, split.test, nil)
        }
        return (try input.read(train), try input.read([test!]), nil)
    }
}

/// Routes `--param` assignments to models: plain `key=value` with one model, `model.key=value` with several.
enum ParameterAssignments {
    static func split(_ assignments: [String], models: [String]) throws(TacitError) -> [String: [String]] {
        var result: [String: [String]] = [:]
        for assignment in assignments {
            let key = assignment.split(separator: "=", maxSplits: 1).first.map(String.init) ?? assignment
            if let dot = key.firstIndex(of: "."), models.contains(String(key[..<dot])) {
                result[String(key[..<dot]), default: []].append(String(assignment[assignment.index(after: dot)...]))
            } else if models.count == 1 {
                result[models[0], default: []].append(assignment)
            } else {
                throw .invalidArgument("with several models, write --param model.key=value (got '\(assignment)')")
            }
        }
        return result
    }
}
