import Testing
import TacitCore
@testable import TacitModels

@Suite struct CatalogTests {
    @Test func unknownModelListsTheValidOnes() {
        do { _ = try ModelCatalog.descriptor(named: "svd"); Issue.record("no error") } catch {
            #expect(error.description == "unknown model 'svd'; valid: popular, trending, itemknn, als, bpr, ease, content, hybrid, twotower, sasrec, ranker")
        }
    }

    @Test func unknownParameterListsTheValidOnes() {
        do { _ = try ItemKNN.descriptor.parameters(from: ["k=5"]); Issue.record("no error") } catch {
            #expect(error.description.contains("unknown parameter for model 'itemknn' 'k'; valid: neighbors, similarity"))
        }
    }

    @Test func parsesAndValidatesValues() throws {
        let p = try ItemKNN.descriptor.parameters(from: ["neighbors=50", "similarity=bm25", "shrinkage=2.5"])
        #expect(p.integer("neighbors") == 50 && p.choice("similarity") == "bm25" && p.real("shrinkage") == 2.5)
        #expect(p.real("alpha") == 0.5)
        #expect(throws: TacitError.self) { try ItemKNN.descriptor.parameters(from: ["neighbors=0"]) }
        #expect(throws: TacitError.self) { try ItemKNN.descriptor.parameters(from: ["neighbors=many"]) }
        #expect(throws: TacitError.self) { try ItemKNN.descriptor.parameters(from: ["similarity=jaccard"]) }
        #expect(throws: TacitError.self) { try ItemKNN.descriptor.parameters(from: ["neighbors"]) }
    }
}
