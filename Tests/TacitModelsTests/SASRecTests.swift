import Foundation
import Testing
import TacitCore
import TacitEvaluation
import TacitNeural
import TacitTestSupport
@testable import TacitModels

@Suite struct SASRecTests {
    func configuration(dimension: Int = 16, maxLength: Int = 12, epochs: Int = 30, dropout: Double = 0.1, threads: Int = 2) -> SASRec.Configuration {
        var c = SASRec.Configuration()
        c.dimension = dimension
        c.maxLength = maxLength
        c.blocks = 2
        c.heads = 2
        c.dropout = dropout
        c.epochs = epochs
        c.learningRate = 0.01
        c.batchSize = 32
        c.warmupSteps = 0
        c.threads = threads
        return c
    }

    /// Users walk a ring of `items` items: after viewing item i they view i + 1; after buying
    /// item i their next event is i + 2 (`kinds`), so the next item depends on order and kind.
    static func ringLog(users: Int = 120, items: Int = 24, kinds: Bool = true, seed: UInt64 = 3) -> EventLog {
        var rng = SeededGenerator(seed: seed)
        var log = EventLog()
        var time: Int64 = 1_000
        for u in 0..<users {
            var item = Int(rng.next() % UInt64(items))
            for _ in 0..<(6 + Int(rng.next() % 10)) {
                let bought = kinds && rng.nextUnit() < 0.3
                time += 1
                log.append(Event(user: "u\(u)", item: "i\(item)", kind: kinds ? (bought ? .purchase : .view) : .interaction, timestamp: time))
                item = (item + (bought ? 2 : 1)) % items
            }
        }
        return log
    }

    // MARK: - Sequences

    /// Ties at one timestamp keep log order; zero-weight kinds and k-core-dropped items are left
    /// out; indices are the matrix's.
    @Test func eventSequencesFollowTimeThenLogOrder() throws {
        let log = EventLog([
            Event(user: "a", item: "x", kind: .view, timestamp: 20),
            Event(user: "b", item: "y", kind: .view, timestamp: 5),
            Event(user: "a", item: "y", kind: .purchase, timestamp: 10),
            Event(user: "a", item: "z", kind: .view, timestamp: 20),
            Event(user: "a", item: "x", kind: .click, timestamp: 20),
            Event(user: "a", item: "rare", kind: .view, timestamp: 30),
            Event(user: "b", item: "x", kind: .view, timestamp: 1),
            Event(user: "b", item: "z", kind: .view, timestamp: 6),
            Event(user: "b", item: "z", kind: "ignored", timestamp: 7),
        ])
        var policy = WeightingPolicy(minItemCount: 2)
        policy.kindWeights["ignored"] = 0
        let data = try policy.matrix(from: log)
        let sequences = try #require(data.sequences)
        func ids(_ user: String) -> [String] {
            let u = Int(data.users.index(of: user)!)
            return sequences.range(of: u).map { data.items.id(at: sequences.items[$0]) }
        }
        func kinds(_ user: String) -> [String] {
            let u = Int(data.users.index(of: user)!)
            return sequences.range(of: u).map { sequences.kinds[Int(sequences.kindCodes[$0])].name }
        }
        #expect(ids("a") == ["y", "x", "z", "x"])
        #expect(kinds("a") == ["purchase", "view", "view", "click"])
        #expect(ids("b") == ["x", "y", "z"])
        #expect(sequences.count == 7 && sequences.userCount == data.userCount)
        // A matrix without a log orders its entries by time, then item index.
        let fallback = EventSequences(entriesOf: data)
        #expect(fallback.kinds == [.interaction])
        let a = Int(data.users.index(of: "a")!)
        #expect(fallback.range(of: a).map { data.items.id(at: fallback.items[$0]) } == ["y", "x", "z"])
    }

