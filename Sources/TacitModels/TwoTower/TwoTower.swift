import Foundation
import TacitCore
import TacitNeural

/// A two-tower retrieval model trained with in-batch softmax, log-Q correction and removal of
/// accidental hits (Yi et al. 2019, "Sampling-Bias-Corrected Neural Modeling for Large Corpus
/// Item Recommendations"; Covington et al. 2016 for the history-pooling query tower).
///
/// The towers are described on ``TwoTowerNetwork`` and the loss on ``TwoTowerStep``. Training
/// examples are every entry of the training matrix; the query of an example sees the user's most
/// recent items strictly before it in time (``TwoTowerHistories``). Adam with lazy embedding-row
/// updates; batches split across `threads` workers, reproducible for a given seed and thread count.
public struct TwoTower: Trainer {
    /// The two-tower settings (defaults tuned on MovieLens 100K, leave-last-out validation).
    public struct Configuration: Sendable, Equatable {
        /// Width of every embedding and of both towers' outputs.
        public var dimension = 64
        /// Passes over the training entries.
        public var epochs = 6
        /// Examples per batch (the in-batch negatives of each are the other `batchSize - 1`).
        public var batchSize = 256
        /// Adam's step size.
        public var learningRate = 0.01
        /// Softmax temperature `τ`: scores are `q · c / τ`.
        public var temperature = 0.1
        /// The number of most recent items pooled by the query tower.
        public var historyLength = 50
        /// The number of most recent history items the query tower pools a second time, into a
        /// part of its own with its own item table (0 = none): the last few items say more about
        /// the next one than the long-run mean does. Taken from the pooled history, so at most
        /// `historyLength` items count.
        public var recentLength = 3
        /// Whether the query tower has a user-id embedding (fold-in of new users leaves it out).
        public var userEmbedding = true
        /// Decoupled weight decay (AdamW); 0 = Adam.
        public var weightDecay = 0.0
        /// Extra uniformly sampled negatives shared by the batch.
        public var negatives = 0
        /// Whether to subtract the log of each candidate's sampling frequency.
        public var logQCorrection = true
        /// Price quantile buckets.
        public var priceBuckets = 10
        /// Quantile buckets of a numeric user attribute (a column of numbers with more than 32
        /// distinct values among the training users, such as an exact age or an income).
        public var userBuckets = 10
        /// A user-attribute value (or numeric bucket) held by fewer training users gets no
        /// embedding row: rare values such as zip codes cannot overfit.
        public var minimumAttributeUsers = 10
        /// Probability of leaving out a candidate's id embedding in training, so the candidate tower
        /// also learns to work from attributes alone (new items).
        public var idDropout = 0.0
        /// Probability of training an example's query from the user's attributes alone (no user id,
        /// no history), so the query tower also learns to rank new users known only by their
        /// attributes. Drawn only when the model has user features.
        public var userDropout = 0.0
        /// Hash buckets of the embedding tables (0 = one row per value): the user-id table, the
        /// item-id tables and the category, brand, tag and user-attribute vocabularies each get at
        /// most this many rows, a value's row being the hash of its text (``FeatureHashing``), so
        /// the towers' memory stays bounded as the catalogue and user base grow. A table with fewer
        /// values keeps one row per value. Items new since training still go without an id row.
        public var hashBuckets = 0
        /// Seed of the initial weights, the shuffles and the sampled negatives.
        public var seed: UInt64 = 42
        /// How the fitted user and item embeddings (the tables that score) are kept and saved;
        /// the towers' weights stay f32. Default ``TablePrecision/f32``.
        public var precision = TablePrecision.f32
        /// Worker threads.
        public var threads = Parallel.defaultThreads

        public init() {}

        /// - Throws: a ``TacitError`` naming the first invalid setting.
        public func validate() throws(TacitError) {
            guard (1...4096).contains(dimension) else { throw .invalidArgument("twotower: dimension must be in 1...4096, got \(dimension)") }
            guard epochs >= 1 else { throw .invalidArgument("twotower: epochs must be >= 1, got \(epochs)") }
            guard (2...65_536).contains(batchSize) else { throw .invalidArgument("twotower: batch_size must be in 2...65536, got \(batchSize)") }
            guard learningRate > 0, learningRate.isFinite else { throw .invalidArgument("twotower: learning_rate must be > 0, got \(learningRate)") }
            guard temperature > 0, temperature.isFinite else { throw .invalidArgument("twotower: temperature must be > 0, got \(temperature)") }
            guard historyLength >= 1 else { throw .invalidArgument("twotower: history_length must be >= 1, got \(historyLength)") }
            guard recentLength >= 0 else { throw .invalidArgument("twotower: recent_length must be >= 0, got \(recentLength)") }
            guard weightDecay >= 0, weightDecay < 1 else { throw .invalidArgument("twotower: weight_decay must be in [0, 1), got \(weightDecay)") }
            guard negatives >= 0 else { throw .invalidArgument("twotower: negatives must be >= 0, got \(negatives)") }
            guard priceBuckets >= 1 else { throw .invalidArgument("twotower: price_buckets must be >= 1, got \(priceBuckets)") }
            guard userBuckets >= 1 else { throw .invalidArgument("twotower: user_buckets must be >= 1, got \(userBuckets)") }
            guard minimumAttributeUsers >= 1 else {
                throw .invalidArgument("twotower: min_attribute_users must be >= 1, got \(minimumAttributeUsers)")
            }
            guard idDropout >= 0, idDropout < 1 else { throw .invalidArgument("twotower: id_dropout must be in [0, 1), got \(idDropout)") }
            guard userDropout >= 0, userDropout < 1 else { throw .invalidArgument("twotower: user_dropout must be in [0, 1), got \(userDropout)") }
            guard (0...(1 << 30)).contains(hashBuckets) else {
                throw .invalidArgument("twotower: hash_buckets must be in 0...\(1 << 30), got \(hashBuckets)")
            }
            guard (1...65_535).contains(threads) else { throw .invalidArgument("twotower: threads must be in 1...65535, got \(threads)") }
        }
    }

