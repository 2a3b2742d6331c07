import Foundation
import TacitCore
import TacitNeural

/// SASRec: a causal self-attention transformer over each user's event sequence that predicts the
/// next item (Kang & McAuley 2018), trained with full-softmax cross-entropy over the catalogue —
/// or a sampled softmax with many shared negatives for large catalogues — which beats the
/// paper's one-negative binary loss (Klenitskiy & Vasilev 2023, "Turning Dross Into Gold Loss: is
/// BERT4Rec really better than SASRec?").
///
/// The network is described on ``SASRecNetwork``. Each epoch visits every user with at least two
/// events once, in a seeded shuffle, in batches of `batchSize` users; a user's training sequence is
/// their last `maxLength + 1` events, or with ``TrainingWindow/random`` a full window ending at a
/// seeded random event (inputs: all but the last; targets: the next item of each).
/// Sequences come from ``InteractionMatrix/sequences`` (events in time order with their kinds);
/// a matrix without them gives its entries in timestamp order. Adam(W) with β₂ = 0.98, linear
/// warm-up then a constant or cosine-decayed rate (``LearningRateSchedule``), clipping by global
/// gradient norm; batches split across `threads` workers by tokens,
/// reproducible for a given seed and thread count. Early stopping on validation NDCG when asked.
public struct SASRec: Trainer {
    /// The SASRec settings (defaults: the paper's architecture, the rates chosen on MovieLens 100K validation).
    public struct Configuration: Sendable, Equatable {
        /// Width `d` of the embeddings and of every layer.
        public var dimension = 64
        /// The longest sequence the model reads (older events are dropped).
        public var maxLength = 200
        /// Self-attention blocks.
        public var blocks = 2
        /// Attention heads (`dimension` must be a multiple).
        public var heads = 2
        /// Dropout rate of the embeddings, attention weights, projections and feed-forward layers.
        public var dropout = 0.3
        /// Passes over the users.
        public var epochs = 100
        /// Adam's step size after warm-up.
        public var learningRate = 0.002
        /// Users per batch.
        public var batchSize = 128
        /// Decoupled weight decay (AdamW); 0 = Adam.
        public var weightDecay = 0.0
        /// Steps of linear learning-rate warm-up from 0.
        public var warmupSteps = 100
        /// The learning rate after warm-up: held, or decayed along a half cosine to 0 at the last epoch.
        public var schedule = LearningRateSchedule.Decay.constant
        /// Largest global gradient norm (larger gradients are scaled down); 0 = no clipping.
        public var clipNorm = 5.0
        /// Sampled negatives shared by a batch (0 = full softmax over every item).
        public var negatives = 0
        /// Whether the full softmax at each position leaves out the items of the sequence so far
        /// (inputs up to that position, the target kept): recommendations exclude the user's
        /// history, so training need not push those items down. Full softmax only. Off for logs
        /// whose recommendations should include items the user already has (repeat purchases).
        public var maskHistory = true
        /// Which `maxLength + 1` events of a long history train each epoch.
        public var window = TrainingWindow.last
        /// Arithmetic of the full-softmax output layer's products: `bf16` rounds their operands to
        /// bfloat16 and sums in float (AVX-512 BF16, twice the float rate; float on CPUs without
        /// it), `f32` keeps float throughout.
        public var outputPrecision = OutputPrecision.bf16
        /// Seed of the initial weights, shuffles, dropout and negatives.
        public var seed: UInt64 = 42
        /// How the fitted item embeddings (input and output) and user states are kept (and
        /// saved). Default ``TablePrecision/f32``.
        public var precision = TablePrecision.f32
        /// Worker threads.
        public var threads = Parallel.defaultThreads

        public init() {}