    /// Training packs: the last `maxLength + 1` events, inputs with the next item as target,
    /// positions counted back from the window's end; workers balanced by rows.
    @Test func trainingPacksWindowAndBalance() throws {
        var pack = SASRecPack()
        pack.appendTraining(items: [1, 2, 3, 4, 5][...], kinds: [0, 1, 0, 1, 0][...], maxLength: 3)
        pack.appendTraining(items: [7][...], kinds: [0][...], maxLength: 3)
        pack.appendTraining(items: [8, 9][...], kinds: [1, 1][...], maxLength: 3)
        #expect(pack.items == [2, 3, 4, 8] && pack.targets == [3, 4, 5, 9])
        #expect(pack.kinds == [1, 0, 1, 1] && pack.positions == [0, 1, 2, 2] && pack.offsets == [0, 3, 4])
        var inference = SASRecPack()
        inference.appendInference(items: [1, 2, 3, 4, 5][...], kinds: [0, 0, 0, 0, 0][...], maxLength: 3)
        inference.appendInference(items: [][...], kinds: [][...], maxLength: 3)
        #expect(inference.items == [3, 4, 5] && inference.positions == [0, 1, 2] && inference.offsets == [0, 3, 3])

        let data = try WeightingPolicy().matrix(from: Self.ringLog(users: 10))
        let sequences = SASRecSequences(data)
        let packs = sequences.trainingPacks((0..<10).map(Int32.init), workers: 2, maxLength: 100)
        let rows = packs.map(\.count), total = (0..<10).reduce(0) { $0 + sequences.length(of: $1) - 1 }
        #expect(rows.reduce(0, +) == total && abs(rows[0] - rows[1]) <= 15)
    }

    /// Random training windows: a user with more events than the window gets a full window ending
    /// anywhere from its first full position to the newest event, the same for the same seed, and
    /// every end appears; short users keep their whole history.
    @Test func randomWindowsCoverLongHistories() throws {
        var log = EventLog()
        for (user, count) in [("long", 12), ("short", 3)] {
            for t in 0..<count { log.append(Event(user: "\(user)", item: "i\(t)", timestamp: Int64(t))) }
        }
        let data = try WeightingPolicy().matrix(from: log)
        let sequences = SASRecSequences(data)
        let long = data.users.index(of: "long")!, short = data.users.index(of: "short")!
        var random = SeededGenerator(seed: 5), again = SeededGenerator(seed: 5)
        var seen = Set<Int>()
        for _ in 0..<200 {
            let ends = sequences.windowEnds([long, short], maxLength: 4, random: &random)
            #expect(ends == sequences.windowEnds([long, short], maxLength: 4, random: &again))
            #expect((5...12).contains(ends[0]) && ends[1] == 3)
            seen.insert(ends[0])
        }
        #expect(seen == Set(5...12))
        // The window ending at event 7 trains on events 2..<7: inputs i2...i5, targets i3...i6.
        let pack = sequences.trainingPacks([long], workers: 1, maxLength: 4, ends: [7])[0]
        let names = { (items: [Int32]) in items.map { data.items.id(at: $0) } }
        #expect(names(pack.items) == ["i2", "i3", "i4", "i5"] && names(pack.targets) == ["i3", "i4", "i5", "i6"])
    }

    // MARK: - Gradients

    /// The whole network's loss (full softmax, with and without the history mask, and sampled
    /// softmax; dropout on) against finite differences, for every parameter; the dropout masks are
    /// the same on every evaluation. The first sequence repeats item 3, so a masked row keeps a
    /// target that is also in its history.
    @Test(arguments: [(false, false), (true, false), (false, true)])
    func fullLossGradientMatchesFiniteDifferences(sampled: Bool, maskHistory: Bool) {
        let shape = SASRecNetwork.Shape(items: 7, kinds: 2, maxLength: 5, dimension: 4, blocks: 2, heads: 2)
        let network = SASRecNetwork(shape, dropout: 0.2, seed: 9)
        // Non-trivial norms and kind vectors, so every path carries gradient.
        var g = SeededGenerator(seed: 2)
        for p in network.parameters.parameters where p.name.hasSuffix("gain") || p.name.hasSuffix("shift") || p.name == "kind" {
            for k in 0..<p.count { p.values.buffer[k] += Float(g.nextUnit() - 0.5) }
        }
        var pack = SASRecPack()
        pack.appendTraining(items: [0, 3, 5, 3, 6, 1][...], kinds: [0, 1, 1, 0, 0, 1][...], maxLength: 5)
        pack.appendTraining(items: [2, 4, 0][...], kinds: [1, -1, 0][...], maxLength: 5)
        let negatives: [Int32] = sampled ? [3, 1, 6] : []
        let workspace = SASRecWorkspace(blocks: 2)
        let columns = sampled ? 4 : 7
        func run(_ gradients: Gradients) -> Double {
            var random = SeededGenerator(seed: 77)
            network.forward(pack, workspace: workspace, training: true, random: &random, logitColumns: columns,
                            logitRows: SASRecNetwork.logitRows(columns: columns))
            let embeddings = network.gather(negatives)
            return embeddings.withUnsafeBufferPointer {
                network.outputLoss(pack, workspace: workspace, scale: 1, gradients: gradients, negatives: negatives, negativeEmbeddings: $0.baseAddress,
                                   maskHistory: maskHistory)
            }
        }
        let gradients = Gradients(network.parameters)
        _ = run(gradients)
        network.backward(pack, workspace: workspace, gradients: gradients)
        let scratch = Gradients(network.parameters)
        var failures: [String] = []
        var checked = 0
        for p in network.parameters.parameters {
            let analytic = gradients.denseCopy(of: p)
            for k in 0..<p.count {
                let saved = p.values.buffer[k], e: Float = 1e-3
                p.values.buffer[k] = saved + e
                let plus = run(scratch)
                p.values.buffer[k] = saved - e
                let minus = run(scratch)
                p.values.buffer[k] = saved
                let numeric = (plus - minus) / Double(2 * e)
                if abs(Double(analytic[k]) - numeric) > 3e-3 + 2e-2 * abs(numeric) { failures.append("\(p.name)[\(k)]: \(analytic[k]) vs \(numeric)") }
                if abs(numeric) > 1e-3 { checked += 1 }
            }
        }
        #expect(failures.isEmpty, "\(failures.prefix(12))")
        #expect(checked > 200, "only \(checked) gradient entries were non-trivial")
    }

