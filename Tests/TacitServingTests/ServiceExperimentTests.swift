import Foundation
import Testing
import TacitCore
import TacitExperiments
import TacitServing
import TacitStore
import TacitTestSupport

@Suite("Experiments in the service")
struct ServiceExperimentTests {
    static func decode(_ json: String) throws(TacitError) -> ServiceConfiguration {
        try ServiceConfiguration.decode(Data(json.utf8), file: "tacit.json")
    }

    @Test("experiments are read strictly, with their scenes")
    func goodFile() throws {
        let c = try Self.decode("""
        {"experiments": [{"id": "hero", "scene": "home", "holdout": 0.1, "policy": {"type": "thompson", "floor": 0.05},
                          "variants": [{"name": "a", "scene": "home"}, {"name": "b", "scene": "cart", "share": 2}]}]}
        """)
        #expect(c.experiments.count == 1)
        #expect(c.experiments[0].scene == "home")
        #expect(c.experiments[0].variants.map(\.scene) == ["home", "cart"])
        #expect(c.experiments[0].policy == .thompson(floor: 0.05))
        #expect(c.experiments[0].holdout == 0.1)
    }

    @Test("a bad experiment fails at load with the exact field", arguments: [
        (#"{"experiments": [{"id": "x", "scene": "home", "variants": [{"name": "a"}, {"name": "b", "model": "nope"}]}]}"#,
         "tacit.json: experiments[0].variants[1].model: unknown model 'nope'; valid: popular, trending, itemknn, als,"),
        (#"{"experiments": [{"id": "x", "scene": "home", "variants": [{"name": "a"}, {"name": "b", "model": {"name": "nope"}}]}]}"#,
         "tacit.json: experiments[0].variants[1].model.name: unknown model 'nope'; valid: popular,"),
        (#"{"experiments": [{"id": "x", "scene": "home", "variants": [{"name": "a"}, {"name": "b", "model": {"parameters": {}}}]}]}"#,
         "tacit.json: experiments[0].variants[1].model.name: required key is missing"),
        (#"{"experiments": [{"id": "x", "scene": "home", "variants": [{"name": "a"}, {"name": "b", "model": {"name": "ease", "params": {}}}]}]}"#,
         "tacit.json: experiments[0].variants[1].model.params: unknown key; valid: name, parameters"),
        (#"{"experiments": [{"id": "x", "scene": "home", "variants": [{"name": "a"}, {"name": "b", "model": {"name": "ease", "parameters": {"bogus": 1}}}]}]}"#,
         "tacit.json: experiments[0].variants[1].model.parameters: "),
        (#"{"experiments": [{"id": "x", "scene": "home", "variants": [{"name": "a"}, {"name": "b", "model": 7}]}]}"#,
         "tacit.json: experiments[0].variants[1].model: must be a model name or an object {\"name\", \"parameters\"}"),
        (#"{"model": {"name": "als", "parameters": {"factors": 8}}, "experiments": [{"id": "x", "scene": "home", "variants": [{"name": "a", "model": {"name": "als", "parameters": {"factors": 16}}}, {"name": "b"}]}]}"#,
         "tacit.json: experiments[0].variants[0].model.parameters: 'als' is the main model, which serves this variant; its parameters are model.parameters"),
        (#"{"experiments": [{"id": "x", "scene": "home", "variants": [{"name": "a", "model": {"name": "ease", "parameters": {"lambda": 10}}}, {"name": "b"}]}, {"id": "y", "scene": "cart", "variants": [{"name": "a"}, {"name": "b", "model": {"name": "ease", "parameters": {"lambda": 20}}}]}]}"#,
         "tacit.json: experiments[1].variants[1].model.parameters: 'ease' has other parameters at experiments[0].variants[0].model; a model has one configuration per service"),
        (#"{"experiments": [{"id": "x", "scene": "home", "attribution_window_seconds": -5, "variants": [{"name": "a"}, {"name": "b"}]}]}"#,
         "tacit.json: experiments[0].attribution_window_seconds: must be ≥ 0, got -5"),
        (#"{"experiments": [{"id": "x", "scene": "home", "variants": [{"name": "a"}, {"name": "b", "share": -1}]}]}"#,
         "tacit.json: experiments[0].variants[1].share: must be > 0, got -1"),
        (#"{"experiments": [{"id": "x", "scene": "home", "variants": [{"name": "a"}, {"name": "b", "scene": "nowhere"}]}]}"#,
         "tacit.json: experiments[0].variants[1].scene: unknown scene 'nowhere'; valid: cart, home, product"),
        (#"{"experiments": [{"id": "x", "scene": "nowhere", "variants": [{"name": "a"}, {"name": "b"}]}]}"#,
         "tacit.json: experiments[0].scene: unknown scene 'nowhere'"),
        (#"{"experiments": [{"id": "x", "variants": [{"name": "a"}, {"name": "b"}]}]}"#,
         "tacit.json: experiments[0].scene: required key is missing"),
        (#"{"experiments": [{"id": "x", "scene": "home", "policy": "greedy", "variants": [{"name": "a"}, {"name": "b"}]}]}"#,
         "tacit.json: experiments[0].policy: unknown policy 'greedy'"),
        (#"{"experiments": [{"id": "x", "scene": "home", "variants": [{"name": "a", "shares": 1}, {"name": "b"}]}]}"#,
         "tacit.json: experiments[0].variants[0].shares: unknown key 'shares'"),
        (#"{"experiments": {"id": "x"}}"#, "tacit.json: experiments:"),
    ])
    func badFiles(json: String, message: String) {
        do {
            _ = try Self.decode(json)
            Issue.record("\(json) was accepted")
        } catch {
            #expect(error.description.contains(message), "\(error.description)")
        }
    }

    @Test("a Thompson bandit moves its allocation toward the arm whose responses get clicked")
    func banditLearns() async throws {
        var configuration = ServiceFixture.configuration
        configuration.experiments = [ExperimentDefinition(
            id: "bandit", variants: [.init(name: "a", scene: "home"), .init(name: "b", scene: "cart")],
            policy: .thompson(floor: 0.05), scene: "home")]
        let service = try await ServiceFixture.service(configuration: configuration)
        defer { Task { await service.shutdown() } }
        #expect(service.experimentAllocation(id: "bandit") == [0.5, 0.5])
        var served: [String: Int] = [:]
        for batch in 0..<20 {
            var clicks: [StoredEvent] = []
            for k in 0..<30 {
                let user = "u\(batch * 30 + k)"
                let response = try service.recommend(RecommendationRequest(user: user, count: 3))
                #expect(response.experiment == "bandit")
                let variant = try #require(response.variant)
                served[variant, default: 0] += 1
                if variant == "b" {
                    clicks.append(StoredEvent(user: user, item: "k1", kind: .click, timestamp: 1_800_000_000,
                                              recommendationID: response.recommendationID))
                }
            }
            _ = try await service.ingest(clicks)
        }
        let allocation = try #require(service.experimentAllocation(id: "bandit"))
        #expect(abs(allocation.reduce(0, +) - 1) < 1e-9)
        #expect(allocation[1] > 0.9, "b converts every time, a never: \(allocation)")
        #expect(allocation[0] >= 0.05, "the floor holds")
        #expect(served["b", default: 0] > served["a", default: 0], "most traffic went to b: \(served)")
        // The fixed-split API reports no allocation.
        #expect(service.experimentAllocation(id: "unknown") == nil)
    }

    @Test("a holdout user gets the request's scene and no variant; the impression records the experiment, no variant")
    func holdout() async throws {
        let definition = ExperimentDefinition(
            id: "half", variants: [.init(name: "a", scene: "cart"), .init(name: "b", scene: "cart")], holdout: 0.5, scene: "home")
        var configuration = ServiceFixture.configuration
        configuration.experiments = [definition]
        let service = try await ServiceFixture.service(configuration: configuration)
        let assigner = try ExperimentAssigner(definition)
        let users = (0..<40).map { "h\($0)" }
        let held = try #require(users.first { assigner.assign(user: $0)?.isHoldout == true })
        let assigned = try #require(users.first { assigner.assign(user: $0)?.isHoldout == false })

        let outside = try service.recommend(RecommendationRequest(user: held, count: 3))
        #expect(outside.experiment == nil && outside.variant == nil)
        let plain = try service.recommend(RecommendationRequest(user: held, scene: "home", count: 3))
        #expect(outside.items.map(\.id) == plain.items.map(\.id), "the default scene serves the holdout")
        let inside = try service.recommend(RecommendationRequest(user: assigned, count: 3))
        #expect(inside.experiment == "half" && inside.variant == assigner.assign(user: assigned)?.variant)
        let cart = try service.recommend(RecommendationRequest(user: assigned, scene: "cart", count: 3))
        #expect(inside.items.map(\.id) == cart.items.map(\.id), "the variant's scene serves the variant")

        await service.shutdown()
        let heldImpression = try #require(try await service.store.impression(recommendationID: outside.recommendationID))
        #expect(heldImpression.experiment == "half" && heldImpression.variant == nil && heldImpression.propensity == 0.5)
        let shown = try #require(try await service.store.impression(recommendationID: inside.recommendationID))
        #expect(shown.experiment == "half" && shown.variant == inside.variant && shown.propensity == 0.5)
        #expect(shown.scene == "home")
    }

    @Test("with an attribution window, events sent without a recommendation id count for the user's latest response")
    func attributionWindow() async throws {
        let definition = ExperimentDefinition(
            id: "window", variants: [.init(name: "a", scene: "home"), .init(name: "b", scene: "home")], scene: "home",
            attributionWindow: 3_600)
        var configuration = ServiceFixture.configuration
        configuration.experiments = [definition]
        let service = try await ServiceFixture.service(configuration: configuration)
        let response = try service.recommend(RecommendationRequest(user: "w1", count: 3))
        let variant = try #require(response.variant)
        let shownAt = Int64(Date().timeIntervalSince1970)
        let item = try #require(response.items.first?.id)
        _ = try await service.ingest([
            // Within the window, no id: attributed. A view never counts.
            StoredEvent(user: "w1", item: item, kind: .click, timestamp: shownAt + 60),
            StoredEvent(user: "w1", item: item, kind: .purchase, timestamp: shownAt + 120, value: 25),
            StoredEvent(user: "w1", item: item, kind: .view, timestamp: shownAt + 130),
            // After the window, or before the response: not attributed.
            StoredEvent(user: "w1", item: item, kind: .purchase, timestamp: shownAt + 7_200, value: 99),
            StoredEvent(user: "w1", item: item, kind: .click, timestamp: shownAt - 600),
        ])
        let report = try await service.experimentReport(id: "window")
        let row = try #require(report.variants.first { $0.name == variant })
        #expect(row.users == 1 && row.impressions == 1)
        #expect(row.clicks == 1 && row.purchases == 1 && row.revenue == 25)
        await service.shutdown()

        // Without a window the same events count for nothing.
        var idOnly = definition
        idOnly.attributionWindow = nil
        let plain = try await ExperimentReporter.report(idOnly, store: service.store)
        #expect(plain.variants.allSatisfy { $0.clicks == 0 && $0.purchases == 0 })
    }

    @Test("a restart rebuilds a bandit's plays and successes from the store; open plays still count")
    func banditSurvivesRestart() async throws {
        var configuration = ServiceFixture.configuration
        configuration.experiments = [ExperimentDefinition(
            id: "bandit", variants: [.init(name: "a", scene: "home"), .init(name: "b", scene: "cart")],
            policy: .thompson(floor: 0.05), scene: "home")]
        let directory = Fixtures.temporaryDirectory()
        let first = try await ServiceFixture.service(configuration: configuration, directory: directory)
        var unclicked: [(user: String, id: String)] = []
        var clicks: [StoredEvent] = []
        for k in 0..<40 {
            let user = "r\(k)"
            let response = try first.recommend(RecommendationRequest(user: user, count: 3))
            guard response.variant == "b" else { continue }
            if k % 2 == 0 {
                clicks.append(StoredEvent(user: user, item: "k1", kind: .click, timestamp: 1_800_000_000, recommendationID: response.recommendationID))
                // A second success on the same response counts once.
                clicks.append(StoredEvent(user: user, item: "k1", kind: .purchase, timestamp: 1_800_000_001, recommendationID: response.recommendationID))
            } else {
                unclicked.append((user, response.recommendationID))
            }
        }
        _ = try await first.ingest(clicks)
        let before = try #require(first.experimentTallies(id: "bandit"))
        #expect(before.arms.reduce(0) { $0 + $1.pulls } == 40)
        await first.shutdown()

        let second = try await ServiceFixture.service(configuration: configuration, seed: false, directory: directory)
        defer { Task { await second.shutdown() } }
        #expect(second.experimentTallies(id: "bandit") == before)
        // A response served before the restart still earns its success.
        let open = try #require(unclicked.first)
        _ = try await second.ingest([StoredEvent(user: open.user, item: "k2", kind: .click, timestamp: 1_800_000_002, recommendationID: open.id)])
        let after = try #require(second.experimentTallies(id: "bandit"))
        #expect(after.arms[1].rewardSum == before.arms[1].rewardSum + 1 && after.arms[1].pulls == before.arms[1].pulls)
    }
}
