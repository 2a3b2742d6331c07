import Foundation
import Testing
import TacitExperiments
import TacitServing
import TacitStore
import TacitTestSupport

/// The dashboard, the phone layout, MovieLens-shaped data and the experiments section's opening
/// choice, in a real headless Chromium. Screenshots go to `$TACIT_SCREENSHOT_DIR` (default
/// `.build/test-artifacts`).
extension WebPageBrowserTests {
    static var screenshots: URL {
        ProcessInfo.processInfo.environment["TACIT_SCREENSHOT_DIR"].map { URL(fileURLWithPath: $0) } ?? artifacts
    }

    static func save(_ browser: WebDriverClient, _ name: String) async throws {
        let png = try await browser.screenshot()
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        try FileManager.default.createDirectory(at: screenshots, withIntermediateDirectories: true)
        let file = screenshots.appendingPathComponent(name)
        try png.write(to: file)
        print("screenshot: \(file.path) (\(png.count) bytes)")
    }

    static func settle(_ browser: WebDriverClient) async throws {
        _ = try await browser.waitFor("the page to finish loading") {
            try await browser.execute("return document.body.dataset.busy;") as? String == "0" ? true : nil
        }
    }

    static func count(_ browser: WebDriverClient, _ css: String) async throws -> Int {
        try await browser.execute("return document.querySelectorAll(arguments[0]).length;", [css]) as? Int ?? -1
    }

    /// Whether the page is no wider than the window (no sideways scrolling).
    static func fitsWidth(_ browser: WebDriverClient) async throws -> (fits: Bool, widths: String) {
        let widths = try await browser.execute(
            "return [document.documentElement.scrollWidth, window.innerWidth];") as? [Int] ?? []
        return (widths.count == 2 && widths[0] <= widths[1], "\(widths)")
    }

    @Test("the dashboard draws its charts from the overview: a bar per hour and kind, a point per hour and per model metric",
          .enabled(if: WebDriverClient.isAvailable, reason))
    func dashboardCharts() async throws {
        let server = try await LiveServer.start(events: ServiceFixture.events + OverviewAPITests.extra)
        defer { Task { await server.stop() } }
        // Two evaluated versions of a second model: NDCG and hit rate per version.
        for (version, ndcg) in [(1, 0.21), (2, 0.26)] {
            try await server.service.store.save(ModelVersionRecord(
                version: version, model: "ease", parameters: [:], path: "/nonexistent", createdAt: 1_700_100_000 + Int64(version),
                lastSequence: 53, firstEventTime: nil, lastEventTime: nil, events: 53, users: 17, items: 10, fitSeconds: 0.1,
                metrics: ["ndcg@10": ndcg, "hr@10": ndcg * 2, "holdout_users": 12]))
        }
        _ = try await server.get("/v1/popular")   // a request for the request chart
        let since = OverviewAPITests.firstHour, until = since + 4 * OverviewAPITests.hour - 1
        try await WebDriverClient.withSession { browser in
            try await browser.navigate(to: "http://127.0.0.1:\(server.port)/dashboard?bucket=hour&since=\(since)&until=\(until)")
            _ = try await browser.waitFor("the overview to render") {
                try await browser.execute("return document.body.dataset.loaded;") as? String == "1" ? true : nil
            }
            try await Self.settle(browser)
            // Hours: view+purchase, view, nothing, click.
            #expect(try await Self.count(browser, "svg#chart-events rect.bar") == 4)
            #expect(try await browser.execute(
                "return Array.from(document.querySelectorAll('svg#chart-events rect.bar')).map(r => r.dataset.kind);") as? [String]
                == ["purchase", "view", "view", "click"])
            #expect(try await Self.count(browser, "svg#chart-users circle.point") == 4)
            #expect(try await Self.count(browser, "svg#chart-models circle.point") == 4, "2 versions × (ndcg@10, hr@10)")
            #expect(try await Self.count(browser, "svg#chart-models path.series") == 2)
            #expect(try await Self.count(browser, "svg#chart-requests rect.bar") >= 1)
            #expect(try await browser.execute("return document.querySelector('#search-panel').hidden;") as? Bool == true, "no training.search")
            #expect(try await Self.count(browser, "svg#chart-latency path.series") == 2)
            #expect(try await browser.texts("#totals .card[data-total=events] .value") == ["53"])
            #expect(try await browser.texts("#totals .card[data-total=range] .value") == ["53"])
            #expect(try await Self.count(browser, "#routes tr[data-route]") >= 1)
            #expect(try await browser.consoleErrors() == [])
            #expect(try await browser.texts("#messages .message.error") == [])
            #expect(try await Self.fitsWidth(browser).fits)
            try await Self.save(browser, "dashboard-desktop.png")
            _ = try await browser.execute("document.querySelector('[data-chart=requests]').scrollIntoView();")
            try await Self.save(browser, "dashboard-desktop-requests.png")

