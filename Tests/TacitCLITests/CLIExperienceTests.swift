import Foundation
import Testing
import TacitTestSupport

/// What a person meets on the command line: --version, mistyped options, progress, results
/// streamed as models finish, Ctrl-C, the HTML report, .tmx files read like events, candidates.
@Suite(.serialized) struct CLIExperienceTests {
    private func write(_ text: String, _ name: String, in directory: URL) async throws -> String {
        let url = directory.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    private func generatedShop(events: Int = 5000) async throws -> URL {
        let directory = Fixtures.temporaryDirectory()
        let generated = try await CLI.runOffPool(["generate", "--events", "\(events)", "--seed", "5", "--output", directory.appendingPathComponent("shop").path])
        #expect(generated.status == 0, "\(generated.stderr)")
        return directory
    }

    @Test("--version, and a mistyped option is named as unknown before any other complaint")
    func versionAndMistypedOptions() async throws {
        let version = try await CLI.runOffPool(["--version"])
        #expect(version.status == 0)
        #expect(version.stdout.hasPrefix("tacit 0."), "\(version.stdout)")
        let typo = try await CLI.runOffPool(["evaluate", "--modles", "als", "--data", "events.csv"])
        #expect(typo.status != 0)
        #expect(typo.stderr.contains("Unknown option '--modles'"), "\(typo.stderr)")
        #expect(!typo.stderr.contains("name a --model"), "\(typo.stderr)")
        let noModel = try await CLI.runOffPool(["evaluate", "--data", "events.csv"])
        #expect(noModel.status != 0)
        #expect(noModel.stderr.contains("name a --model"), "\(noModel.stderr)")
        let option = try await CLI.runOffPool(["recommend", "--trian", "a.csv", "--model", "als"])
        #expect(option.stderr.contains("Unknown option '--trian'"), "\(option.stderr)")
        let importTypo = try await CLI.runOffPool(["import", "--events", "a.csv", "--outptu", "m.tmx"])
        #expect(importTypo.stderr.contains("Unknown option '--outptu'"), "\(importTypo.stderr)")
    }

    @Test("help text is reflowed: paragraphs wrap at the terminal width, long examples continue with a backslash")
    func helpWrapsCleanly() async throws {
        for command in ["evaluate", "recommend", "serve", "import", "tune", "train", "generate", "split"] {
            let help = try await CLI.runOffPool([command, "--help"], environment: ["COLUMNS": "80"])
            #expect(help.status == 0)
            let lines = help.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let discussion = lines.prefix { !$0.hasPrefix("USAGE:") }
            for line in discussion { #expect(line.count <= 80, "\(command): \(line)") }
            // A paragraph line is never a stub left by a hard break in the source: unless it ends
            // a paragraph, it reaches well into the line.
            for (line, next) in zip(discussion, discussion.dropFirst()) where !line.isEmpty && !line.hasPrefix(" ") && !next.isEmpty && !next.hasPrefix(" ") {
                #expect(line.count >= 50, "\(command): ragged line '\(line)'")
            }
        }
    }

    @Test("what import writes (.tmx) is read wherever events are: evaluate and split give what the CSV gives")
    func importedFileIsReadLikeItsEvents() async throws {
        let directory = try await generatedShop()
        let events = directory.appendingPathComponent("shop/events.csv").path
        let matrix = directory.appendingPathComponent("shop.tmx").path
        let imported = try await CLI.runOffPool(["import", "--events", events, "--output", matrix])
        #expect(imported.status == 0, "\(imported.stderr)")
        let fromCSV = directory.appendingPathComponent("csv.json"), fromTMX = directory.appendingPathComponent("tmx.json")
        for (data, json) in [(events, fromCSV), (matrix, fromTMX)] {
            let run = try await CLI.runOffPool(["evaluate", "--data", data, "--model", "itemknn", "--threads", "1", "--json", json.path])
            #expect(run.status == 0, "\(run.stderr)")
        }
        let a = (try CLI.json(fromCSV)["results"] as? [[String: Any]])?.first?["metrics"] as? [String: Double] ?? [:]
        let b = (try CLI.json(fromTMX)["results"] as? [[String: Any]])?.first?["metrics"] as? [String: Double] ?? [:]
        #expect(a["NDCG@10"] != nil && a == b, "\(a) vs \(b)")
        let split = try await CLI.runOffPool(["split", "--data", matrix, "--output", directory.appendingPathComponent("split").path])
        #expect(split.status == 0, "\(split.stderr)")
        let header = try String(contentsOfFile: directory.appendingPathComponent("split/train.csv").path, encoding: .utf8).prefix { $0 != "\n" }
        #expect(header == "user_id,item_id,timestamp,kind,value")
        let badName = try await CLI.runOffPool(["import", "--events", events, "--output", directory.appendingPathComponent("m.bin").path])
        #expect(badName.status != 0)
        #expect(badName.stderr.contains("--output must end in .tmx"), "\(badName.stderr)")
    }

    @Test("evaluate reports a ranker's breakdown: each source alone, the blend and a random order, in the table and the JSON")
    func rankerBreakdown() async throws {
        let directory = try await generatedShop()
        let events = directory.appendingPathComponent("shop/events.csv").path
        let json = directory.appendingPathComponent("ranker.json")
        let run = try await CLI.runOffPool(["evaluate", "--data", events, "--model", "ranker", "--param", "rounds=10", "--threads", "1", "--json", json.path],
                              environment: ["TACIT_PROGRESS": "lines"])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        for name in ["popular", "itemknn", "als", "ease", "blend", "random"] {
            #expect(lines.contains { $0.hasPrefix("  · \(name) ") }, "\(name): \(run.stdout)")
        }
        #expect(lines.contains { $0.hasPrefix("  (ranker fit: the held-out item among the candidates for ") && $0.contains("gain: ") }, "\(run.stdout)")
        let result = (try CLI.json(json)["results"] as? [[String: Any]])?.first ?? [:]
        let breakdown = result["breakdown"] as? [String: [String: Double]] ?? [:]
        #expect(Set(breakdown.keys) == ["popular", "itemknn", "als", "ease", "blend", "random"], "\(result)")
        #expect(breakdown.values.allSatisfy { $0["NDCG@10"] != nil })
        let details = result["details"] as? [String: Double] ?? [:]
        #expect(details["candidate_recall"].map { $0 > 0 && $0 <= 1 } == true, "\(details)")
        #expect(details.keys.contains { $0.hasPrefix("gain.") }, "\(details)")
    }

    @Test("bench-ranker fits the ranker and times retrieval, features and trees per request; refuses what it cannot run")
    func benchRanker() async throws {
        let directory = try await generatedShop()
        let events = directory.appendingPathComponent("shop/events.csv").path, items = directory.appendingPathComponent("shop/items.csv").path
        let run = try await CLI.runOffPool(["bench-ranker", "--train", events, "--items", items, "--param", "rounds=5", "--param", "per_source=20",
                               "--requests", "30", "--threads", "1"])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("ranker fit: ") && $0.contains(" features, ") && $0.contains("candidates per request") }, "\(run.stdout)")
        for step in ["retrieval (sources)", "features", "trees (scores and order)", "re-ranking (features + trees)", "whole request",
                     "trees' scores: Swift walker", "trees' scores: XGBoost in-place prediction"] {
            #expect(lines.contains { $0.hasPrefix(step + " ") }, "\(step): \(run.stdout)")
        }
        #expect(lines.contains("the walker's scores differ from XGBoost's for 0 of 30 requests"), "\(run.stdout)")
        let none = try await CLI.runOffPool(["bench-ranker", "--train", events, "--requests", "0"])
        #expect(none.status != 0 && none.stderr.contains("--requests must be in 1...10000000"), "\(none.stderr)")
        let wrong = try await CLI.runOffPool(["bench-ranker", "--train", events, "--param", "per_source=0", "--requests", "3"])
        #expect(wrong.status != 0 && wrong.stderr.contains("per_source"), "\(wrong.stderr)")
    }

