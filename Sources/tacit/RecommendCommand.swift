import ArgumentParser
import Foundation
import TacitCore
import TacitEvaluation
import TacitModels

struct RecommendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recommend",
        abstract: "Write the top-K recommendations of every training user as CSV.",
        discussion: """
        Output columns: user_id,rank,item_id,score (rank from 1), users in natural id order,
        each user's training items excluded. The ranking is exactly the one `tacit evaluate` scores.

        Example:
          tacit recommend --train train.csv --model itemknn --param neighbors=50 --k 10 --output recs.csv
        """
    )

    @Option(help: "Training events (repeatable).")
    var train: [String]
    @Option(help: "The model (see `tacit models`).")
    var model: String
    @Option(name: .customLong("param"), help: ArgumentHelp("A model parameter, key=value (repeatable).", valueName: "key=value"))
    var parameters: [String] = []
    @Option(help: "Recommendations per user.")
    var k: Int = 10
    @Option(help: "Output CSV file (- for standard output).")
    var output: String = "-"
    @OptionGroup var input: InputOptions
    @OptionGroup var weighting: WeightingOptions
    @OptionGroup var threading: ThreadOptions

    func validate() throws {
        guard k >= 1 else { throw ValidationError("--k must be at least 1") }
        guard !train.isEmpty else { throw ValidationError("give at least one --train file") }
    }

    func run() async throws {
        threading.apply()
        let descriptor = try ModelCatalog.descriptor(named: model)
        let parameters = try descriptor.parameters(from: self.parameters)
        let training = try weighting.policy().matrix(from: try input.read(train))
        let (fitted, _) = try await ModelRun(threads: threading.threads).fit(descriptor, parameters: parameters, training: training)
        let users = training.users.naturalOrder()
        let lists = fitted.recommendAll(users: users, count: k, threads: threading.threads)
        let writer = try LineWriter(path: output)
        try writer.write("user_id,rank,item_id,score")
        for (user, list) in zip(users, lists) {
            let userID = CSVField.escape(training.users.id(at: user))
            for (rank, entry) in list.enumerated() {
                try writer.write("\(userID),\(rank + 1),\(CSVField.escape(training.items.id(at: entry.item))),\(entry.score)")
            }
        }
        try writer.close()
    }
}

/// CSV quoting for ids that contain a delimiter, quote or newline.
enum CSVField {
    static func escape(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
