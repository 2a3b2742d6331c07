import ArgumentParser
import TacitCore

extension WeightingPolicy.Aggregation: ExpressibleByArgument {}
extension WeightingPolicy.KindScale: ExpressibleByArgument {}

/// How events become confidences (`--kind-weight`, `--aggregation`, `--half-life-days`, k-core).
struct WeightingOptions: ParsableArguments {
    @Option(name: .customLong("kind-weight"), help: ArgumentHelp(
        "Weight of an event kind, as kind=weight (repeatable). Defaults: view=1 click=2 add_to_cart=4 purchase=8 interaction=1; other kinds 1.",
        valueName: "kind=weight"))
    var kindWeights: [String] = []

    @Option(name: .customLong("kind-scale"), help: ArgumentHelp(
        "relative (default): kind weights are ratios, divided by the weight of the log's most frequent kind so that its event weighs 1 (a purchase-only log weighs each purchase 1); absolute: used as given.",
        valueName: "relative|absolute"))
    var kindScale: WeightingPolicy.KindScale = .relative

    @Option(help: "How repeated events of one user-item pair combine: sum, max or log (log2(1+sum)).")
    var aggregation: WeightingPolicy.Aggregation = .sum

    @Option(name: .customLong("half-life-days"), help: "Decay events by age: an event this many days older than the latest counts half.")
    var halfLifeDays: Double?

    @Option(name: .customLong("min-user-count"), help: "Drop users with fewer distinct items (k-core, with --min-item-count).")
    var minUserCount: Int = 1

    @Option(name: .customLong("min-item-count"), help: "Drop items with fewer distinct users.")
    var minItemCount: Int = 1

    @Flag(name: .customLong("keep-duplicates"), help: "Count exact duplicate events (same user, item, kind and time) every time.")
    var keepDuplicates = false

    func policy() throws -> WeightingPolicy {
        var policy = WeightingPolicy()
        for assignment in kindWeights {
            let parts = assignment.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let weight = Float(parts[1]) else {
                throw ValidationError("--kind-weight '\(assignment)' must be kind=number")
            }
            policy.kindWeights[EventKind(parts[0]).name] = weight
        }
        policy.kindScale = kindScale
        policy.aggregation = aggregation
        policy.halfLife = halfLifeDays.map { $0 * 86_400 }
        policy.minUserCount = minUserCount
        policy.minItemCount = minItemCount
        policy.dropDuplicates = !keepDuplicates
        try policy.validate()
        return policy
    }
}