    /// The history mask drops exactly the items already in the sequence from each row's
    /// softmax: with all states zero every live logit is 0, so row `t`'s loss is
    /// `log(items − masked_t)`, where masked_t counts the distinct inputs so far that differ
    /// from the target.
    @Test func historyMaskLeavesOutTheItemsSoFar() {
        let shape = SASRecNetwork.Shape(items: 7, kinds: 1, maxLength: 5, dimension: 4, blocks: 1, heads: 1)
        let network = SASRecNetwork(shape, dropout: 0, seed: 1)
        var pack = SASRecPack()
        pack.appendTraining(items: [0, 3, 5, 3, 6, 1][...], kinds: [0, 0, 0, 0, 0, 0][...], maxLength: 5)
        pack.appendTraining(items: [2, 4][...], kinds: [0, 0][...], maxLength: 5)
        let workspace = SASRecWorkspace(blocks: 1)
        workspace.prepare(pack, dimension: 4, heads: 1, training: true, logitColumns: 7, logitRows: SASRecNetwork.logitRows(columns: 7))
        workspace.states.pointer.update(repeating: 0, count: pack.count * 4)
        // Rows: inputs 0, 3, 5, 3, 6 (targets 3, 5, 3, 6, 1), then input 2 (target 4).
        // Masked: {0}, {0,3}, {0,5} (3 is the target), {0,3,5}, {0,3,5,6}, then {2}.
        let masked = [1, 2, 2, 3, 4, 1]
        let expected = masked.reduce(0.0) { $0 + Foundation.log(Double(7 - $1)) }
        let full = network.outputLoss(pack, workspace: workspace, scale: 1, gradients: Gradients(network.parameters))
        workspace.states.pointer.update(repeating: 0, count: pack.count * 4)
        let loss = network.outputLoss(pack, workspace: workspace, scale: 1, gradients: Gradients(network.parameters), maskHistory: true)
        #expect(abs(full - 6 * Foundation.log(7.0)) < 1e-5)
        #expect(abs(loss - expected) < 1e-5, "\(loss) vs \(expected)")
        // Row 1 (input 3, target 5): items 0 and 3 take no probability, the other five 1/5 each.
        let row1 = workspace.logits.pointer + 7
        #expect(row1[0] == 0 && row1[3] == 0 && abs(row1[5] + 0.8) < 1e-6 && abs(row1[1] - 0.2) < 1e-6)
    }

