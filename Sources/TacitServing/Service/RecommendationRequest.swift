import TacitCore

/// A request for recommendations: who, in which scene, how many, and request-level filters.
public struct RecommendationRequest: Sendable, Equatable {
    public var user: UserID
    /// The scene's name; `nil` = the configuration's default scene.
    public var scene: String?
    /// How many items; `nil` = the scene's default count.
    public var count: Int?
    /// Items the scene is about: the product page's item, the cart's items.
    public var contextItems: [ItemID]
    /// Only these categories (case-insensitive); empty = the scene's own setting.
    public var categories: [String]
    public var minPrice: Double?
    public var maxPrice: Double?
    /// Items never to return.
    public var exclude: [ItemID]

    public init(user: UserID, scene: String? = nil, count: Int? = nil, contextItems: [ItemID] = [], categories: [String] = [],
                minPrice: Double? = nil, maxPrice: Double? = nil, exclude: [ItemID] = []) {
        self.user = user
        self.scene = scene
        self.count = count
        self.contextItems = contextItems
        self.categories = categories
        self.minPrice = minPrice
        self.maxPrice = maxPrice
        self.exclude = exclude
    }
}

/// One recommended item, with its metadata for display.
public struct RecommendedItem: Sendable, Equatable {
    public var id: ItemID
    public var score: Double
    public var source: CandidateSourceKind
    public var explanation: String
    /// The item's metadata, when it was upserted.
    public var record: ItemRecord?

    public init(id: ItemID, score: Double, source: CandidateSourceKind, explanation: String, record: ItemRecord?) {
        self.id = id
        self.score = score
        self.source = source
        self.explanation = explanation
        self.record = record
    }
}

/// The answer to a ``RecommendationRequest``.
public struct RecommendationResponse: Sendable, Equatable {
    /// A fresh id: clients send it back with the events that follow (clicks, purchases).
    public var recommendationID: String
    public var user: UserID
    public var scene: String
    /// The model version behind the personal or similar items (`als v3`; the variant's model
    /// under an experiment whose variant names one, `ease v2`); `nil` when none of the items came
    /// from those sources (fallbacks, trending, content only). While a variant's model has no
    /// version yet, the main model ranks its requests and says so: `als v3 (ease not trained yet)`.
    public var model: String?
    public var items: [RecommendedItem]
    /// The experiment the response was served under (nil when none runs on the scene or the
    /// user is in its holdout).
    public var experiment: String?
    /// The experiment's variant that served the response.
    public var variant: String?

    public init(recommendationID: String, user: UserID, scene: String, model: String?, items: [RecommendedItem],
                experiment: String? = nil, variant: String? = nil) {
        self.recommendationID = recommendationID
        self.user = user
        self.scene = scene
        self.model = model
        self.items = items
        self.experiment = experiment
        self.variant = variant
    }
}
