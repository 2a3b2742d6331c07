import Foundation
import Testing
import TacitTestSupport

/// The MovieLens 100K checks of the foundation issue, through the real CLI.
@Suite(.serialized, .enabled(if: Fixtures.movieLens != nil, "\(Fixtures.movieLensMissing)"))
struct MovieLensTests {
    var data: URL { Fixtures.movieLens! }
    var loo: URL { data.appendingPathComponent("splits/loo") }

    @Test func looSplitReproducesTheProvidedFilesRowForRow() async throws {
        let output = Fixtures.temporaryDirectory()
        let result = try await CLI.runOffPool(["split", "--data", data.appendingPathComponent("ratings.csv").path, "--protocol", "loo", "--output", output.path])
        #expect(result.status == 0, "\(result.stderr)")
        for name in ["train.csv", "valid.csv", "test.csv"] {
            // Ours keeps the rating as a fourth column (`value`); the first three match row for row.
            let ours = try String(contentsOf: output.appendingPathComponent(name), encoding: .utf8).split(separator: "\n")
            let provided = try String(contentsOf: loo.appendingPathComponent(name), encoding: .utf8).split(separator: "\n")
            #expect(ours.first == "user_id,item_id,timestamp,value")
            #expect(ours.count == provided.count, "\(name): \(ours.count) rows, provided \(provided.count)")
            let firstThree = ours.map { $0.split(separator: ",", omittingEmptySubsequences: false).prefix(3).joined(separator: ",") }
            #expect(Array(firstThree.dropFirst()) == provided.dropFirst().map(String.init), "\(name) differs from the provided split")
        }
    }