    /// The bf16 output layer against the float one on the same network: the loss and every
    /// gradient agree to bfloat16's precision (a few parts in a thousand).
    @Test func bf16OutputLayerMatchesFloat() throws {
        let shape = SASRecNetwork.Shape(items: 41, kinds: 1, maxLength: 8, dimension: 16, blocks: 1, heads: 2)
        let network = SASRecNetwork(shape, dropout: 0, seed: 3)
        var table = FloatBuffer(count: 0)
        guard network.prepareBF16Table(into: &table) else { return }  // no AVX-512 BF16: float only
        var pack = SASRecPack()
        pack.appendTraining(items: [0, 7, 9, 30, 2, 40, 11][...], kinds: [0, 0, 0, 0, 0, 0, 0][...], maxLength: 8)
        pack.appendTraining(items: [5, 6, 7, 8][...], kinds: [0, 0, 0, 0][...], maxLength: 8)
        func run(bf16: Bool) -> (Double, [Float], [Float]) {
            let workspace = SASRecWorkspace(blocks: 1), gradients = Gradients(network.parameters)
            var random = SeededGenerator(seed: 1)
            network.forward(pack, workspace: workspace, training: true, random: &random, logitColumns: 41,
                            logitRows: SASRecNetwork.logitRows(columns: 41))
            let pointer = UnsafePointer(UnsafeMutableRawPointer(table.pointer).assumingMemoryBound(to: UInt16.self))
            let loss = network.outputLoss(pack, workspace: workspace, scale: 1, gradients: gradients, bf16Table: bf16 ? pointer : nil)
            return (loss, Array(UnsafeBufferPointer(start: workspace.gradient.pointer, count: pack.count * 16)),
                    gradients.denseCopy(of: network.itemEmbedding))
        }
        let (floatLoss, floatDZ, floatDE) = run(bf16: false), (bfLoss, bfDZ, bfDE) = run(bf16: true)
        #expect(abs(bfLoss - floatLoss) < 3e-3 * floatLoss)
        let scaleDZ = floatDZ.map(abs).max()!, scaleDE = floatDE.map(abs).max()!
        #expect(zip(bfDZ, floatDZ).allSatisfy { abs($0 - $1) < 1e-2 * scaleDZ })
        #expect(zip(bfDE, floatDE).allSatisfy { abs($0 - $1) < 1e-2 * scaleDE })
        #expect(bfDE != floatDE, "the bf16 path was not taken")
    }

    // MARK: - Behaviour

    /// Next-item prediction on the ring: only order and kind decide the next item, which no
    /// order-blind model can learn. Appending an event changes the answer at once.
    @Test func learnsOrderAndKindOfTheNextEvent() async throws {
        let data = try WeightingPolicy().matrix(from: Self.ringLog())
        let model = try await SASRec(configuration()).fit(data, observer: SilentObserver())
        func index(_ k: Int) -> Int32 { data.items.index(of: "i\(k % 24)")! }
        var hits = 0, total = 0
        for start in 0..<24 {
            for kind in [EventKind.view, .purchase] {
                let sequence = [SequenceEvent(item: index(start), kind: .view), SequenceEvent(item: index(start + 1), kind: .view),
                                SequenceEvent(item: index(start + 2), kind: kind)]
                let top = model.recommend(sequence: sequence, count: 1, filter: .excludingHistory).first?.item
                total += 1
                if top == index(start + (kind == .purchase ? 4 : 3)) { hits += 1 }
            }
        }
        #expect(Double(hits) / Double(total) > 0.8, "\(hits) of \(total) next items right")
    }

