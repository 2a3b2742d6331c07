import Foundation
import Testing
import TacitTestSupport

@Suite(.serialized) struct ExperimentCommandTests {
    @Test func simulateAAPrintsTheFalsePositiveRateAndWritesJSON() throws {
        let json = Fixtures.temporaryDirectory().appendingPathComponent("aa.json")
        let result = try CLI.run(["experiment", "simulate", "--mode", "aa", "--experiments", "200", "--users-per-arm", "1000",
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

    @Test func simulateSRMFlagsA52To48Split() throws {
        let result = try CLI.run(["experiment", "simulate", "--mode", "srm", "--experiments", "20"])
        #expect(result.status == 0, "\(result.stderr)")
        let line = result.stdout.split(separator: "\n").first { $0.hasPrefix("observed 52/48") }
        #expect(line?.hasSuffix("SRM") == true, "\(result.stdout)")
    }

    @Test func badOptionsAreRejected() throws {
        let result = try CLI.run(["experiment", "simulate", "--mode", "abc"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("aa, lift, bandit, srm, all"), "\(result.stderr)")
        let rates = try CLI.run(["experiment", "simulate", "--mode", "bandit", "--rates", "0.1,x"])
        #expect(rates.status != 0 && rates.stderr.contains("--rates"), "\(rates.stderr)")
    }
}
