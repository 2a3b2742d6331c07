import Foundation
import Testing
import TacitTestSupport

/// Item cold start from the command line: `tacit split --protocol cold-items`, then `tune` and
/// `evaluate` ranking only the withheld items, from their attributes.
@Suite struct ColdItemsCLITests {
    /// 60 users in 6 tastes; 60 items, 10 per category; every user has every item of their
    /// category (user u has category u % 6), so every withheld item of a user's category is one
    /// of their test items, and a model that ranks by category puts a relevant item first.
    static func fixture() throws -> (directory: URL, events: String, items: String) {
        let directory = Fixtures.temporaryDirectory()
        var events = "user_id,item_id,timestamp\n", items = "item_id,category\n"
        for c in 0..<6 { for k in 0..<10 { items += "i\(c)-\(k),cat\(c)\n" } }
        for u in 0..<60 { for k in 0..<10 { events += "u\(u),i\(u % 6)-\(k),\(1_000 + u * 10 + k)\n" } }
        let eventsURL = directory.appendingPathComponent("events.csv"), itemsURL = directory.appendingPathComponent("items.csv")
        try events.write(to: eventsURL, atomically: true, encoding: .utf8)
        try items.write(to: itemsURL, atomically: true, encoding: .utf8)
        return (directory, eventsURL.path, itemsURL.path)
    }

    static func lines(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    @Test("split --protocol cold-items withholds every event of 15% of the items for test, as many again for validation, and lists them")
    func splitWithholdsItems() async throws {
        let fixture = try Self.fixture()
        let out = fixture.directory.appendingPathComponent("split").path
        let run = try await CLI.runOffPool(["split", "--data", fixture.events, "--protocol", "cold-items", "--seed", "3", "--output", out])
        #expect(run.status == 0, "\(run.stderr)")
        // 60 eligible items (10 events each): 9 withheld for test; 8 of the 51 left (7.65) for validation.
        let testItems = try Self.lines(out + "/test-candidates.csv").dropFirst(), validItems = try Self.lines(out + "/valid-candidates.csv").dropFirst()
        #expect(testItems.count == 9 && validItems.count == 8)
        #expect(Set(testItems).isDisjoint(with: validItems))
        let item = { (line: String) in String(line.split(separator: ",")[1]) }
        let test = try Self.lines(out + "/test.csv").dropFirst(), valid = try Self.lines(out + "/valid.csv").dropFirst()
        let train = try Self.lines(out + "/train.csv").dropFirst()
        #expect(test.count == 90 && valid.count == 80 && train.count == 430)
        #expect(Set(test.map(item)) == Set(testItems) && Set(valid.map(item)) == Set(validItems))
        #expect(Set(train.map(item)).isDisjoint(with: testItems) && Set(train.map(item)).isDisjoint(with: validItems))
        #expect(run.stdout.contains("--candidates \(out)/test-candidates.csv"), "\(run.stdout)")
        // Seeded: the same seed withholds the same items.
        let again = try await CLI.runOffPool(["split", "--data", fixture.events, "--protocol", "cold-items", "--seed", "3", "--output", out + "2"])
        #expect(again.status == 0)
        #expect(try Self.lines(out + "2/test-candidates.csv") == Self.lines(out + "/test-candidates.csv"))
        // Bad settings are refused by name.
        let bad = try await CLI.runOffPool(["split", "--data", fixture.events, "--protocol", "cold-items", "--fraction", "1.5", "--output", out + "3"])
        #expect(bad.status != 0 && bad.stderr.contains("--fraction must be between 0 and 1"), "\(bad.stderr)")
        let none = try await CLI.runOffPool(["split", "--data", fixture.events, "--protocol", "cold-items", "--min-item-events", "11", "--output", out + "4"])
        #expect(none.status != 0 && none.stderr.contains("no item of \(fixture.events) has the 11 events needed to be withheld"), "\(none.stderr)")
    }

    @Test("evaluate ranks the withheld items: content puts one of the user's first, als cannot rank them and says so; --data --protocol cold-items does the same")
    func evaluateAndTuneOnWithheldItems() async throws {
        let fixture = try Self.fixture()
        let out = fixture.directory.appendingPathComponent("split").path
        let split = try await CLI.runOffPool(["split", "--data", fixture.events, "--protocol", "cold-items", "--seed", "3", "--output", out])
        #expect(split.status == 0, "\(split.stderr)")
        let json = fixture.directory.appendingPathComponent("cold.json")
        let run = try await CLI.runOffPool(["evaluate", "--train", out + "/train.csv", "--train", out + "/valid.csv", "--test", out + "/test.csv",
                                            "--candidates", out + "/test-candidates.csv", "--items", fixture.items,
                                            "--models", "content,als", "--param", "als.factors=4", "--k", "1", "--json", json.path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("candidates: 9 items") && run.stderr.contains("9 not in the training data"), "\(run.stderr)")
        #expect(run.stdout.contains("(als has no cold-item path: the 9 candidates outside its training data were never ranked)"), "\(run.stdout)")
        let results = try #require(CLI.json(json)["results"] as? [[String: Any]])
        let content = try #require(results.first { $0["model"] as? String == "content" })
        let als = try #require(results.first { $0["model"] as? String == "als" })
        #expect((content["metrics"] as? [String: Double])?["HR@1"] == 1, "\(content)")
        #expect((als["metrics"] as? [String: Double])?["HR@10"] == 0, "\(als)")
        #expect(content["warning"] == nil && (als["warning"] as? String)?.contains("no cold-item path") == true)

        // --data with --protocol cold-items: the same split, the withheld items as the candidates.
        let direct = fixture.directory.appendingPathComponent("direct.json")
        let inline = try await CLI.runOffPool(["evaluate", "--data", fixture.events, "--protocol", "cold-items", "--seed", "3", "--items", fixture.items,
                                               "--model", "content", "--k", "1", "--json", direct.path])
        #expect(inline.status == 0, "\(inline.stderr)")
        #expect(inline.stderr.contains("candidates: 9 items from the items cold-items withheld"), "\(inline.stderr)")
        let inlineMetrics = try #require((CLI.json(direct)["results"] as? [[String: Any]])?.first?["metrics"] as? [String: Double])
        #expect(inlineMetrics == content["metrics"] as? [String: Double])

        // tune --candidates: every trial ranks the validation's withheld items.
        let tune = try await CLI.runOffPool(["tune", "--train", out + "/train.csv", "--valid", out + "/valid.csv", "--candidates", out + "/valid-candidates.csv",
                                             "--items", fixture.items, "--model", "content", "--trials", "2", "--metric", "HR@1"])
        #expect(tune.status == 0, "\(tune.stderr)")
        #expect(tune.stderr.contains("candidates: 8 items") && tune.stderr.contains("validation: "), "\(tune.stderr)")
        #expect(tune.stdout.contains("best HR@1 = 1"), "\(tune.stdout)")
    }
}
