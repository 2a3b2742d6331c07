import Foundation
import Testing

/// Drives the page at `/` in a real headless Chromium through chromedriver (W3C WebDriver).
///
/// CI installs `chromium` and `chromium-driver` through scripts/test.sh (`TACIT_EXTRA_PACKAGES`);
/// where they are missing these tests are reported as skipped with the reason, never as passed.
@Suite("Web page in a real browser", .serialized)
struct WebPageBrowserTests {
    static let reason: Comment = "needs chromium and chromedriver (Debian: apt-get install chromium chromium-driver; scripts/test.sh installs them)"

    /// `.build/test-artifacts` of this package.
    static var artifacts: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/test-artifacts")
    }

    @Test("a user's recommendations render; 'view' on one changes the list and the history at once",
          .enabled(if: WebDriverClient.isAvailable, reason))
    func viewChangesRecommendations() async throws {
        let server = try await LiveServer.start()
        defer { Task { await server.stop() } }
        try await WebDriverClient.withSession { browser in
            try await browser.navigate(to: "http://127.0.0.1:\(server.port)/")
            #expect(try await browser.title() == "Tacit")
            let input = try await browser.find("#user-input")
            try await browser.clear(input)
            try await browser.type("a0", into: input)
            try await browser.click("#load-user")

            // a0 viewed k1…k4: home shows what a0 has not seen, the history those four views.
            let home = try await browser.waitFor("the home recommendations of a0") {
                let ids = try await browser.itemIDs("#recs-home .item[data-item-id]")
                return ids.isEmpty ? nil : ids
            }
            let history = try await browser.waitFor("the history of a0") {
                let ids = try await browser.itemIDs("#history .event[data-item-id]")
                return ids.count == 4 ? ids : nil
            }
            #expect(Set(history) == ["k1", "k2", "k3", "k4"])
            #expect(Set(home).isDisjoint(with: history))
            #expect(home.contains("k0"))
            #expect(try await browser.texts("#recs-home .meta [data-model]") == ["itemknn v1"])
            #expect(try await browser.texts("#recs-home .item .explanation").contains { $0.hasPrefix("because you viewed Kitchen") })
            #expect(try await browser.texts("#recs-home .item[data-item-id=k0] .title") == ["Kitchen 0"])
            #expect(try await browser.texts("#history .event .what").contains("Kitchen 1"))
            let popular = try await browser.waitFor("popular items") {
                let ids = try await browser.itemIDs("#popular .item[data-item-id]")
                return ids.isEmpty ? nil : ids
            }
            #expect(popular.count == 8)

            // "view" on the first recommendation: the next load no longer recommends it and the
            // history starts with it; the event carries the response's recommendation id.
            let target = home[0]
            let recommendationID = try await browser.execute("return document.querySelector('#recs-home').dataset.recommendationId;") as? String
            try await browser.click("#recs-home .item[data-item-id='\(target)'] button[data-action=view]")
            let after = try await browser.waitFor("'\(target)' to leave the home list and enter the history") {
                let ids = try await browser.itemIDs("#recs-home .item[data-item-id]")
                let newest = try await browser.itemIDs("#history .event[data-item-id]").first
                return !ids.isEmpty && ids != home && !ids.contains(target) && newest == target ? ids : nil
            }
            #expect(!after.contains(target))
            #expect(try await browser.execute("return document.querySelector('#history .event').dataset.kind;") as? String == "view")
            // the product scene now shows the page of the viewed item
            let product = try await browser.waitFor("product recommendations for '\(target)'") {
                let ids = try await browser.itemIDs("#recs-product .item[data-item-id]")
                return ids.isEmpty ? nil : ids
            }
            #expect(!product.contains(target))
            let stored = try await server.get("/v1/users/a0/events").json["events"] as? [[String: Any]] ?? []
            #expect(stored.last?["item_id"] as? String == target)
            #expect(stored.last?["recommendation_id"] as? String == recommendationID)
            #expect(try await browser.texts("#messages .message.error") == [])

            _ = try await browser.waitFor("the page to finish loading") {
                try await browser.execute("return document.body.dataset.busy;") as? String == "0" ? true : nil
            }
            let png = try await browser.screenshot()
            try FileManager.default.createDirectory(at: Self.artifacts, withIntermediateDirectories: true)
            let file = Self.artifacts.appendingPathComponent("web-page.png")
            try png.write(to: file)
            print("web page screenshot: \(file.path) (\(png.count) bytes)")
            #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
            #expect(png.count > 10_000)
        }
    }

    @Test("API errors show in the message area; the API key field is sent as X-API-Key",
          .enabled(if: WebDriverClient.isAvailable, reason))
    func errorsAndAPIKey() async throws {
        let server = try await LiveServer.start(apiKey: "s3cret")
        defer { Task { await server.stop() } }
        try await WebDriverClient.withSession { browser in
            try await browser.navigate(to: "http://127.0.0.1:\(server.port)/")
            // /v1/models needs the key: the 401 is shown, not swallowed
            let errors = try await browser.waitFor("the 401 of /v1/models in #messages") {
                let texts = try await browser.texts("#messages .message.error")
                return texts.contains { $0.contains("/v1/models") && $0.contains("401") } ? texts : nil
            }
            #expect(!errors.isEmpty)
            let key = try await browser.find("#api-key")
            try await browser.type("s3cret\u{E007}", into: key)
            let versions = try await browser.waitFor("the model versions table") {
                let rows = try await browser.execute("return Array.from(document.querySelectorAll('#models tr[data-version]')).map(r => r.dataset.version);") as? [Any]
                return rows?.isEmpty == false ? rows : nil
            }
            #expect(versions.count == 1)
            #expect(try await browser.execute("return localStorage.getItem('tacit.apiKey');") as? String == "s3cret")

            // a write with the key: "buy" from a search result
            let input = try await browser.find("#user-input")
            try await browser.type("visitor\u{E007}", into: input)
            _ = try await browser.waitFor("the empty history of visitor") {
                try await browser.texts("#history .empty").first?.contains("visitor") == true ? true : nil
            }
            try await browser.type("garden\u{E007}", into: try await browser.find("#search-input"))
            let found = try await browser.waitFor("search results for 'garden'") {
                let ids = try await browser.itemIDs("#search-results .item[data-item-id]")
                return ids.isEmpty ? nil : ids
            }
            #expect(found.allSatisfy { $0.hasPrefix("g") })
            try await browser.click("#search-results .item[data-item-id='\(found[0])'] button[data-action=purchase]")
            _ = try await browser.waitFor("the purchase in the history") {
                try await browser.itemIDs("#history .event[data-kind=purchase]") == [found[0]] ? true : nil
            }
        }
    }
}
