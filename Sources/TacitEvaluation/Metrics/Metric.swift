import TacitCore

/// A ranking metric at a cutoff, such as `NDCG@10`.
public struct Metric: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    /// What is measured.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// Hit rate: 1 when any relevant item is in the top K.
        case hitRate = "HR"
        /// Hits / min(K, |relevant|).
        case recall = "Recall"
        /// Hits / K.
        case precision = "Precision"
        /// Binary-gain DCG over the ideal DCG of min(K, |relevant|) items.
        case ndcg = "NDCG"
        /// Average precision over min(K, |relevant|).
        case map = "MAP"
        /// Reciprocal rank of the first relevant item within K (0 when none).
        case mrr = "MRR"
        /// Distinct items in any top-K list / items in the catalog (over all users, not averaged).
        case coverage = "Coverage"
        /// Mean self-information `-log2(users(i) / users)` of recommended items.
        case novelty = "Novelty"
        /// Intra-list diversity: share of item pairs in a list with different categories.
        case diversity = "Diversity"
        /// Average number of training users of a recommended item.
        case popularity = "Popularity"
    }

    public let kind: Kind
    public let cutoff: Int

    public init(_ kind: Kind, at cutoff: Int) {
        self.kind = kind
        self.cutoff = cutoff
    }

    /// Parses `NDCG@10` style names (case-insensitive).
    public init(parsing text: String) throws(TacitError) {
        let parts = text.split(separator: "@")
        let valid = Kind.allCases.map { "\($0.rawValue)@K" }
        guard parts.count == 2, let cutoff = Int(parts[1]), cutoff > 0,
              let kind = Kind.allCases.first(where: { $0.rawValue.lowercased() == parts[0].lowercased() })
        else { throw .unknownName("metric", text, valid: valid) }
        self.init(kind, at: cutoff)
    }

    public var description: String { "\(kind.rawValue)@\(cutoff)" }

    public static func < (a: Metric, b: Metric) -> Bool {
        let ia = Kind.allCases.firstIndex(of: a.kind)!, ib = Kind.allCases.firstIndex(of: b.kind)!
        return (a.cutoff, ia) < (b.cutoff, ib)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { try self.init(parsing: text) } catch { throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// The result of an evaluation: every metric at every cutoff, averaged over the evaluated users.
public struct MetricReport: Sendable, Codable, Equatable {
    /// Metric values.
    public var values: [Metric: Double]
    /// Number of users evaluated (those with training data and at least one relevant test item).
    public var users: Int
    /// Test users skipped because they had no training data.
    public var skippedUsers: Int

    public init(values: [Metric: Double], users: Int, skippedUsers: Int) {
        self.values = values
        self.users = users
        self.skippedUsers = skippedUsers
    }

    public subscript(metric: Metric) -> Double? { values[metric] }
    public subscript(kind: Metric.Kind, at cutoff: Int) -> Double? { values[Metric(kind, at: cutoff)] }

    /// The metrics in a stable display order (by cutoff, then kind).
    public var orderedMetrics: [Metric] { values.keys.sorted() }

    /// Metric names to values, for JSON (`{"NDCG@10": 0.07, ...}`).
    public var named: [String: Double] {
        Dictionary(uniqueKeysWithValues: values.map { ($0.key.description, $0.value) })
    }
}