    @Test("evaluate prints each model's row as it finishes, shows progress as plain lines, writes JSON and the HTML report")
    func evaluateStreamsResults() async throws {
        let directory = try await generatedShop()
        let events = directory.appendingPathComponent("shop/events.csv").path
        let json = directory.appendingPathComponent("out.json"), report = directory.appendingPathComponent("report.html")
        let run = try await CLI.runOffPool(["evaluate", "--data", events, "--models", "popular,itemknn", "--threads", "1",
                               "--json", json.path, "--report", report.path],
                              environment: ["TACIT_PROGRESS": "lines"])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 5, "\(run.stdout)")
        #expect(lines.first?.hasPrefix("model ") == true)
        #expect(lines.dropFirst(2).first?.hasPrefix("popular ") == true, "\(run.stdout)")
        #expect(lines.dropFirst(3).first?.hasPrefix("itemknn ") == true, "\(run.stdout)")
        #expect(lines.last?.contains(" users evaluated") == true, "\(run.stdout)")
        #expect(run.stderr.contains("[itemknn] user "), "\(run.stderr)")
        #expect(run.stderr.contains("(100%)"), "\(run.stderr)")
        let results = try CLI.json(json)["results"] as? [[String: Any]] ?? []
        #expect(results.map { $0["model"] as? String } == ["popular", "itemknn"])
        // The shop's shoppers view items again: users whose held-out item repeats their history
        // are counted, said before the first model and under the table, not dropped silently.
        let repeats = results.first?["repeat_only_users"] as? Int ?? -1
        #expect(repeats > 0 && results.first?["unrankable_test_items"] as? Int != nil, "\(results.first ?? [:])")
        #expect(run.stderr.contains("note: \(repeats) test users left out: every test item of theirs is already in their training history"),
                "\(run.stderr)")
        #expect(lines.last?.contains(", \(repeats) left out (every test item already in their history)") == true, "\(run.stdout)")
        #expect(try CLI.json(json)["pending"] == nil)
        let html = try String(contentsOf: report, encoding: .utf8)
        #expect(html.contains("<figure data-chart=\"NDCG@10\">"))
        #expect(html.components(separatedBy: "<polyline class=\"series\"").count - 1 == 6, "2 models × 3 curves")
        #expect(!html.contains("http://") && !html.contains("https://") && !html.contains("<script"), "self-contained, no script")

        // On a terminal: one status line rewritten in place and cleared before each row.
        let terminal = try await CLI.runOffPool(["evaluate", "--data", events, "--models", "itemknn,als", "--param", "als.iterations=3", "--threads", "1"],
                                   environment: ["TACIT_PROGRESS": "terminal"])
        #expect(terminal.status == 0, "\(terminal.stderr)")
        #expect(terminal.stderr.contains("\r\u{1B}[2K[als] iteration 1/3 (33%)"), "\(terminal.stderr.debugDescription)")
        #expect(terminal.stderr.contains("\r\u{1B}[2K[itemknn] user "), "\(terminal.stderr.debugDescription)")
        #expect(!terminal.stderr.contains("[als] iteration 1/3 (33%)\n"), "status lines are not printed as lines")
        let quiet = try await CLI.runOffPool(["evaluate", "--data", events, "--model", "itemknn", "--threads", "1"], environment: ["TACIT_PROGRESS": "off"])
        #expect(!quiet.stderr.contains("[itemknn]"), "\(quiet.stderr)")
    }

    @Test("Ctrl-C during the second model keeps the first: its row, the JSON and the report, and says what was kept")
    func interruptKeepsFinishedModels() async throws {
        let directory = try await generatedShop(events: 20000)
        let events = directory.appendingPathComponent("shop/events.csv").path
        let json = directory.appendingPathComponent("out.json"), report = directory.appendingPathComponent("report.html")
        let running = try CLI.start(["evaluate", "--data", events, "--models", "popular,sasrec", "--param", "sasrec.epochs=5000",
                                     "--threads", "1", "--json", json.path, "--report", report.path])
        var waited = 0
        while !running.stdoutSoFar.contains("\npopular ") && waited < 600 && running.process.isRunning {
            try await Task.sleep(nanoseconds: 200_000_000)
            waited += 1
        }
        #expect(running.process.isRunning, "sasrec with 5000 epochs still runs")
        running.process.interrupt()
        running.process.waitUntilExit()
        let result = try running.finish()
        #expect(result.status == 130, "\(result.stderr)")
        #expect(result.stdout.contains("\npopular "))
        #expect(result.stderr.contains("interrupted: 1 of 2 models finished (popular)"), "\(result.stderr)")
        let saved = try CLI.json(json)
        #expect((saved["results"] as? [[String: Any]])?.map { $0["model"] as? String } == ["popular"])
        #expect(saved["pending"] as? [String] == ["sasrec"])
        #expect(try String(contentsOf: report, encoding: .utf8).contains("Still running or interrupted: sasrec"))
    }

    /// Seven users; popularity e 4, a 3, b 2, c 1. Candidates b, c and d (d is new).
    private func candidateFixture() async throws -> (directory: URL, train: String, test: String, candidates: String) {
        let directory = Fixtures.temporaryDirectory()
        let train = try await write("""
            user_id,item_id,timestamp
            u1,a,1
            u1,b,2
            u2,a,3
            u2,c,4
            u3,a,5
            u3,b,6
            u4,e,7
            u5,e,8
            u6,e,9
            u7,e,10
            """, "train.csv", in: directory)
        let test = try await write("user_id,item_id,timestamp\nu1,c,20\nu2,b,21\nu3,d,22\nu4,a,23\n", "test.csv", in: directory)
        let candidates = try await write("item_id\nb\nc\nd\n", "candidates.csv", in: directory)
        return (directory, train, test, candidates)
    }

    @Test("evaluate --candidates ranks only the candidates: hand-computed NDCG and HR")
    func evaluateAmongCandidates() async throws {
        let fixture = try await candidateFixture()
        func metrics(_ extra: [String]) async throws -> [String: Double] {
            let json = fixture.directory.appendingPathComponent("m\(extra.count).json")
            let run = try await CLI.runOffPool(["evaluate", "--train", fixture.train, "--test", fixture.test, "--model", "popular",
                                   "--json", json.path] + extra)
            #expect(run.status == 0, "\(run.stderr)")
            return try CLI.json(json)["metrics"] as? [String: Double] ?? [:]
        }
        // All items: u1 ranks e, c (c at 2); u2 e, b (b at 2); u3's d is unknown; u4 a first.
        let all = try await metrics([])
        let atTwo = 1 / log2(3.0)
        #expect(abs((all["NDCG@10"] ?? 0) - (2 * atTwo + 1) / 4) < 1e-9, "\(all)")
        // Candidates b, c, d: u1 gets c first, u2 b first, u3's d is never ranked by popular;
        // u4's test item a is no candidate, so u4 is left out.
        let among = try await metrics(["--candidates", fixture.candidates, "--k", "1"])
        #expect(abs((among["NDCG@10"] ?? 0) - 2.0 / 3) < 1e-9, "\(among)")
        #expect(abs((among["HR@1"] ?? 0) - 2.0 / 3) < 1e-9, "\(among)")
    }

    @Test("recommend --candidates lists only candidates; a feature-aware model ranks the new one")
    func recommendAmongCandidates() async throws {
        let fixture = try await candidateFixture()
        let run = try await CLI.runOffPool(["recommend", "--train", fixture.train, "--model", "popular", "--candidates", fixture.candidates, "--k", "3"])
        #expect(run.status == 0, "\(run.stderr)")
        let rows = run.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",").prefix(3).joined(separator: ",") }
        #expect(rows.contains("u1,1,c") && rows.contains("u4,1,b") && rows.contains("u4,2,c"), "\(rows)")
        #expect(rows.allSatisfy { !$0.hasSuffix(",a") && !$0.hasSuffix(",e") && !$0.hasSuffix(",d") }, "\(rows)")
        #expect(run.stderr.contains("cannot score the 1 candidates it never trained on"), "\(run.stderr)")

        let items = try await write("item_id,category,brand\na,x,p\nb,w,q\nc,y,acme\nd,y,acme\ne,z,r\n", "items.csv", in: fixture.directory)
        let content = try await CLI.runOffPool(["recommend", "--train", fixture.train, "--model", "content", "--items", items,
                                   "--candidates", fixture.candidates, "--k", "3"])
        #expect(content.status == 0, "\(content.stderr)")
        let contentRows = content.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",").prefix(3).joined(separator: ",") }
        #expect(contentRows.contains("u2,1,d"), "d shares category and brand with c, in u2's history; b shares nothing with a: \(contentRows)")
    }

    /// Popularity e 4, a 3, b 2, c 1 (the candidate fixture's training). New users n1 {b, a} and
    /// n2 {c}; u1 has training data and is left out.
    @Test("evaluate --new-users ranks users without training data; a model that needs a history says it cannot")
    func evaluateNewUsers() async throws {
        let fixture = try await candidateFixture()
        let test = try await write("user_id,item_id,timestamp\nu1,c,20\nn1,b,21\nn1,a,22\nn2,c,23\n", "new-test.csv", in: fixture.directory)
        let users = try await write("user_id,gender,age\nn1,F,25\nn2,M,35\nu1,F,18\n", "users.csv", in: fixture.directory)
        let json = fixture.directory.appendingPathComponent("new.json")
        let run = try await CLI.runOffPool(["evaluate", "--train", fixture.train, "--test", test, "--models", "popular,als", "--param", "als.factors=2",
                               "--users", users, "--new-users", "--k", "2", "--json", json.path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("2 new users evaluated (2 with a --users record), 1 test users with training data left out"), "\(run.stdout)")
        #expect(run.stdout.contains("cannot rank new users"), "\(run.stdout)")
        let results = try CLI.json(json)["results"] as? [[String: Any]] ?? []
        // popular ranks e, a: n1 finds a at 2 of 2 relevant, n2 nothing.
        let popular = results.first { $0["model"] as? String == "popular" }?["metrics"] as? [String: Double] ?? [:]
        let atTwo = 1 / log2(3.0)
        #expect(abs((popular["NDCG@2"] ?? -1) - atTwo / (1 + atTwo) / 2) < 1e-9, "\(popular)")
        #expect(abs((popular["HR@2"] ?? -1) - 0.5) < 1e-9, "\(popular)")
        let als = results.first { $0["model"] as? String == "als" }
        #expect((als?["metrics"] as? [String: Double])?.isEmpty == true && (als?["note"] as? String)?.contains("cannot rank new users") == true)
        #expect(try await CLI.runOffPool(["evaluate", "--train", fixture.train, "--test", test, "--model", "popular", "--new-users",
                         "--candidates", fixture.candidates]).status != 0)
    }
}
