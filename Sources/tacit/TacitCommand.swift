import ArgumentParser
import TacitCore

@main
struct TacitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tacit",
        abstract: "Tacit: a recommender engine for implicit feedback.",
        discussion: "Start with `tacit generate` for sample data, then `tacit evaluate`. Every command has --help.",
        subcommands: [
            GenerateCommand.self, ImportCommand.self, SplitCommand.self, EvaluateCommand.self, TuneCommand.self,
            TrainCommand.self, RecommendCommand.self, SimilarCommand.self, ServeCommand.self, ModelsCommand.self, BenchCommand.self,
            IngestBenchCommand.self,
            ExperimentCommand.self,
        ]
    )
}
