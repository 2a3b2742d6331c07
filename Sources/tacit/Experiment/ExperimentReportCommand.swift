import ArgumentParser
import Foundation
import TacitExperiments
import TacitServing
import TacitStore

/// `tacit experiment report`: the report of one configured experiment from a store's
/// impressions and the events carrying their recommendation ids.
struct ExperimentReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Report an experiment of a service configuration from the store: per variant counts, rates, tests.",
        discussion: HelpText.format("""
            Reads the impressions recorded under the experiment and the events that carry their \
            recommendation ids (clicks, purchases; revenue is the purchases' value), as \
            GET /v1/experiments/{id}/report does.

            Example:
              tacit experiment report --store tacit-data/tacit.sqlite --config tacit.json --experiment home-ranker
            """)
    )

    @Option(help: "The store: a SQLite file or a postgres:// URL.")
    var store: String
    @Option(help: "The service configuration file (JSON) with the experiments.")
    var config: String
    @Option(help: "The experiment's id.")
    var experiment: String
    @Option(help: "Significance level of the intervals and tests.")
    var alpha = 0.05
    @Flag(help: "Print the report as JSON (snake_case keys) instead of tables.")
    var json = false

    func validate() throws {
        guard ArgumentChecks.enabled else { return }
        guard alpha > 0, alpha < 1 else { throw ValidationError("--alpha must be in (0, 1), got \(alpha)") }
    }

    func run() async throws {
        let configuration = try ServiceConfiguration.load(path: config)
        guard let definition = configuration.experiments.first(where: { $0.id == experiment }) else {
            let valid = configuration.experiments.map(\.id)
            throw ValidationError("--experiment: unknown experiment '\(experiment)' in \(config); valid: "
                                  + (valid.isEmpty ? "(none)" : valid.joined(separator: ", ")))
        }
        let store = try await Stores.open(self.store)
        let report: ExperimentReport
        do { report = try await ExperimentReporter.report(definition, store: store, alpha: alpha) } catch {
            try? await store.close()
            throw error
        }
        try await store.close()
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            encoder.keyEncodingStrategy = .convertToSnakeCase
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print(ExperimentReportTables.text(report))
        }
    }
}

/// The tables `tacit experiment report` prints.
enum ExperimentReportTables {
    static func text(_ r: ExperimentReport) -> String {
        let variants = r.variants.map { v in
            [v.name, String(v.users), String(v.impressions), String(v.clicks), String(v.purchases), String(format: "%.2f", v.revenue),
             estimate(v.ctr), estimate(v.conversion), estimate(v.revenuePerUser, digits: 2)]
        }
        var text = "experiment \(r.experiment) (intervals at \(Int((1 - r.alpha) * 100)) %)\n"
            + Console.table(header: ["variant", "users", "impressions", "clicks", "purchases", "revenue", "ctr", "conversion",
                                     "revenue/user"], rows: variants)
        if !r.comparisons.isEmpty {
            let rows = r.comparisons.map { c in
                ["\(c.variant) vs \(c.control)", lift(c.conversion.relativeLift), p(c.conversion.pValue),
                 p(c.conversionSequentialPValue), lift(c.revenuePerUser.relativeLift), p(c.revenuePerUser.pValue)]
            }
            text += "\n\n" + Console.table(header: ["comparison", "conversion lift", "p (z)", "p (mSPRT)", "revenue/user lift",
                                                   "p (Welch)"], rows: rows)
        }
        if let srm = r.sampleRatio {
            text += "\n\nsample ratio: χ² = \(String(format: "%.2f", srm.chiSquare)), p = \(p(srm.pValue))"
                + (srm.mismatch ? " — MISMATCH: check assignment and logging before trusting the numbers" : " (ok)")
        }
        return text
    }

    static func estimate(_ e: Estimate, digits: Int = 4) -> String {
        guard e.value.isFinite else { return "–" }
        let f = "%.\(digits)f"
        guard e.lower.isFinite, e.upper.isFinite else { return String(format: f, e.value) }
        return String(format: "\(f) [\(f), \(f)]", e.value, e.lower, e.upper)
    }

    static func lift(_ x: Double) -> String { x.isFinite ? String(format: "%+.1f %%", 100 * x) : "–" }
    static func p(_ x: Double) -> String { x.isFinite ? String(format: "%.4g", x) : "–" }
}
