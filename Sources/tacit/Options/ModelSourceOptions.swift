import ArgumentParser
import TacitCore
import TacitEvaluation
import TacitModels

/// Where a command's fitted model comes from: a model file written by `tacit train`, or training
/// events fitted here (`--train`, `--model`, `--param`). Shared by `recommend` and `similar`.
struct ModelSourceOptions: ParsableArguments {
    @Option(help: "Training events (repeatable), to fit the model here.")
    var train: [String] = []
    @Option(help: "The model to fit with --train (see `tacit models`).")
    var model: String?
    @Option(name: .customLong("param"), help: ArgumentHelp("A model parameter, key=value (repeatable).", valueName: "key=value"))
    var parameters: [String] = []
    @Option(help: "A model file written by `tacit train` (instead of --train and --model).")
    var modelFile: String?
    @OptionGroup var input: InputOptions
    @OptionGroup var catalog: CatalogOptions
    @OptionGroup var weighting: WeightingOptions

    func validate() throws {
        guard ArgumentChecks.enabled else { return }
        if modelFile == nil {
            guard !train.isEmpty, model != nil else { throw ValidationError("give --train and --model, or a --model-file") }
        } else {
            guard train.isEmpty, model == nil, parameters.isEmpty else {
                throw ValidationError("--model-file already holds the model, its parameters and training data: drop --train/--model/--param")
            }
        }
    }

    /// The fitted model and the weighting policy of its training data (the model file's, or the
    /// command line's).
    func load(threads: Int) async throws -> (model: any Recommender, weighting: WeightingPolicy) {
        let policy = try weighting.policy()
        if let modelFile {
            let contents = try ModelFile.load(from: modelFile)
            Console.error("loaded \(contents.descriptor.name) from \(modelFile)")
            return (contents.model, contents.weighting ?? policy)
        }
        let descriptor = try ModelCatalog.descriptor(named: model!)
        let parameters = try descriptor.parameters(from: self.parameters)
        let log = try input.read(train)
        let resolved = policy.resolved(for: log)
        let training = try resolved.matrix(from: log)
        let observer = ConsoleObserver(model: descriptor.name, verbose: false)
        let (fitted, _) = try await ModelRun(threads: threads, side: try catalog.side()).fit(descriptor, parameters: parameters, training: training,
                                                                                          observer: observer)
        observer.finish()
        return (fitted, resolved)
    }
}
