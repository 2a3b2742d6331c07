import Foundation
import Testing
import TacitTestSupport

/// The content-based and hybrid models on MovieLens 100K's LOO split (genres and titles from
/// items.csv), through the real CLI.
@Suite(.serialized, .enabled(if: Fixtures.movieLens != nil, "\(Fixtures.movieLensMissing)"))
struct MovieLensContentTests {
    var data: URL { Fixtures.movieLens! }
    var loo: URL { data.appendingPathComponent("splits/loo") }
    var items: String { data.appendingPathComponent("items.csv").path }

    /// Parameters found by `tacit tune --model content --trials 40` on valid.csv (docs/models.md).
    static let tunedContent = ["min_frequency=9", "recency=3.0955343145244143", "tag_weight=0.40178671901269186",
                               "title_weight=0.37115630723300197", "category_weight=0.4898695864990974"]

    @Test func contentBeatsRandomAndHybridKeepsUpWithItsCollaborativePart() async throws {
        let json = Fixtures.temporaryDirectory().appendingPathComponent("content.json")
        let result = try await CLI.runOffPool(["evaluate", "--train", loo.appendingPathComponent("train.csv").path,
                                  "--train", loo.appendingPathComponent("valid.csv").path,
                                  "--test", loo.appendingPathComponent("test.csv").path, "--items", items,
                                  "--models", "content,hybrid,als", "--json", json.path] + Self.tunedContent.flatMap { ["--param", "content.\($0)"] })
        #expect(result.status == 0, "\(result.stderr)")
        let rows = try CLI.json(json)["results"] as! [[String: Any]]
        var ndcg: [String: Double] = [:]
        for row in rows { ndcg[row["model"] as! String] = (row["metrics"] as! [String: Double])["NDCG@10"] }
        // A random ranking of ~1,600 candidates: E[NDCG@10] = Σ_{r≤10} 1/(n log2(r+1)) ≈ 0.0028.
        let random = (1...10).reduce(0.0) { $0 + 1 / log2(Double($1) + 1) } / 1_600
        #expect(ndcg["content"]! >= 3 * random, "content NDCG@10 \(ndcg["content"]!) vs random \(random)")
        // hybrid (defaults: als with its default parameters, content with its defaults) against als alone.
        #expect(ndcg["hybrid"]! >= ndcg["als"]! - 0.003, "hybrid \(ndcg["hybrid"]!) vs als \(ndcg["als"]!)")
    }

    @Test func contentWithoutItemsFailsNamingTheOption() async throws {
        let result = try await CLI.runOffPool(["evaluate", "--train", loo.appendingPathComponent("train.csv").path,
                                  "--test", loo.appendingPathComponent("valid.csv").path, "--model", "content"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("--items"), "\(result.stderr)")
    }

    @Test(arguments: ["content", "hybrid"])
    func tuneSearchesTheModel(model: String) async throws {
        let json = Fixtures.temporaryDirectory().appendingPathComponent("tune.json")
        let result = try await CLI.runOffPool(["tune", "--train", loo.appendingPathComponent("train.csv").path,
                                  "--valid", loo.appendingPathComponent("valid.csv").path, "--items", items,
                                  "--model", model, "--trials", "3", "--json", json.path] + (model == "hybrid" ? ["--param", "als.iterations=5"] : []))
        #expect(result.status == 0, "\(result.stderr)")
        let trials = try CLI.json(json)["trials"] as! [[String: Any]]
        #expect(trials.count == 3 && trials.allSatisfy { $0["error"] == nil })
    }
}