    public let configuration: Configuration
    /// Item and user metadata for the feature embeddings.
    public let side: SideInformation
    /// Early stopping on held-out data, checked after each epoch.
    public let earlyStopping: EarlyStopping?

    public init(_ configuration: Configuration = .init(), side: SideInformation = .none, earlyStopping: EarlyStopping? = nil) {
        self.configuration = configuration
        self.side = side
        self.earlyStopping = earlyStopping
    }

    /// Trains the towers, reporting each epoch's mean loss, then embeds every item and training user.
    /// - Complexity: O(epochs · nnz · (history length + batch size + negatives + widths) · dimension).
    public func fit(_ data: InteractionMatrix, observer: some TrainingObserver) async throws -> TwoTowerModel {
        let config = configuration
        try config.validate()
        LinearAlgebra.configureThreads(1)
        let hashing = FeatureHashing(buckets: config.hashBuckets)
        let features = TwoTowerFeatures(data: data, side: side, priceBuckets: config.priceBuckets, userBuckets: config.userBuckets,
                                        minimumUsers: config.minimumAttributeUsers, hashing: hashing)
        let histories = TwoTowerHistories(data, historyLength: config.historyLength, itemRows: features.itemRows, userRows: features.userRows)
        let items = features.trainingItems(data, side: side), userBags = features.trainingUsers(data, side: side)
        let shape = TwoTowerNetwork.Shape(users: data.userCount, items: data.itemCount, dimension: config.dimension,
                                          userEmbedding: config.userEmbedding, userAttributes: features.userAttributes.count,
                                          categories: features.categories.count, brands: features.brands.count,
                                          priceBuckets: features.priceBuckets, tags: features.tags.count, recent: min(config.recentLength, config.historyLength),
                                          hashBuckets: max(0, config.hashBuckets))
        let network = TwoTowerNetwork(shape, seed: config.seed)
        let settings = TwoTowerModel.Settings(historyLength: config.historyLength, temperature: Float(config.temperature))
        func model(_ network: TwoTowerNetwork) -> TwoTowerModel {
            TwoTowerModel(trainingData: data, network: network, features: features, settings: settings, histories: histories,
                          items: items, userBags: userBags, threads: config.threads, precision: config.precision)
        }
        let examples = data.nnz
        guard examples >= 2 else { return model(network) }
        let batchSize = min(config.batchSize, examples)
        let step = TwoTowerStep(network: network, histories: histories, items: items, userBags: userBags, temperature: Float(config.temperature),
                                batchSize: batchSize, negatives: config.negatives, logQCorrection: config.logQCorrection)
        let optimizer = Adam(Adam.Configuration(learningRate: Float(config.learningRate), weightDecay: Float(config.weightDecay)),
                             parameters: network.parameters, threads: config.threads)
        let parallel = DataParallel(network.parameters, threads: config.threads)
        var order = (0..<Int32(examples)).map { $0 }
        let hidesQueries = config.userDropout > 0 && !features.userAttributes.tokens.isEmpty
        var tracker = earlyStopping.map(EarlyStopping.Tracker<TwoTowerModel>.init)
        for epoch in 0..<config.epochs {
            try Task.checkCancellation()
            var random = SeededGenerator.stream(seed: config.seed, index: UInt64(epoch + 1))
            random.shuffle(&order)
            var loss = 0.0
            var start = 0
            while start < examples {
                let end = min(examples, start + batchSize)
                // A last batch of one example has no in-batch negatives: fold it into the next epoch.
                if end - start < 2 { break }
                let batch = Array(order[start..<end])
                let extra = (0..<config.negatives).map { _ in Int32(random.next(below: data.itemCount)) }
                let dropped = (0..<(batch.count + extra.count)).map { _ in config.idDropout > 0 && random.nextUnit() < config.idDropout }
                let hidden = hidesQueries ? batch.map { _ in random.nextUnit() < config.userDropout } : []
                loss += step.run(batch: batch, extra: extra, dropped: dropped, hidden: hidden, parallel: parallel)
                optimizer.step(parallel.reduce())
                parallel.zero()
                start = end
            }
            var values: [String: Double] = ["loss": loss / Double(examples)]
            let message = "epoch (loss \(String(format: "%.4f", loss / Double(examples))))"
            if tracker != nil {
                let snapshot = TwoTowerNetwork(shape, seed: config.seed)
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
