import Foundation
import Testing
import TacitTestSupport

/// `tacit evaluate --allow-repeats`: previously consumed items count, "buy it again" ranks the
/// user's own items, and the blend is reported beside each model.
@Suite struct RepeatCLITests {
    /// 20 users buy their staple s<u % 4> every 10 days (days 0–100, the last purchase is the
    /// test event) and a one-off item on day 5; 4 more users end on a new item.
    static func fixture() throws -> (directory: URL, train: String, test: String) {
        let directory = Fixtures.temporaryDirectory()
        let day: Int64 = 86_400
        var train = "user_id,item_id,kind,timestamp\n", test = train
        for u in 0..<20 {
            for d in stride(from: 0, to: 100, by: 10) { train += "u\(u),s\(u % 4),purchase,\(Int64(d) * day)\n" }
            train += "u\(u),once\(u),purchase,\(5 * day)\n"
            test += "u\(u),s\(u % 4),purchase,\(100 * day)\n"
        }
        for u in 20..<24 {
            train += "u\(u),s\(u % 4),purchase,0\nu\(u),once\(u),purchase,\(day)\n"
            test += "u\(u),once\((u + 1) % 20),purchase,\(2 * day)\n"
        }
        let trainURL = directory.appendingPathComponent("train.csv"), testURL = directory.appendingPathComponent("test.csv")
        try train.write(to: trainURL, atomically: true, encoding: .utf8)
        try test.write(to: testURL, atomically: true, encoding: .utf8)
        return (directory, trainURL.path, testURL.path)
    }

    @Test("--allow-repeats: the due staple ranks first for every staple buyer; each model gets its repeats rows; bad settings are refused by name")
    func allowRepeats() async throws {
        let fixture = try Self.fixture()
        let json = fixture.directory.appendingPathComponent("repeats.json")
        let run = try await CLI.runOffPool(["evaluate", "--train", fixture.train, "--test", fixture.test, "--models", "popular",
                                            "--allow-repeats", "--repeat-weight", "2", "--k", "1", "--json", json.path,
                                            "--report", fixture.directory.appendingPathComponent("report.html").path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("· repeats allowed") && run.stdout.contains("· + repeat") && run.stdout.contains("\nrepeat "), "\(run.stdout)")
        // The usual protocol: 20 users left out (their test item is a repeat), 4 evaluated.
        #expect(run.stdout.contains("4 users evaluated") && run.stdout.contains("20 left out"), "\(run.stdout)")
        let results = try #require(CLI.json(json)["results"] as? [[String: Any]])
        #expect(results.map { $0["model"] as? String } == ["popular", "repeat"])
        let repeatMetrics = try #require(results[1]["metrics"] as? [String: Double])
        // 24 users: the 20 staple buyers' test item first, the 4 others' never listed.
        #expect(abs((repeatMetrics["HR@1"] ?? 0) - 20.0 / 24) < 1e-9, "\(repeatMetrics)")
        #expect(results[1]["users"] as? Int == 24 && results[1]["repeat_only_users"] as? Int == 0)
        #expect(results[0]["repeat_only_users"] as? Int == 20)
        let breakdown = try #require(results[0]["breakdown"] as? [String: [String: Double]])
        // The blend with weight 2 puts the staple first too; popular alone ranks it second at best
        // for some (once<u> ties) but never lists it above s0..s3 for everyone.
        #expect(abs((breakdown["+ repeat"]?["HR@1"] ?? 0) - 20.0 / 24) < 1e-9, "\(breakdown)")
        #expect(breakdown["repeats allowed"] != nil)
        let page = try String(contentsOf: fixture.directory.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(page.contains("<th>· + repeat</th>") && page.contains("<th>· repeats allowed</th>") && page.contains("<th>repeat</th>"))

        for (args, message) in [
            (["--allow-repeats", "--repeat-weight", "0"], "--repeat-weight must be > 0"),
            (["--allow-repeats", "--repeat-kinds", "purchase,,view"], "--repeat-kinds: an empty kind name"),
            (["--allow-repeats", "--new-users"], "--allow-repeats cannot be combined with --new-users"),
        ] {
            let bad = try await CLI.runOffPool(["evaluate", "--train", fixture.train, "--test", fixture.test, "--model", "popular"] + args)
            #expect(bad.status != 0 && bad.stderr.contains(message), "\(args): \(bad.stderr)")
        }
    }
}
