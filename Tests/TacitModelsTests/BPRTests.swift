import Foundation
import Testing
import TacitCore
import TacitEvaluation
import TacitTestSupport
@testable import TacitModels

@Suite struct BPRTests {
    func configuration(factors: Int = 8, epochs: Int = 60, threads: Int = 1) -> BPR.Configuration {
        var c = BPR.Configuration()
        c.factors = factors
        c.epochs = epochs
        c.learningRate = 0.05
        c.regularization = 0.01
        c.schedule = .constant   // so a shorter run is a prefix of a longer one (early stopping)
        c.threads = threads
        return c
    }

    func fit(_ data: InteractionMatrix, _ c: BPR.Configuration, earlyStopping: EarlyStopping? = nil) async throws -> BPRModel {
        try await BPR(c, earlyStopping: earlyStopping).fit(data, observer: SilentObserver())
    }

    // MARK: - The SGD step

    /// x̂ = u·(p − n) + b_p − b_n = 0.375 − 0.375 = 0, so z = 1/(1 + e⁰) = 0.5 exactly; with η = 0.5 and
    /// λ = 0.25: u' = 0.875 u + 0.25 (p − n), p' = 0.875 p + 0.25 u, n' = 0.875 n − 0.25 u,
    /// b_p' = 0.125 + 0.5 (0.5 − 0.25 · 0.125) = 0.359375, b_n' = 0.5 + 0.5 (−0.5 − 0.25 · 0.5) = 0.1875.
    /// Nine factors run both the SIMD lanes and the scalar tail; every value is dyadic, so exact.
    @Test func oneUpdateMatchesHandComputedValues() {
        var u: [Float] = [0.5, -0.25, 1, 0, 0.5, 0.25, -0.5, 0, 1]
        var p: [Float] = [1, 0, 0.5, 0.25, 0, 0, 0.5, 1, -0.5]
        var n: [Float] = [0.5, 0.5, 0, 0.25, 0.5, 0, 0, 1, -0.5]
        var bp: Float = 0.125, bn: Float = 0.5
        let x = BPR.update(user: &u, positive: &p, negative: &n, positiveBias: &bp, negativeBias: &bn, factors: 9,
                           learningRate: 0.5, regularization: 0.25)
        #expect(x == 0)
        #expect(u == [0.5625, -0.34375, 1, 0, 0.3125, 0.21875, -0.3125, 0, 0.875])
        #expect(p == [1, -0.0625, 0.6875, 0.21875, 0.125, 0.0625, 0.3125, 0.875, -0.1875])
        #expect(n == [0.3125, 0.5, -0.25, 0.21875, 0.3125, -0.0625, 0.125, 0.875, -0.6875])
        #expect(bp == 0.359375)
        #expect(bn == 0.1875)
    }

    /// A correctly ranked pair: x̂ = 1 · (2 − 0) = 2, z = 1/(1 + e²) ≈ 0.1192; with η = 0.1, λ = 0.01
    /// u' = 1 + 0.1 (2z − 0.01), p' = 2 + 0.1 (z − 0.02), n' = −0.1 z, b_p' = 0.1 z, b_n' = −0.1 z.
    @Test func updateUsesTheLogisticOfTheScore() {
        var u: [Float] = [1], p: [Float] = [2], n: [Float] = [0]
        var bp: Float = 0, bn: Float = 0
        let x = BPR.update(user: &u, positive: &p, negative: &n, positiveBias: &bp, negativeBias: &bn, factors: 1,
                           learningRate: 0.1, regularization: 0.01)
        let z = 1 / (1 + exp(2.0))
        #expect(x == 2)
        #expect(abs(Double(u[0]) - (1 + 0.1 * (2 * z - 0.01))) < 1e-6)
        #expect(abs(Double(p[0]) - (2 + 0.1 * (z - 0.02))) < 1e-6)
        #expect(abs(Double(n[0]) - (-0.1 * z)) < 1e-6)
        #expect(abs(Double(bp) - 0.1 * z) < 1e-7 && abs(Double(bn) + 0.1 * z) < 1e-7)
    }

    // MARK: - Negative sampling

