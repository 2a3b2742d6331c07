import Foundation
import TacitCore
import TacitExperiments
import TacitSynthetic

/// An A/B test of recommendation strategies on the generator's users, whose preferences are
/// known: `tacit experiment simulate --mode strategies`.
///
/// Each user of a ``ShopSimulator`` shop has a hidden taste vector `u` and each item a latent
/// vector `v`; their affinity is `u·v`. Users are split between the strategies by the
/// experiment hash (sticky, as in the service) and shown one list of `listLength` items:
/// - `popular`: the same items for everyone, those with the highest mean affinity over the
///   population (what most users like);
/// - `personal`: the user's own best items by affinity plus Gaussian noise of sd `noise` (in
///   units of the affinity's sd: an imperfect model; 0 is an oracle);
/// - `random`: items drawn uniformly (a floor).
/// A shown item is clicked with probability `click · σ((u·v − μ)/s)` (μ, s: the mean and sd of
/// the affinity over random user-item pairs; `click` the generator's funnel) and a click ends in
/// a purchase with probability `add_to_cart · purchase`. The analysis is the service's
/// (``ExperimentAnalyzer``), and because the probabilities are known the simulation also prints
/// each strategy's *true* expected conversion, which the reported interval should cover.
struct StrategySimulation {
    struct Configuration {
        var strategies = ["popular", "personal"]
        var users = 20_000
        var items = 2_000
        var listLength = 10
        var noise = 1.0
        var alpha = 0.05
        var seed: UInt64 = 42
    }

    struct Result: Encodable {
        var strategies: [String]
        var trueConversion: [Double]
        var report: ExperimentReport
    }

    static let known = ["popular", "personal", "random"]

    let configuration: Configuration

    func run() throws -> Result {
        let c = configuration
        var shop = ShopSimulator.Configuration(events: c.users * 20, users: c.users, items: c.items, seed: c.seed)
        shop.threads = 1
        let simulator = try ShopSimulator(shop)
        let latents = (0..<Int32(c.items)).map { simulator.latent(of: $0) }
        let tastes = (0..<Int32(c.users)).map { simulator.userProfile($0).taste }
        func affinity(_ u: Int, _ i: Int) -> Double {
            var sum: Float = 0
            for k in 0..<tastes[u].count { sum += tastes[u][k] * latents[i][k] }
            return Double(sum)
        }
        var rng = SeededGenerator(seed: c.seed)
        // Calibration: the affinity's mean and sd over random pairs.
        let sample = (0..<20_000).map { _ in affinity(Int.random(in: 0..<c.users, using: &rng), Int.random(in: 0..<c.items, using: &rng)) }
        let mean = sample.reduce(0, +) / Double(sample.count)
        let sd = max(1e-9, (sample.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(sample.count)).squareRoot())
        let funnel = shop.funnel
        let purchaseGivenClick = funnel.addToCart * funnel.purchase
        func clickProbability(_ u: Int, _ i: Int) -> Double { funnel.click / (1 + Foundation.exp(-(affinity(u, i) - mean) / sd)) }

        // The popular list: the highest mean affinity over a sample of users.
        let panel = (0..<min(c.users, 2_000)).map { _ in Int.random(in: 0..<c.users, using: &rng) }
        let meanAffinity = (0..<c.items).map { i in panel.reduce(0) { $0 + affinity($1, i) } / Double(panel.count) }
        let popular = Array((0..<c.items).sorted { meanAffinity[$0] > meanAffinity[$1] }.prefix(c.listLength))

        let definition = ExperimentDefinition(id: "strategies", salt: "strategies-\(c.seed)",
                                              variants: c.strategies.map { .init(name: $0) })
        let assigner = try ExperimentAssigner(definition)
        var analyzer = try ExperimentAnalyzer(definition)
        var expected = [Double](repeating: 0, count: c.strategies.count)
        var counts = [Int](repeating: 0, count: c.strategies.count)
        for u in 0..<c.users {
            guard let assignment = assigner.assign(user: ShopSimulator.userID(Int32(u))), let arm = assignment.variantIndex else { continue }
            let list: [Int]
            switch c.strategies[arm] {
            case "popular":
                list = popular
            case "personal":
                let scored = (0..<c.items).map { i in (i, affinity(u, i) + c.noise * sd * Self.gaussian(&rng)) }
                list = scored.sorted { $0.1 > $1.1 }.prefix(c.listLength).map(\.0)
            default:
                list = (0..<c.listLength).map { _ in Int.random(in: 0..<c.items, using: &rng) }
            }
            var clicks = 0, purchases = 0, noPurchase = 1.0
            for i in list {
                let p = clickProbability(u, i)
                noPurchase *= 1 - p * purchaseGivenClick
                if Double.random(in: 0..<1, using: &rng) < p {
                    clicks += 1
                    if Double.random(in: 0..<1, using: &rng) < purchaseGivenClick { purchases += 1 }
                }
            }
            expected[arm] += 1 - noPurchase
            counts[arm] += 1
            analyzer.add(ExposureRecord(user: ShopSimulator.userID(Int32(u)), variant: assignment.variant,
                                        propensity: assignment.propensity, clicks: clicks, purchases: purchases,
                                        revenue: Double(purchases) * 30))
        }
        let trueConversion = zip(expected, counts).map { $1 > 0 ? $0 / Double($1) : .nan }
        return Result(strategies: c.strategies, trueConversion: trueConversion, report: analyzer.report(alpha: c.alpha))
    }

    /// A standard normal draw (Box–Muller).
    static func gaussian(_ rng: inout SeededGenerator) -> Double {
        let u1 = max(Double.random(in: 0..<1, using: &rng), .leastNonzeroMagnitude), u2 = Double.random(in: 0..<1, using: &rng)
        return (-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * .pi * u2)
    }

    /// The result as a table.
    static func table(_ result: Result, configuration c: Configuration) -> String {
        var lines = ["strategies on the generator's users: \(c.users) users, \(c.items) items, lists of \(c.listLength), personal noise \(c.noise) sd, α = \(c.alpha)"]
        lines.append("strategy         users  conversion [95 % interval]   true conversion     CTR")
        for (k, variant) in result.report.variants.enumerated() {
            let conversion = variant.conversion
            lines.append(variant.name.padding(toLength: 12, withPad: " ", startingAt: 0)
                + String(format: " %8d  %.4f [%.4f, %.4f]   %15.4f  %6.4f", variant.users, conversion.value, conversion.lower,
                         conversion.upper, result.trueConversion[k], variant.ctr.value))
        }
        for comparison in result.report.comparisons {
            lines.append(String(format: "%@ vs %@: conversion lift %+.1f %%, p = %.3g (sequential p = %.3g)", comparison.variant as NSString,
                                comparison.control as NSString, 100 * comparison.conversion.relativeLift, comparison.conversion.pValue,
                                comparison.conversionSequentialPValue))
        }
        if let ratio = result.report.sampleRatio {
            lines.append(String(format: "sample ratio: χ² %.2f, p %.3g%@", ratio.chiSquare, ratio.pValue, ratio.mismatch ? " — MISMATCH" : " (ok)"))
        }
        return lines.joined(separator: "\n")
    }
}
