import ArgumentParser
import TacitCore

@main
struct TacitCommand: AsyncParsableCommand {
    /// The release this binary was built from (`tacit --version`).
    static let version = "0.9.0"

    static let configuration = CommandConfiguration(
        commandName: "tacit",
        abstract: "Tacit: a recommender engine for implicit feedback.",
        discussion: "Start with `tacit generate` for sample data, then `tacit evaluate`. Every command has --help.",
        version: "tacit \(version)",
        subcommands: [
            GenerateCommand.self, ImportCommand.self, SplitCommand.self, EvaluateCommand.self, TuneCommand.self,
            TrainCommand.self, RecommendCommand.self, SimilarCommand.self, ServeCommand.self, ModelsCommand.self, BenchCommand.self,
            IngestBenchCommand.self, BenchRankerCommand.self, BenchANNCommand.self,
            ExperimentCommand.self,
        ]
    )

    /// Parses (reporting a mistyped option before any validation message, see `ArgumentChecks`),
    /// then runs the chosen command.
    static func main() async {
        BLASCore.useTheCPUsKernels()
        var command: any ParsableCommand
        do {
            command = try parseAsRoot(nil)
        } catch {
            exit(withError: ArgumentChecks.structuralError(parsing: nil, as: self) ?? error)
        }
        do {
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
