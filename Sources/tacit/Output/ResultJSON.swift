import TacitEvaluation
import TacitModels

/// The JSON shape of one evaluation (the CLI contract of `tacit evaluate --json`).
struct EvaluationJSON: Encodable {
    let model: String
    let parameters: [String: ParameterValue]
    let fitSeconds: Double
    let evaluateSeconds: Double
    let metrics: [String: Double]
    let users: Int
    let skippedUsers: Int
    /// Test users left out because every test item of theirs was already in their history.
    let repeatOnlyUsers: Int
    /// Relevant test items outside the training data: misses for every model.
    let unrankableTestItems: Int
    /// Why the model has no metrics (it cannot rank new users), when it has none.
    let note: String?
    /// What the metrics leave out: candidates outside the training data that the model never ranked.
    let warning: String?
    /// A ranker's candidates in other orders (each source alone, blend, random), and with
    /// `--allow-repeats` the model on the test set that lets repeats count (`repeats allowed`,
    /// `+ repeat`): their metrics.
    let breakdown: [String: [String: Double]]?
    /// A ranker's fit summary (candidate recall, mean candidates, gain shares).
    let details: [String: Double]?

    enum CodingKeys: String, CodingKey {
        case model, parameters, metrics, users, note, warning, breakdown, details
        case fitSeconds = "fit_seconds"
        case evaluateSeconds = "evaluate_seconds"
        case skippedUsers = "skipped_users"
        case repeatOnlyUsers = "repeat_only_users"
        case unrankableTestItems = "unrankable_test_items"
    }

    init(_ result: EvaluationResult, summary: EvaluationReport.DataSummary? = nil) {
        model = result.model
        parameters = result.parameters.values
        fitSeconds = result.fitSeconds
        evaluateSeconds = result.evaluateSeconds
        metrics = result.report.named
        users = result.report.users
        skippedUsers = result.report.skippedUsers
        repeatOnlyUsers = summary?.repeatOnlyUsers ?? 0
        unrankableTestItems = summary?.unrankableItems ?? 0
        note = result.note
        warning = result.warning
        breakdown = result.breakdown.isEmpty ? nil : Dictionary(result.breakdown.map { ($0.name, $0.report.named) }, uniquingKeysWith: { a, _ in a })
        details = result.details.isEmpty ? nil : result.details
    }
}

/// Several models compared on one split.
struct ComparisonJSON: Encodable {
    let protocolName: String?
    let results: [EvaluationJSON]
    /// Models not evaluated yet: the file is rewritten after each model, so an interrupted run
    /// keeps what finished and says what did not.
    let pending: [String]?

    enum CodingKeys: String, CodingKey {
        case protocolName = "protocol"
        case results, pending
    }
}

/// The comparison table of `evaluate`, printed one row at a time as each model finishes: the
/// model names are known before the first fit, so the column widths are too.
struct ResultTable {
    static let metrics: [Metric] = [
        Metric(.hitRate, at: 10), Metric(.ndcg, at: 10), Metric(.mrr, at: 10), Metric(.recall, at: 20),
        Metric(.ndcg, at: 20), Metric(.precision, at: 10), Metric(.coverage, at: 10), Metric(.novelty, at: 10),
    ]

    /// The metric columns for cutoff `k` (diversity when item categories are known).
    let columns: [Metric]
    private let widths: [Int]

    init(models: [String], cutoff k: Int, diversity: Bool, repeats: Bool = false) {
        var columns = Self.metrics
        if k != 10 && k != 20 { columns = [Metric(.hitRate, at: k), Metric(.ndcg, at: k), Metric(.recall, at: k)] + columns }
        if diversity { columns.append(Metric(.diversity, at: 10)) }
        self.columns = columns
        // A ranker's breakdown rows ("  · ease", "  · random") go in the model column too.
        let breakdown = repeats ? 4 + RepeatEvaluation.allowedRow.count : models.contains(Ranker.descriptor.name) ? 12 : 0
        widths = [max(5, breakdown, models.map(\.count).max() ?? 0), 8] + columns.map { max($0.description.count, 6) }
    }

