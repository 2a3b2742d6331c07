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

    enum CodingKeys: String, CodingKey {
        case model, parameters, metrics, users
        case fitSeconds = "fit_seconds"
        case evaluateSeconds = "evaluate_seconds"
        case skippedUsers = "skipped_users"
    }

    init(_ result: EvaluationResult) {
        model = result.model
        parameters = result.parameters.values
        fitSeconds = result.fitSeconds
        evaluateSeconds = result.evaluateSeconds
        metrics = result.report.named
        users = result.report.users
        skippedUsers = result.report.skippedUsers
    }
}

/// Several models compared on one split.
struct ComparisonJSON: Encodable {
    let protocolName: String?
    let results: [EvaluationJSON]

    enum CodingKeys: String, CodingKey {
        case protocolName = "protocol"
        case results
    }
}

/// The comparison table printed by `evaluate`.
enum ResultTable {
    static let metrics: [Metric] = [
        Metric(.hitRate, at: 10), Metric(.ndcg, at: 10), Metric(.mrr, at: 10), Metric(.recall, at: 20),
        Metric(.ndcg, at: 20), Metric(.precision, at: 10), Metric(.coverage, at: 10), Metric(.novelty, at: 10),
    ]

    static func render(_ results: [EvaluationResult], cutoff k: Int) -> String {
        var columns = metrics
        if k != 10 && k != 20 { columns = [Metric(.hitRate, at: k), Metric(.ndcg, at: k), Metric(.recall, at: k)] + columns }
        if results.contains(where: { $0.report[Metric(.diversity, at: 10)] != nil }) { columns.append(Metric(.diversity, at: 10)) }
        let header = ["model", "fit s"] + columns.map(\.description)
        let rows = results.map { result in
            [result.model, String(format: "%.2f", result.fitSeconds)]
                + columns.map { result.report[$0].map(Console.format) ?? "-" }
        }
        let users = results.first.map { "\n\($0.report.users) users evaluated" + ($0.report.skippedUsers > 0 ? ", \($0.report.skippedUsers) test users without training data skipped" : "") } ?? ""
        return Console.table(header: header, rows: rows) + users
    }
}
