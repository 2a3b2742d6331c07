import Foundation
import Testing
import TacitExperiments
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
}