    /// The header and the rule under it.
    var header: String {
        [line(["model", "fit s"] + columns.map(\.description)), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")]
            .joined(separator: "\n")
    }

    /// One model's row (its note instead of metrics when it has one).
    func row(_ result: EvaluationResult) -> String {
        if let note = result.note { return line([result.model, String(format: "%.2f", result.fitSeconds)]) + "  " + note }
        return line([result.model, String(format: "%.2f", result.fitSeconds)] + columns.map { result.report[$0].map(Console.format) ?? "-" })
    }

    /// The lines under a model's row: its warning (candidates it never ranked); for a ranker, the
    /// same candidates ordered by each source alone, the blend and at random, then what its fit
    /// measured (candidate recall, the largest gains).
    func breakdown(_ result: EvaluationResult) -> [String] {
        let warning = result.warning.map { ["  (\($0))"] } ?? []
        guard !result.breakdown.isEmpty else { return warning }
        var lines = warning + result.breakdown.map { name, report in line(["  · " + name, "-"] + columns.map { report[$0].map(Console.format) ?? "-" }) }
        let d = result.details
        if let recall = d["candidate_recall"], let mean = d["mean_candidates"] {
            let gains = d.filter { $0.key.hasPrefix("gain.") }.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(5)
                .map { "\($0.key.dropFirst(5)) \(Int(($0.value * 100).rounded()))%" }
            lines.append("  (\(result.model) fit: the held-out item among the candidates for " + String(format: "%.1f%%", recall * 100)
                         + " of its held-out users, " + String(format: "%.0f", mean) + " candidates on average; gain: \(gains.joined(separator: ", ")))")
        }
        return lines
    }

    /// The line under the table: how many users were evaluated, skipped and left out.
    static func footer(_ result: EvaluationResult, summary: EvaluationReport.DataSummary? = nil) -> String {
        let repeats = summary?.repeatOnlyUsers ?? 0, unrankable = summary?.unrankableItems ?? 0
        return "\(result.report.users) users evaluated"
            + (result.report.skippedUsers > 0 ? ", \(result.report.skippedUsers) test users without training data skipped" : "")
            + (repeats > 0 ? ", \(repeats) left out (every test item already in their history)" : "")
            + (unrankable > 0 ? "; \(unrankable) relevant test items not in the training data count as misses" : "")
    }

    /// What the split leaves unmeasured, said before any model runs: users whose test items are
    /// all repeats, and relevant items no model can rank.
    static func coverageNotes(_ summary: EvaluationReport.DataSummary) -> [String] {
        var notes: [String] = []
        if summary.repeatOnlyUsers > 0 {
            notes.append("note: \(summary.repeatOnlyUsers) test users left out: every test item of theirs is already in their training history "
                         + "(the protocol scores only new items)")
        }
        if summary.unrankableItems > 0 {
            notes.append("warning: \(summary.unrankableItems) relevant test items are not in the training data: no model ranks them and they "
                         + "count as misses; --candidates ranks catalogue items by their attributes")
        }
        return notes
    }

    /// The line under a `--new-users` table.
    static func footer(newUsers: NewUserTestSet) -> String {
        "\(newUsers.count) new users evaluated (\(newUsers.usersWithAttributes) with a --users record)"
            + (newUsers.knownUsers > 0 ? ", \(newUsers.knownUsers) test users with training data left out" : "")
    }

    private func line(_ cells: [String]) -> String {
        cells.enumerated().map { c, cell in
            let width = c < widths.count ? widths[c] : cell.count
            let pad = String(repeating: " ", count: max(0, width - cell.count))
            return c == 0 ? cell + pad : pad + cell
        }.joined(separator: "  ")
    }
}