    @Test func verifiedNegativesAreNeverPositives() {
        let data = Fixtures.randomBlocks(users: 40, items: 30, perUser: 12)
        for (sampling, exponent) in [(BPR.Configuration.NegativeSampling.uniform, 1.0), (.popularity, 1), (.popularity, 0.5)] {
            let cursor = NegativeSampler(data: data, sampling: sampling, exponent: exponent, verify: true).cursor()
            var random = SeededGenerator(seed: 3)
            var drawn = 0
            for u in 0..<data.userCount {
                let row = data.row(u).items
                for _ in 0..<500 {
                    guard let j = cursor.negative(for: row, positive: row[0], random: &random) else { continue }
                    drawn += 1
                    #expect(!data.contains(user: u, item: j), "\(sampling) \(exponent): user \(u) got positive \(j)")
                }
            }
            // Each user holds 12 of 30 items: a draw is usable a bit over half the time.
            #expect(drawn > data.userCount * 150, "\(sampling) \(exponent): too many skipped draws (\(drawn))")
        }
    }

    /// A user holding every item but one can only get that one (or a skip, never a positive).
    @Test func aNearlyFullHistoryYieldsTheOnlyNegativeOrNothing() {
        var log = EventLog()
        for i in 0..<6 { log.append(Event(user: "a", item: "i\(i)", timestamp: Int64(i))) }
        for i in 0..<5 { log.append(Event(user: "b", item: "i\(i)", timestamp: 10)) }
        let data = try! WeightingPolicy().matrix(from: log)
        let b = Int(data.users.index(of: "b")!), missing = data.items.index(of: "i5")!
        let cursor = NegativeSampler(data: data, sampling: .uniform, exponent: 1, verify: true).cursor()
        var random = SeededGenerator(seed: 1)
        var found = 0
        for _ in 0..<1000 {
            if let j = cursor.negative(for: data.row(b).items, positive: data.row(b).items[0], random: &random) {
                #expect(j == missing)
                found += 1
            }
        }
        #expect(found > 120 && found < 220)   // P(usable) = 1/6
    }

