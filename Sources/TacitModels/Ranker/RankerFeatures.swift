import Foundation
import TacitCore

/// The features a ranker scores each candidate by, and the retrieval that produces the candidates.
///
/// One definition for training, offline scoring and the service: every feature is a function of
/// the user, the item, the request time `t` and the events before it. The ranker's fit builds
/// one context over the retrievers trained without the held-out events (requests at each label's
/// time), the fitted model one over the retrievers refitted on everything. Offline, the item
/// activity is the training log replayed up to `t` (events strictly before `t`) through an
/// ``ItemActivity``; the service keeps one updated as events arrive. The user's events are
/// theirs up to `t` (at most the latest ``userWindow``).
///
/// | feature | value |
/// |---|---|
/// | `<source>.score`, `<source>.rank` | the source's score and 1-based rank (missing when it does not list the item) |
/// | `<source>.gap` | the source's top score for the user minus this item's (missing when it does not list the item) |
/// | `sources` | how many sources list the item |
/// | `item.<kind>.count` | the item's events of that kind before `t`, per kind of the training log |
/// | `item.<kind>.1h`, `.1d`, `.7d` | the item's events of that kind decayed with time constant 1 hour, 1 day, 7 days |
/// | `item.age_days` | days from the item's first event to `t` |
/// | `item.shown` | the item's exposures before `t`: times it was in a recorded response (0 without logged impressions) |
/// | `item.ctr` | smoothed click-through rate before `t`: `(actions + 10·p) / (shown + 10)`, an action being an event that carries a recommendation id, of a kind with a weight above 0, and `p` the rate over every item (missing before any impression was logged) |
/// | `item.price` | the item's price (missing without one) |
/// | `user.log_events` | log(1 + the user's events in the window) |
/// | `user.hours_since_last` | hours from the user's latest event to `t` |
/// | `session.events` | the user's events in the 30 minutes before `t` |
/// | `user_item.events`, `user_item.purchases` | the user's events and purchases of the item (repeat history) |
/// | `user_item.hours_since` | hours since the user last touched the item (missing when never) |
/// | `user_item.category_share`, `user_item.brand_share` | the share of the user's events in the item's category, brand |
/// | `user_item.hours_since_category` | hours since the user last touched the item's category |
/// | `user_item.price_ratio` | the item's price over the mean price of the user's items |
/// | `session.category_share` | the share of the session's events in the item's category |
/// | `sim.last1`, `sim.last5_mean`, `sim.last5_max` | similarity (of the `similarity` source) to the user's latest item and to their latest five |
/// | `context.hour` | hour of the day of `t` (UTC) |
/// | `position` | where the item was shown, in a fit from logged impressions (0-based); 0 in every other row, so at inference the trees score every candidate as if shown first (position de-biasing) |
struct RankerFeatures: Sendable {
    /// One retrieval source: a fitted model and its name.
    struct Source: Sendable {
        let name: String
        let model: any Recommender
    }

    /// The matrix the sources were fitted on; its event sequences are the users' histories.
    let data: InteractionMatrix
    /// The users' events (the matrix's sequences, or its entries without them).
    let histories: EventSequences
    /// The training events replayed for the item activity (they may include events `data`
    /// lacks: other users' held-out ones that came before a label).
    let replay: ActivityReplay
    var sources: [Source]
    /// The model whose item-pair similarity gives the `sim.*` features (missing when `nil`).
    let similarity: (any ItemPairSimilarity)?
    /// The position of that model among ``sources``, when it is one of them (model files keep it).
    let similaritySource: Int?
    /// Candidates taken from each source.
    let perSource: Int
    /// The source whose rank gives each candidate's starting score, and its scale (``margins(_:)``).
    let prior: (source: Int, weight: Float)?
    /// The event kinds with activity features, in column order.
    let kinds: [EventKind]
    let attributes: RankerItemAttributes
    /// The request time of a request without one: a second after the latest training event.
    var end: Int64 { replay.end }

    /// The most recent events of a user that the features read.
    static let userWindow = 100
    /// The length of a session, in seconds.
    static let session: Int64 = 1_800
    /// The columns each source has (`score`, `rank`, `gap`), in that order at the row's start.
    static let perSourceColumns = 3
    /// The version of this feature definition, kept in model files: a file of another version is
    /// refused (its trees split on other features). Raise it with any change to a feature.
    static let version = 6
    /// The item columns after the activity counts.
    static let item = ["item.age_days", "item.shown", "item.ctr"]
    static let user = ["item.price", "user.log_events", "user.hours_since_last", "session.events", "user_item.events", "user_item.purchases",
                       "user_item.hours_since", "user_item.category_share", "user_item.brand_share", "user_item.hours_since_category",
                       "user_item.price_ratio", "session.category_share", "sim.last1", "sim.last5_mean", "sim.last5_max", "context.hour"]

