import Foundation
import Testing
import TacitTestSupport

@Suite(.serialized) struct EndToEndTests {
    @Test func malformedRowFailsWithItsLineNumber() async throws {
        let path = Fixtures.temporaryFile("user_id,item_id,timestamp\nu1,i1,100\nu2,i2,200\nu3,i3,notatime\nu4,i4,400\n", name: "bad.csv")
        let result = try await CLI.runOffPool(["import", "--events", path])
        #expect(result.status != 0)
        #expect(result.stderr.contains("bad.csv:4:"), "\(result.stderr)")
        #expect(result.stderr.contains("timestamp"), "\(result.stderr)")
        let skipped = try await CLI.runOffPool(["import", "--events", path, "--skip-invalid"])
        #expect(skipped.status == 0, "\(skipped.stderr)")
        #expect(skipped.stdout.contains("events: 3 "), "\(skipped.stdout)")
        #expect(skipped.stderr.contains("bad_timestamp") || skipped.stderr.contains("timestamp"), "\(skipped.stderr)")
    }

    @Test func unknownNamesListTheValidOnes() async throws {
        let path = Fixtures.temporaryFile("user_id,item_id,timestamp\nu1,i1,1\nu1,i2,2\nu2,i1,3\n")
        let model = try await CLI.runOffPool(["evaluate", "--data", path, "--model", "svd"])
        #expect(model.status != 0)
        #expect(model.stderr.contains("unknown model 'svd'; valid: popular, trending, itemknn, als, bpr, ease"), "\(model.stderr)")
        let parameter = try await CLI.runOffPool(["evaluate", "--data", path, "--model", "itemknn", "--param", "k=3"])
        #expect(parameter.status != 0)
        #expect(parameter.stderr.contains("valid: neighbors, similarity"), "\(parameter.stderr)")
    }

    @Test func generatedShopRoundTripsThroughEveryCommand() async throws {
        let directory = Fixtures.temporaryDirectory()
        let shop = directory.appendingPathComponent("shop")
        let generated = try await CLI.runOffPool(["generate", "--events", "20000", "--seed", "5", "--output", shop.path])
        #expect(generated.status == 0, "\(generated.stderr)")
        let events = shop.appendingPathComponent("events.csv").path

        let json = directory.appendingPathComponent("compare.json")
        let compared = try await CLI.runOffPool(["evaluate", "--data", events, "--protocol", "loo", "--models", "popular,itemknn",
                                    "--param", "itemknn.recency=3", "--items", shop.appendingPathComponent("items.csv").path,
                                    "--json", json.path, "--threads", "2"])
        #expect(compared.status == 0, "\(compared.stderr)")
        let results = try CLI.json(json)["results"] as! [[String: Any]]
        let ndcg = results.map { ($0["metrics"] as! [String: Double])["NDCG@10"]! }
        #expect(ndcg[1] > ndcg[0], "itemknn \(ndcg[1]) should beat popular \(ndcg[0]) on the generated shop")
        #expect((results[0]["metrics"] as! [String: Double])["Diversity@10"] != nil)

        let splitDirectory = directory.appendingPathComponent("split")
        #expect(try await CLI.runOffPool(["split", "--data", events, "--protocol", "temporal", "--output", splitDirectory.path]).status == 0)
        let tuneJSON = directory.appendingPathComponent("tune.json")
        let tuned = try await CLI.runOffPool(["tune", "--train", splitDirectory.appendingPathComponent("train.csv").path,
                                 "--valid", splitDirectory.appendingPathComponent("valid.csv").path,
                                 "--model", "itemknn", "--trials", "3", "--json", tuneJSON.path])
        #expect(tuned.status == 0, "\(tuned.stderr)")
        let best = (try CLI.json(tuneJSON)["best"] as! [String: Any])["parameters"] as! [String: Any]
        let flags = best.flatMap { ["--param", "\($0.key)=\($0.value)"] }
        let evaluated = try await CLI.runOffPool(["evaluate", "--train", splitDirectory.appendingPathComponent("train.csv").path,
                                     "--train", splitDirectory.appendingPathComponent("valid.csv").path,
                                     "--test", splitDirectory.appendingPathComponent("test.csv").path, "--model", "itemknn"] + flags)
        #expect(evaluated.status == 0, "the tuned parameters must pass straight back: \(evaluated.stderr)")

        let matrix = directory.appendingPathComponent("shop.tmx")
        let imported = try await CLI.runOffPool(["import", "--events", events, "--output", matrix.path])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(FileManager.default.fileExists(atPath: matrix.path))
    }
}
