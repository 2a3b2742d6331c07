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

    public init(featureNames: [String]) {
        self.featureNames = featureNames
    }

    /// The number of rows.
    public var count: Int { labels.count }

    /// Appends one query's rows: `features` holds `labels.count` rows of `featureNames.count` values.
    /// - Precondition: the sizes agree (checked).
    public mutating func append(features rows: [Float], labels grades: [Float]) {
        precondition(rows.count == grades.count * featureNames.count, "feature rows do not match the labels")
        guard !grades.isEmpty else { return }
        features += rows
        labels += grades
        groups.append(grades.count)
    }

    /// Appends every query of `other` (same features).
    public mutating func append(contentsOf other: RankingExamples) {
        precondition(other.featureNames == featureNames, "different features")
        features += other.features
        labels += other.labels
        groups += other.groups
    }
}
