import Foundation
import Testing
import TacitTestSupport

/// `tacit train`, model files and fold-in through `tacit recommend`, end to end.
@Suite(.serialized) struct TrainCommandTests {
    struct Shop {
        let directory: URL
        var train: String { directory.appendingPathComponent("split/train.csv").path }
        var valid: String { directory.appendingPathComponent("split/valid.csv").path }
    }

    func shop() async throws -> Shop {
        let directory = Fixtures.temporaryDirectory()
        let generated = try await CLI.runOffPool(["generate", "--events", "20000", "--seed", "11", "--output", directory.appendingPathComponent("shop").path])
        #expect(generated.status == 0, "\(generated.stderr)")
        let split = try await CLI.runOffPool(["split", "--data", directory.appendingPathComponent("shop/events.csv").path, "--protocol", "loo",
                                 "--output", directory.appendingPathComponent("split").path])
        #expect(split.status == 0, "\(split.stderr)")
        return Shop(directory: directory)
    }

    static let als = ["--model", "als", "--param", "factors=16", "--param", "iterations=6", "--param", "alpha=5", "--threads", "2"]

    @Test("split files keep kind and value: evaluating from them equals evaluating --data with the same protocol")
    func splitFilesEvaluateLikeData() async throws {
        let shop = try await shop()
        let header = try String(contentsOfFile: shop.train, encoding: .utf8).prefix { $0 != "\n" }
        #expect(header == "user_id,item_id,timestamp,kind,value")
        let events = shop.directory.appendingPathComponent("shop/events.csv").path
        let test = shop.directory.appendingPathComponent("split/test.csv").path
        let viaData = shop.directory.appendingPathComponent("data.json"), viaSplit = shop.directory.appendingPathComponent("split.json")
        let weighting = ["--kind-weight", "view=1", "--kind-weight", "purchase=8", "--threads", "1"]
        // Models whose result does not depend on the order ids were first seen in (ALS's random
        // start and popular's ties do: the split files list users in another order).
        for model in ["ease", "itemknn"] {
            let a = try await CLI.runOffPool(["evaluate", "--data", events, "--protocol", "loo", "--model", model] + weighting + ["--json", viaData.path])
            #expect(a.status == 0, "\(a.stderr)")
            let b = try await CLI.runOffPool(["evaluate", "--train", shop.train, "--train", shop.valid, "--test", test, "--model", model] + weighting
                                + ["--json", viaSplit.path])
            #expect(b.status == 0, "\(b.stderr)")
            // --data writes {"protocol", "results": [...]}; --train/--test with one model, the result itself.
            let fromData = (try CLI.json(viaData)["results"] as? [[String: Any]])?.first?["metrics"] as? [String: Double] ?? [:]
            let fromSplit = try CLI.json(viaSplit)["metrics"] as? [String: Double] ?? [:]
            #expect(fromData["NDCG@10"] != nil, "\(model)")
            for (key, value) in fromData {
                #expect(abs((fromSplit[key] ?? -1) - value) < 1e-9, "\(model) \(key): \(value) via --data, \(fromSplit[key] ?? -1) via split files")
            }
        }
    }

    @Test func modelFileRecommendsExactlyWhatTrainingInPlaceDoes() async throws {
        let shop = try await shop()
        let model = shop.directory.appendingPathComponent("als.tacit").path, json = shop.directory.appendingPathComponent("fit.json")
        let trained = try await CLI.runOffPool(["train", "--train", shop.train] + Self.als + ["--output", model, "--json", json.path])
        #expect(trained.status == 0, "\(trained.stderr)")
        let summary = try CLI.json(json)
        #expect(summary["model"] as? String == "als")
        #expect(summary["fit_seconds"] is Double)
        #expect((summary["parameters"] as? [String: Any])?["factors"] as? Int == 16)

        let fromFile = shop.directory.appendingPathComponent("file.csv"), inPlace = shop.directory.appendingPathComponent("place.csv")
        #expect(try await CLI.runOffPool(["recommend", "--model-file", model, "--k", "5", "--output", fromFile.path]).status == 0)
        #expect(try await CLI.runOffPool(["recommend", "--train", shop.train] + Self.als + ["--k", "5", "--output", inPlace.path]).status == 0)
        let a = try String(contentsOf: fromFile, encoding: .utf8), b = try String(contentsOf: inPlace, encoding: .utf8)
        #expect(a == b)
        #expect(a.split(separator: "\n").count > 100)
    }

