import Foundation
import Testing
import TacitTestSupport

/// `tacit tune --models` / `--auto`: several models searched within a budget, end to end.
@Suite(.serialized) struct TuneSearchCommandTests {
    /// A generated shop split leave-last-out: (train, valid).
    func split() async throws -> (String, String) {
        let directory = Fixtures.temporaryDirectory()
        let shop = directory.appendingPathComponent("shop")
        #expect(try await CLI.runOffPool(["generate", "--events", "20000", "--seed", "5", "--output", shop.path]).status == 0)
        let split = directory.appendingPathComponent("split")
        #expect(try await CLI.runOffPool(["split", "--data", shop.appendingPathComponent("events.csv").path, "--protocol", "loo",
                             "--output", split.path]).status == 0)
        return (split.appendingPathComponent("train.csv").path, split.appendingPathComponent("valid.csv").path)
    }

    @Test func severalModelsShareTheTrialsAndPrintALeaderboard() async throws {
        let (train, valid) = try await split()
        let json = Fixtures.temporaryDirectory().appendingPathComponent("search.json")
        let result = try await CLI.runOffPool(["tune", "--train", train, "--valid", valid, "--models", "popular,itemknn", "--trials", "4",
                                  "--param", "itemknn.neighbors=10", "--threads", "2", "--json", json.path])
        #expect(result.status == 0, "\(result.stderr)")
        let output = try CLI.json(json)
        let trials = output["trials"] as? [[String: Any]] ?? []
        #expect(trials.map { $0["model"] as? String ?? "" } == ["popular", "itemknn", "popular", "itemknn"])
        #expect(trials.filter { $0["model"] as? String == "itemknn" }.allSatisfy {
            ($0["parameters"] as? [String: Any])?["neighbors"] as? Int == 10 })
        let board = output["leaderboard"] as? [[String: Any]] ?? []
        #expect(Set(board.map { $0["model"] as? String ?? "" }) == ["popular", "itemknn"])
        #expect(board.allSatisfy { $0["trials"] as? Int == 2 })
        let best = output["best"] as? [String: Any] ?? [:]
        let bestValue = (best["metrics"] as? [String: Double])?["NDCG@10"] ?? -1
        #expect(trials.allSatisfy { (($0["metrics"] as? [String: Double])?["NDCG@10"] ?? 0) <= bestValue })
        #expect(result.stdout.contains("rank  model"), "\(result.stdout)")
        #expect(result.stdout.contains("--model \(best["model"] as? String ?? "?")"), "\(result.stdout)")
        #expect(result.stderr.contains("searching popular, itemknn on"), "\(result.stderr)")
    }

    @Test func aTimeBudgetEndsTheSearch() async throws {
        let (train, valid) = try await split()
        let result = try await CLI.runOffPool(["tune", "--train", train, "--valid", valid, "--auto", "--budget", "1s", "--threads", "2"])
        #expect(result.status == 0, "\(result.stderr)")
        // Every model of --auto is named on the leaderboard; the first trial always runs.
        for model in ["als", "bpr", "ease", "itemknn", "sasrec", "popular"] { #expect(result.stdout.contains(model), "\(model)") }
        #expect(result.stdout.contains("best NDCG@10 = "), "\(result.stdout)")
    }

    @Test(arguments: [
        (["--model", "als", "--models", "ease"], "exactly one of --model, --models and --auto"),
        (["--auto", "--budget", "soon"], "--budget 'soon'"),
        (["--auto", "--budget=-5m"], "--budget '-5m'"),
        (["--model", "als", "--budget", "5m"], "--budget applies to --models and --auto"),
        (["--models", "als,nope", "--trials", "2"], "nope"),
        (["--models", "als,ease", "--param", "factors=8", "--trials", "2"], "--param model.key=value"),
    ])
    func badSearchArgumentsAreRefused(arguments: [String], message: String) async throws {
        let events = Fixtures.temporaryFile("user_id,item_id,timestamp\nu,a,1\nu,b,2\nv,a,3\n")
        let result = try await CLI.runOffPool(["tune", "--train", events, "--valid", events] + arguments)
        #expect(result.status != 0)
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }
}
