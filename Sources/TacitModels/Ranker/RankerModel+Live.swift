import TacitCore

/// A request to a fitted ranker from outside its training data: the service's, for a user as
/// they are now.
public struct RankerRequest: Sendable {
    /// The user's training index, when the sources may use their trained vectors (nothing
    /// happened since training); otherwise the sources fold in ``history`` and ``sequence``.
    public var trainedUser: UserIndex?
    /// The user's weighted history in model indices (fold-in sources).
    public var history: SparseVector
    /// The user's events in order (sequential sources).
    public var sequence: [SequenceEvent]
    /// The user's events up to the request, oldest first (the user and user–item features).
    public var events: [TimedEvent]
    /// The request time, seconds since 1970.
    public var time: Int64

    public init(trainedUser: UserIndex?, history: SparseVector, sequence: [SequenceEvent], events: [TimedEvent], time: Int64) {
        self.trainedUser = trainedUser
        self.history = history
        self.sequence = sequence
        self.events = events
        self.time = time
    }
}

/// A request's candidates (model indices) and their feature rows, row-major in
/// ``RankerModel/featureNames`` order.
public struct RankerCandidates: Sendable {
    public let items: [ItemIndex]
    public internal(set) var rows: [Float]
    let time: Int64
}

extension RankerModel {
    /// The candidates of `request` (the union of the sources' lists under `filter`) with every
    /// feature but the item activity (``addActivity(to:activity:index:)``).
    public func candidates(for request: RankerRequest, filter: ItemFilter) -> RankerCandidates {
        let subject: RankerFeatures.Subject
        if let user = request.trainedUser, Int(user) >= 0, Int(user) < trainingData.userCount {
            subject = .trained(Int(user))
        } else {
            subject = .folded(history: request.history, sequence: request.sequence)
        }
        var (items, rows) = features.candidates(from: features.lists(for: subject, filter: filter))
        features.fillUser(&rows, items: items, events: request.events, time: request.time)
        return RankerCandidates(items: items, rows: rows, time: request.time)
    }

    /// Fills the item activity features of `candidates` from `activity` as of the request time;
    /// `index` maps a model item to its index in `activity` (nil: none recorded).
    public func addActivity(to candidates: inout RankerCandidates, activity: ItemActivity, index: (ItemIndex) -> Int?) {
        features.fillActivity(&candidates.rows, items: candidates.items, activity: activity, time: candidates.time, index: index)
    }

    /// The candidates ordered by the trees (or ``ordering``), best first, at most `count`.
    public func ranked(_ candidates: RankerCandidates, count: Int) -> [ScoredItem] {
        ranked(items: candidates.items, rows: candidates.rows, user: 0, count: count)
    }

    /// The features of candidate `k`, by name.
    public func features(of candidates: RankerCandidates, at k: Int) -> [String: Float] {
        let width = featureNames.count
        return Dictionary(uniqueKeysWithValues: zip(featureNames, candidates.rows[(k * width)..<((k + 1) * width)]))
    }
}