    /// The feature names for sources named `names` and activity of `kinds`, in column order.
    static func names(sources names: [String], kinds: [EventKind]) -> [String] {
        names.flatMap { ["\($0).score", "\($0).rank", "\($0).gap"] } + ["sources"]
            + kinds.flatMap { kind in ["item.\(kind.name).count"] + ItemActivity.windows.map { "item.\(kind.name).\($0.name)" } }
            + item + user + ["position"]
    }

    /// The feature names, in column order (built once: every candidate row is this wide).
    let names: [String]
    /// Where the item activity columns start.
    private let activityColumn: Int

    /// - Parameters:
    ///   - histories: the users' events (nil: `data`'s sequences, or its entries without them).
    ///   - replay: the events whose activity the features count (nil: the histories, sorted here).
    ///   - kinds: the kinds with activity columns (nil: those of `replay`'s events).
    /// - Complexity: O(nnz) with a replay, O(events log events) without.
    init(data: InteractionMatrix, histories: EventSequences? = nil, replay: ActivityReplay? = nil, sources: [Source],
         similarity: (any ItemPairSimilarity)?, similaritySource: Int? = nil, perSource: Int, prior: (source: Int, weight: Float)? = nil,
         kinds: [EventKind]? = nil, attributes: RankerItemAttributes? = nil) {
        self.data = data
        let histories = histories ?? data.sequences ?? EventSequences(entriesOf: data)
        self.histories = histories
        let replay = replay ?? ActivityReplay(histories)
        self.replay = replay
        self.sources = sources
        self.similarity = similarity
        self.similaritySource = similaritySource
        self.perSource = perSource
        self.prior = prior
        let kinds = kinds ?? replay.kinds
        self.kinds = kinds
        self.attributes = attributes ?? RankerItemAttributes(count: data.itemCount)
        names = Self.names(sources: sources.map(\.name), kinds: kinds)
        activityColumn = Self.perSourceColumns * sources.count + 1
    }

    /// Whose candidates: a trained user of ``data``, or a history the sources fold in.
    enum Subject {
        case trained(Int)
        /// A weighted history (for fold-in) and the events in order (for sequential sources).
        case folded(history: SparseVector, sequence: [SequenceEvent])
    }

    /// Each source's top ``perSource`` for `subject` under `filter`; empty for a source that
    /// cannot rank a folded history.
    func lists(for subject: Subject, filter: ItemFilter) -> [[ScoredItem]] {
        sources.map { source in
            switch subject {
            case let .trained(user):
                return source.model.recommend(for: UserIndex(user), count: perSource, filter: filter)
            case let .folded(history, sequence):
                if let sequential = source.model as? any SequentialRecommender, !sequence.isEmpty {
                    return sequential.recommend(sequence: sequence, count: perSource, filter: filter)
                }
                return (source.model as? any FoldIn)?.recommend(history: history, count: perSource, filter: filter) ?? []
            }
        }
    }

    /// The union of the lists (in order of first appearance) with their source columns filled
    /// and every other column missing (row-major).
    func candidates(from lists: [[ScoredItem]]) -> (items: [Int32], rows: [Float]) {
        let slot = ItemTable(capacity: lists.reduce(0) { $0 + $1.count })
        var items: [Int32] = []
        for list in lists {
            for scored in list where slot.insert(scored.item) {
                slot.set(scored.item, Int32(items.count))
                items.append(scored.item)
            }
        }
        return (items, sourceRows(items: items, lists: lists, slot: slot))
    }

    /// Rows for the given `items` (a caller's candidates, in its order): a source's columns are
    /// filled where its list has the item.
    func rows(for items: [Int32], lists: [[ScoredItem]]) -> [Float] {
        let slot = ItemTable(capacity: items.count)
        for (k, item) in items.enumerated() where slot.insert(item) { slot.set(item, Int32(k)) }
        return sourceRows(items: items, lists: lists, slot: slot)
    }

    private func sourceRows(items: [Int32], lists: [[ScoredItem]], slot: ItemTable) -> [Float] {
        let width = names.count
        var rows = [Float](repeating: .nan, count: items.count * width), listed = [Float](repeating: 0, count: items.count)
        for (s, list) in lists.enumerated() {
            let top = list.first?.score ?? .nan
            for (rank, scored) in list.enumerated() {
                guard let found = slot[scored.item] else { continue }
                let k = Int(found)
                let offset = k * width + Self.perSourceColumns * s
                guard rows[offset + 1].isNaN else { continue }
                rows[offset] = scored.score
                rows[offset + 1] = Float(rank + 1)
                rows[offset + 2] = top - scored.score
                listed[k] += 1
            }
        }
        for k in items.indices {
            rows[k * width + activityColumn - 1] = listed[k]
            rows[k * width + width - 1] = 0
        }
        return rows
    }

