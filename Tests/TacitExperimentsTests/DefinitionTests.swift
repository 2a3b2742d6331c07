import Foundation
import Testing
@testable import TacitExperiments

struct DefinitionTests {
    static let valid = """
        {"experiments": [
          {"id": "home-ranker", "salt": "home-2024-06", "control": "als", "holdout": 0.05,
           "start": "2024-06-01", "stop": 1719792000,
           "variants": [{"name": "als", "scene": "home", "model": "als", "share": 0.5},
                        {"name": "ease", "scene": "home", "model": "ease", "share": 0.5}]},
          {"id": "similar-bandit", "policy": {"type": "epsilon_greedy", "epsilon": 0.2, "floor": 0.1},
           "variants": [{"name": "a"}, {"name": "b"}, {"name": "c"}]},
          {"id": "thompson", "policy": "thompson", "variants": [{"name": "x"}, {"name": "y"}]}
        ]}
        """

    @Test func decodesTheDocumentedFormat() throws {
        let set = try ExperimentSet.decode(Data(Self.valid.utf8))
        #expect(set.experiments.count == 3)
        let home = try #require(set.experiment("home-ranker"))
        #expect(home.salt == "home-2024-06" && home.control == "als" && home.holdout == 0.05)
        #expect(home.start == 1_717_200_000 && home.stop == 1_719_792_000)
        #expect(home.variants[1] == .init(name: "ease", scene: "home", model: "ease", share: 0.5))
        #expect(home.policy == .fixed)
        let bandit = try #require(set.experiment("similar-bandit"))
        #expect(bandit.policy == .epsilonGreedy(epsilon: 0.2, floor: 0.1))
        #expect(bandit.salt == "similar-bandit" && bandit.control == "a", "salt and control default to id and first variant")
        let third: Double = 1.0 / 3
        #expect(bandit.normalizedShares == [third, third, third])
        #expect(set.experiment("thompson")?.policy == .thompson(floor: 0))
        // Round trip through the encoder.
        let encoded = try JSONEncoder().encode(set)
        #expect(try ExperimentSet.decode(encoded) == set)
    }

    func failure(_ json: String) -> String {
        do {
            _ = try ExperimentSet.decode(Data(json.utf8), file: "x.json")
            return "no error"
        } catch {
            return error.description
        }
    }

    func experiment(_ fields: String, variants: String = #"[{"name": "a"}, {"name": "b"}]"#) -> String {
        #"{"experiments": [{"id": "ok", "variants": [{"name": "a"}, {"name": "b"}]}, {"id": "e", "variants": \#(variants)\#(fields)}]}"#
    }

    @Test func errorsNameTheFieldPath() {
        #expect(failure(experiment("", variants: #"[{"name": "a"}, {"name": "b", "share": -0.5}]"#))
            == "x.json: experiments[1].variants[1].share: must be > 0, got -0.5")
        #expect(failure(experiment("", variants: #"[{"name": "a"}, {"name": "b", "share": 0}]"#))
            == "x.json: experiments[1].variants[1].share: must be > 0, got 0")
        #expect(failure(experiment("", variants: #"[{"name": "a"}, {"name": "b", "shares": 1}]"#))
            == "x.json: experiments[1].variants[1].shares: unknown key 'shares'; valid: name, scene, model, share")
        #expect(failure(experiment("", variants: #"[{"name": "a"}, {"share": 1}]"#))
            == "x.json: experiments[1].variants[1].name: required key is missing")
        #expect(failure(experiment("", variants: #"[{"name": "a"}, {"name": "a"}]"#))
            == "x.json: experiments[1].variants[1].name: duplicate variant name 'a'")
        #expect(failure(experiment("", variants: #"[{"name": "a"}]"#))
            == "x.json: experiments[1].variants: needs at least 2 variants, got 1")
        #expect(failure(experiment(#", "holdout": 1"#)) == "x.json: experiments[1].holdout: must be in [0, 1), got 1")
        #expect(failure(experiment(#", "holdout": "lots""#)) == "x.json: experiments[1].holdout: expected a number, found a string")
        #expect(failure(experiment(#", "control": "c""#)) == "x.json: experiments[1].control: unknown variant 'c'; valid: a, b")
        #expect(failure(experiment(#", "policy": "greedy""#))
            == "x.json: experiments[1].policy: unknown policy 'greedy'; valid: fixed, thompson, ucb1, epsilon_greedy")
        #expect(failure(experiment(#", "policy": {"type": "epsilon_greedy", "epsilon": 0}"#))
            == "x.json: experiments[1].policy.epsilon: must be in (0, 1], got 0")
        #expect(failure(experiment(#", "policy": {"type": "thompson", "floor": 0.6}"#))
            == "x.json: experiments[1].policy.floor: must be in [0, 1/arms = 0.5], got 0.6")
        #expect(failure(experiment(#", "policy": {"type": "ucb1", "epsilon": 0.1}"#))
            == "x.json: experiments[1].policy.epsilon: only epsilon_greedy takes an epsilon")
        #expect(failure(experiment(#", "start": "2024-06-02", "stop": "2024-06-01""#))
            == "x.json: experiments[1].stop: must be after start (1717286400), got 1717200000")
        #expect(failure(experiment(#", "start": "June""#))
            == "x.json: experiments[1].start: must be an ISO 8601 time like 2024-06-01 or 2024-06-01T08:00:00Z, got 'June'")
        #expect(failure(#"{"experiments": [{"id": "e", "variants": [{"name": "a"}, {"name": "b"}]}, {"id": "e", "variants": [{"name": "a"}, {"name": "b"}]}]}"#)
            == "x.json: experiments[1].id: duplicate experiment id 'e'")
        #expect(failure(#"{"experiments": [{"variants": []}]}"#) == "x.json: experiments[0].id: required key is missing")
        #expect(failure(#"{"experiment": []}"#) == "x.json: experiment: unknown key 'experiment'; valid: experiments")
        #expect(failure("{") == "x.json: not valid JSON")
    }

    @Test func programmaticDefinitionsValidateToo() {
        let definition = ExperimentDefinition(id: "e", variants: [.init(name: "a"), .init(name: "b", share: .nan)])
        #expect(throws: ExperimentError.self) { try definition.validate() }
        #expect((try? ExperimentAssigner(definition)) == nil)
    }
}
