import Testing
import TacitCore
import TacitModels
import TacitTestSupport
@testable import TacitEvaluation

@Suite struct TunerTests {
    /// A model that refuses (while training) any `x` above `limit`, like a diverging learning rate.
    struct Refusing: Trainer {
        let x: Double
        let limit: Double
        func fit(_ data: InteractionMatrix, observer: some TrainingObserver) async throws -> PopularityModel {
            if x > limit { throw TacitError.invalidArgument("refusing: x = \(x) diverges") }
            return try await Popularity().fit(data, observer: observer)
        }
    }

    static func descriptor(limit: Double) -> ModelDescriptor {
        ModelDescriptor(name: "refusing", summary: "test", parameters: [
            ParameterSpec("x", "a value", domain: .real(valid: 0...1, search: 0...1, log: false), default: .real(0)),
        ]) { parameters, _ in AnyTrainer(Refusing(x: parameters.real("x"), limit: limit)) }
    }

    func data() throws -> (InteractionMatrix, TestSet) {
        let events = (0..<40).map { Event(user: "u\($0 % 8)", item: "i\($0 % 5)", timestamp: Int64($0)) }
        let training = try WeightingPolicy().matrix(from: EventLog(events))
        let valid = EventLog((0..<8).map { Event(user: "u\($0)", item: "i\(($0 + 1) % 5)", timestamp: 100) })
        return (training, TestSet(test: valid, training: training))
    }

    /// Every value a perturbation changes lands inside the printed search range (twotower's
    /// `dimension` 16–256 in a log space, `learning_rate`, `recent_length` from 0), even from a
    /// start outside it, over 2,000 seeded steps; parameters not tuned never move.
    @Test func perturbationsStayInTheSearchRanges() throws {
        let descriptor = TwoTower.descriptor
        var base = descriptor.defaults
        base["dimension"] = .integer(4000)
        base["learning_rate"] = .real(5)
        var rng = SeededGenerator(seed: 9)
        let tuner = Tuner(trials: 10, seed: 9)
        var moved = Set<String>()
        for _ in 0..<2000 {
            let next = Tuner.perturb(base, descriptor, fixed: tuner.fixed, rng: &rng)
            for spec in descriptor.parameters {
                switch spec.domain {
                case let .integer(_, search, _) where next[spec.name] != base[spec.name]:
                    #expect(search.contains(next.integer(spec.name)), "\(spec.name) = \(next.integer(spec.name))")
                case let .real(_, search, _) where next[spec.name] != base[spec.name]:
                    #expect(search.contains(next.real(spec.name)), "\(spec.name) = \(next.real(spec.name))")
                default: break
                }
                if !spec.tuned { #expect(next[spec.name] == base[spec.name], "\(spec.name) is not tuned") }
                if next[spec.name] != base[spec.name] { moved.insert(spec.name) }
            }
            base = next
        }
        #expect(moved.contains("dimension") && moved.contains("learning_rate"))
    }

    /// `tacit models` says "not tuned" for what the tuner leaves alone.
    @Test func rangesSayWhatTheTunerSearches() throws {
        let specs = Dictionary(uniqueKeysWithValues: TwoTower.descriptor.parameters.map { ($0.name, $0) })
        #expect(specs["dimension"]?.rangeDescription == "integer 1...4096, tuned over 16...256 (log scale)")
        // Tuned so that validation chooses them (a cold-items validation rewards id dropout).
        #expect(specs["id_dropout"]?.rangeDescription == "number 0.0...0.99, tuned over 0.0...0.5")
        #expect(specs["log_q"]?.rangeDescription == "one of true, false")
        #expect(specs["user_dropout"]?.rangeDescription == "number 0.0...0.99, not tuned")
        #expect(specs["seed"]?.rangeDescription == "integer 0...9223372036854775807, not tuned")
        #expect(specs["user_embedding"]?.rangeDescription == "one of true, false")
    }

    @Test func failedTrialsAreRecordedAndTheSearchGoesOn() async throws {
        let (training, valid) = try data()
        let result = try await Tuner(trials: 12, seed: 3).tune(Self.descriptor(limit: 0.5), training: training, validation: valid, run: ModelRun(threads: 1))
        #expect(result.trials.count == 12)
        let failed = result.trials.filter { $0.error != nil }
        #expect(!failed.isEmpty && failed.count < 12)
        #expect(failed.allSatisfy { $0.metrics.isEmpty && $0.parameters.real("x") > 0.5 && $0.error!.contains("diverges") })
        #expect(result.best.error == nil && result.best.metrics["NDCG@10"] != nil)
    }

    @Test func whenEveryTrialFailsTheLastErrorIsThrown() async throws {
        let (training, valid) = try data()
        await #expect(throws: TacitError.self) {
            _ = try await Tuner(trials: 3, fixed: ["x": .real(0.9)]).tune(Self.descriptor(limit: 0.5), training: training, validation: valid, run: ModelRun(threads: 1))
        }
    }
}