            // A phone: the charts are redrawn to the narrower width, nothing scrolls sideways.
            try await browser.setWindowSize(width: 390, height: 844)
            _ = try await browser.waitFor("the charts redrawn for 390 px") {
                let width = try await browser.execute("return document.querySelector('svg#chart-events').getAttribute('width');") as? String
                return width.flatMap(Int.init).map { $0 < 390 ? true : nil } ?? nil
            }
            let phone = try await Self.fitsWidth(browser)
            #expect(phone.fits, "scrollWidth, innerWidth: \(phone.widths)")
            #expect(try await Self.count(browser, "svg#chart-events rect.bar") == 4)
            _ = try await browser.execute("window.scrollTo(0, 0);")
            try await Self.save(browser, "dashboard-phone.png")
            _ = try await browser.execute("document.querySelector('[data-chart=models]').scrollIntoView();")
            try await Self.save(browser, "dashboard-phone-models.png")
            #expect(try await browser.consoleErrors() == [])
        }
    }

    @Test("on a 390 px phone the page does not scroll sideways (models table included); a clean load logs no console error",
          .enabled(if: WebDriverClient.isAvailable, reason))
    func phoneLayout() async throws {
        let server = try await LiveServer.start()
        defer { Task { await server.stop() } }
        try await WebDriverClient.withSession { browser in
            try await browser.setWindowSize(width: 390, height: 844)
            try await browser.navigate(to: "http://127.0.0.1:\(server.port)/?user=a0")
            _ = try await browser.waitFor("the models table and a0's history") {
                let rows = try await Self.count(browser, "#models tr[data-version]")
                let history = try await Self.count(browser, "#history .event")
                return rows == 1 && history == 4 ? true : nil
            }
            try await Self.settle(browser)
            #expect(try await browser.execute("return window.innerWidth;") as? Int ?? 0 <= 400)
            let fit = try await Self.fitsWidth(browser)
            #expect(fit.fits, "scrollWidth, innerWidth: \(fit.widths)")
            #expect(try await browser.consoleErrors() == [], "favicon inline, no failing request")
            // The check itself sees errors: one logged now is reported.
            _ = try await browser.execute("console.error('probe ' + 42);")
            #expect(try await browser.consoleErrors().contains { $0.contains("probe 42") })
            try await Self.save(browser, "web-page-phone.png")
            _ = try await browser.execute("document.querySelector('#models-section').scrollIntoView();")
            try await Self.save(browser, "web-page-phone-models.png")
        }
    }

    @Test("MovieLens-shaped data: Random user loads a numeric user; history is newest first in time and pages; search pages",
          .enabled(if: WebDriverClient.isAvailable, reason))
    func movieLensShapedData() async throws {
        let server = try await LiveServer.start(items: MovieLensLikeFixture.items, events: MovieLensLikeFixture.events)
        defer { Task { await server.stop() } }
        try await WebDriverClient.withSession { browser in
            try await browser.navigate(to: "http://127.0.0.1:\(server.port)/")
            try await Self.settle(browser)
            try await browser.click("#random-user")
            let user = try await browser.waitFor("a random user with a history") {
                let id = try await browser.execute("return document.querySelector('#user-input').value;") as? String ?? ""
                return try await Self.count(browser, "#history .event") > 0 && !id.isEmpty ? id : nil
            }
            #expect(Int(user) != nil && (1...MovieLensLikeFixture.userCount).contains(Int(user) ?? 0), "\(user)")
            try await Self.settle(browser)
            #expect(try await browser.texts("#messages .message.error") == [])
            // The suggestions are users that exist.
            let options = try await browser.execute("return Array.from(document.querySelectorAll('#user-examples option')).map(o => o.value);") as? [String] ?? []
            #expect(!options.isEmpty && options.allSatisfy { Int($0) != nil })

            // User 1 rated all 60 films: 50 shown newest first, then the 10 older ones.
            let input = try await browser.find("#user-input")
            try await browser.clear(input)
            try await browser.type("1\u{E007}", into: input)
            let times = { () async throws -> [Int] in
                try await browser.execute("return Array.from(document.querySelectorAll('#history .event')).map(e => Number(e.dataset.timestamp));") as? [Int] ?? []
            }
            let first = try await browser.waitFor("user 1's first history page") {
                let t = try await times()
                return t.count == 50 ? t : nil
            }
            #expect(first == first.sorted(by: >), "newest first in time")
            #expect(try await browser.texts("#history-count") == ["newest first · 50 shown"])
            try await browser.click("#history-more")
            let all = try await browser.waitFor("user 1's older events") {
                let t = try await times()
                return t.count == 60 ? t : nil
            }
            #expect(all == all.sorted(by: >))
            #expect(try await browser.execute("return document.querySelector('#history-more').hidden;") as? Bool == true)
            let stored = MovieLensLikeFixture.events.filter { $0.user == "1" }.map { Int($0.timestamp) }.sorted(by: >)
            #expect(all == stored)

            // Search: 20 of the 60 films, then 20 more per click.
            try await browser.type("film\u{E007}", into: try await browser.find("#search-input"))
            _ = try await browser.waitFor("the first 20 films") { try await Self.count(browser, "#search-results .item") == 20 ? true : nil }
            try await browser.click("#search-more")
            _ = try await browser.waitFor("40 films") { try await Self.count(browser, "#search-results .item") == 40 ? true : nil }
            try await browser.click("#search-more")
            _ = try await browser.waitFor("all 60 films") { try await Self.count(browser, "#search-results .item") == 60 ? true : nil }
            let ids = try await browser.itemIDs("#search-results .item[data-item-id]")
            #expect(Set(ids).count == 60)
            try await Self.settle(browser)
            #expect(try await browser.execute("return document.querySelector('#search-more').hidden;") as? Bool == true)
            #expect(try await browser.texts("#messages .message.error") == [])
            #expect(try await browser.consoleErrors() == [])
            _ = try await browser.execute("document.querySelector('#history').scrollIntoView();")
            try await Self.save(browser, "web-page-movielens.png")
        }
    }

    @Test("the experiments section opens on the running experiment and names the loaded user's variant",
          .enabled(if: WebDriverClient.isAvailable, reason))
    func experimentsOpenOnRunning() async throws {
        let stopped = ExperimentDefinition(id: "spring", variants: [.init(name: "x", scene: "home"), .init(name: "y", scene: "home")],
                                           start: 1_600_000_000, stop: 1_650_000_000, scene: "product")
        var configuration = ServiceFixture.configuration
        configuration.experiments = [stopped, ExperimentAPITests.hero]
        let server = try await LiveServer.start(configuration: configuration)
        defer { Task { await server.stop() } }
        let variant = try #require(try await server.get("/v1/users/a0/recommendations").json["variant"] as? String)
        try await WebDriverClient.withSession { browser in
            try await browser.navigate(to: "http://127.0.0.1:\(server.port)/")
            _ = try await browser.waitFor("the report of 'hero'") {
                try await Self.count(browser, "#experiment-variants tr[data-variant]") == 2 ? true : nil
            }
            #expect(try await browser.execute("return document.querySelector('#experiment-select').value;") as? String == "hero")
            #expect(try await browser.execute("return document.querySelector('#experiment-none-running').hidden;") as? Bool == true)
            #expect(try await browser.texts("#experiment-select option") == ["spring (not running)", "hero (running)"])

            let input = try await browser.find("#user-input")
            try await browser.type("a0\u{E007}", into: input)
            let shown = try await browser.waitFor("a0's experiment and variant") {
                let data = try await browser.execute(
                    "const m = document.querySelector('#experiment-membership'); return [m.dataset.experiment || '', m.dataset.variant || ''];") as? [String]
                return data?.first == "hero" ? data : nil
            }
            #expect(shown == ["hero", variant])
            #expect(try await browser.texts("#experiment-membership").first?.contains("a0 is in experiment hero, variant \(variant)") == true)
            _ = try await browser.waitFor("a0's variant row marked") {
                try await browser.execute("return Array.from(document.querySelectorAll('#experiment-variants tr.mine')).map(r => r.dataset.variant);")
                    as? [String] == [variant] ? true : nil
            }
            try await Self.settle(browser)
            #expect(try await browser.texts("#messages .message.error") == [])
            #expect(try await browser.consoleErrors() == [])
            _ = try await browser.execute("document.querySelector('#experiments-section').scrollIntoView();")
            try await Self.save(browser, "web-page-experiments-running.png")
        }
    }

    @Test("with no experiment running the section says so plainly and no verdict says to keep it running",
          .enabled(if: WebDriverClient.isAvailable, reason))
    func experimentsNoneRunning() async throws {
        let stopped = ExperimentDefinition(id: "spring", variants: [.init(name: "x", scene: "home"), .init(name: "y", scene: "home")],
                                           start: 1_600_000_000, stop: 1_650_000_000, scene: "home")
        var configuration = ServiceFixture.configuration
        configuration.experiments = [stopped]
        let server = try await LiveServer.start(configuration: configuration)
        defer { Task { await server.stop() } }
        try await WebDriverClient.withSession { browser in
            try await browser.navigate(to: "http://127.0.0.1:\(server.port)/?user=a0")
            let note = try await browser.waitFor("the none-running note") {
                let hidden = try await browser.execute("return document.querySelector('#experiment-none-running').hidden;") as? Bool
                return hidden == false ? try await browser.texts("#experiment-none-running").first : nil
            }
            #expect(note.hasPrefix("No experiment is running now"))
            _ = try await browser.waitFor("a0 in no experiment") {
                try await browser.texts("#experiment-membership").first?.contains("a0 is in no experiment") == true ? true : nil
            }
            try await Self.settle(browser)
            #expect(try await browser.texts("#experiment-comparisons .verdict").allSatisfy { !$0.contains("keep the experiment running") })
            #expect(try await browser.consoleErrors() == [])
        }
    }
}
