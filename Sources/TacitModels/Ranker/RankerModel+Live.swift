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

/// Each source's list for a request (retrieval, before the features).
public struct RankerLists: Sendable {
    let lists: [[ScoredItem]]
}

extension RankerModel {
    /// The candidates of `request` (the union of the sources' lists under `filter`) with every
    /// feature but the item activity (``addActivity(to:activity:index:)``).
    public func candidates(for request: RankerRequest, filter: ItemFilter) -> RankerCandidates {
        candidates(from: lists(for: request, filter: filter), request: request)
    }

    /// The retrieval step alone: each source's top `per_source` for the request under `filter`.
    public func lists(for request: RankerRequest, filter: ItemFilter) -> RankerLists {
        let subject: RankerFeatures.Subject
        if let user = request.trainedUser, Int(user) >= 0, Int(user) < trainingData.userCount {
            subject = .trained(Int(user))
        } else {
            subject = .folded(history: request.history, sequence: request.sequence)
        }
        return RankerLists(lists: features.lists(for: subject, filter: filter))
    }

    /// Rows for given `items` (a scene's blended candidates, model indices, in their order): a
    /// source's columns are filled where its list (`lists`) has the item; every other feature
    /// but the item activity as for the ranker's own candidates.
    public func candidates(_ items: [ItemIndex], from lists: RankerLists, request: RankerRequest) -> RankerCandidates {
        withUserFeatures(items, rows: features.rows(for: items, lists: lists.lists), request: request)
    }

    /// The candidates of retrieved `lists` with every feature but the item activity.
    public func candidates(from lists: RankerLists, request: RankerRequest) -> RankerCandidates {
        let (items, rows) = features.candidates(from: lists.lists)
        return withUserFeatures(items, rows: rows, request: request)
    }

    private func withUserFeatures(_ items: [ItemIndex], rows: [Float], request: RankerRequest) -> RankerCandidates {
        var rows = rows
        features.fillUser(&rows, items: items, events: request.events, time: request.time)
        return RankerCandidates(items: items, rows: rows, time: request.time)
    }

    /// Each candidate's score under ``ordering`` (the trees'), in order: a scene's ranking stage.
    public func scores(_ candidates: RankerCandidates) -> [Float] {
        score(items: candidates.items, rows: candidates.rows, user: 0)
    }

    /// The trees' scores of the candidates by XGBoost's own prediction: the reference of the
    /// Swift walker that ``scores(_:)`` uses (the same numbers, bit for bit).
    public func xgboostScores(_ candidates: RankerCandidates) -> [Float] {
        candidates.rows.withUnsafeBufferPointer {
            booster.xgboostScores($0, count: candidates.items.count, margins: features.margins(candidates.rows) ?? [])
        }
    }

    /// A request for trained user `user` at `time` (default: a second after the latest training
    /// event) from their training events: what the service builds for a user without new events.
    public func request(forTrained user: UserIndex, at time: Int64? = nil) -> RankerRequest {
        let time = time ?? features.end
        let events = Int(user) >= 0 && Int(user) < trainingData.userCount ? features.events(of: Int(user), through: time) : []
        return RankerRequest(trainedUser: user, history: SparseVector(pairs: []), sequence: [], events: events, time: time)
    }

    /// The item activity after every training event (model indices): the state a service that
    /// loaded the training log would have.
    public func replayedActivity() -> ItemActivity {
        var cursor = ActivityReplay.Cursor()
        cursor.advance(to: .max, in: features.replay)
        return cursor.activity
    }

    /// Fills the item activity features of `candidates` from `activity` as of the request time;
    /// `index` maps a model item to its index in `activity` (nil: none recorded).
    public func addActivity(to candidates: inout RankerCandidates, activity: ItemActivity, index: (ItemIndex) -> Int?) {
        addActivity(to: &candidates, readings: activityReadings(of: candidates, activity: activity, index: index))
    }

    /// The activity counters of the candidates, copied from `activity` (`index` as in
    /// ``addActivity(to:activity:index:)``): what a service reads under its lock.
    public func activityReadings(of candidates: RankerCandidates, activity: ItemActivity, index: (ItemIndex) -> Int?) -> ActivityReadings {
        features.readings(of: candidates.items, activity: activity, index: index)
    }

    /// Fills the item activity features of `candidates` from their `readings` as of the request time.
    public func addActivity(to candidates: inout RankerCandidates, readings: ActivityReadings) {
        features.fillActivity(&candidates.rows, readings: readings, time: candidates.time)
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

extension RankerModel: ItemSimilarity, ItemPairSimilarity {
    /// "More like this" from the first source that has item neighbours (none: an empty list).
    public func similarItems(to item: ItemIndex, count: Int, filter: ItemFilter) -> [ScoredItem] {
        features.sources.lazy.compactMap { $0.model as? any ItemSimilarity }.first?.similarItems(to: item, count: count, filter: filter) ?? []
    }

    /// The nearest item by the same source (through its index, when it has one).
    public func nearestItem(to item: ItemIndex) -> ItemIndex? {
        features.sources.lazy.compactMap { $0.model as? any ItemSimilarity }.first?.nearestItem(to: item)
    }

    /// The similarity the `sim.*` features use (0 without a similarity source).
    public func similarity(_ a: ItemIndex, _ b: ItemIndex) -> Float { features.similarity?.similarity(a, b) ?? 0 }

    /// `a`'s similarity to each of `others` by the same source, in one call of it.
    public func similarities(_ a: ItemIndex, to others: [ItemIndex]) -> [Float] {
        features.similarity?.similarities(a, to: others) ?? [Float](repeating: 0, count: others.count)
    }

    /// Every pair of `items` and `others` by the same source, row-major, in one call of it.
    public func similarities(of items: [ItemIndex], to others: [ItemIndex]) -> [Float] {
        features.similarity?.similarities(of: items, to: others) ?? [Float](repeating: 0, count: items.count * others.count)
    }
}
