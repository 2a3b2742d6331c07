import Foundation
import Testing
import TacitCore
import TacitExperiments
import TacitServing
import TacitStore
import TacitTestSupport

/// Experiments whose variants name a model: each such model is trained, versioned and retrained
/// beside the main one, and ranks its variant's requests.
@Suite("Experiment variants served by their own model")
struct ServiceVariantModelTests {
    /// Control names the main model (item-kNN, the fixture's), treatment EASE.
    static let definition = ExperimentDefinition(
        id: "ranker", variants: [.init(name: "control", model: "itemknn"), .init(name: "treatment", model: "ease")], scene: "home")

    static var configuration: ServiceConfiguration {
        var c = ServiceFixture.configuration
        c.experiments = [definition]
        return c
    }

    /// New users with one garden view each (personal results by fold-in), and their variants.
    static func visitors(_ service: RecommendationService, count: Int = 24) async throws -> [(user: String, variant: String)] {
        let assigner = try ExperimentAssigner(definition)
        let users = (0..<count).map { "visitor-\($0)" }
        _ = try await service.ingest(users.enumerated().map { k, user in
            StoredEvent(user: user, item: ServiceFixture.garden[k % 5], kind: .view, timestamp: 1_800_000_000 + Int64(k))
        })
        return try users.map { ($0, try #require(assigner.assign(user: $0)?.variant)) }
    }

    @Test("a variant model is read as a name or as {name, parameters}; stopped experiments' models are not trained")
    func configuration() throws {
        let c = try ServiceConfiguration.decode(Data("""
        {"model": {"name": "als", "parameters": {"factors": 8}},
         "experiments": [
           {"id": "x", "scene": "home", "variants": [{"name": "a", "model": "als"},
                                                     {"name": "b", "model": {"name": "ease", "parameters": {"lambda": 200}}}]},
           {"id": "y", "scene": "cart", "variants": [{"name": "a", "model": {"name": "als"}}, {"name": "b", "model": "ease"},
                                                     {"name": "c", "scene": "home", "model": "itemknn"}]},
           {"id": "old", "scene": "product", "stop": 1000, "variants": [{"name": "a"}, {"name": "b", "model": "bpr"}]}]}
        """.utf8), file: "tacit.json")
        #expect(c.experiments.map { $0.variants.map(\.model) } == [["als", "ease"], ["als", "ease", "itemknn"], [nil, "bpr"]])
        #expect(c.experimentModels == ["ease": .init(name: "ease", parameters: ["lambda": "200"])])
        // The main model serves the variants naming it; bpr's experiment stopped at 1000.
        #expect(c.variantModels(at: 2_000) == [.init(name: "ease", parameters: ["lambda": "200"]), .init(name: "itemknn")])
        #expect(c.variantModels(at: 500).map(\.name) == ["ease", "itemknn", "bpr"])
    }

    @Test("treatment users are ranked by the variant's model, control users by the main model; assignments are sticky")
    func servedByTheVariantModel() async throws {
        let service = try await ServiceFixture.service(configuration: Self.configuration)
        defer { Task { await service.shutdown() } }
        await service.waitForTraining()
        #expect(service.variantModels.map(\.name) == ["ease"], "the control's model is the main one: not trained twice")
        #expect(service.registry.current?.label == "itemknn v1")
        #expect(service.currentModel(named: "ease")?.label == "ease v1")

        let visitors = try await Self.visitors(service)
        #expect(Set(visitors.map(\.variant)) == ["control", "treatment"], "24 users fill both arms")
        var responses: [RecommendationResponse] = []
        for (user, variant) in visitors {
            for _ in 0..<2 {
                let response = try service.recommend(RecommendationRequest(user: user, count: 4))
                #expect(response.experiment == "ranker" && response.variant == variant, "sticky and as the assigner says")
                #expect(response.model == (variant == "treatment" ? "ease v1" : "itemknn v1"), "\(user): \(response.model ?? "nil")")
                #expect(response.items.contains { $0.source == .personal })
                responses.append(response)
            }
        }
        // A scene outside the experiment keeps the main model.
        let product = try service.recommend(RecommendationRequest(user: visitors[0].user, scene: "product", count: 3, contextItems: ["g1"]))
        #expect(product.experiment == nil && product.model == "itemknn v1")

        // Impressions record the model that served.
        await service.shutdown()
        for response in responses.prefix(6) {
            let impression = try #require(try await service.store.impression(recommendationID: response.recommendationID))
            #expect(impression.model == response.model && impression.variant == response.variant)
        }
    }

    @Test("a retrain retrains the main and the variant model, each numbering its own versions and files")
    func retrainRetrainsBoth() async throws {
        let directory = Fixtures.temporaryDirectory()
        let service = try await ServiceFixture.service(configuration: Self.configuration, directory: directory)
        defer { Task { await service.shutdown() } }
        await service.waitForTraining()
        let visitors = try await Self.visitors(service)

        let started = try await service.retrain()
        #expect(started == [.init(model: "itemknn", version: 2), .init(model: "ease", version: 2)])
        await service.waitForTraining()
        #expect(service.registry.current?.label == "itemknn v2")
        #expect(service.currentModel(named: "ease")?.label == "ease v2")
        #expect(service.currentModel(named: "ease")?.trainedUser(visitors[0].user) != nil, "the new version saw the new events")
        for (user, variant) in visitors.prefix(8) {
            let response = try service.recommend(RecommendationRequest(user: user, count: 4))
            #expect(response.model == (variant == "treatment" ? "ease v2" : "itemknn v2"))
        }
        #expect(try await service.store.modelVersions(of: "itemknn").map(\.version) == [1, 2])
        #expect(try await service.store.modelVersions(of: "ease").map(\.version) == [1, 2])
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("models").path)
        #expect(Set(files.filter { $0.hasSuffix(".tacitmodel") })
                == ["v1-itemknn.tacitmodel", "v2-itemknn.tacitmodel", "v1-ease.tacitmodel", "v2-ease.tacitmodel"])
    }

