import ArgumentParser
import TacitCore

@main
struct TacitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tacit",
        abstract: "Tacit: a recommender engine for implicit feedback.",
        subcommands: []
    )
}
