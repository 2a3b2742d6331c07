import TacitCore

/// Training data of a ranker: one row of features per (query, candidate), the rows of a query
/// contiguous, a graded relevance label per row.
public struct RankingExamples: Sendable, Equatable {
    /// The features' names, one per column.
    public let featureNames: [String]
    /// `rows × featureNames.count` values, row-major; `.nan` is a missing value.
    public private(set) var features: [Float] = []
    /// The relevance of each row (0 = not relevant; higher is better).
    public private(set) var labels: [Float] = []
    /// The number of rows of each query, in order.
    public private(set) var groups: [Int] = []
    /// Each row's starting score (XGBoost's base margin: the trees learn corrections to it), or
    /// empty when every row starts at 0.
    public private(set) var margins: [Float] = []

    public init(featureNames: [String]) {
        self.featureNames = featureNames
    }

    /// The number of rows.
    public var count: Int { labels.count }

    /// Appends one query's rows: `features` holds `labels.count` rows of `featureNames.count`
    /// values; `margins` (one per row) are the rows' starting scores, given for every query or
    /// for none.
    /// - Precondition: the sizes agree, and margins are given for all queries or none (checked).
    public mutating func append(features rows: [Float], labels grades: [Float], margins starts: [Float]? = nil) {
        precondition(rows.count == grades.count * featureNames.count, "feature rows do not match the labels")
        precondition(starts.map { $0.count == grades.count } ?? true, "margins do not match the labels")
        precondition((starts != nil) == (margins.count > 0) || groups.isEmpty, "margins given for some queries only")
        guard !grades.isEmpty else { return }
        features += rows
        labels += grades
        if let starts { margins += starts }
        groups.append(grades.count)
    }

    /// Appends every query of `other` (same features).
    public mutating func append(contentsOf other: RankingExamples) {
        precondition(other.featureNames == featureNames, "different features")
        features += other.features
        precondition(other.margins.isEmpty == margins.isEmpty || groups.isEmpty || other.groups.isEmpty, "margins given for some queries only")
        labels += other.labels
        margins += other.margins
        groups += other.groups
    }
}