    @Test func popularMatchesTheReference() async throws {
        let json = Fixtures.temporaryDirectory().appendingPathComponent("popular.json")
        let result = try await CLI.runOffPool(["evaluate", "--train", loo.appendingPathComponent("train.csv").path,
                                  "--train", loo.appendingPathComponent("valid.csv").path,
                                  "--test", loo.appendingPathComponent("test.csv").path, "--model", "popular", "--json", json.path])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try CLI.json(json)
        #expect(object["model"] as? String == "popular")
        #expect(object["fit_seconds"] is Double)
        let metrics = object["metrics"] as! [String: Double]
        for key in ["HR@10", "NDCG@10", "MRR@10", "Recall@20", "NDCG@20", "Precision@10", "Coverage@10"] { #expect(metrics[key] != nil, "\(key)") }
        #expect(abs(metrics["NDCG@10"]! - 0.0449) <= 0.002, "popular NDCG@10 = \(metrics["NDCG@10"]!)")
        #expect(object["users"] as? Int == 943)
    }

    /// Parameters found by `tacit tune --model itemknn --trials 40` on valid.csv (docs/benchmarks.md).
    static let tunedItemKNN = ["neighbors=1254", "recency=3.020602552389114", "shrinkage=51.531042859549515",
                               "similarity=bm25", "bm25_k1=25.297225529476822", "bm25_b=0.44665476799809134"]

    /// Parameters found by `tacit tune --model als --trials 60` on valid.csv (docs/models.md).
    static let tunedALS = ["factors=48", "iterations=25", "regularization=0.527495516067306", "alpha=23.18253662624098",
                           "frequency_scaling=0.9722329196635658", "recency=3.02159154392335"]

    @Test func tunedItemKNNBeatsTheReferenceAndRecommendAgreesWithEvaluate() async throws {
        try await checkTuned("itemknn", Self.tunedItemKNN, atLeast: 0.0656, viaModelFile: false)
    }

    @Test func tunedALSBeatsImplicitAndItsModelFileAgreesWithEvaluate() async throws {
        try await checkTuned("als", Self.tunedALS, atLeast: 0.0757, viaModelFile: true)
    }

    /// Evaluates tuned parameters on the LOO test, then recomputes the metrics independently from
    /// `tacit recommend` output (from a model file written by `tacit train` when asked).
    func checkTuned(_ model: String, _ parameters: [String], atLeast reference: Double, viaModelFile: Bool) async throws {
        let directory = Fixtures.temporaryDirectory()
        let train = ["--train", loo.appendingPathComponent("train.csv").path, "--train", loo.appendingPathComponent("valid.csv").path]
        let params = parameters.flatMap { ["--param", $0] }
        let json = directory.appendingPathComponent("\(model).json")
        let evaluated = try await CLI.runOffPool(["evaluate"] + train + ["--test", loo.appendingPathComponent("test.csv").path, "--model", model, "--json", json.path] + params)
        #expect(evaluated.status == 0, "\(evaluated.stderr)")
        let metrics = try CLI.json(json)["metrics"] as! [String: Double]
        #expect(metrics["NDCG@10"]! >= reference, "\(model) NDCG@10 = \(metrics["NDCG@10"]!)")

        let recs = directory.appendingPathComponent("recs.csv")
        let recommended: CLI.Result
        if viaModelFile {
            let file = directory.appendingPathComponent("\(model).tacit").path
            let trained = try await CLI.runOffPool(["train"] + train + ["--model", model, "--output", file] + params)
            #expect(trained.status == 0, "\(trained.stderr)")
            recommended = try await CLI.runOffPool(["recommend", "--model-file", file, "--k", "10", "--output", recs.path])
        } else {
            recommended = try await CLI.runOffPool(["recommend"] + train + ["--model", model, "--k", "10", "--output", recs.path] + params)
        }
        #expect(recommended.status == 0, "\(recommended.stderr)")
        let independent = try await IndependentMetrics.compute(
            recommendations: recs, test: loo.appendingPathComponent("test.csv"),
            training: [loo.appendingPathComponent("train.csv"), loo.appendingPathComponent("valid.csv")], k: 10)
        for (name, value) in independent {
            #expect(abs(value - metrics[name]!) <= 1e-6, "\(name): independent \(value) vs tacit \(metrics[name]!)")
        }
    }
}

/// A deliberately separate, plain implementation of HR/NDCG/MRR@K from CSV files.
enum IndependentMetrics {
    static func rows(_ url: URL) async throws -> [[String]] {
        try String(contentsOf: url, encoding: .utf8).split(separator: "\n").dropFirst().map { $0.split(separator: ",").map(String.init) }
    }

    static func compute(recommendations: URL, test: URL, training: [URL], k: Int) async throws -> [String: Double] {
        var seen: [String: Set<String>] = [:]
        for url in training { for row in try await rows(url) { seen[row[0], default: []].insert(row[1]) } }
        var relevant: [String: Set<String>] = [:]
        for row in try await rows(test) where seen[row[0]] != nil && !seen[row[0]]!.contains(row[1]) { relevant[row[0], default: []].insert(row[1]) }
        var lists: [String: [(Int, String)]] = [:]
        for row in try await rows(recommendations) { lists[row[0], default: []].append((Int(row[1])!, row[2])) }
        var hr = 0.0, ndcg = 0.0, mrr = 0.0
        for (user, items) in relevant {
            let ranked = (lists[user] ?? []).sorted { $0.0 < $1.0 }.prefix(k).map(\.1)
            var dcg = 0.0, first = 0.0
            for (r, item) in ranked.enumerated() where items.contains(item) {
                dcg += 1 / log2(Double(r) + 2)
                if first == 0 { first = 1 / Double(r + 1) }
            }
            let ideal = (0..<min(k, items.count)).reduce(0.0) { $0 + 1 / log2(Double($1) + 2) }
            hr += first > 0 ? 1 : 0
            ndcg += dcg / ideal
            mrr += first
        }
        let n = Double(relevant.count)
        return ["HR@\(k)": hr / n, "NDCG@\(k)": ndcg / n, "MRR@\(k)": mrr / n]
    }
}
