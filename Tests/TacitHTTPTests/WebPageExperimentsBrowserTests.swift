import Foundation
import Testing

extension WebPageBrowserTests {
    @Test("the Experiments section shows the report's variants, comparison and both SVG charts",
          .enabled(if: WebDriverClient.isAvailable, reason))
    func experimentsSection() async throws {
        let server = try await LiveServer.start(configuration: ExperimentAPITests.configuration)
        defer { Task { await server.stop() } }
        // 16 visitors get one response each; a's users buy once (10), b's users click, every
        // other b user buys (5): both arms convert, so every number in the report is finite.
        var variantOf: [String: String] = [:], events: [String] = []
        for index in 0..<16 {
            let user = "visitor-\(index)"
            let reply = try await server.get("/v1/users/\(user)/recommendations?count=3")
            let variant = try #require(reply.json["variant"] as? String)
            let id = try #require(reply.json["recommendation_id"] as? String)
            variantOf[user] = variant
            if variant == "a" {
                events.append(#"{"user_id": "\#(user)", "item_id": "g1", "kind": "purchase", "value": 10, "recommendation_id": "\#(id)"}"#)
            } else {
                events.append(#"{"user_id": "\#(user)", "item_id": "k1", "kind": "click", "recommendation_id": "\#(id)"}"#)
                if index % 2 == 0 {
                    events.append(#"{"user_id": "\#(user)", "item_id": "k2", "kind": "purchase", "value": 5, "recommendation_id": "\#(id)"}"#)
                }
            }
        }
        let inA = variantOf.values.filter { $0 == "a" }.count, inB = variantOf.values.filter { $0 == "b" }.count
        #expect(inA >= 2 && inB >= 2)
        #expect(try await server.post("/v1/events", #"{"events": [\#(events.joined(separator: ","))]}"#).status == 200)
        let report = try await server.get("/v1/experiments/hero/report").json
        let mismatch = (report["sample_ratio"] as? [String: Any])?["mismatch"] as? Bool ?? false

        try await WebDriverClient.withSession { browser in
            try await browser.navigate(to: "http://127.0.0.1:\(server.port)/")
            let users = try await browser.waitFor("the variant rows of 'hero'") {
                let rows = try await browser.texts("#experiment-variants tr[data-variant] td.users")
                return rows.count == 2 ? rows : nil
            }
            #expect(users == [String(inA), String(inB)])
            #expect(try await browser.execute(
                "return Array.from(document.querySelectorAll('#experiment-variants tr[data-variant]')).map(r => r.dataset.variant);")
                as? [String] == ["a", "b"])
            #expect(try await browser.execute("return document.querySelector('#experiment-select').value;") as? String == "hero")
            let comparison = try await browser.texts("#experiment-comparisons tr[data-variant=b] td")
            #expect(comparison.first == "b vs a")
            #expect(comparison.last?.isEmpty == false)
            #expect(try await browser.execute("return document.querySelectorAll('#sample-ratio-warning').length;") as? Int
                == (mismatch ? 1 : 0))
            let count = { (css: String) in
                try await browser.execute("return document.querySelectorAll('\(css)').length;") as? Int
            }
            #expect(try await count("svg#conversion-intervals circle.estimate") == 2)
            #expect(try await count("svg#conversion-intervals line.whisker") == 6)
            #expect(try await count("svg#conversion-over-time path.series") == 2)
            #expect(try await count("svg#conversion-over-time circle.day") == 2, "one UTC day so far: one point per variant")
            #expect(try await browser.execute(
                "return Array.from(document.querySelectorAll('svg#conversion-over-time path.series')).map(p => p.getAttribute('d').startsWith('M'));")
                as? [Bool] == [true, true])
            #expect(try await browser.texts("#messages .message.error") == [])
            let text = try await browser.execute("return document.querySelector('#experiments').textContent;") as? String
            #expect(text?.contains("null") == false && text?.contains("undefined") == false && text?.contains("NaN") == false)

            _ = try await browser.waitFor("the page to finish loading") {
                try await browser.execute("return document.body.dataset.busy;") as? String == "0" ? true : nil
            }
            _ = try await browser.execute("document.querySelector('#experiments-section').scrollIntoView();")
            let png = try await browser.screenshot()
            try FileManager.default.createDirectory(at: Self.artifacts, withIntermediateDirectories: true)
            let file = Self.artifacts.appendingPathComponent("web-page-experiments.png")
            try png.write(to: file)
            print("experiments screenshot: \(file.path) (\(png.count) bytes)")
            #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        }
    }
}
