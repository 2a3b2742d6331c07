import TacitCore
import TacitModels

/// The parameter assignments of one model's search, proposed one at a time: the start (the
/// defaults unless given; with the fixed values) first, then samples of each tuned parameter's documented search range until
/// `exploration` trials were proposed, then perturbations of the best assignment recorded so far.
/// An assignment already proposed is drawn again (up to 20 times). Seeded: the same seed and the
/// same recorded results propose the same assignments, so a search replayed from its recorded
/// trials goes on exactly where it stopped.
struct TrialProposer: Sendable {
    let descriptor: ModelDescriptor
    let fixed: [String: ParameterValue]
    let exploration: Int
    /// The first assignment (the service's configured parameters); the defaults when `nil`.
    let start: Parameters?
    private var rng: SeededGenerator
    private var seen = Set<Parameters>()
    private(set) var best: (value: Double, parameters: Parameters)?
    private(set) var proposed = 0

    init(_ descriptor: ModelDescriptor, fixed: [String: ParameterValue] = [:], exploration: Int, seed: UInt64, start: Parameters? = nil) {
        self.descriptor = descriptor
        self.start = start
        self.fixed = fixed
        self.exploration = max(1, exploration)
        self.rng = SeededGenerator(seed: seed)
    }

    /// The next assignment to try.
    mutating func next() -> Parameters {
        var parameters = start ?? descriptor.defaults
        if proposed > 0 {
            for attempt in 0..<20 {
                parameters = proposed < exploration || best == nil
                    ? Tuner.sample(descriptor, rng: &rng)
                    : Tuner.perturb(best!.parameters, descriptor, fixed: fixed, rng: &rng)
                if !seen.contains(Tuner.resettingInactive(parameters, descriptor)) || attempt == 19 { break }
            }
        }
        for (name, value) in fixed { parameters[name] = value }
        parameters = Tuner.resettingInactive(parameters, descriptor)
        seen.insert(parameters)
        proposed += 1
        return parameters
    }

    /// Records a tried assignment's metric (`nil` when its training failed).
    mutating func record(_ parameters: Parameters, value: Double?) {
        seen.insert(parameters)
        if let value, best == nil || value > best!.value { best = (value, parameters) }
    }
}
