import ArgumentParser
import Foundation
import TacitCore
import TacitEvaluation
import TacitModels

/// `tacit bench-ranker`: the learned ranker's fit time and memory, and its per-request latency on
/// one thread, split into retrieval and re-ranking.
struct BenchRankerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-ranker",
        abstract: "Measure the ranker's fit and its per-request latency: retrieval, then features and trees for the candidates.",
        discussion: HelpText.format("""
        Fits `ranker` (with --param settings) on the training events and reports the fit time and
        peak memory; then, on one thread, for --requests users drawn with a fixed seed (each
        asked as of a second after the latest training event, with the item activity of the whole
        log, as a service that loaded it), times the retrieval (every source's top per_source)
        and the re-ranking of the candidates (every feature; the trees' scores and the order), and
        reports the mean number of candidates and features and each step's p50, p99 and mean in
        milliseconds. The trees' scores are also timed side by side by the Swift tree walker that
        serves them and by XGBoost's in-place prediction, and compared bit for bit.

        Example:
          tacit bench-ranker --train train.csv --train valid.csv --param per_source=80 --requests 2000
        """)
    )

    @Option(help: "Training events (repeatable; files are concatenated in order).")
    var train: [String] = []
    @Option(name: .customLong("param"), help: ArgumentHelp("A ranker parameter, key=value (repeatable).", valueName: "key=value"))
    var parameters: [String] = []
    @Option(help: "Requests to time.")
    var requests = 2_000
    @Option(help: "Seed of the users drawn.")
    var seed: UInt64 = 42
    @OptionGroup var input: InputOptions
    @OptionGroup var catalog: CatalogOptions
    @OptionGroup var weighting: WeightingOptions
    @OptionGroup var threading: ThreadOptions

    func validate() throws {
        guard ArgumentChecks.enabled else { return }
        guard !train.isEmpty else { throw ValidationError("give at least one --train file") }
        guard (1...10_000_000).contains(requests) else { throw ValidationError("--requests must be in 1...10000000") }
    }

    func run() async throws {
        threading.apply()
        let descriptor = Ranker.descriptor
        let parameters = try descriptor.parameters(from: self.parameters)
        let training = try weighting.policy().matrix(from: try input.read(train))
        let run = ModelRun(threads: threading.threads, side: try catalog.side())
        Console.error("training: \(training.userCount) users, \(training.itemCount) items, \(training.nnz) interactions; fitting the ranker ...")
        let (fitted, fitSeconds) = try await run.fit(descriptor, parameters: parameters, training: training, observer: ConsoleObserver(model: descriptor.name, verbose: false))
        guard let model = fitted as? RankerModel else { throw TacitError.invalidArgument("the ranker's fit returned another model") }
        let peak = PeakMemory.mebibytes()
        let activity = model.replayedActivity()
        var random = SeededGenerator(seed: seed)
        var retrieval: [Double] = [], featuring: [Double] = [], scoring: [Double] = [], candidates = 0.0
        var walker: [Double] = [], xgboost: [Double] = [], differing = 0
        for _ in 0..<requests {
            let user = UserIndex(random.next(below: training.userCount))
            let request = model.request(forTrained: user)
            let start = DispatchTime.now()
            let lists = model.lists(for: request, filter: .excludingHistory)
            let retrieved = DispatchTime.now()
            var ranked = model.candidates(from: lists, request: request)
            model.addActivity(to: &ranked, activity: activity, index: { Int($0) })
            let featured = DispatchTime.now()
            let order = model.ranked(ranked, count: 10)
            let end = DispatchTime.now()
            precondition(order.count <= 10)
            retrieval.append(Double(retrieved.uptimeNanoseconds - start.uptimeNanoseconds) / 1e6)
            featuring.append(Double(featured.uptimeNanoseconds - retrieved.uptimeNanoseconds) / 1e6)
            scoring.append(Double(end.uptimeNanoseconds - featured.uptimeNanoseconds) / 1e6)
            candidates += Double(ranked.items.count)
            // The trees alone, side by side: the Swift walker and XGBoost's in-place prediction.
            let walkStart = DispatchTime.now()
            let walked = model.scores(ranked)
            let walkEnd = DispatchTime.now()
            let predicted = model.xgboostScores(ranked)
            let predictEnd = DispatchTime.now()
            walker.append(Double(walkEnd.uptimeNanoseconds - walkStart.uptimeNanoseconds) / 1e6)
            xgboost.append(Double(predictEnd.uptimeNanoseconds - walkEnd.uptimeNanoseconds) / 1e6)
            if walked.map(\.bitPattern) != predicted.map(\.bitPattern) { differing += 1 }
        }
        func summary(_ values: [Double]) -> [String] {
            let sorted = values.sorted()
            func percentile(_ p: Double) -> Double { sorted[min(sorted.count - 1, Int((p * Double(sorted.count)).rounded(.up)) - 1)] }
            return [percentile(0.5), percentile(0.99), values.reduce(0, +) / Double(values.count)].map { String(format: "%.3f", $0) }
        }
        print("ranker fit: \(String(format: "%.1f", fitSeconds)) s on \(threading.threads) threads, peak \(String(format: "%.0f", peak)) MiB; "
              + "\(model.featureNames.count) features, \(String(format: "%.1f", candidates / Double(requests))) candidates per request")
        print(Console.table(header: ["step (one thread)", "p50 ms", "p99 ms", "mean ms"],
                            rows: [["retrieval (sources)"] + summary(retrieval), ["features"] + summary(featuring),
                                   ["trees (scores and order)"] + summary(scoring),
                                   ["re-ranking (features + trees)"] + summary(zip(featuring, scoring).map(+)),
                                   ["whole request"] + summary(zip(retrieval, zip(featuring, scoring).map(+)).map(+)),
                                   ["trees' scores: Swift walker"] + summary(walker),
                                   ["trees' scores: XGBoost in-place prediction"] + summary(xgboost)]))
        print("the walker's scores differ from XGBoost's for \(differing) of \(requests) requests"
              + (model.booster.ensemble == nil ? " (this model is scored by XGBoost: the walker does not cover it)" : ""))
    }
}