    /// Item i with count c_i is drawn with probability c_i^e / Σ c^e: the table is exact, and
    /// 400,000 seeded draws land within 4 standard errors of it (fixed seed: no flakes).
    @Test func popularitySamplerFollowsTheWeights() {
        var log = EventLog()
        let counts = [1, 2, 4, 8, 16, 32, 3, 0]
        for (i, c) in counts.enumerated() { for u in 0..<c { log.append(Event(user: "u\(u)", item: "i\(i)", timestamp: 0)) } }
        log.append(Event(user: "u40", item: "i7", timestamp: 0))   // i7 appears once
        let data = try! WeightingPolicy().matrix(from: log)
        for exponent in [1.0, 0.75, 0.5, 0.0] {
            let sampler = NegativeSampler(data: data, sampling: .popularity, exponent: exponent, verify: false)
            let weights = (0..<data.itemCount).map { Foundation.pow(Double(data.columnLength($0)), exponent) }
            let total = weights.reduce(0, +)
            let exact = sampler.probabilities(itemCount: data.itemCount)
            for i in 0..<data.itemCount { #expect(abs(exact[i] - weights[i] / total) < 1e-8, "exponent \(exponent) item \(i)") }
            let cursor = sampler.cursor()
            var random = SeededGenerator(seed: 11)
            var seen = [Int](repeating: 0, count: data.itemCount)
            let draws = 400_000
            for _ in 0..<draws { seen[Int(cursor.draw(&random))] += 1 }
            for i in 0..<data.itemCount {
                let p = weights[i] / total
                let error = 4 * (p * (1 - p) / Double(draws)).squareRoot()
                #expect(abs(Double(seen[i]) / Double(draws) - p) <= error, "exponent \(exponent) item \(i): \(seen[i]) draws, p = \(p)")
            }
        }
        let uniform = NegativeSampler(data: data, sampling: .uniform, exponent: 1, verify: false).probabilities(itemCount: data.itemCount)
        #expect(uniform.allSatisfy { abs($0 - 1 / Double(data.itemCount)) < 1e-12 })
    }

    // MARK: - Schedule and configuration

    @Test func learningRateSchedulesReachTheFinalFraction() {
        var c = BPR.Configuration()
        c.epochs = 5
        c.learningRate = 0.2
        c.finalLearningRate = 0.1
        c.schedule = .constant
        #expect((0..<5).map { c.learningRate(epoch: $0) } == [0.2, 0.2, 0.2, 0.2, 0.2])
        c.schedule = .linear   // 0.2 · (1 − 0.9 t / 4)
        let linear = (0..<5).map { c.learningRate(epoch: $0) }
        for (a, b) in zip(linear, [0.2, 0.155, 0.11, 0.065, 0.02]) { #expect(abs(a - b) < 1e-12) }
        c.schedule = .inverse  // 0.2 / (1 + 2.25 t): κ = (1/0.1 − 1) / 4
        let inverse = (0..<5).map { c.learningRate(epoch: $0) }
        for (a, b) in zip(inverse, [0.2, 0.2 / 3.25, 0.2 / 5.5, 0.2 / 7.75, 0.02]) { #expect(abs(a - b) < 1e-12) }
    }

    @Test func invalidConfigurationNamesTheField() throws {
        var c = BPR.Configuration()
        c.learningRate = 0
        #expect(throws: TacitError.invalidArgument("bpr: learning_rate must be > 0, got 0.0")) { try c.validate() }
        c = BPR.Configuration()
        c.factors = 0
        #expect(throws: TacitError.invalidArgument("bpr: factors must be in 1...4096, got 0")) { try c.validate() }
        #expect(throws: TacitError.self) { try BPR.descriptor.parameters(from: ["regularization=-1"]) }
        let names = Set(BPR.descriptor.parameters.filter(\.tuned).map(\.name))
        #expect(names == ["factors", "epochs", "learning_rate", "regularization"])
        #expect(try ModelCatalog.descriptor(named: "bpr").modelType is BPRModel.Type)
    }

    // MARK: - Fitted models

    @Test func conformsOnTheFixtures() async throws {
        for matrix in [Fixtures.checkerboard(), Fixtures.randomBlocks()] {
            for sampling in BPR.Configuration.NegativeSampling.allCases {
                var c = configuration(threads: 2)
                c.sampling = sampling
                let model = try await fit(matrix, c)
                #expect(ModelConformance.recommender(model).isEmpty, "\(sampling): \(ModelConformance.recommender(model).prefix(3))")
                #expect(ModelConformance.similarity(model, itemCount: matrix.itemCount).isEmpty)
                // Fold-in refits the user by SGD against fixed items, so its scores differ from the
                // trained user's by up to about one unit; foldInOfATrainingHistoryIsCloseToTheTrainedUser
                // checks the agreement itself.
                let foldIn = ModelConformance.foldIn(model, tolerance: 1)
                #expect(foldIn.isEmpty, "\(sampling): \(foldIn.prefix(3))")
            }
        }
    }

    @Test func checkerboardRecoversTheMissingItem() async throws {
        let data = Fixtures.checkerboard()
        var c = configuration(factors: 8, epochs: 200)
        c.sampling = .uniform
        let model = try await fit(data, c)
        for u in 0..<8 {
            let top = model.recommend(for: UserIndex(u), count: 1, filter: .excludingHistory)
            #expect(data.items.id(at: top[0].item) == "i\(u)", "user \(u)")
            let folded = model.recommend(history: data.history(of: u), count: 1, filter: .excludingHistory)
            #expect(data.items.id(at: folded[0].item) == "i\(u)", "fold-in user \(u)")
        }
    }

    /// Fold-in of a training user's history lands near the trained vector and mostly the same top-10.
    @Test func foldInOfATrainingHistoryIsCloseToTheTrainedUser() async throws {
        let data = Fixtures.randomBlocks(users: 200, items: 120, perUser: 15)
        let model = try await fit(data, configuration(factors: 16, epochs: 60, threads: 2))
        var overlap = 0.0, cosine = 0.0
        for u in 0..<data.userCount {
            let history = data.history(of: u)
            #expect(model.foldIn(history) == model.foldIn(history))
            cosine += Double(Self.cosine(model.foldIn(history), Array(model.vector(of: UserIndex(u)))))
            let folded = Set(model.recommend(history: history, count: 10, filter: .excludingHistory).map(\.item))
            let trained = Set(model.recommend(for: UserIndex(u), count: 10, filter: .excludingHistory).map(\.item))
            overlap += Double(folded.intersection(trained).count) / 10
        }
        let n = Double(data.userCount)
        #expect(cosine / n > 0.8, "mean cosine \(cosine / n)")
        #expect(overlap / n > 0.7, "mean top-10 overlap \(overlap / n)")
    }

    /// A new event moves the user's recommendations without retraining.
    @Test func foldInReactsToANewEvent() async throws {
        let data = Fixtures.checkerboard()
        let model = try await fit(data, configuration(factors: 8, epochs: 100))
        let before = model.recommend(history: data.history(of: 0), count: 3, filter: .excludingHistory)
        let extended = WeightingPolicy().extend(data.history(of: 0), with: [(before[0].item, .purchase, 1_000)])
        let after = model.recommend(history: extended, count: 3, filter: .excludingHistory)
        #expect(!after.contains { $0.item == before[0].item })
        #expect(after != before)
        #expect(model.foldIn(SparseVector(pairs: [])).allSatisfy { $0 == 0 })
    }

    @Test func singleThreadTrainingIsReproducible() async throws {
        let data = Fixtures.randomBlocks()
        for sampling in BPR.Configuration.NegativeSampling.allCases {
            var c = configuration(epochs: 20)
            c.sampling = sampling
            c.samplingExponent = 0.75
            let a = try await fit(data, c), b = try await fit(data, c)
            #expect(Array(a.userFactors.buffer) == Array(b.userFactors.buffer))
            #expect(Array(a.scorer.itemFactors.buffer) == Array(b.scorer.itemFactors.buffer))
            #expect(Array(a.scorer.itemBias!.buffer) == Array(b.scorer.itemBias!.buffer))
            c.seed = 7
            let other = try await fit(data, c)
            #expect(Array(a.userFactors.buffer) != Array(other.userFactors.buffer))
        }
    }

    @Test func modelFileRoundTripGivesIdenticalRecommendations() async throws {
        let data = Fixtures.randomBlocks()
        let parameters = try BPR.descriptor.parameters(from: ["factors=12", "epochs=30", "sampling_exponent=0.5", "schedule=linear"])
        let model = try await BPR.descriptor.trainer(parameters, threads: 2).fit(data) as! BPRModel
        let file = Fixtures.temporaryDirectory().appendingPathComponent("bpr.tacit").path
        try ModelFile.save(model, name: "bpr", parameters: parameters, to: file)
        let contents = try ModelFile.load(from: file)
        #expect(contents.parameters == parameters)
        let loaded = try #require(contents.model as? BPRModel)
        #expect(loaded.foldInSettings == model.foldInSettings)
        #expect(loaded.foldInSettings.learningRates.count == 30)
        let users = (0..<UserIndex(data.userCount)).map { $0 }
        #expect(loaded.recommendAll(users: users, count: 5, threads: 2) == model.recommendAll(users: users, count: 5, threads: 2))
        for u in 0..<data.userCount {
            #expect(loaded.recommend(for: UserIndex(u), count: 5, filter: .excludingHistory)
                    == model.recommend(for: UserIndex(u), count: 5, filter: .excludingHistory))
            #expect(loaded.recommend(history: data.history(of: u), count: 5, filter: .excludingHistory)
                    == model.recommend(history: data.history(of: u), count: 5, filter: .excludingHistory))
        }
        for i in 0..<data.itemCount {
            #expect(loaded.similarItems(to: ItemIndex(i), count: 3, filter: .none) == model.similarItems(to: ItemIndex(i), count: 3, filter: .none))
        }
    }

    @Test func earlyStoppingStopsAndKeepsTheBestEpoch() async throws {
        let data = Fixtures.randomBlocks()
        let calls = ResultSlots<Int>(count: 1, initial: 0)
        // Scores rise for three epochs, then fall: training stops after `patience` more.
        let stopping = EarlyStopping(metric: "score", patience: 2) { _ in
            calls[0] += 1
            return calls[0] <= 3 ? Double(calls[0]) : 3 - Double(calls[0])
        }
        let model = try await fit(data, configuration(epochs: 40), earlyStopping: stopping)
        #expect(calls[0] == 5)
        let reference = try await fit(data, configuration(epochs: 3))
        #expect(Array(model.userFactors.buffer) == Array(reference.userFactors.buffer))
        #expect(Array(model.scorer.itemBias!.buffer) == Array(reference.scorer.itemBias!.buffer))
        #expect(model.foldInSettings == reference.foldInSettings)
    }

    @Test func observerSeesTheSampledAUCRise() async throws {
        final class Recorder: TrainingObserver, @unchecked Sendable {
            var values: [[String: Double]] = []
            var wantsDetails: Bool { true }
            func progress(step: Int, of total: Int, message: String, values: [String: Double]) { self.values.append(values) }
        }
        let recorder = Recorder()
        _ = try await BPR(configuration(epochs: 30)).fit(Fixtures.randomBlocks(), observer: recorder)
        #expect(recorder.values.count == 30)
        let first = recorder.values.first!, last = recorder.values.last!
        #expect(last["auc"]! > first["auc"]! && last["auc"]! > 0.8, "\(first) → \(last)")
        #expect(last["loss"]! < first["loss"]!)
        #expect(last["learning_rate"] == 0.05)
    }

    /// Too high a learning rate never leaves NaN factors behind: training stops while they are
    /// finite (full lists of finite scores), or fails naming the learning rate.
    @Test func divergingTrainingStopsOrFailsButNeverReturnsNaN() async throws {
        final class Recorder: TrainingObserver, @unchecked Sendable {
            var diverging = false
            func progress(step: Int, of total: Int, message: String, values: [String: Double]) {
                if values["diverging"] != nil { diverging = true }
            }
        }
        let data = Fixtures.randomBlocks()
        var stopped = 0, failed = 0
        for rate in [3.0, 10, 30, 100, 1000] {
            var c = configuration(factors: 16, epochs: 30)
            c.learningRate = rate
            c.regularization = 0
            let recorder = Recorder()
            do {
                let model = try await BPR(c).fit(data, observer: recorder)
                #expect(model.userFactors.buffer.allSatisfy(\.isFinite) && model.scorer.itemFactors.buffer.allSatisfy(\.isFinite))
                for u in 0..<data.userCount {
                    let list = model.recommend(for: UserIndex(u), count: 5, filter: .excludingHistory)
                    #expect(list.count == 5 && list.allSatisfy(\.score.isFinite), "learning rate \(rate), user \(u)")
                }
                if recorder.diverging { stopped += 1 }
            } catch let error as TacitError {
                #expect(error.description.contains("diverged") && error.description.contains("learning_rate"))
                failed += 1
            }
        }
        #expect(stopped > 0 && failed > 0, "stopped \(stopped), failed \(failed)")
    }

    // MARK: - MovieLens 100K

    /// Parameters found by `tacit tune --model bpr --trials 30` on the LOO validation split
    /// (docs/models.md); one thread makes the run deterministic (0.0730; about 2 s in a debug build).
    static let tunedMovieLens = ["epochs=100", "factors=71", "learning_rate=0.16373955283612962", "regularization=0.01"]

    /// LOO on MovieLens 100K through `tacit evaluate`'s pipeline: train on train + valid, rank all
    /// items for every user, score the test item. `implicit`'s BPR tuned the same way: 0.0687.
    @Test(.enabled(if: Fixtures.movieLens != nil, "\(Fixtures.movieLensMissing)"))
    func movieLensLeaveLastOutBeatsImplicit() async throws {
        let loo = Fixtures.movieLens!.appendingPathComponent("splits/loo")
        let (trainLog, _) = try EventImporter().read(paths: ["train.csv", "valid.csv"].map { loo.appendingPathComponent($0).path })
        let (testLog, _) = try EventImporter().read(paths: [loo.appendingPathComponent("test.csv").path])
        let training = try WeightingPolicy().matrix(from: trainLog)
        let run = ModelRun(evaluator: Evaluator(cutoffs: [10], threads: 2), threads: 1)
        let parameters = try BPR.descriptor.parameters(from: Self.tunedMovieLens)
        let result = try await run.run(BPR.descriptor, parameters: parameters, training: training,
                                       testSet: TestSet(test: testLog, training: training))
        let ndcg = try #require(result.report[.ndcg, at: 10])
        #expect(ndcg >= 0.0687, "BPR NDCG@10 = \(ndcg)")
        #expect(result.report.named["HR@10"]! > 0.13)
    }

    static func cosine(_ a: [Float], _ b: [Float]) -> Float {
        var ab: Float = 0, aa: Float = 0, bb: Float = 0
        for k in 0..<a.count { ab += a[k] * b[k]; aa += a[k] * a[k]; bb += b[k] * b[k] }
        return ab / max(1e-12, aa.squareRoot() * bb.squareRoot())
    }
}
