import Foundation
import TacitCore

/// Trains a content-based recommender from item metadata (Pazzani & Billsus, "Content-Based
/// Recommendation Systems", The Adaptive Web, 2007).
///
/// Each item's profile is a sparse, unit-length vector of its attributes (see
/// ``ItemFeaturizer``): TF-IDF over tags/genres and title tokens, one-hot category, brand, price
/// bucket and further attributes, each group weighted. A user's profile is the sum of the
/// profiles of their items weighted by the interaction values (optionally discounted by
/// recency), and an item's score is the cosine of the two, plus ``Configuration/priorWeight``
/// times the item's attribute prior (how popular the training items sharing its features are,
/// ``ContentModel/featurePriors``: what a new item's attributes say about its audience's size).
/// Vocabulary and IDF are fitted on
/// every catalogue record, so items without interactions (``ColdItemScoring``) share the
/// feature space.
public struct ContentBased: Trainer {
    /// Typed configuration with documented defaults.
    public struct Configuration: Sendable, Equatable {
        /// Weight of the tags/genres group. Default 1.
        public var tagWeight: Double = 1
        /// Weight of the title tokens group. Default 0.5.
        public var titleWeight: Double = 0.5
        /// Weight of the category. Default 0.5.
        public var categoryWeight: Double = 0.5
        /// Weight of the brand. Default 0.5.
        public var brandWeight: Double = 0.5
        /// Weight of the price bucket. Default 0.25.
        public var priceWeight: Double = 0.25
        /// Weight of the further attributes (`name=value`). Default 0.25.
        public var attributeWeight: Double = 0.25
        /// Price buckets, at catalogue quantiles. Default 5.
        public var priceBuckets: Int = 5
        /// Features held by fewer records are dropped. Default 2.
        public var minimumFrequency: Int = 2
        /// History recency half-life in events: a history item with `n` newer events behind it
        /// weighs `0.5^(n / recency)` in the user profile (needs timestamps). `0` (default) = off.
        public var recency: Double = 0
        /// Hash buckets of each feature group's columns (0 = one column per term, the default):
        /// bounds the vocabulary however many distinct tags, title tokens, brands and attributes
        /// the catalogue has (``ItemFeaturizer``, ``FeatureHashing``).
        public var hashBuckets: Int = 0
        /// Weight of the attribute prior added to the cosine (0 = cosine alone). Default 1.
        public var priorWeight: Double = 1

        public init() {}

        /// The group weights in ``ItemFeaturizer/Group`` order.
        var groupWeights: [Float] {
            [tagWeight, titleWeight, categoryWeight, brandWeight, priceWeight, attributeWeight].map { Float($0) }
        }

        /// Checks ranges; throws naming the field.
        public func validate() throws(TacitError) {
            let weights = [("tag_weight", tagWeight), ("title_weight", titleWeight), ("category_weight", categoryWeight),
                           ("brand_weight", brandWeight), ("price_weight", priceWeight), ("attribute_weight", attributeWeight)]
            for (name, value) in weights where !(value >= 0 && value.isFinite) {
                throw .invalidArgument("content: \(name) must be >= 0, got \(value)")
            }
            guard weights.contains(where: { $0.1 > 0 }) else { throw .invalidArgument("content: at least one feature group needs a positive weight") }
            guard priceBuckets >= 1 else { throw .invalidArgument("content: price_buckets must be >= 1, got \(priceBuckets)") }
            guard minimumFrequency >= 1 else { throw .invalidArgument("content: min_frequency must be >= 1, got \(minimumFrequency)") }
            guard recency >= 0 else { throw .invalidArgument("content: recency must be >= 0, got \(recency)") }
            guard priorWeight >= 0, priorWeight.isFinite else { throw .invalidArgument("content: prior_weight must be >= 0, got \(priorWeight)") }
            guard (0...(1 << 30)).contains(hashBuckets) else {
                throw .invalidArgument("content: hash_buckets must be in 0...\(1 << 30), got \(hashBuckets)")
            }
        }
    }

    public let configuration: Configuration
    /// The catalogue records (from ``SideInformation/items``), by external id.
    public let items: [ItemID: ItemRecord]

    /// - Parameter items: the item metadata; the training items without a record get an empty profile.
    public init(_ configuration: Configuration = .init(), items: [ItemID: ItemRecord]) {
        self.configuration = configuration
        self.items = items
    }

    /// - Complexity: O(catalogue tokens · log) time; O(items · features per item) memory.
    public func fit(_ data: InteractionMatrix, observer: some TrainingObserver) async throws -> ContentModel {
        try configuration.validate()
        guard !items.isEmpty else { throw TacitError.missingItemMetadata(model: "content") }
        // Fit on every record, in a fixed order, so the vocabulary does not depend on hashing.
        let records = items.values.sorted { $0.id < $1.id }
        let featurizer = ItemFeaturizer.fit(records, weights: configuration.groupWeights, priceBuckets: configuration.priceBuckets,
                                            minimumFrequency: configuration.minimumFrequency,
                                            hashing: FeatureHashing(buckets: configuration.hashBuckets))
        var pointers = [0], indices: [Int32] = [], values: [Float] = []
        var described = 0
        for item in 0..<data.itemCount {
            if let record = items[data.items.id(at: Int32(item))] {
                described += 1
                let vector = featurizer.vector(record)
                indices += vector.indices
                values += vector.values
            }
            pointers.append(indices.count)
        }
        guard described > 0 else {
            throw TacitError.invalidArgument(
                "content: none of the \(data.itemCount) training items has a record in the items file (\(items.count) records); check that --items uses the same item ids")
        }
        let profiles = InteractionMatrix(users: data.items, items: featurizer.features, rowPointers: StorageBuffer(pointers),
                                         columnIndices: StorageBuffer(indices), values: StorageBuffer(values), timestamps: nil)
        observer.progress(step: 1, of: 1, message: "\(featurizer.features.count) features for \(described) of \(data.itemCount) items", values: [:])
        return ContentModel(trainingData: data, featurizer: featurizer, profiles: profiles, recency: configuration.recency,
                            priorWeight: Float(configuration.priorWeight), featurePriors: ContentModel.featurePriors(profiles: profiles, training: data))
    }
}

extension TacitError {
    /// A feature-aware model was trained without item metadata.
    public static func missingItemMetadata(model: String) -> TacitError {
        .invalidArgument("\(model): needs item metadata; pass an items file with --items (item_id, title, category, brand, price, tags/genres)")
    }
}