    @Test("until the variant's model is trained, the main model ranks its requests and the response says so; a restart loads each model's newest version")
    func fallbackUntilTrained() async throws {
        let directory = Fixtures.temporaryDirectory()
        // A first start without the experiment stores item-kNN v1 only.
        let first = try await ServiceFixture.service(directory: directory)
        await first.shutdown()
        try await first.store.close()

        let second = try await ServiceFixture.service(configuration: Self.configuration, seed: false, directory: directory, trainIfMissing: false)
        #expect(second.variantModels.first?.registry.current == nil)
        let visitors = try await Self.visitors(second)
        let treated = try #require(visitors.first { $0.variant == "treatment" }).user
        let control = try #require(visitors.first { $0.variant == "control" }).user
        let waiting = try second.recommend(RecommendationRequest(user: treated, count: 4))
        #expect(waiting.variant == "treatment" && waiting.model == "itemknn v1 (ease not trained yet)")
        #expect(waiting.items.count == 4)
        #expect(try second.recommend(RecommendationRequest(user: control, count: 4)).model == "itemknn v1")

        let ease = try #require(second.variantModels.first)
        let record = try await ease.lifecycle.trainAndWait()
        #expect(record.model == "ease" && record.version == 1)
        #expect(try second.recommend(RecommendationRequest(user: treated, count: 4)).model == "ease v1")
        await second.shutdown()
        try await second.store.close()

        let third = try await ServiceFixture.service(configuration: Self.configuration, seed: false, directory: directory, trainIfMissing: false)
        defer { Task { await third.shutdown() } }
        #expect(third.registry.current?.label == "itemknn v1")
        #expect(third.currentModel(named: "ease")?.label == "ease v1")
        #expect(try third.recommend(RecommendationRequest(user: treated, count: 4)).model == "ease v1")
    }
}
