import Foundation
import Testing
import TacitCore
@testable import TacitBoosting

@Suite struct BoostedRankerTests {
    /// Groups of 8 rows: `signal` is a permutation of 0...7 and the row holding 7 is the relevant
    /// one; `noise` is a seeded random value; `constant` never varies; `gaps` is missing on odd rows.
    static func groups(_ count: Int, seed: UInt64) -> RankingExamples {
        var random = SeededGenerator(seed: seed)
        var examples = RankingExamples(featureNames: ["signal", "noise", "constant", "gaps"])
        for _ in 0..<count {
            var signal = Array(0..<8).map(Float.init)
            random.shuffle(&signal)
            var rows: [Float] = []
            for (k, s) in signal.enumerated() { rows += [s, Float(random.nextUnit()), 1, k % 2 == 0 ? Float(k) : .nan] }
            examples.append(features: rows, labels: signal.map { $0 == 7 ? 1 : 0 })
        }
        return examples
    }

    static func configuration() -> BoostingConfiguration {
        var c = BoostingConfiguration()
        (c.rounds, c.maxDepth, c.threads) = (30, 3, 2)
        return c
    }

    /// Scoring from several threads at once (the service's requests) gives every group the scores
    /// it gets alone, and the scores match XGBoost's prediction from a DMatrix.
    @Test func concurrentScoresEqualSerialOnes() throws {
        let ranker = try BoostedRanker.train(Self.groups(200, seed: 3), configuration: Self.configuration())
        let test = Self.groups(64, seed: 4)
        let serial = (0..<64).map { g in ranker.scores(Array(test.features[(g * 32)..<((g + 1) * 32)])) }
        let slots = ResultSlots<[Float]>(count: 64 * 8, initial: [])
        Parallel.forEach(0..<(64 * 8), threads: 4) { k in
            let g = k % 64
            slots[k] = ranker.scores(Array(test.features[(g * 32)..<((g + 1) * 32)]))
        }
        for (k, scores) in slots.values.enumerated() { #expect(scores == serial[k % 64], "call \(k)") }
        #expect(serial.joined().contains { $0 != 0 })
        let all = test.features.withUnsafeBufferPointer { ranker.dmatrixScores($0, count: 64 * 8) }
        #expect(zip(Array(serial.joined()), all).allSatisfy { abs($0 - $1) <= 1e-6 * max(1, abs($1)) })
    }

    @Test func examplesKeepGroupsAndLabelsInOrder() {
        var examples = RankingExamples(featureNames: ["a", "b"])
        examples.append(features: [1, 2, 3, 4], labels: [0, 1])
        examples.append(features: [], labels: [])
        examples.append(features: [5, 6], labels: [2])
        #expect(examples.groups == [2, 1] && examples.labels == [0, 1, 2] && examples.features == [1, 2, 3, 4, 5, 6] && examples.count == 3)
    }

    /// Trained on groups where the largest `signal` is relevant, the trees put that row first in
    /// every unseen group, and only `signal` carries real gain.
    @Test func learnsToRankTheRelevantRowFirst() throws {
        let ranker = try BoostedRanker.train(Self.groups(400, seed: 1), configuration: Self.configuration())
        let test = Self.groups(100, seed: 2)
        var first = 0
        for g in 0..<100 {
            let rows = Array(test.features[(g * 32)..<((g + 1) * 32)])
            let scores = ranker.scores(rows)
            let best = scores.indices.max { scores[$0] < scores[$1] }!
            if test.labels[g * 8 + best] == 1 { first += 1 }
        }
        #expect(first == 100, "relevant row first in \(first) of 100 groups")
        let gains = ranker.totalGain()
        #expect(gains.count == 4 && gains[0] > 10 * gains[1] && gains[2] == 0, "\(gains)")
    }

    @Test func serializedBoosterScoresIdentically() throws {
        let ranker = try BoostedRanker.train(Self.groups(100, seed: 3), configuration: Self.configuration())
        let bytes = ranker.serialized()
        #expect(!bytes.isEmpty)
        let copy = try BoostedRanker(serialized: bytes, featureNames: ranker.featureNames)
        let rows = Self.groups(20, seed: 4).features
        #expect(copy.scores(rows) == ranker.scores(rows))
        #expect(copy.featureNames == ranker.featureNames)
    }

    /// With margins, a row's score is its margin plus the trees' output (the margin takes the
    /// place of XGBoost's constant base score, so the difference is one constant for all rows):
    /// the trees learn the correction. A margin that already puts the relevant row first by a wide gap leaves the
    /// trees little to add, and the scores keep that order.
    @Test func marginsAreAddedToTheTreesScores() throws {
        let plain = Self.groups(60, seed: 7)
        var examples = RankingExamples(featureNames: plain.featureNames)
        var offset = 0
        for size in plain.groups {
            let labels = Array(plain.labels[offset..<(offset + size)])
            examples.append(features: Array(plain.features[(offset * 4)..<((offset + size) * 4)]), labels: labels,
                            margins: labels.map { $0 * 20 })
            offset += size
        }
        #expect(examples.margins.count == examples.count)
        let ranker = try BoostedRanker.train(examples, configuration: Self.configuration())
        let rows = Array(examples.features[0..<32]), margins = examples.margins.prefix(8).map { $0 }
        let without = ranker.scores(rows), with = ranker.scores(rows, margins: margins)
        let shift = with[0] - without[0] - margins[0]
        for k in 0..<8 { #expect(abs(with[k] - without[k] - margins[k] - shift) < 1e-4, "row \(k)") }
        #expect(abs(shift) <= 0.5 + 1e-4, "at most XGBoost's base score apart: \(shift)")
        let best = with.indices.max { with[$0] < with[$1] }!
        #expect(examples.labels[best] == 1)
    }

    @Test func sameSeedGivesIdenticalTrees() throws {
        let data = Self.groups(100, seed: 5)
        let a = try BoostedRanker.train(data, configuration: Self.configuration())
        let b = try BoostedRanker.train(data, configuration: Self.configuration())
        #expect(a.scores(data.features) == b.scores(data.features))
    }

    @Test func invalidInputIsRefusedWithItsName() {
        var c = Self.configuration()
        c.maxDepth = 0
        #expect(throws: TacitError.invalidArgument("ranker: max_depth must be in 1...32, got 0")) {
            try BoostedRanker.train(Self.groups(5, seed: 1), configuration: c)
        }
        c = Self.configuration()
        c.objective = "reg:squarederror"
        #expect(throws: TacitError.unknownName("ranking objective", "reg:squarederror", valid: BoostingConfiguration.objectives)) {
            try BoostedRanker.train(Self.groups(5, seed: 1), configuration: c)
        }
        #expect(throws: TacitError.invalidArgument("ranker: no training examples")) {
            try BoostedRanker.train(RankingExamples(featureNames: ["a"]), configuration: Self.configuration())
        }
        #expect(throws: TacitError.self) { try BoostedRanker(serialized: [1, 2, 3], featureNames: ["a"]) }
    }
}