    /// Relative kind weights (the default): a log holding one kind trains the same model whatever
    /// that kind is called, the model that absolute weights give with that kind weighing 1, and
    /// `train` says which weights it applied.
    @Test func aLogOfOneKindTrainsTheSameModelWhateverTheKind() async throws {
        let shop = try await shop()
        let rows = try String(contentsOfFile: shop.train, encoding: .utf8).split(separator: "\n").map(String.init)
        let purchases = rows.dropFirst().filter { $0.split(separator: ",", omittingEmptySubsequences: false)[3] == "purchase" }
        #expect(purchases.count > 100)
        let asPurchases = Fixtures.temporaryFile(([rows[0]] + purchases).joined(separator: "\n") + "\n", name: "purchases.csv")
        let asOrders = Fixtures.temporaryFile(([rows[0]] + purchases.map { $0.replacingOccurrences(of: ",purchase,", with: ",order,") })
            .joined(separator: "\n") + "\n", name: "orders.csv")
        func recommendations(_ train: String, _ extra: [String]) async throws -> (String, String) {
            let model = shop.directory.appendingPathComponent("m.tacit").path, out = shop.directory.appendingPathComponent("r.csv")
            let trained = try await CLI.runOffPool(["train", "--train", train] + Self.als + extra + ["--output", model])
            #expect(trained.status == 0, "\(trained.stderr)")
            #expect(try await CLI.runOffPool(["recommend", "--model-file", model, "--k", "5", "--output", out.path]).status == 0)
            return (try String(contentsOf: out, encoding: .utf8), trained.stderr)
        }
        let (relative, stderr) = try await recommendations(asPurchases, [])
        #expect(stderr.contains("weights: purchase 1 (relative: the most frequent kind, purchase, weighs 1); aggregation sum"), "\(stderr)")
        await #expect(try recommendations(asOrders, []).0 == relative)
        await #expect(try recommendations(asPurchases, ["--kind-scale", "absolute", "--kind-weight", "purchase=1"]).0 == relative)
        let (absolute, absoluteLog) = try await recommendations(asPurchases, ["--kind-scale", "absolute"])
        #expect(absoluteLog.contains("weights: purchase 8 (absolute)"), "\(absoluteLog)")
        #expect(absolute != relative)
        let bad = try await CLI.runOffPool(["train", "--train", asPurchases, "--model", "popular", "--kind-scale", "ratio", "--output", "/dev/null"])
        #expect(bad.status != 0 && bad.stderr.contains("--kind-scale"), "\(bad.stderr)")
    }