        /// - Throws: a ``TacitError`` naming the first invalid setting.
        public func validate() throws(TacitError) {
            guard (1...4096).contains(dimension) else { throw .invalidArgument("sasrec: dimension must be in 1...4096, got \(dimension)") }
            guard (1...100_000).contains(maxLength) else { throw .invalidArgument("sasrec: max_length must be in 1...100000, got \(maxLength)") }
            guard (1...64).contains(blocks) else { throw .invalidArgument("sasrec: blocks must be in 1...64, got \(blocks)") }
            guard heads >= 1, dimension % heads == 0 else {
                throw .invalidArgument("sasrec: dimension (\(dimension)) must be a multiple of heads (\(heads))")
            }
            guard dropout >= 0, dropout < 1 else { throw .invalidArgument("sasrec: dropout must be in [0, 1), got \(dropout)") }
            guard epochs >= 1 else { throw .invalidArgument("sasrec: epochs must be >= 1, got \(epochs)") }
            guard learningRate > 0, learningRate.isFinite else { throw .invalidArgument("sasrec: learning_rate must be > 0, got \(learningRate)") }
            guard (1...1_000_000).contains(batchSize) else { throw .invalidArgument("sasrec: batch_size must be in 1...1000000, got \(batchSize)") }
            guard weightDecay >= 0, weightDecay < 1 else { throw .invalidArgument("sasrec: weight_decay must be in [0, 1), got \(weightDecay)") }
            guard warmupSteps >= 0 else { throw .invalidArgument("sasrec: warmup_steps must be >= 0, got \(warmupSteps)") }
            guard clipNorm >= 0, clipNorm.isFinite else { throw .invalidArgument("sasrec: clip_norm must be >= 0, got \(clipNorm)") }
            guard negatives >= 0 else { throw .invalidArgument("sasrec: negatives must be >= 0, got \(negatives)") }
            guard (1...65_535).contains(threads) else { throw .invalidArgument("sasrec: threads must be in 1...65535, got \(threads)") }
        }
    }

    /// The events of a history longer than the window that an epoch trains on: always the newest
    /// (`last`, the paper's), or a window ending at a seeded random event (`random`).
    public enum TrainingWindow: String, Sendable, CaseIterable {
        case last, random
    }

    /// The arithmetic of the output layer's products.
    public enum OutputPrecision: String, Sendable, CaseIterable {
        case bf16, f32
    }

    public let configuration: Configuration
    /// Early stopping on held-out data, checked after each epoch.
    public let earlyStopping: EarlyStopping?

    public init(_ configuration: Configuration = .init(), earlyStopping: EarlyStopping? = nil) {
        self.configuration = configuration
        self.earlyStopping = earlyStopping
    }

