import Foundation
import TacitExperiments

/// The tables `tacit experiment simulate` prints.
enum SimulationTables {
    static func rate(_ r: RejectionRate) -> String { String(format: "%.4f ± %.4f", r.rate, r.standardError) }

    static func aa(_ r: FixedSplitSimulation.Result) -> String {
        let rows = [
            ["z-test, conversion (end)", rate(r.conversion), String(format: "%.2f", r.alpha)],
            ["Welch t-test, revenue/user (end)", rate(r.revenue), String(format: "%.2f", r.alpha)],
            ["z-test, peeking at \(r.looks) looks", rate(r.peekingConversion), "> α (inflated)"],
            ["mSPRT, peeking at \(r.looks) looks", rate(r.sequentialConversion), "≤ \(String(format: "%.2f", r.alpha))"],
            ["sample-ratio flags (p < 0.001)", rate(r.sampleRatioFlags), "0.001"],
        ]
        return "A/A: \(r.experiments) experiments, \(r.usersPerArm) users per arm, α = \(r.alpha)\n"
            + Console.table(header: ["test", "false-positive rate ± SE", "expected"], rows: rows)
    }

    static func lift(_ r: FixedSplitSimulation.Result, calculated: Int, promised: Double) -> String {
        let rows = [
            ["z-test, conversion (end)", rate(r.conversion), String(format: "%.4f", promised)],
            ["Welch t-test, revenue/user (end)", rate(r.revenue), "(not sized for)"],
            ["z-test, peeking at \(r.looks) looks", rate(r.peekingConversion), "(invalid)"],
            ["mSPRT, peeking at \(r.looks) looks", rate(r.sequentialConversion), "(the price of validity)"],
        ]
        return "lift \(String(format: "%+.0f %%", 100 * r.lift)): \(r.experiments) experiments, \(r.usersPerArm) users per arm "
            + "(calculator: \(calculated)), mean observed lift \(String(format: "%+.2f %%", 100 * r.meanObservedLift))\n"
            + Console.table(header: ["test", "detection rate ± SE", "promised power"], rows: rows)
    }

    static func bandit(_ results: [BanditSimulation.PolicyResult], configuration c: BanditSimulation.Configuration) -> String {
        let rows = results.map { r in
            [r.policy, String(format: "%.1f ± %.1f", r.meanRegret, r.regretStandardError), String(format: "%.3f", r.bestArmShare),
             String(format: "%.4f", r.conversionRate), String(format: "%.4f", r.weightedEstimateError)]
        }
        return "bandits: rates \(c.rates.map { String($0) }.joined(separator: ", ")), \(c.horizon) requests, "
            + "refresh every \(c.batch), \(c.runs) runs, floor \(c.floor), ε = \(c.epsilon)\n"
            + Console.table(header: ["policy", "regret ± SE", "best-arm share", "conversion", "IPW abs. error"], rows: rows)
    }

    static func srm(_ r: SampleRatioSimulation.Result, configuration c: SampleRatioSimulation.Configuration) -> String {
        func row(_ name: String, _ check: SampleRatioCheck) -> [String] {
            [name, check.observed.map(String.init).joined(separator: " / "), String(format: "%.2f", check.chiSquare),
             String(format: "%.3g", check.pValue), check.mismatch ? "SRM" : "ok"]
        }
        let rows = [
            row("healthy 50/50 hash split", r.healthy),
            row("observed 52/48", r.skewed52To48),
            row("logging bug: \(Int(c.lossRate * 100)) % of treatment lost", r.loggingBug),
        ]
        return "sample-ratio mismatch: \(c.users) users, configured 50/50, flag at p < 0.001\n"
            + Console.table(header: ["scenario", "users", "χ²", "p", "flag"], rows: rows)
            + "\nhealthy experiments flagged: \(r.healthyFlags.rejections) of \(r.healthyFlags.experiments) (\(rate(r.healthyFlags)))"
    }
}