/// The Swift tree walker against XGBoost's own prediction.
@Suite struct TreeEnsembleTests {
    /// On unseen rows with missing values, with and without margins, deeper trees and a model
    /// read back from its bytes: the walker's scores are XGBoost's, bit for bit.
    @Test func walkerEqualsXGBoost() throws {
        var configuration = BoostedRankerTests.configuration()
        configuration.maxDepth = 6
        // Groups of 10 rows of 4 uniform features; the relevant row has the largest f0 + f1 / 2 − f2:
        // the trees need many splits. Missing values here and there.
        func groups(_ count: Int, seed: UInt64, margins: Bool) -> RankingExamples {
            var random = SeededGenerator(seed: seed)
            var examples = RankingExamples(featureNames: ["f0", "f1", "f2", "f3"])
            for _ in 0..<count {
                var rows: [Float] = [], value: [Float] = []
                for _ in 0..<10 {
                    let f = (0..<4).map { _ in Float(random.nextUnit()) }
                    rows += f.map { random.nextUnit() < 0.1 ? .nan : $0 }
                    value.append(f[0] + f[1] / 2 - f[2])
                }
                let best = value.max()
                examples.append(features: rows, labels: value.map { $0 == best ? 1 : 0 },
                                margins: margins ? (0..<10).map { Float($0 % 3) / 4 } : nil)
            }
            return examples
        }
        let test = groups(40, seed: 6, margins: false)
        let margins = (0..<test.count).map { Float($0 % 5) - 2 }
        for withMargins in [false, true] {
            let model = try BoostedRanker.train(groups(300, seed: 5, margins: withMargins), configuration: configuration)
            let loaded = try BoostedRanker(serialized: model.serialized(), featureNames: model.featureNames)
            for ranker in [model, loaded] {
                let ensemble = try #require(ranker.ensemble)
                #expect(ensemble.roots.count == configuration.rounds && ensemble.nodes.count > 10 * configuration.rounds)
                let given = withMargins ? margins : []
                let walked = test.features.withUnsafeBufferPointer { ranker.scores($0, count: test.count, margins: given) }
                let xgboost = test.features.withUnsafeBufferPointer { ranker.xgboostScores($0, count: test.count, margins: given) }
                #expect(walked.map(\.bitPattern) == xgboost.map(\.bitPattern))
                #expect(Set(walked).count > 100)
            }
        }
    }

