import Foundation

/// A self-contained HTML page of an evaluation (`tacit evaluate --report report.html`): the
/// protocol and data, the metrics table, a bar chart per metric, metric@K curves and fit times.
///
/// Everything is inline (CSS and SVG drawn here, no script, no network), so the file can be
/// mailed, attached to a ticket or opened offline. Every name and path is HTML-escaped.
public struct EvaluationReport: Sendable {
    /// What was evaluated on, for the page's header.
    public struct DataSummary: Sendable {
        public var source: String
        public var trainingEvents: Int
        public var users: Int
        public var items: Int
        public var interactions: Int
        public var testUsers: Int
        public var skippedUsers: Int
        /// Test users left out because all their test items were already in their history.
        public var repeatOnlyUsers: Int
        /// Relevant test items outside the training catalog (misses for every model).
        public var unrankableItems: Int

        public init(source: String, trainingEvents: Int, users: Int, items: Int, interactions: Int, testUsers: Int, skippedUsers: Int,
                    repeatOnlyUsers: Int = 0, unrankableItems: Int = 0) {
            self.repeatOnlyUsers = repeatOnlyUsers
            self.unrankableItems = unrankableItems
            self.source = source
            self.trainingEvents = trainingEvents
            self.users = users
            self.items = items
            self.interactions = interactions
            self.testUsers = testUsers
            self.skippedUsers = skippedUsers
        }
    }

    /// The cutoffs the metric@K curves are drawn at (the evaluator must compute them).
    public static let curveCutoffs = [1, 2, 3, 5, 10, 15, 20, 30, 50]
    /// The metrics drawn as curves over K.
    public static let curveKinds: [Metric.Kind] = [.ndcg, .hitRate, .recall]

    public var results: [EvaluationResult]
    /// Models still to run (the report is rewritten after each model).
    public var pending: [String]
    public var cutoff: Int
    public var data: DataSummary
    public var protocolName: String
    public var generated: Date

    public init(results: [EvaluationResult], pending: [String] = [], cutoff: Int, data: DataSummary, protocolName: String,
                generated: Date = Date()) {
        self.results = results
        self.pending = pending
        self.cutoff = cutoff
        self.data = data
        self.protocolName = protocolName
        self.generated = generated
    }

    /// The metrics of the table and of the bar charts.
    public var tableMetrics: [Metric] {
        var metrics = [Metric(.hitRate, at: 10), Metric(.ndcg, at: 10), Metric(.mrr, at: 10), Metric(.recall, at: 20),
                       Metric(.ndcg, at: 20), Metric(.precision, at: 10), Metric(.map, at: 10), Metric(.coverage, at: 10),
                       Metric(.novelty, at: 10), Metric(.diversity, at: 10)]
        if cutoff != 10 && cutoff != 20 {
            metrics = [Metric(.hitRate, at: cutoff), Metric(.ndcg, at: cutoff), Metric(.recall, at: cutoff)] + metrics
        }
        return metrics.filter { metric in results.contains { $0.report[metric] != nil } }
    }

