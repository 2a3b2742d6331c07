import ArgumentParser
import Foundation
import TacitCore
import TacitEvaluation
import TacitModels

/// `tacit train`: fits one model and saves it as a model file.
struct TrainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Fit a model and save it to a model file (for `tacit recommend --model-file`).",
        discussion: HelpText.format("""
        The model file holds the fitted model, its parameters, the weighting policy and the
        training data, in a versioned, checksummed binary format that is memory-mapped when
        loaded. A file from another format version, or a corrupt one, is refused.

        With --valid, iterative models (als, bpr) check NDCG@10 on the validation events after
        each iteration and stop once it has not improved for --patience iterations, keeping the
        best iteration; other models ignore it.

        Models that rank by inner products (als, bpr, twotower, sasrec) of a catalogue of
        --index-threshold items or more (or with --retrieval index) get their retrieval indexes
        built after the fit and saved in the file, so `tacit recommend`, `tacit similar` and
        `tacit serve` read them instead of building them (unless they ask for other leaves).
        --param precision=int8 keeps their user and item tables as int8 codes with a scale per
        vector (the tables take a quarter of their bytes in the file).

        Examples:
          tacit train --train train.csv --model als --param factors=128 --output als.tacit --json fit.json
          tacit train --train train.csv --valid valid.csv --model als --param iterations=50 --output als.tacit
        """)
    )

    @Option(help: "Training events (repeatable; files are concatenated in order).")
    var train: [String]
    @Option(help: "The model to fit (see `tacit models`).")
    var model: String
    @Option(name: .customLong("param"), help: ArgumentHelp("A model parameter, key=value (repeatable).", valueName: "key=value"))
    var parameters: [String] = []
    @Option(help: "Where to write the model file.")
    var output: String
    @Option(help: "Write a JSON summary (model, parameters, fit_seconds, sizes) to this file.")
    var json: String?
    @Option(help: "Validation events for early stopping (NDCG@10) of iterative models.")
    var valid: String?
    @Option(help: "Iterations without validation improvement before stopping (with --valid).")
    var patience: Int = 2
    @Flag(help: "Print training progress (and the training loss, which costs extra time).")
    var verbose = false
    @OptionGroup var input: InputOptions
    @OptionGroup var catalog: CatalogOptions
    @OptionGroup var weighting: WeightingOptions
    @OptionGroup var threading: ThreadOptions
    @OptionGroup var retrieval: RetrievalOptions

    func validate() throws {
        guard ArgumentChecks.enabled else { return }
        guard !train.isEmpty else { throw ValidationError("give at least one --train file") }
        guard patience >= 1 else { throw ValidationError("--patience must be at least 1") }
    }

    func run() async throws {
        threading.apply()
        let descriptor = try ModelCatalog.descriptor(named: model)
        let parameters = try descriptor.parameters(from: self.parameters)
        let log = try input.read(train)
        let configured = try weighting.policy()
        let policy = configured.resolved(for: log)
        let training = try policy.matrix(from: log)
        Console.error(configured.summary(for: log))
        Console.error("training \(model): \(training.userCount) users, \(training.itemCount) items, \(training.nnz) interactions")
        var options = TrainingOptions(threads: threading.threads, side: try catalog.side())
        var validationScore: (@Sendable (any Recommender) -> Double)?
        if let valid {
            let testSet = TestSet(test: try input.read([valid]), training: training)
            let evaluator = Evaluator(cutoffs: [10], threads: threading.threads)
            let score: @Sendable (any Recommender) -> Double = { evaluator.evaluate($0, on: testSet)[.ndcg, at: 10] ?? 0 }
            validationScore = score
            options.earlyStopping = EarlyStopping(metric: "NDCG@10", patience: patience, score: score)
        }
        let trainer = try descriptor.trainer(parameters, options: options)
        let start = DispatchTime.now()
        let observer = ConsoleObserver(model: model, verbose: verbose)
        let fitted = try await trainer.fit(training, observer: observer)
        observer.finish()
        let fitSeconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        try ModelFile.save(try retrieval.prepare(fitted, forSaving: true), name: model, parameters: parameters, weighting: policy, to: output)
        let validationNDCG = validationScore.map { $0(fitted) }
        Console.error("fitted in \(String(format: "%.2f", fitSeconds)) s" + (validationNDCG.map { String(format: ", validation NDCG@10 %.4f", $0) } ?? "")
                      + " → \(output)")
        if let json {
            let summary = TrainJSON(model: model, parameters: parameters.values, fitSeconds: fitSeconds, users: training.userCount,
                                    items: training.itemCount, interactions: training.nnz, output: output,
                                    validation: validationNDCG.map { ["NDCG@10": $0] })
            try Console.writeJSON(summary, to: json)
        }
    }
}

/// The JSON summary of `tacit train --json`.
struct TrainJSON: Encodable {
    let model: String
    let parameters: [String: ParameterValue]
    let fitSeconds: Double
    let users: Int
    let items: Int
    let interactions: Int
    let output: String
    let validation: [String: Double]?

    enum CodingKeys: String, CodingKey {
        case model, parameters, users, items, interactions, output, validation
        case fitSeconds = "fit_seconds"
    }
}
