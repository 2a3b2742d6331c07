import ArgumentParser
import Foundation
import TacitCore
import TacitServing

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Read event files, weight them, and save the interaction matrix.",
        discussion: HelpText.format("""
        Reads CSV, TSV or JSON Lines events (columns found by name; see --column), applies the
        weighting policy, and writes a memory-mappable .tmx file holding the weighted matrix and
        the events read. Every command that reads events (--train, --test, --data, --events)
        reads a .tmx like a CSV, without parsing text again. Prints what was read.

        Example:
          tacit import --events events.csv --kind-weight purchase=10 --half-life-days 30 --output shop.tmx
          tacit evaluate --data shop.tmx --model als
        """)
    )

    @Option(help: "Event files (repeatable; concatenated in order).")
    var events: [String]
    @Option(help: "Where to save the matrix and the events (a .tmx file, Tacit's binary format).")
    var output: String?
    @Option(help: "Service configuration (JSON) whose privacy section applies: with privacy.pseudonymize_user_ids, every user id is replaced by its keyed pseudonym (the secret from privacy.secret_file or privacy.secret_env) before anything is written, as tacit serve stores them.")
    var config: String?
    @OptionGroup var input: InputOptions
    @OptionGroup var weighting: WeightingOptions

    func validate() throws {
        guard ArgumentChecks.enabled else { return }
        if let output, !output.lowercased().hasSuffix(".tmx") {
            throw ValidationError("--output must end in .tmx, the extension every command reads events from (got '\(output)')")
        }
    }

    func run() async throws {
        let start = Date()
        let pseudonymizer = try config.map { try UserPseudonymizer.configured(ServiceConfiguration.load(path: $0).privacy) } ?? nil
        var (log, reports) = try input.importer().read(paths: events)
        for report in reports { Console.error(report.description) }
        if let pseudonymizer {
            log.renameUsers { pseudonymizer.pseudonym($0) }
            Console.error("user ids pseudonymized (privacy.pseudonymize_user_ids)")
        }
        let policy = try weighting.policy()
        let matrix = try policy.matrix(from: log)
        let kinds = Dictionary(grouping: log.kindCodes, by: { $0 }).map { (log.kinds[Int($0.key)].name, $0.value.count) }
            .sorted { $0.1 > $1.1 }.map { "\($0.0) \($0.1)" }.joined(separator: ", ")
        print("events: \(log.count) (\(kinds)); users: \(log.users.count); items: \(log.items.count)")
        print(policy.summary(for: log))
        print("matrix: \(matrix.userCount) users x \(matrix.itemCount) items, \(matrix.nnz) interactions, density \(String(format: "%.3g", Double(matrix.nnz) / Double(max(1, matrix.userCount * matrix.itemCount))))")
        if let output {
            try matrix.save(to: output, events: log)
            print("saved \(output)")
        }
        print(String(format: "%.2f s", Date().timeIntervalSince(start)))
    }
}