    /// Fills the item activity columns of `items`' rows as of `time` from `activity`, whose item
    /// index of a model item is `index(item)` (nil: no activity).
    func fillActivity(_ rows: inout [Float], items: [Int32], activity: ItemActivity, time: Int64, index: (Int32) -> Int? = { Int($0) }) {
        fillActivity(&rows, readings: readings(of: items, activity: activity, index: index), time: time)
    }

    /// The activity counters of `items` (``fillActivity(_:readings:time:)`` computes their features).
    func readings(of items: [Int32], activity: ItemActivity, index: (Int32) -> Int?) -> ActivityReadings {
        activity.readings(of: items.map { index($0) ?? -1 }, kinds: kinds)
    }

    /// Fills the item activity columns of the rows of the items `readings` were taken for, as of `time`.
    func fillActivity(_ rows: inout [Float], readings: ActivityReadings, time: Int64) {
        let width = names.count, ageColumn = activityColumn + kinds.count * (1 + ItemActivity.windows.count)
        rows.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            for k in 0..<readings.firstSeen.count where (k + 1) * width <= buffer.count {
                readings.fill(base + k * width + activityColumn, item: k, time: time)
                base[k * width + ageColumn] = readings.ageDays(item: k, at: time) ?? .nan
                (base[k * width + ageColumn + 1], base[k * width + ageColumn + 2]) = readings.exposureFeatures(item: k)
            }
        }
    }

    /// Fills the user, user–item, similarity and context columns of `items`' rows from the
    /// user's events up to the request (oldest first) at `time`.
    func fillUser(_ rows: inout [Float], items: [Int32], events: some BidirectionalCollection<TimedEvent>, time: Int64) {
        let width = names.count, start = activityColumn + kinds.count * (1 + ItemActivity.windows.count) + Self.item.count
        let user = UserSummary(events: events, time: time, attributes: attributes)
        let hour = Float((time % 86_400 + 86_400) % 86_400 / 3_600)
        // Every candidate's similarity to the user's latest items, in one call of the model.
        let latest = user.latest.count
        let similarities = latest == 0 ? nil : similarity?.similarities(of: items, to: user.latest)
        for (k, item) in items.enumerated() {
            let o = k * width + start
            let price = attributes.price(item), category = attributes.category(item), brand = attributes.brand(item)
            rows[o] = price
            rows[o + 1] = Float(log1p(Double(user.count)))
            rows[o + 2] = user.last.map(user.hours(since:)) ?? .nan
            rows[o + 3] = Float(user.sessionCount)
            let touched = user.item(item)
            rows[o + 4] = Float(touched?.events ?? 0)
            rows[o + 5] = Float(touched?.purchases ?? 0)
            rows[o + 6] = touched.map { user.hours(since: $0.last) } ?? .nan
            let inCategory = category >= 0 ? user.category(category) : nil
            rows[o + 7] = category >= 0 && user.count > 0 ? Float(inCategory?.events ?? 0) / Float(user.count) : .nan
            rows[o + 8] = brand >= 0 && user.count > 0 ? Float(user.events(ofBrand: brand)) / Float(user.count) : .nan
            rows[o + 9] = inCategory.map { user.hours(since: $0.last) } ?? .nan
            rows[o + 10] = price / user.meanPrice
            rows[o + 11] = category >= 0 && user.sessionCount > 0 ? Float(user.sessionEvents(inCategory: category)) / Float(user.sessionCount) : .nan
            if let similarities {
                var sum: Float = 0, best = -Float.infinity
                for j in 0..<latest {
                    let value = similarities[k * latest + j]
                    if j == 0 { rows[o + 12] = value }
                    sum += value
                    best = max(best, value)
                }
                rows[o + 13] = sum / Float(latest)
                rows[o + 14] = best
            }
            rows[o + 15] = hour
        }
    }

    /// User `user`'s events in ``data`` up to and including `time` (oldest first).
    func events(of user: Int, through time: Int64) -> [TimedEvent] {
        let range = histories.range(of: user)
        var result: [TimedEvent] = []
        result.reserveCapacity(min(range.count, Self.userWindow))
        for e in range.reversed() {
            let t = histories.timestamps?[e] ?? 0
            guard t <= time else { continue }
            result.append(TimedEvent(item: histories.items[e], kind: histories.kinds[Int(histories.kindCodes[e])], time: t))
            if result.count == Self.userWindow { break }
        }
        return result.reversed()
    }

    /// Each candidate row's starting score for the trees: `−weight · ln(rank)` by the prior
    /// source, `−weight · ln(per_source + 1)` where it does not list the candidate; nil without a
    /// prior.
    func margins(_ rows: [Float]) -> [Float]? {
        guard let prior else { return nil }
        let width = names.count, column = Self.perSourceColumns * prior.source + 1, unlisted = Float(perSource + 1)
        return (0..<(width == 0 ? 0 : rows.count / width)).map { k in
            let rank = rows[k * width + column]
            return -prior.weight * Foundation.log(rank.isNaN ? unlisted : rank)
        }
    }
}