    /// `recommend --retrieval index` probing every leaf writes exactly the exact lists; with the
    /// default probes, `--k` items per user; `evaluate` takes the same options; a bad value is
    /// refused naming the option.
    @Test func retrievalThroughTheIndex() async throws {
        let shop = try await shop()
        let model = shop.directory.appendingPathComponent("als.tacit").path
        #expect(try await CLI.runOffPool(["train", "--train", shop.train] + Self.als + ["--output", model]).status == 0)
        let exact = shop.directory.appendingPathComponent("exact.csv"), everything = shop.directory.appendingPathComponent("all.csv")
        let quick = shop.directory.appendingPathComponent("quick.csv")
        #expect(try await CLI.runOffPool(["recommend", "--model-file", model, "--k", "10", "--retrieval", "exact", "--output", exact.path]).status == 0)
        let all = try await CLI.runOffPool(["recommend", "--model-file", model, "--k", "10", "--retrieval", "index", "--probes", "100000", "--rescore", "100000",
                               "--output", everything.path])
        #expect(all.status == 0 && all.stderr.contains("retrieval: index of "), "\(all.stderr)")
        // The same users, ranks and items; scores within rounding (the exact batch sums by matrix products).
        let a = try String(contentsOf: exact, encoding: .utf8).split(separator: "\n"), b = try String(contentsOf: everything, encoding: .utf8).split(separator: "\n")
        #expect(a.count == b.count && a.count > 100)
        for (x, y) in zip(a.dropFirst(), b.dropFirst()) {
            let p = x.split(separator: ","), q = y.split(separator: ",")
            #expect(p.prefix(3) == q.prefix(3) && abs((Double(p[3]) ?? 0) - (Double(q[3]) ?? 1)) < 1e-5, "\(x) vs \(y)")
        }
        #expect(try await CLI.runOffPool(["recommend", "--model-file", model, "--k", "10", "--retrieval", "index", "--output", quick.path]).status == 0)
        func lists(_ url: URL) async throws -> [String: [String]] {
            var lists: [String: [String]] = [:]
            for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n").dropFirst() {
                let fields = line.split(separator: ",").map(String.init)
                lists[fields[0], default: []].append(fields[2])
            }
            return lists
        }
        let truth = try await lists(exact), found = try await lists(quick)
        #expect(found.count == truth.count && found.values.allSatisfy { $0.count == 10 })
        let overlap = truth.reduce(0) { $0 + Set($1.value).intersection(found[$1.key] ?? []).count }
        #expect(Double(overlap) / Double(10 * truth.count) >= 0.9, "recall@10 of the default index: \(overlap) of \(10 * truth.count)")
        // `similar` through the similar-items index probing every leaf: the exact neighbours.
        let exactSimilar = try await CLI.runOffPool(["similar", "--model-file", model, "--k", "5", "--retrieval", "exact"])
        let indexedSimilar = try await CLI.runOffPool(["similar", "--model-file", model, "--k", "5", "--retrieval", "index", "--probes", "100000", "--rescore", "100000"])
        #expect(exactSimilar.status == 0 && indexedSimilar.status == 0, "\(indexedSimilar.stderr)")
        let neighbours = { (text: String) in text.split(separator: "\n").map { $0.split(separator: ",").prefix(3).joined(separator: ",") } }
        #expect(neighbours(exactSimilar.stdout).count > 100 && neighbours(exactSimilar.stdout) == neighbours(indexedSimilar.stdout))
        let evaluated = try await CLI.runOffPool(["evaluate", "--train", shop.train, "--test", shop.valid] + Self.als + ["--retrieval", "index"])
        #expect(evaluated.status == 0, "\(evaluated.stderr)")
        let refused = try await CLI.runOffPool(["recommend", "--model-file", model, "--retrieval", "fast", "--output", quick.path])
        #expect(refused.status != 0 && refused.stderr.contains("--retrieval must be one of auto, exact, index"), "\(refused.stderr)")
        let zero = try await CLI.runOffPool(["recommend", "--model-file", model, "--rescore", "0", "--output", quick.path])
        #expect(zero.status != 0 && zero.stderr.contains("--rescore must be in 1...1000000"), "\(zero.stderr)")
    }

    @Test func newEventsChangeRecommendationsWithoutRetraining() async throws {
        let shop = try await shop()
        let model = shop.directory.appendingPathComponent("als.tacit").path
        #expect(try await CLI.runOffPool(["train", "--train", shop.train] + Self.als + ["--output", model]).status == 0)
        let before = shop.directory.appendingPathComponent("before.csv")
        #expect(try await CLI.runOffPool(["recommend", "--model-file", model, "--k", "5", "--output", before.path]).status == 0)
        let rows = try String(contentsOf: before, encoding: .utf8).split(separator: "\n").dropFirst().map { $0.split(separator: ",").map(String.init) }
        let user = rows[0][0], topItem = rows[0][2]
        let oldList = rows.filter { $0[0] == user }.map { $0[2] }

        let events = Fixtures.temporaryFile("user_id,item_id,kind,timestamp\n\(user),\(topItem),purchase,2000000000\nbrand-new,\(topItem),view,2000000000\n",
                                            name: "fresh.csv")
        let after = shop.directory.appendingPathComponent("after.csv")
        let folded = try await CLI.runOffPool(["recommend", "--model-file", model, "--events", events, "--k", "5", "--output", after.path])
        #expect(folded.status == 0, "\(folded.stderr)")
        #expect(folded.stderr.contains("2 users (1 new)"), "\(folded.stderr)")
        let newRows = try String(contentsOf: after, encoding: .utf8).split(separator: "\n").dropFirst().map { $0.split(separator: ",").map(String.init) }
        let newList = newRows.filter { $0[0] == user }.map { $0[2] }
        #expect(newList.count == 5 && !newList.contains(topItem), "the purchased item must leave the list: \(newList)")
        #expect(newList != oldList)
        #expect(newRows.filter { $0[0] == "brand-new" }.count == 5)
    }

    @Test func similarItemsComeFromTheModelFile() async throws {
        let shop = try await shop()
        let model = shop.directory.appendingPathComponent("als.tacit").path
        #expect(try await CLI.runOffPool(["train", "--train", shop.train] + Self.als + ["--output", model]).status == 0)
        let item = try String(contentsOf: URL(fileURLWithPath: shop.train), encoding: .utf8).split(separator: "\n")[1].split(separator: ",")[1]
        let similar = try await CLI.runOffPool(["similar", "--model-file", model, "--item", String(item), "--k", "4"])
        #expect(similar.status == 0, "\(similar.stderr)")
        let rows = similar.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",").map(String.init) }
        #expect(rows.count == 4)
        #expect(rows.allSatisfy { $0[0] == String(item) && $0[2] != String(item) })
        #expect(rows.map { $0[1] } == ["1", "2", "3", "4"])
        let unknown = try await CLI.runOffPool(["similar", "--model-file", model, "--item", "no-such-item"])
        #expect(unknown.status != 0 && unknown.stderr.contains("no-such-item"), "\(unknown.stderr)")
    }

    @Test func corruptModelFilesAreRefusedClearly() async throws {
        let shop = try await shop()
        let model = shop.directory.appendingPathComponent("als.tacit")
        #expect(try await CLI.runOffPool(["train", "--train", shop.train] + Self.als + ["--output", model.path]).status == 0)
        var bytes = try Data(contentsOf: model)
        bytes[bytes.count / 2] ^= 0x5A
        try bytes.write(to: model)
        let result = try await CLI.runOffPool(["recommend", "--model-file", model.path, "--output", "-"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("checksum mismatch"), "\(result.stderr)")
        let missing = try await CLI.runOffPool(["recommend", "--model-file", model.path + ".absent"])
        #expect(missing.status != 0 && missing.stderr.contains(".absent"), "\(missing.stderr)")
    }

    @Test func validationStopsEarlyAndIsReported() async throws {
        let shop = try await shop()
        let json = shop.directory.appendingPathComponent("fit.json")
        let trained = try await CLI.runOffPool(["train", "--train", shop.train, "--valid", shop.valid, "--model", "als", "--param", "iterations=40",
                                   "--param", "factors=8", "--patience", "1", "--verbose", "--output", shop.directory.appendingPathComponent("m").path,
                                   "--json", json.path])
        #expect(trained.status == 0, "\(trained.stderr)")
        let validation = try CLI.json(json)["validation"] as? [String: Double]
        #expect((validation?["NDCG@10"] ?? 0) > 0)
        #expect(trained.stderr.contains("NDCG@10="), "\(trained.stderr)")
        #expect(trained.stderr.contains("loss="), "\(trained.stderr)")
    }
}