    /// Trains the network, reporting each epoch's mean loss per predicted event, then computes
    /// every training user's state after their whole sequence.
    /// - Complexity: O(epochs · (events · (blocks · d² + items · d) + Σ_users length² · blocks · d)),
    ///   with items replaced by `negatives + 1` for the sampled softmax.
    public func fit(_ data: InteractionMatrix, observer: some TrainingObserver) async throws -> SASRecModel {
        let config = configuration
        try config.validate()
        LinearAlgebra.configureThreads(1)
        let sequences = SASRecSequences(data)
        let shape = SASRecNetwork.Shape(items: data.itemCount, kinds: sequences.kinds.count, maxLength: config.maxLength,
                                        dimension: config.dimension, blocks: config.blocks, heads: config.heads)
        let network = SASRecNetwork(shape, dropout: Float(config.dropout), seed: config.seed)
        func model(_ network: SASRecNetwork) -> SASRecModel {
            SASRecModel(trainingData: data, network: network, kinds: sequences.kinds, sequences: sequences, threads: config.threads,
                        precision: config.precision)
        }
        var users = (0..<Int32(data.userCount)).filter { sequences.length(of: Int($0)) >= 2 }
        guard !users.isEmpty, data.itemCount > 0 else { return model(network) }
        let negatives = config.negatives > 0 && config.negatives < data.itemCount ? config.negatives : 0
        let optimizer = Adam(Adam.Configuration(learningRate: Float(config.learningRate), beta2: 0.98, epsilon: 1e-8,
                                                weightDecay: Float(config.weightDecay), lazy: false),
                             parameters: network.parameters, threads: config.threads)
        let parallel = DataParallel(network.parameters, threads: config.threads)
        let workspaces = (0..<parallel.threads).map { _ in SASRecWorkspace(blocks: config.blocks) }
        let losses = ResultSlots<Double>(count: parallel.threads, initial: 0)
        let tokens = users.map { min(sequences.length(of: Int($0)), config.maxLength + 1) - 1 }
        let totalTokens = tokens.reduce(0, +)
        let logitColumns = negatives > 0 ? negatives + 1 : data.itemCount
        let logitRows = SASRecNetwork.logitRows(columns: logitColumns)
        var bf16Table = FloatBuffer(count: 0)
        let useBF16 = negatives == 0 && config.outputPrecision == .bf16 && SASRecNetwork.bf16Available
        var tracker = earlyStopping.map(EarlyStopping.Tracker<SASRecModel>.init)
        var step = 0
        let batches = (users.count + config.batchSize - 1) / config.batchSize
        let schedule = LearningRateSchedule(base: Float(config.learningRate), warmupSteps: config.warmupSteps, decay: config.schedule,
                                            totalSteps: config.epochs * batches)
        for epoch in 0..<config.epochs {
            try Task.checkCancellation()
            var random = SeededGenerator.stream(seed: config.seed, index: UInt64(epoch + 1))
            random.shuffle(&users)
            var epochLoss = 0.0
            var start = 0
            while start < users.count {
                let batch = Array(users[start..<min(users.count, start + config.batchSize)])
                start += batch.count
                let ends = config.window == .random ? sequences.windowEnds(batch, maxLength: config.maxLength, random: &random) : nil
                let packs = sequences.trainingPacks(batch, workers: parallel.threads, maxLength: config.maxLength, ends: ends)
                let rows = packs.reduce(0) { $0 + $1.count }
                guard rows > 0 else { continue }
                let sampled = (0..<negatives).map { _ in Int32(random.next(below: data.itemCount)) }
                let negativeRows = network.gather(sampled)
                let scale = 1 / Float(rows), stepSeed = UInt64(step)
                if useBF16 { _ = network.prepareBF16Table(into: &bf16Table) }
                let tableBuffer = useBF16 ? bf16Table : nil
                parallel.runWorkers { w in
                    var dropout = SeededGenerator.stream(seed: config.seed ^ 0x5A5_2EC, index: stepSeed &* 65_536 &+ UInt64(w))
                    let pack = packs[w], workspace = workspaces[w], gradients = parallel.workers[w]
                    let table = tableBuffer.map { UnsafePointer(UnsafeMutableRawPointer($0.pointer).assumingMemoryBound(to: UInt16.self)) }
                    network.forward(pack, workspace: workspace, training: true, random: &dropout, logitColumns: logitColumns, logitRows: logitRows)
                    losses[w] = negativeRows.withUnsafeBufferPointer {
                        network.outputLoss(pack, workspace: workspace, scale: scale, gradients: gradients, negatives: sampled,
                                           negativeEmbeddings: $0.baseAddress, maskHistory: config.maskHistory, bf16Table: table)
                    }
                    network.backward(pack, workspace: workspace, gradients: gradients)
                }
                epochLoss += (0..<parallel.threads).reduce(0) { $0 + losses[$1] }
                let gradients = parallel.reduce()
                if config.clipNorm > 0 { gradients.clip(globalNorm: Float(config.clipNorm)) }
                step += 1
                optimizer.learningRate = schedule.rate(at: step)
                optimizer.step(gradients)
                parallel.zero()
            }
            let mean = epochLoss / Double(max(1, totalTokens))
            var values: [String: Double] = ["loss": mean]
            let message = "epoch (loss \(String(format: "%.4f", mean)))"
            if tracker != nil {
                let snapshot = SASRecNetwork(shape, dropout: Float(config.dropout), seed: config.seed)
                snapshot.parameters.copyValues(from: network.parameters)
                if let stop = tracker?.record(model(snapshot), values: &values, unit: "epochs") {
                    observer.progress(step: epoch + 1, of: config.epochs, message: stop.message, values: values)
                    return stop.model
                }
            }
            observer.progress(step: epoch + 1, of: config.epochs, message: message, values: values)
        }
        return tracker?.best?.model ?? model(network)
    }
}
