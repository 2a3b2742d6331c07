import TacitCore

/// Trains a hybrid of a collaborative model and the content model (Burke, "Hybrid Recommender
/// Systems: Survey and Experiments", UMUAI 12(4), 2002: a weighted hybrid with switching).
///
/// For each user both parts rank `candidates` items; each list is normalised on its own
/// (``ScoreBlend``) and blended with the content weight. Users with fewer than `minHistory`
/// interactions use ``Configuration/shortHistoryContentWeight`` instead (content only by
/// default): collaborative scores are least reliable for them, and their few items still say
/// what they like.
public struct Hybrid: Trainer {
    /// Typed configuration with documented defaults.
    public struct Configuration: Sendable, Equatable {
        /// The content part's weight in the blend, 0...1. Default 0.3.
        public var contentWeight: Double = 0.3
        /// How each part's scores are normalised per user. Default min-max.
        public var normalization: ScoreBlend.Normalization = .minmax
        /// Users with fewer interactions than this get ``shortHistoryContentWeight``. Default 5.
        public var minHistory: Int = 5
        /// The content weight for users with short histories, 0...1. Default 1 (content only).
        public var shortHistoryContentWeight: Double = 1
        /// Items each part ranks per user before blending (at least the count asked for). Default 200.
        public var candidates: Int = 200

        public init() {}

        /// Checks ranges; throws naming the field.
        public func validate() throws(TacitError) {
            guard (0...1).contains(contentWeight) else { throw .invalidArgument("hybrid: content_weight must be in 0...1, got \(contentWeight)") }
            guard (0...1).contains(shortHistoryContentWeight) else {
                throw .invalidArgument("hybrid: short_history_weight must be in 0...1, got \(shortHistoryContentWeight)")
            }
            guard minHistory >= 0 else { throw .invalidArgument("hybrid: min_history must be >= 0, got \(minHistory)") }
            guard candidates >= 1 else { throw .invalidArgument("hybrid: candidates must be >= 1, got \(candidates)") }
        }

        /// The content weight for a user with `historyLength` interactions.
        func contentWeight(historyLength: Int) -> Float {
            Float(historyLength < minHistory ? shortHistoryContentWeight : contentWeight)
        }
    }

    public let configuration: Configuration
    /// The collaborative model's name (``Hybrid/collaborativeModels``) and trainer.
    public let collaborativeName: String
    let collaborative: AnyTrainer
    public let content: ContentBased

    /// - Parameters:
    ///   - collaborativeName: the name of the collaborative model `collaborative` trains.
    ///   - collaborative: its trainer; the model it fits must support fold-in, similar items and model files.
    public init(_ configuration: Configuration = .init(), collaborativeName: String, collaborative: AnyTrainer, content: ContentBased) {
        self.configuration = configuration
        self.collaborativeName = collaborativeName
        self.collaborative = collaborative
        self.content = content
    }

    /// Fits the collaborative part, then the content part. - Complexity: the sum of both.
    public func fit(_ data: InteractionMatrix, observer: some TrainingObserver) async throws -> HybridModel {
        try configuration.validate()
        let contentModel = try await content.fit(data, observer: observer)
        let fitted = try await collaborative.fit(data, observer: observer)
        guard let collaborativeModel = fitted as? HybridModel.Collaborative else {
            throw TacitError.invalidArgument("hybrid: '\(collaborativeName)' lacks fold-in, similar items or model files")
        }
        return HybridModel(trainingData: data, configuration: configuration, collaborativeName: collaborativeName,
                           collaborative: collaborativeModel, content: contentModel)
    }
}
