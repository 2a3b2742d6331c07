import ArgumentParser
import Foundation
import TacitCore
import TacitExperiments

/// `tacit experiment simulate`: runs experiments against a simulated population with known
/// conversion probabilities.
struct ExperimentSimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Run simulated experiments: false positives (A/A), power, bandit regret, sample-ratio mismatch.",
        discussion: HelpText.format("""
            Users have known conversion probabilities: Beta-distributed around --baseline \
            (concentration --heterogeneity), times 1 + the variant's planted lift.

              --mode aa      --experiments A/A tests: the false-positive rate at --alpha (should be α), \
            with peeking at --looks interim looks: naive z-test vs the always-valid mSPRT.
              --mode lift    experiments sized by the calculator for --power to detect --lift: the detection rate.
              --mode bandit  cumulative regret of Thompson, UCB1, ε-greedy and a fixed split on --rates.
              --mode srm     the sample-ratio-mismatch check on a healthy split, a 52/48 split and a logging bug.
              --mode all     all four.
              --mode strategies  an A/B test of recommendation strategies (--strategies popular,personal,random) \
            on the generator's users, whose tastes are known: shown lists are clicked and bought with \
            probabilities from the users' true affinities, so the true conversion of each strategy is \
            printed beside the estimate and its interval (--users, --items, --list-length, --noise).

            Example:
              tacit experiment simulate --mode aa --experiments 2000 --json aa.json
            """)
    )

    enum Mode: String, CaseIterable, ExpressibleByArgument {
        case aa, lift, bandit, srm, all, strategies
    }

    @Option(help: "What to simulate: \(Mode.allCases.map(\.rawValue).joined(separator: ", ")).")
    var mode: Mode = .aa
    @Option(help: "Experiments per simulation (aa, lift; srm's false-flag count).")
    var experiments = 2_000
    @Option(name: .customLong("users-per-arm"), help: "Users per arm of an A/A test (lift: default from the sample-size calculator).")
    var usersPerArm: Int?
    @Option(help: "Control conversion rate.")
    var baseline = 0.10
    @Option(help: "Planted relative lift of the treatment (lift mode).")
    var lift = 0.10
    @Option(help: "Significance level.")
    var alpha = 0.05
    @Option(help: "Power the lift experiments are sized for.")
    var power = 0.8
    @Option(help: "Beta concentration of users' conversion rates (0: every user has the baseline).")
    var heterogeneity = 20.0
    @Option(help: "Interim looks for the peeking comparison.")
    var looks = 10
    @Option(help: "True conversion rates of the bandit arms, comma-separated.")
    var rates = "0.10,0.11,0.12,0.13"
    @Option(help: "Requests per bandit run.")
    var horizon = 50_000
    @Option(help: "Requests between bandit allocation refreshes.")
    var batch = 500
    @Option(help: "Bandit runs per policy.")
    var runs = 200
    @Option(help: "ε of ε-greedy.")
    var epsilon = 0.1
    @Option(help: "Minimum allocation per arm of the bandit policies.")
    var floor = 0.01
    @Option(help: "Strategies compared in the strategies mode (comma-separated; the first is the control): popular, personal, random.")
    var strategies = "popular,personal"
    @Option(help: "Users of the generated shop (strategies mode).")
    var users = 20_000
    @Option(help: "Items of the generated shop (strategies mode).")
    var items = 2_000
    @Option(name: .customLong("list-length"), help: "Items shown per user (strategies mode).")
    var listLength = 10
    @Option(help: "Noise of the personal strategy's scores, in sds of the true affinity (0: an oracle).")
    var noise = 1.0
    @Option(help: "Random seed.")
    var seed: UInt64 = 42
    @Option(help: "Write the results as JSON to this file.")
    var json: String?
    @OptionGroup var threading: ThreadOptions

    func validate() throws {
        guard ArgumentChecks.enabled else { return }
        guard experiments >= 1 else { throw ValidationError("--experiments must be at least 1") }
        guard (usersPerArm ?? 2) >= 2 else { throw ValidationError("--users-per-arm must be at least 2") }
        guard alpha > 0, alpha < 1, power > 0, power < 1 else { throw ValidationError("--alpha and --power must be in (0, 1)") }
        guard looks >= 1, horizon >= 1, batch >= 1, runs >= 1 else {
            throw ValidationError("--looks, --horizon, --batch and --runs must be at least 1")
        }
        guard try parsedRates().count >= 2 else { throw ValidationError("--rates needs at least two rates") }
        let names = parsedStrategies()
        guard names.count >= 2, Set(names).count == names.count, names.allSatisfy(StrategySimulation.known.contains) else {
            throw ValidationError("--strategies: at least two different names of \(StrategySimulation.known.joined(separator: ", ")), got '\(strategies)'")
        }
        guard users >= 2, items >= listLength, listLength >= 1, noise >= 0 else {
            throw ValidationError("--users must be ≥ 2, --list-length ≥ 1 and ≤ --items, --noise ≥ 0")
        }
    }

    func parsedStrategies() -> [String] {
        strategies.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    }

    func parsedRates() throws -> [Double] {
        try rates.split(separator: ",").map { text in
            guard let rate = Double(text.trimmingCharacters(in: .whitespaces)), (0...1).contains(rate) else {
                throw ValidationError("--rates: '\(text)' is not a rate in [0, 1]")
            }
            return rate
        }
    }

    func run() throws {
        threading.apply()
        var output = SimulationJSON()
        var sections: [String] = []
        let population = SimulatedPopulation(baseline: baseline, heterogeneity: heterogeneity)
        if mode == .aa || mode == .all {
            var configuration = fixedConfiguration(population)
            configuration.usersPerArm = usersPerArm ?? 10_000
            configuration.lift = 0
            let result = try FixedSplitSimulation(configuration).run()
            output.aa = result
            sections.append(SimulationTables.aa(result))
        }
        if mode == .lift || mode == .all {
            var configuration = fixedConfiguration(population)
            let sized = try SampleSize.twoProportions(baseline: baseline, relativeEffect: lift, alpha: alpha, power: power)
            configuration.usersPerArm = usersPerArm ?? sized
            configuration.lift = lift
            let result = try FixedSplitSimulation(configuration).run()
            let promised = SampleSize.power(baseline: baseline, relativeEffect: lift, usersPerArm: configuration.usersPerArm, alpha: alpha)
            output.lift = LiftJSON(calculatedUsersPerArm: sized, promisedPower: promised, result: result)
            sections.append(SimulationTables.lift(result, calculated: sized, promised: promised))
        }
        if mode == .bandit || mode == .all {
            var configuration = BanditSimulation.Configuration()
            configuration.rates = try parsedRates()
            configuration.horizon = horizon
            configuration.batch = batch
            configuration.runs = runs
            configuration.epsilon = epsilon
            configuration.floor = floor
            configuration.seed = seed
            configuration.threads = threading.threads
            let results = try BanditSimulation(configuration).run()
            output.bandit = results
            sections.append(SimulationTables.bandit(results, configuration: configuration))
        }
        if mode == .srm || mode == .all {
            var configuration = SampleRatioSimulation.Configuration()
            configuration.users = 2 * (usersPerArm ?? 5_000)
            configuration.experiments = experiments
            configuration.seed = seed
            configuration.threads = threading.threads
            let result = try SampleRatioSimulation(configuration).run()
            output.srm = result
            sections.append(SimulationTables.srm(result, configuration: configuration))
        }
        if mode == .strategies {
            let configuration = StrategySimulation.Configuration(
                strategies: parsedStrategies(), users: users, items: items, listLength: listLength, noise: noise, alpha: alpha, seed: seed)
            let result = try StrategySimulation(configuration: configuration).run()
            output.strategies = result
            sections.append(StrategySimulation.table(result, configuration: configuration))
        }
        print(sections.joined(separator: "\n\n"))
        if let json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            encoder.keyEncodingStrategy = .convertToSnakeCase
            try encoder.encode(output).write(to: URL(fileURLWithPath: json))
        }
    }

    private func fixedConfiguration(_ population: SimulatedPopulation) -> FixedSplitSimulation.Configuration {
        var configuration = FixedSplitSimulation.Configuration()
        configuration.experiments = experiments
        configuration.population = population
        configuration.alpha = alpha
        configuration.looks = looks
        configuration.seed = seed
        configuration.threads = threading.threads
        return configuration
    }
}

/// The `--json` document: one key per mode that ran.
struct SimulationJSON: Encodable {
    var aa: FixedSplitSimulation.Result?
    var lift: LiftJSON?
    var bandit: [BanditSimulation.PolicyResult]?
    var srm: SampleRatioSimulation.Result?
    var strategies: StrategySimulation.Result?
}

/// The lift mode's result with what the calculator promised.
struct LiftJSON: Encodable {
    var calculatedUsersPerArm: Int
    var promisedPower: Double
    var result: FixedSplitSimulation.Result
}