    /// The whole page.
    public func html() -> String {
        var page = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Tacit evaluation: \(Self.escape(results.map(\.model).joined(separator: ", ")))</title>
        <link rel="icon" href="data:,">
        <style>\(Self.style)</style></head><body><main>
        <h1>Tacit evaluation</h1>
        <p class="lead">\(results.count) model\(results.count == 1 ? "" : "s") evaluated with full ranking
        (every item ranked for every test user, the user's training items excluded), generated
        \(Self.escape(ISO8601DateFormatter().string(from: generated))).</p>

        """
        if !pending.isEmpty {
            page += "<p class=\"pending\">Still running or interrupted: \(Self.escape(pending.joined(separator: ", "))).</p>\n"
        }
        page += dataSection() + tableSection() + barSection() + curveSection() + fitSection()
        page += "</main></body></html>\n"
        return page
    }

    private func dataSection() -> String {
        let rows: [(String, String)] = [
            ("Data", data.source), ("Protocol", protocolName),
            ("Training events", "\(data.trainingEvents)"),
            ("Training matrix", "\(data.users) users × \(data.items) items, \(data.interactions) interactions"),
            ("Test users", "\(data.testUsers)" + (data.skippedUsers > 0 ? " (\(data.skippedUsers) without training data skipped)" : "")
                + (data.repeatOnlyUsers > 0 ? " (\(data.repeatOnlyUsers) left out: every test item already in their history)" : "")),
            ("Unrankable test items", data.unrankableItems > 0 ? "\(data.unrankableItems) not in the training data (misses for every model)" : "none"),
            ("Users evaluated", results.first.map { "\($0.report.users)" } ?? "–"),
        ]
        return "<section id=\"data\"><h2>Protocol and data</h2><table class=\"facts\">"
            + rows.map { "<tr><th>\(Self.escape($0.0))</th><td>\(Self.escape($0.1))</td></tr>" }.joined()
            + "</table></section>\n"
    }

    private func tableSection() -> String {
        let metrics = tableMetrics
        let best = Dictionary(uniqueKeysWithValues: metrics.map { metric in
            (metric, results.compactMap { $0.report[metric] }.max())
        })
        var html = "<section id=\"metrics\"><h2>Metrics</h2><div class=\"scroll\"><table class=\"metrics\"><thead><tr><th>model</th><th>fit s</th>"
        html += metrics.map { "<th>\(Self.escape($0.description))</th>" }.joined() + "</tr></thead><tbody>"
        for result in results {
            html += "<tr><th>\(Self.escape(result.model))</th><td>\(String(format: "%.2f", result.fitSeconds))</td>"
            for metric in metrics {
                guard let value = result.report[metric] else { html += "<td>–</td>"; continue }
                let isBest = results.count > 1 && metric.kind != .popularity && value == best[metric] ?? nil
                html += "<td\(isBest ? " class=\"best\"" : "")>\(String(format: "%.4f", value))</td>"
            }
            html += "</tr>"
            // A ranker's other orders, and `--allow-repeats`' rows, under the model's own.
            for (name, report) in result.breakdown {
                html += "<tr class=\"sub\"><th>· \(Self.escape(name))</th><td>–</td>"
                html += metrics.map { metric in report[metric].map { "<td>\(String(format: "%.4f", $0))</td>" } ?? "<td>–</td>" }.joined()
                html += "</tr>"
            }
        }
        return html + "</tbody></table></div><p class=\"note\">Bold: the best model for the metric. Rows marked · are the same model's"
            + " other orders (a ranker's sources, a random order) or, with --allow-repeats, the model where repeats count and blended"
            + " with the repeat list.</p></section>\n"
    }

    private func barSection() -> String {
        let charts = tableMetrics.map { metric in
            BarChart(title: metric.description, bars: results.map { ($0.model, $0.report[metric] ?? 0) }, format: "%.4f").svg()
        }
        return "<section id=\"bars\"><h2>Per metric</h2><div class=\"grid\">" + charts.joined() + "</div></section>\n"
    }

    private func curveSection() -> String {
        let charts = Self.curveKinds.compactMap { kind -> String? in
            let series = results.map { result in
                (result.model, Self.curveCutoffs.compactMap { k in result.report[Metric(kind, at: k)].map { (k, $0) } })
            }.filter { !$0.1.isEmpty }
            guard !series.isEmpty else { return nil }
            return LineChart(title: "\(kind.rawValue)@K", series: series).svg()
        }
        guard !charts.isEmpty else { return "" }
        return "<section id=\"curves\"><h2>Metric@K</h2><div class=\"grid\">" + charts.joined() + "</div></section>\n"
    }

    private func fitSection() -> String {
        let chart = BarChart(title: "Fit seconds", bars: results.map { ($0.model, $0.fitSeconds) }, format: "%.2f s").svg()
        let evaluate = BarChart(title: "Evaluation seconds", bars: results.map { ($0.model, $0.evaluateSeconds) }, format: "%.2f s").svg()
        return "<section id=\"times\"><h2>Time</h2><div class=\"grid\">" + chart + evaluate + "</div></section>\n"
    }

    /// `&`, `<`, `>`, `"` and `'` as entities.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    static let palette = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#ca8a04", "#db2777", "#4b5563", "#65a30d"]

    static let style = """
    body{font:15px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;background:#f8fafc;color:#0f172a}
    main{max-width:1100px;margin:0 auto;padding:16px}
    h1{font-size:24px;margin:8px 0}h2{font-size:18px;margin:24px 0 8px}
    .lead{color:#334155}.pending{background:#fef3c7;padding:8px;border-radius:6px}
    table{border-collapse:collapse;background:#fff}
    th,td{padding:4px 8px;border-bottom:1px solid #e2e8f0;text-align:right;font-variant-numeric:tabular-nums}
    th:first-child{text-align:left}.facts th{text-align:left;color:#475569;font-weight:500}.facts td{text-align:left}
    td.best{font-weight:700}.note{color:#64748b;font-size:13px}tr.sub th,tr.sub td{color:#64748b;font-weight:400}
    .scroll{overflow-x:auto;max-width:100%}
    .grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(320px,1fr));gap:12px}
    figure{margin:0;background:#fff;border:1px solid #e2e8f0;border-radius:8px;padding:8px}
    figcaption{font-weight:600;margin-bottom:4px}svg{width:100%;height:auto;display:block}
    svg text{font:11px system-ui,sans-serif;fill:#334155}
    """
}
