import Foundation
import TacitCore

/// The features a ranker scores each candidate by, and the retrieval that produces the candidates.
///
/// One definition for training and scoring: the ranker's fit builds one over the retrievers
/// trained without the held-out events and their matrix, the fitted model one over the retrievers
/// refitted on everything. Times are relative to `now`, the matrix's latest timestamp.
///
/// | feature | value |
/// |---|---|
/// | `<source>.score`, `<source>.rank` | the source's score and 1-based rank (missing when it does not list the item) |
/// | `<source>.gap` | the source's top score for the user minus this item's (missing when it does not list the item) |
/// | `sources` | how many sources list the item |
/// | `item.log_count` | log(1 + the item's training users) |
/// | `item.log_count_7d` | log(1 + its entries in the 7 days before `now`) |
/// | `item.age_days` | days from the item's first entry to `now` |
/// | `user.log_length` | log(1 + the user's training items) |
/// | `user.days_since_last` | days from the user's latest entry to `now` |
/// | `sim.last1`, `sim.last5_mean`, `sim.last5_max` | similarity (of the `similarity` source) to the user's latest item and to their latest five |
struct RankerFeatures: Sendable {
    /// One retrieval source: a fitted model and its name.
    struct Source: Sendable {
        let name: String
        let model: any Recommender
    }

    let data: InteractionMatrix
    let sources: [Source]
    /// The model whose item-pair similarity gives the `sim.*` features (missing when `nil`).
    let similarity: (any ItemPairSimilarity)?
    /// The position of that model among ``sources``, when it is one of them (model files keep it).
    let similaritySource: Int?
    /// Candidates taken from each source.
    let perSource: Int
    /// The source whose rank gives each candidate's starting score, and its scale (``margins(_:)``).
    let prior: (source: Int, weight: Float)?
    let now: Int64
    private let itemCount, itemRecent, itemAge: [Float]

    static let day: Int64 = 86_400
    /// The columns each source has (`score`, `rank`, `gap`), in that order at the row's start.
    static let perSourceColumns = 3
    /// The version of this feature definition, kept in model files: a file of another version is
    /// refused (its trees split on other features). Raise it with any change to a feature.
    static let version = 2
    static let shared = ["sources", "item.log_count", "item.log_count_7d", "item.age_days", "user.log_length", "user.days_since_last",
                         "sim.last1", "sim.last5_mean", "sim.last5_max"]

    /// The feature names for sources named `names`, in column order.
    static func names(sources names: [String]) -> [String] {
        names.flatMap { ["\($0).score", "\($0).rank", "\($0).gap"] } + shared
    }

    /// The feature names, in column order (built once: every candidate row is this wide).
    let names: [String]

    /// - Complexity: O(nnz + items).
    init(data: InteractionMatrix, sources: [Source], similarity: (any ItemPairSimilarity)?, similaritySource: Int? = nil, perSource: Int,
         prior: (source: Int, weight: Float)? = nil) {
        self.data = data
        self.sources = sources
        self.similarity = similarity
        self.similaritySource = similaritySource
        self.perSource = perSource
        names = Self.names(sources: sources.map(\.name))
        self.prior = prior
        let stamps = data.timestamps
        let now = stamps.map { $0.buffer.max() ?? 0 } ?? 0
        self.now = now
        var recent = [Float](repeating: 0, count: data.itemCount), first = [Int64](repeating: .max, count: data.itemCount)
        if let stamps {
            for k in 0..<data.nnz {
                let item = Int(data.columnIndices[k]), t = stamps[k]
                if Double(t) >= Double(now) - 7 * Double(Self.day) { recent[item] += 1 }
                first[item] = min(first[item], t)
            }
        }
        itemCount = data.itemInteractionCounts.map { Float(log1p(Double($0))) }
        itemRecent = recent.map { Float(log1p(Double($0))) }
        itemAge = first.map { $0 == .max ? .nan : Self.days(from: $0, to: now) }
    }

    /// The user's candidates (the union of every source's top `perSource` under `filter`, in
    /// order of first appearance) and their feature rows, row-major.
    func candidates(for user: Int, filter: ItemFilter) -> (items: [Int32], rows: [Float]) {
        var slot: [Int32: Int] = [:], items: [Int32] = []
        var listed: [[(score: Float, rank: Int)?]] = []
        var tops = [Float](repeating: .nan, count: sources.count)
        for (s, source) in sources.enumerated() {
            let list = source.model.recommend(for: UserIndex(user), count: perSource, filter: filter)
            tops[s] = list.first?.score ?? .nan
            for (rank, scored) in list.enumerated() {
                let k: Int
                if let existing = slot[scored.item] { k = existing } else {
                    k = items.count
                    slot[scored.item] = k
                    items.append(scored.item)
                    listed.append([(score: Float, rank: Int)?](repeating: nil, count: sources.count))
                }
                listed[k][s] = (scored.score, rank + 1)
            }
        }
        let width = names.count
        var rows = [Float](repeating: .nan, count: items.count * width)
        let context = userContext(user)
        for (k, item) in items.enumerated() {
            var offset = k * width
            for (s, entry) in listed[k].enumerated() {
                if let entry { rows[offset] = entry.score; rows[offset + 1] = Float(entry.rank); rows[offset + 2] = tops[s] - entry.score }
                offset += 3
            }
            rows[offset] = Float(listed[k].count(where: { $0 != nil }))
            rows[offset + 1] = itemCount[Int(item)]
            rows[offset + 2] = itemRecent[Int(item)]
            rows[offset + 3] = itemAge[Int(item)]
            rows[offset + 4] = context.logLength
            rows[offset + 5] = context.daysSinceLast
            if let similarity, !context.latest.isEmpty {
                let values = context.latest.map { similarity.similarity(item, $0) }
                rows[offset + 6] = values[0]
                rows[offset + 7] = values.reduce(0, +) / Float(values.count)
                rows[offset + 8] = values.max() ?? .nan
            }
        }
        return (items, rows)
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

    /// Days from `start` to `end` (in floating point: no timestamps can overflow it).
    static func days(from start: Int64, to end: Int64) -> Float { Float((Double(end) - Double(start)) / Double(day)) }

    /// The user's length, recency and latest five items (newest first).
    private func userContext(_ user: Int) -> (logLength: Float, daysSinceLast: Float, latest: [Int32]) {
        let row = data.row(user)
        guard !row.items.isEmpty else { return (0, .nan, []) }
        var order = Array(0..<row.items.count)
        if let stamps = data.rowTimestamps(user) {
            order.sort { (stamps[$0], row.items[$0]) > (stamps[$1], row.items[$1]) }
            let days = Self.days(from: stamps[order[0]], to: now)
            return (Float(log1p(Double(row.items.count))), days, order.prefix(5).map { row.items[$0] })
        }
        return (Float(log1p(Double(row.items.count))), .nan, order.suffix(5).reversed().map { row.items[$0] })
    }
}
