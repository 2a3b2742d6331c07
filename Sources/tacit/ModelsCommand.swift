import ArgumentParser
import TacitModels

struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "List the models and their parameters (names, defaults, tuning ranges)."
    )

    func run() {
        for descriptor in ModelCatalog.all {
            print("\(descriptor.name) — \(descriptor.summary)")
            for spec in descriptor.parameters {
                print("  \(spec.name) = \(spec.defaultValue)  \(spec.summary); \(spec.rangeDescription)" + (spec.conditionDescription.map { "; " + $0 } ?? ""))
            }
            print("")
        }
    }
}
