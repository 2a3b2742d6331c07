import ArgumentParser

/// `tacit experiment`: A/B tests and bandits. Subcommands: `simulate`, `report`.
struct ExperimentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "experiment",
        abstract: "A/B tests and bandits: simulate experiments, report a running one from the store.",
        discussion: "See docs/experiments.md for the definitions format, the statistics and the measured numbers.",
        subcommands: [ExperimentSimulateCommand.self, ExperimentReportCommand.self]
    )
}
