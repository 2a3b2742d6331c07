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
}
