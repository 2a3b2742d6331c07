import Foundation
import Testing
import TacitCore
import TacitEvaluation
import TacitModels
import TacitTestSupport

/// The HTML report of `tacit evaluate --report`, opened in headless Chromium: every chart is
/// there with one bar or line per model, the page loads nothing from anywhere, and it fits a
/// phone screen without scrolling sideways.
@Suite("Evaluation report in a browser", .serialized)
struct EvaluationReportBrowserTests {
    private func result(_ model: String, _ scale: Double, fit: Double) throws -> EvaluationResult {
        var values: [Metric: Double] = [:]
        for k in EvaluationReport.curveCutoffs {
            values[Metric(.ndcg, at: k)] = scale * Double(k).squareRoot() / 10
            values[Metric(.hitRate, at: k)] = min(1, scale * Double(k) / 20)
            values[Metric(.recall, at: k)] = min(1, scale * Double(k) / 25)
            values[Metric(.mrr, at: k)] = scale / 4
            values[Metric(.precision, at: k)] = scale / 10
            values[Metric(.map, at: k)] = scale / 5
            values[Metric(.coverage, at: k)] = scale / 2
            values[Metric(.novelty, at: k)] = 8 * scale
        }
        let descriptor = try ModelCatalog.descriptor(named: model)
        return EvaluationResult(model: model, parameters: descriptor.defaults, fitSeconds: fit, evaluateSeconds: fit / 10,
                                report: MetricReport(values: values, users: 943, skippedUsers: 0))
    }

    @Test("charts, table and facts render; no request leaves the page; no sideways scroll at 390 px",
          .enabled(if: WebDriverClient.isAvailable, WebPageBrowserTests.reason))
    func reportRenders() async throws {
        let results = [try result("popular", 0.5, fit: 0.01), try result("als", 0.8, fit: 1.5), try result("ease", 0.9, fit: 0.7)]
        let summary = EvaluationReport.DataSummary(source: "ratings <&> \"quoted\".csv", trainingEvents: 99_057, users: 943, items: 1_682,
                                                   interactions: 99_057, testUsers: 943, skippedUsers: 0)
        let report = EvaluationReport(results: results, cutoff: 10, data: summary, protocolName: "loo")
        let file = Fixtures.temporaryDirectory().appendingPathComponent("report.html")
        try report.html().write(to: file, atomically: true, encoding: .utf8)

        try await WebDriverClient.withSession { browser in
            try await browser.navigate(to: file.absoluteString)
            #expect(try await browser.title().hasPrefix("Tacit evaluation"))
            let count = { (css: String) async throws -> Int in
                try await browser.execute("return document.querySelectorAll(arguments[0]).length;", [css]) as? Int ?? -1
            }
            // A bar chart per table metric (9: no diversity or popularity given) plus fit and
            // evaluation time, each with a bar per model; three curves with a line per model.
            #expect(try await count("#bars figure") == report.tableMetrics.count)
            #expect(try await count("#bars figure[data-chart='NDCG@10'] rect.bar") == 3)
            #expect(try await count("#times figure rect.bar") == 6)
            #expect(try await count("#curves figure") == 3)
            #expect(try await count("#curves polyline.series") == 9)
            #expect(try await count("#curves circle.point") == 9 * EvaluationReport.curveCutoffs.count)
            #expect(try await count("#metrics tbody tr") == 3)
            // The best NDCG@10 is ease's, in bold; the longest NDCG@10 bar is ease's.
            let best = try await browser.execute("return [...document.querySelectorAll('#metrics td.best')].map(e => e.parentElement.firstElementChild.textContent);") as? [String] ?? []
            #expect(best.contains("ease") && !best.contains("popular"), "\(best)")
            let widest = try await browser.execute("""
                const bars = [...document.querySelectorAll("#bars figure[data-chart='NDCG@10'] rect.bar")];
                return bars.reduce((a, b) => Number(a.getAttribute('width')) >= Number(b.getAttribute('width')) ? a : b).dataset.label;
                """) as? String
            #expect(widest == "ease")
            #expect(try await browser.texts("#data td").contains("ratings <&> \"quoted\".csv"), "escaped text shows as written")
            let requests = try await browser.execute("return performance.getEntriesByType('resource').map(e => e.name);") as? [String] ?? ["?"]
            #expect(requests.isEmpty, "the report loads nothing: \(requests)")
            #expect(try await browser.consoleErrors() == [])

            try await browser.setWindowSize(width: 390, height: 844)
            let overflow = try await browser.execute("return document.documentElement.scrollWidth - window.innerWidth;") as? Int ?? 99
            #expect(overflow <= 0, "the page scrolls sideways by \(overflow) px at 390 px")
            let png = try await browser.screenshot()
            try FileManager.default.createDirectory(at: WebPageBrowserTests.artifacts, withIntermediateDirectories: true)
            let shot = WebPageBrowserTests.artifacts.appendingPathComponent("evaluation-report-390.png")
            try png.write(to: shot)
            print("evaluation report screenshot: \(shot.path) (\(png.count) bytes)")
            #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        }
    }
}