    /// A model the walker cannot trust is refused with its reason (the caller then scores with
    /// XGBoost): a child before its parent (a cycle), a feature out of range, categorical splits.
    @Test func inconsistentTreesAreRefused() throws {
        func model(_ tree: String) -> Data {
            Data(#"{"learner": {"learner_model_param": {"base_score": "5E-1", "num_class": "0"}, "gradient_booster": {"name": "gbtree", "model": {"trees": [\#(tree)]}}}}"#.utf8)
        }
        let good = #"{"left_children": [1, -1, -1], "right_children": [2, -1, -1], "split_indices": [1, 0, 0], "split_conditions": [0.5, -1, 2], "default_left": [1, 0, 0]}"#
        let ensemble = try TreeEnsemble(json: model(good), width: 2)
        let rows: [Float] = [9, 0.25, 9, 0.75, 9, .nan]
        #expect(rows.withUnsafeBufferPointer { ensemble.scores($0, count: 3) } == [-0.5, 2.5, -0.5])
        #expect(rows.withUnsafeBufferPointer { ensemble.scores($0, count: 3, margins: [1, 1, 1]) } == [0, 3, 0])
        for (tree, reason) in [(good.replacingOccurrences(of: "[1, -1, -1]", with: "[0, -1, -1]"), "out of order"),
                               (good.replacingOccurrences(of: "[1, 0, 0]", with: "[2, 0, 0]"), "splits on feature 2"),
                               (good.replacingOccurrences(of: "[2, -1, -1]", with: "[7, -1, -1]"), "out of range"),
                               (good.replacingOccurrences(of: "[2, -1, -1]", with: "[1, -1, -1]"), "out of order"),
                               (good.replacingOccurrences(of: "\"default_left\": [1, 0, 0]", with: "\"default_left\": [1, 0]"), "consistent"),
                               (good.replacingOccurrences(of: "}", with: ", \"split_type\": [1, 0, 0]}"), "categorical")] {
            #expect(throws: TacitError.self) { try TreeEnsemble(json: model(tree), width: 2) }
            do { _ = try TreeEnsemble(json: model(tree), width: 2) } catch { #expect("\(error)".contains(reason), "\(error)") }
        }
        #expect(throws: TacitError.self) { try TreeEnsemble(json: Data("[]".utf8), width: 2) }
    }
}
