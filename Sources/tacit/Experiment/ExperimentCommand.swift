import ArgumentParser

/// `tacit experiment`: A/B tests and bandits. Subcommands: `simulate` (and, with the service,
/// `report`: add it to `subcommands`).
struct ExperimentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "experiment",
        abstract: "A/B tests and bandits: simulate experiments to check the statistics and compare policies.",
        discussion: "See docs/experiments.md for the definitions format, the statistics and the measured numbers.",
        subcommands: [ExperimentSimulateCommand.self]
    )
}