    @Test func conformance() async throws {
        // One kind, unique timestamps: a training user's history folds in to their own list.
        let data = try WeightingPolicy().matrix(from: Self.ringLog(users: 50, kinds: false))
        let model = try await SASRec(configuration(epochs: 3)).fit(data, observer: SilentObserver())
        #expect(ModelConformance.recommender(model).isEmpty)
        #expect(ModelConformance.foldIn(model).isEmpty)
        #expect(ModelConformance.similarity(model, itemCount: data.itemCount).isEmpty)
        // The sequence path with the training events gives the trained list.
        let sequences = try #require(data.sequences)
        for u in 0..<data.userCount {
            let events = sequences.range(of: u).map { SequenceEvent(item: sequences.items[$0], kind: sequences.kinds[Int(sequences.kindCodes[$0])]) }
            #expect(ModelConformance.sameRanking(model.recommend(sequence: events, count: 5, filter: .excludingHistory),
                                                 model.recommend(for: UserIndex(u), count: 5, filter: .excludingHistory), tolerance: 1e-4))
        }
        let all = model.recommendAll(users: (0..<Int32(data.userCount)).map { $0 }, count: 5, filter: .excludingHistory, threads: 2)
        for u in 0..<data.userCount {
            #expect(ModelConformance.sameRanking(all[u], model.recommend(for: UserIndex(u), count: 5, filter: .excludingHistory), tolerance: 1e-4))
        }
    }

    @Test func sameSeedAndThreadsGiveIdenticalModels() async throws {
        let data = try WeightingPolicy().matrix(from: Self.ringLog(users: 40))
        var c = configuration(epochs: 2)
        c.negatives = 5
        c.warmupSteps = 3
        c.weightDecay = 0.01
        let a = try await SASRec(c).fit(data, observer: SilentObserver())
        let b = try await SASRec(c).fit(data, observer: SilentObserver())
        #expect(a.network.parameters.snapshot == b.network.parameters.snapshot && a.userStates.array == b.userStates.array)
        c.seed = 43
        let other = try await SASRec(c).fit(data, observer: SilentObserver())
        #expect(other.userStates.array != a.userStates.array)
    }

    @Test func earlyStoppingKeepsTheBestEpoch() async throws {
        let data = try WeightingPolicy().matrix(from: Self.ringLog(users: 30))
        let scores = ScoreSequence([0.1, 0.3, 0.2, 0.25, 0.9])
        let observer = RecordingObserver()
        _ = try await SASRec(configuration(epochs: 10), earlyStopping: EarlyStopping(metric: "score", patience: 2) { _ in scores.next() })
            .fit(data, observer: observer)
        #expect(observer.steps == [1, 2, 3, 4])
        #expect(observer.values.allSatisfy { $0["loss"]! > 0 })
    }

    @Test func modelFileRoundTrip() async throws {
        let data = try WeightingPolicy().matrix(from: Self.ringLog(users: 30))
        let descriptor = SASRec.descriptor
        let parameters = try descriptor.parameters(from: ["epochs=2", "dimension=8", "max_length=10", "heads=4", "blocks=1", "warmup_steps=0"])
        let model = try await descriptor.trainer(parameters, options: TrainingOptions(threads: 2)).fit(data)
        let file = Fixtures.temporaryDirectory().appendingPathComponent("sasrec.tacit").path
        try ModelFile.save(model, name: "sasrec", parameters: parameters, to: file)
        let loaded = try ModelFile.load(from: file)
        let original = try #require(model as? SASRecModel), copy = try #require(loaded.model as? SASRecModel)
        #expect(copy.network.parameters.snapshot == original.network.parameters.snapshot && copy.kinds == original.kinds)
        #expect(copy.network.shape == original.network.shape && copy.maxLength == 10)
        let sequence = [SequenceEvent(item: 3, kind: .purchase), SequenceEvent(item: 5, kind: .view)]
        #expect(copy.recommend(sequence: sequence, count: 5, filter: .excludingHistory) == original.recommend(sequence: sequence, count: 5, filter: .excludingHistory))
        for u in 0..<data.userCount {
            #expect(copy.recommend(for: UserIndex(u), count: 5, filter: .excludingHistory) == original.recommend(for: UserIndex(u), count: 5, filter: .excludingHistory))
        }
    }

    @Test func cosineScheduleIsAParameterAndChangesTraining() async throws {
        let data = try WeightingPolicy().matrix(from: Self.ringLog(users: 30))
        let base = ["epochs=3", "dimension=8", "max_length=10", "heads=2", "blocks=1", "warmup_steps=0", "batch_size=8"]
        let constant = try await SASRec.descriptor.trainer(try SASRec.descriptor.parameters(from: base), options: TrainingOptions(threads: 1)).fit(data)
        let cosine = try await SASRec.descriptor.trainer(try SASRec.descriptor.parameters(from: base + ["lr_schedule=cosine"]),
                                                         options: TrainingOptions(threads: 1)).fit(data)
        let a = try #require(constant as? SASRecModel), b = try #require(cosine as? SASRecModel)
        #expect(a.network.parameters.snapshot != b.network.parameters.snapshot)
        #expect(throws: TacitError.self) { try SASRec.descriptor.parameters(from: ["lr_schedule=linear"]) }
    }

    @Test func invalidSettingsAreNamed() throws {
        #expect(throws: TacitError.invalidArgument("sasrec: dimension (10) must be a multiple of heads (4)")) {
            try SASRec.descriptor.trainer(try SASRec.descriptor.parameters(from: ["dimension=10", "heads=4"]))
        }
    }

    // MARK: - MovieLens

    /// LOO on MovieLens 100K (train + valid → test), short training: well above popularity (0.045).
    @Test(.enabled(if: Fixtures.movieLens != nil, "\(Fixtures.movieLensMissing)"))
    func movieLensLeaveLastOut() async throws {
        let loo = Fixtures.movieLens!.appendingPathComponent("splits/loo")
        let (trainLog, _) = try EventImporter().read(paths: ["train.csv", "valid.csv"].map { loo.appendingPathComponent($0).path })
        let (testLog, _) = try EventImporter().read(paths: [loo.appendingPathComponent("test.csv").path])
        let training = try WeightingPolicy().matrix(from: trainLog)
        let run = ModelRun(evaluator: Evaluator(cutoffs: [10], threads: 2), threads: 2)
        let parameters = try SASRec.descriptor.parameters(from: ["epochs=8", "max_length=50", "dimension=32", "learning_rate=0.005", "warmup_steps=0"])
        let result = try await run.run(SASRec.descriptor, parameters: parameters, training: training, testSet: TestSet(test: testLog, training: training))
        let ndcg = try #require(result.report[.ndcg, at: 10])
        #expect(ndcg >= 0.06, "sasrec NDCG@10 = \(ndcg)")
    }
}
