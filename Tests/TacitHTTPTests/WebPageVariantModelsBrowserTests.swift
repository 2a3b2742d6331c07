import Foundation
import Testing
import TacitExperiments
import TacitServing
import TacitTestSupport

extension WebPageBrowserTests {
    @Test("the status line and the models panel list the models of experiment variants beside the main one",
          .enabled(if: WebDriverClient.isAvailable, reason))
    func variantModelsListed() async throws {
        var configuration = ServiceFixture.configuration
        configuration.experiments = [ExperimentDefinition(
            id: "ranker", variants: [.init(name: "control"), .init(name: "treatment", model: "ease")], scene: "home")]
        let server = try await LiveServer.start(configuration: configuration)
        defer { Task { await server.stop() } }
        await server.service.waitForTraining()
        try await WebDriverClient.withSession { browser in
            try await browser.navigate(to: "http://127.0.0.1:\(server.port)/")
            let status = try await browser.waitFor("the status line with the variant model") {
                let text = try await browser.execute("return document.querySelector('#server-status').textContent;") as? String
                return text?.contains("model itemknn v1") == true ? text : nil
            }
            #expect(status.hasSuffix(" · variant models ease v1"), "\(status)")
            let rows = try await browser.waitFor("the versions of both models") {
                let models = try await browser.execute(
                    "return Array.from(document.querySelectorAll('#models tr[data-version]')).map(r => r.dataset.model + ' v' + r.dataset.version + (r.classList.contains('serving') ? ' serving' : ''));")
                    as? [String]
                return models?.count == 2 ? models : nil
            }
            #expect(Set(rows) == ["itemknn v1 serving", "ease v1 serving"])
            let training = try await browser.execute("return document.querySelector('#training-status').textContent;") as? String
            #expect(training == "serving itemknn v1 · variant models: ease v1")
        }
    }

    @Test("an experiment with and without the learned ranker shows on the page: the ranker beside the main model, and a treatment user's responses from it",
          .enabled(if: WebDriverClient.isAvailable, reason))
    func rankerExperimentShown() async throws {
        var configuration = ServiceFixture.configuration
        let definition = ExperimentDefinition(id: "ranker-or-not", variants: [.init(name: "control"), .init(name: "treatment", model: "ranker")],
                                              scene: "home")
        configuration.experiments = [definition]
        configuration.experimentModels = ["ranker": .init(name: "ranker", parameters: ["per_source": "6", "rounds": "10", "cuts": "2"])]
        let server = try await LiveServer.start(configuration: configuration)
        defer { Task { await server.stop() } }
        await server.service.waitForTraining()
        let assigner = try ExperimentAssigner(definition)
        let treated = try #require(ServiceFixture.events.map(\.user).first { assigner.assign(user: $0)?.variant == "treatment" })
        let response = try server.service.recommend(RecommendationRequest(user: treated, count: 3))
        #expect(response.model == "ranker v1" && response.variant == "treatment")
        try await WebDriverClient.withSession { browser in
            try await browser.navigate(to: "http://127.0.0.1:\(server.port)/")
            let status = try await browser.waitFor("the status line with the ranker") {
                let text = try await browser.execute("return document.querySelector('#server-status').textContent;") as? String
                return text?.contains("variant models ranker v1") == true ? text : nil
            }
            #expect(status.contains("model itemknn v1"), "\(status)")
            let rows = try await browser.waitFor("the versions of both models") {
                let models = try await browser.execute(
                    "return Array.from(document.querySelectorAll('#models tr[data-version]')).map(r => r.dataset.model + ' v' + r.dataset.version + (r.classList.contains('serving') ? ' serving' : ''));")
                    as? [String]
                return models?.count == 2 ? models : nil
            }
            #expect(Set(rows) == ["itemknn v1 serving", "ranker v1 serving"])
        }
    }
}
