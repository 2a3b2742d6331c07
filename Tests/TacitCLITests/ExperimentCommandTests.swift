import Foundation
import Testing
import TacitStore
import TacitTestSupport

@Suite(.serialized) struct ExperimentCommandTests {
    @Test func simulateAAPrintsTheFalsePositiveRateAndWritesJSON() async throws {
        let json = Fixtures.temporaryDirectory().appendingPathComponent("aa.json")
        let result = try await CLI.runOffPool(["experiment", "simulate", "--mode", "aa", "--experiments", "200", "--users-per-arm", "1000",
                                  "--threads", "2", "--json", json.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("A/A: 200 experiments, 1000 users per arm"), "\(result.stdout)")
        #expect(result.stdout.contains("z-test, conversion (end)"))
        let aa = try CLI.json(json)["aa"] as! [String: Any]
        let conversion = aa["conversion"] as! [String: Any]
        #expect(conversion["experiments"] as? Int == 200)
        // 200 A/A tests at α = 0.05: the rate is within 3.5 binomial SE (0.054) of α.
        let rate = conversion["rate"] as! Double
        #expect(abs(rate - 0.05) < 3.5 * (0.05 * 0.95 / 200).squareRoot(), "false-positive rate \(rate)")
        let sequential = (aa["sequential_conversion"] as! [String: Any])["rate"] as! Double
        #expect(sequential <= rate)
    }

    @Test func simulateSRMFlagsA52To48Split() async throws {
        let result = try await CLI.runOffPool(["experiment", "simulate", "--mode", "srm", "--experiments", "20"])
        #expect(result.status == 0, "\(result.stderr)")
        let line = result.stdout.split(separator: "\n").first { $0.hasPrefix("observed 52/48") }
        #expect(line?.hasSuffix("SRM") == true, "\(result.stdout)")
    }

    @Test func strategiesOnTheGeneratorsUsersRecoverTheirTrueConversion() async throws {
        let json = Fixtures.temporaryDirectory().appendingPathComponent("strategies.json")
        let result = try await CLI.runOffPool(["experiment", "simulate", "--mode", "strategies", "--strategies", "popular,personal",
                                  "--users", "3000", "--items", "200", "--noise", "0.5", "--json", json.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("personal vs popular: conversion lift"), "\(result.stdout)")
        let output = try CLI.json(json)["strategies"] as! [String: Any]
        let truth = output["true_conversion"] as! [Double]
        let report = output["report"] as! [String: Any]
        let variants = report["variants"] as! [[String: Any]]
        #expect(variants.map { $0["name"] as? String } == ["popular", "personal"])
        #expect(variants.reduce(0) { $0 + ($1["users"] as! Int) } == 3000)
        // Lists by the users' own (noisy) tastes beat one list for all, in truth and as measured;
        // each measured conversion lies within 4 binomial SE of its true value.
        #expect(truth[1] > truth[0])
        for (variant, p) in zip(variants, truth) {
            let measured = (variant["conversion"] as! [String: Any])["value"] as! Double
            let n = Double(variant["users"] as! Int)
            #expect(abs(measured - p) < 4 * (p * (1 - p) / n).squareRoot(), "measured \(measured), true \(p)")
        }
        let bad = try await CLI.runOffPool(["experiment", "simulate", "--mode", "strategies", "--strategies", "popular,oracle"])
        #expect(bad.status != 0 && bad.stderr.contains("--strategies"), "\(bad.stderr)")
    }

    @Test func badOptionsAreRejected() async throws {
        let result = try await CLI.runOffPool(["experiment", "simulate", "--mode", "abc"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("aa, lift, bandit, srm, all"), "\(result.stderr)")
        let rates = try await CLI.runOffPool(["experiment", "simulate", "--mode", "bandit", "--rates", "0.1,x"])
        #expect(rates.status != 0 && rates.stderr.contains("--rates"), "\(rates.stderr)")
    }

    /// A store with 4 impressions of `hero` (a: u1 twice, u2; b: u3) and attributed events.
    static func experimentStore() async throws -> (store: String, config: String) {
        let directory = Fixtures.temporaryDirectory()
        let path = directory.appendingPathComponent("tacit.sqlite").path
        let store = try await Stores.open(path)
        func shown(_ id: String, _ user: String, _ variant: String) -> Impression {
            Impression(recommendationID: id, user: user, scene: "home", model: "als", items: ["i1"], timestamp: 10,
                       experiment: "hero", variant: variant, propensity: 0.5)
        }
        try await store.record([shown("r1", "u1", "a"), shown("r2", "u1", "a"), shown("r3", "u2", "a"), shown("r4", "u3", "b")])
        _ = try await store.insert([
            StoredEvent(user: "u1", item: "i1", kind: .click, timestamp: 11, recommendationID: "r1"),
            StoredEvent(user: "u1", item: "i1", kind: .purchase, timestamp: 12, value: 30, recommendationID: "r1"),
            StoredEvent(user: "u3", item: "i1", kind: .click, timestamp: 11, recommendationID: "r4"),
            StoredEvent(user: "u3", item: "i1", kind: .click, timestamp: 13),
        ])
        try await store.close()
        let config = directory.appendingPathComponent("tacit.json")
        try Data(#"""
            {"experiments": [{"id": "hero", "scene": "home", "variants": [{"name": "a", "scene": "home"}, {"name": "b", "scene": "cart"}]}]}
            """#.utf8).write(to: config)
        return (path, config.path)
    }

    @Test func reportPrintsTheVariantsAndJSON() async throws {
        let (store, config) = try await Self.experimentStore()
        let table = try await CLI.runOffPool(["experiment", "report", "--store", store, "--config", config, "--experiment", "hero"])
        #expect(table.status == 0, "\(table.stderr)")
        let lines = table.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true) }
        let a = lines.first { $0.first == "a" }, b = lines.first { $0.first == "b" }
        // variant, users, impressions, clicks, purchases, revenue
        #expect(a.map { Array($0[1...5]) } == ["2", "3", "1", "1", "30.00"], "\(table.stdout)")
        #expect(b.map { Array($0[1...5]) } == ["1", "1", "1", "0", "0.00"], "\(table.stdout)")
        #expect(table.stdout.contains("b vs a"))

        let json = try await CLI.runOffPool(["experiment", "report", "--store", store, "--config", config, "--experiment", "hero", "--json"])
        #expect(json.status == 0, "\(json.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
        let variants = report["variants"] as! [[String: Any]]
        #expect(variants.map { $0["name"] as? String } == ["a", "b"])
        #expect(variants.map { $0["clicked_impressions"] as? Int } == [1, 1])
        #expect(variants[0]["revenue"] as? Double == 30)
    }

    @Test func reportNamesAnUnknownExperiment() async throws {
        let (store, config) = try await Self.experimentStore()
        let result = try await CLI.runOffPool(["experiment", "report", "--store", store, "--config", config, "--experiment", "nope"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("unknown experiment 'nope'") && result.stderr.contains("valid: hero"), "\(result.stderr)")
    }
}
