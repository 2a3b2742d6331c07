import Foundation
import Testing
import TacitServing
import TacitStore
import TacitTestSupport

/// The dashboard's chart of the service's background search, in a real headless Chromium.
extension WebPageBrowserTests {
    /// A server whose itemknn (configured with one neighbour) has had a four-trial search among
    /// `models`, waited for (up to two minutes).
    static func searchedServer(models: ServiceConfiguration.Search.Models) async throws -> LiveServer {
        var configuration = ServiceFixture.configuration
        configuration.model = .init(name: "itemknn", parameters: ["neighbors": "1"])
        configuration.training.search = .init(budgetSeconds: 600, maxTrials: 4)
        configuration.training.search?.models = models
        let server = try await LiveServer.start(configuration: configuration, items: MovieLensLikeFixture.items,
                                                events: MovieLensLikeFixture.events)
        let search = try #require(server.service.search)
        for _ in 0..<1_200 where search.status.phase != .finished && search.status.phase != .failed {
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        return server
    }

    @Test("the dashboard charts the background search: a point per trial, the best so far and the configured value",
          .enabled(if: WebDriverClient.isAvailable, reason))
    func dashboardSearchChart() async throws {
        let server = try await Self.searchedServer(models: .configured)
        defer { Task { await server.stop() } }
        let search = try #require(server.service.search)
        #expect(search.status.phase == .finished && search.status.trials.count == 4)
        try await WebDriverClient.withSession { browser in
            try await browser.navigate(to: "http://127.0.0.1:\(server.port)/dashboard")
            _ = try await browser.waitFor("the overview to render") {
                try await browser.execute("return document.body.dataset.loaded;") as? String == "1" ? true : nil
            }
            try await Self.settle(browser)
            #expect(try await browser.execute("return document.querySelector('#search-panel').hidden;") as? Bool == false)
            #expect(try await Self.count(browser, "svg#chart-search circle.point[data-series=trial]") == 4)
            #expect(try await Self.count(browser, "svg#chart-search circle.point[data-series='best so far']") == 4)
            #expect(try await Self.count(browser, "svg#chart-search path.series") == 3)
            let caption = try await browser.texts(".caption[data-for=search]").first ?? ""
            #expect(caption.contains("4 trials") && caption.contains("finished"), "\(caption)")
            #expect(try await browser.consoleErrors() == [])
            _ = try await browser.execute("document.querySelector('#search-panel').scrollIntoView();")
            try await Self.save(browser, "dashboard-search.png")
        }
    }

    @Test("a search among models charts each model's trials as a series of its own, and /v1/models names the winner",
          .enabled(if: WebDriverClient.isAvailable, reason))
    func dashboardSearchAmongModels() async throws {
        let server = try await Self.searchedServer(models: .list(["popular"]))
        defer { Task { await server.stop() } }
        let search = try #require(server.service.search)
        let status = search.status
        #expect(status.phase == .finished && status.trials.map(\.model) == ["itemknn", "popular", "itemknn", "popular"])
        let body = try await server.get("/v1/models").json
        let reported = try #require(body["search"] as? [String: Any])
        #expect(reported["models"] as? [String] == ["itemknn", "popular"])
        #expect((reported["trials"] as? [[String: Any]])?.compactMap { $0["model"] as? String } == ["itemknn", "popular", "itemknn", "popular"])
        #expect(reported["adopted_model"] as? String == status.adoptedModel)
        if let winner = status.adoptedModel {
            #expect((body["serving"] as? [String: Any])?["model"] as? String == winner)
        }
        try await WebDriverClient.withSession { browser in
            try await browser.navigate(to: "http://127.0.0.1:\(server.port)/dashboard")
            _ = try await browser.waitFor("the overview to render") {
                try await browser.execute("return document.body.dataset.loaded;") as? String == "1" ? true : nil
            }
            try await Self.settle(browser)
            #expect(try await Self.count(browser, "svg#chart-search circle.point[data-series=itemknn]") == 2)
            #expect(try await Self.count(browser, "svg#chart-search circle.point[data-series=popular]") == 2)
            #expect(try await Self.count(browser, "svg#chart-search circle.point[data-series='best so far']") == 4)
            let legend = try await browser.texts("#search-legend span").joined(separator: " ")
            #expect(legend.contains("itemknn") && legend.contains("popular") && legend.contains("configured itemknn"), "\(legend)")
            let caption = try await browser.texts(".caption[data-for=search]").first ?? ""
            #expect(caption.contains("itemknn, popular") && caption.contains("finished"), "\(caption)")
            #expect(try await browser.consoleErrors() == [])
            _ = try await browser.execute("document.querySelector('#search-panel').scrollIntoView();")
            try await Self.save(browser, "dashboard-search-models.png")
        }
    }
}
