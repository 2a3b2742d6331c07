import TacitCore

/// One event as the service stores it: the event itself plus the bookkeeping of ingestion.
public struct StoredEvent: Sendable, Hashable, Codable {
    /// The store's sequence number: increasing in acceptance order, assigned on insert (0 before).
    public var sequence: Int64
    /// The client's optional id; a second event with the same id is a duplicate and is ignored.
    public var eventID: String?
    /// The user's external id.
    public var user: UserID
    /// The item's external id.
    public var item: ItemID
    /// What happened.
    public var kind: EventKind
    /// Seconds since 1970-01-01 UTC (the client's, or the server's receive time).
    public var timestamp: Int64
    /// Optional magnitude (dwell seconds, quantity).
    public var value: Float?
    /// The recommendation response this event follows from, if the client passed it on.
    public var recommendationID: String?

    public init(
        sequence: Int64 = 0, eventID: String? = nil, user: UserID, item: ItemID, kind: EventKind,
        timestamp: Int64, value: Float? = nil, recommendationID: String? = nil
    ) {
        self.sequence = sequence
        self.eventID = eventID
        self.user = user
        self.item = item
        self.kind = kind
        self.timestamp = timestamp
        self.value = value
        self.recommendationID = recommendationID
    }

    /// The plain event (without the store's bookkeeping).
    public var event: Event { Event(user: user, item: item, kind: kind, timestamp: timestamp, value: value) }
}

/// What an insert did.
public struct InsertSummary: Sendable, Equatable, Codable {
    /// Events newly stored.
    public var inserted: Int
    /// Events ignored because their `eventID` was already stored (or repeated in the batch).
    public var duplicates: Int
    /// The stored events in input order, with their sequence numbers; a duplicate carries the
    /// sequence of the event stored first under its id.
    public var sequences: [Int64]

    public init(inserted: Int, duplicates: Int, sequences: [Int64]) {
        self.inserted = inserted
        self.duplicates = duplicates
        self.sequences = sequences
    }
}

/// One recommendation response that was shown: its items in order (position = index) and who
/// produced it. One row per response, so recording costs one insert whatever the count.
public struct Impression: Sendable, Hashable, Codable {
    /// The response's id; events that carry it are attributed to this impression.
    public var recommendationID: String
    public var user: UserID
    public var scene: String
    /// The model version (or source) that produced the response.
    public var model: String
    /// The items shown, best first: an item's position is its index (0-based).
    public var items: [ItemID]
    /// Seconds since 1970.
    public var timestamp: Int64
    /// The experiment the response was served under, if any.
    public var experiment: String?
    /// The experiment's variant (arm) that produced the response.
    public var variant: String?
    /// The probability with which the assignment policy chose `variant` (1 for a fixed split
    /// share's deterministic assignment is recorded as the share), for unbiased analysis.
    public var propensity: Double?

    public init(recommendationID: String, user: UserID, scene: String, model: String, items: [ItemID], timestamp: Int64,
                experiment: String? = nil, variant: String? = nil, propensity: Double? = nil) {
        self.recommendationID = recommendationID
        self.user = user
        self.scene = scene
        self.model = model
        self.items = items
        self.timestamp = timestamp
        self.experiment = experiment
        self.variant = variant
        self.propensity = propensity
    }
}

/// Metadata of one trained model version, kept by the store so every replica sees the same list.
///
/// A record is keyed by ``model`` and ``version``: each model the service trains (its main model
/// and the models of experiment variants) numbers its own versions.
public struct ModelVersionRecord: Sendable, Hashable, Codable {
    /// 1, 2, 3 ... in the training order of ``model``.
    public var version: Int
    /// The catalog name of the model (`als`, `itemknn` ...).
    public var model: String
    /// The parameters as `name=value` pairs, sorted by name.
    public var parameters: [String: String]
    /// Where the model file is.
    public var path: String
    /// When training finished (seconds since 1970).
    public var createdAt: Int64
    /// The highest event sequence the model was trained on.
    public var lastSequence: Int64
    /// Oldest and newest event time in the training data (seconds since 1970).
    public var firstEventTime: Int64?
    public var lastEventTime: Int64?
    public var events: Int
    public var users: Int
    public var items: Int
    public var fitSeconds: Double
    /// Offline metrics of a holdout evaluation (for example `ndcg@10`).
    public var metrics: [String: Double]

    public init(
        version: Int, model: String, parameters: [String: String], path: String, createdAt: Int64, lastSequence: Int64,
        firstEventTime: Int64?, lastEventTime: Int64?, events: Int, users: Int, items: Int, fitSeconds: Double,
        metrics: [String: Double]
    ) {
        self.version = version
        self.model = model
        self.parameters = parameters
        self.path = path
        self.createdAt = createdAt
        self.lastSequence = lastSequence
        self.firstEventTime = firstEventTime
        self.lastEventTime = lastEventTime
        self.events = events
        self.users = users
        self.items = items
        self.fitSeconds = fitSeconds
        self.metrics = metrics
    }
}
