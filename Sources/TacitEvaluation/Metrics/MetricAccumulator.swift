import Foundation
import TacitCore

/// Accumulates every metric in one pass over the users' ranked lists.
///
/// Each worker thread owns one accumulator; ``merge(_:)`` combines them and ``report(skippedUsers:)``
/// averages. Per-user metrics are computed from the list and the relevant set once, for all
/// cutoffs together.
public struct MetricAccumulator: Sendable {
    /// The cutoffs, ascending.
    public let cutoffs: [Int]
    /// Catalog size (for coverage).
    public let itemCount: Int
    /// Training users per item (for novelty and popularity).
    let itemPopularity: [Int]
    /// Number of training users (for novelty).
    let userCount: Int
    /// Category code per item, when known (for diversity).
    let categories: [Int32]?

    private var sums: [Metric.Kind: [Double]] = [:]
    private var recommended: [[Bool]]
    private(set) var users = 0

    /// - Parameters:
    ///   - itemPopularity: training users per item index.
    ///   - categories: a category code per item (`-1` = unknown), or `nil` to skip diversity.
    public init(cutoffs: [Int], itemPopularity: [Int], userCount: Int, categories: [Int32]?) {
        self.cutoffs = Array(Set(cutoffs)).sorted()
        self.itemCount = itemPopularity.count
        self.itemPopularity = itemPopularity
        self.userCount = userCount
        self.categories = categories
        var kinds = Metric.Kind.allCases.filter { $0 != .coverage }
        if categories == nil { kinds.removeAll { $0 == .diversity } }
        for kind in kinds { sums[kind] = Array(repeating: 0, count: self.cutoffs.count) }
        recommended = self.cutoffs.map { _ in Array(repeating: false, count: itemPopularity.count) }
    }

    /// Adds one user.
    /// - Parameters:
    ///   - ranked: the user's recommendations, best first (at least the largest cutoff when possible).
    ///   - relevant: the user's relevant items, sorted ascending (catalog items only).
    ///   - relevantCount: the size of the relevant set, including items not in the catalog (which
    ///     can never be hit but still count in recall and ideal DCG).
    public mutating func add(ranked: [ItemIndex], relevant: [ItemIndex], relevantCount: Int) {
        users += 1
        let maxK = cutoffs.last ?? 0
        let depth = min(maxK, ranked.count)
        var hitAt = [Bool](repeating: false, count: depth)
        for r in 0..<depth where ItemFilter.binarySearch(relevant, ranked[r]) { hitAt[r] = true }
        for (c, k) in cutoffs.enumerated() {
            let n = min(k, depth)
            var hits = 0, dcg = 0.0, rr = 0.0, apSum = 0.0
            for r in 0..<n where hitAt[r] {
                hits += 1
                dcg += 1 / Foundation.log2(Double(r + 2))
                if rr == 0 { rr = 1 / Double(r + 1) }
                apSum += Double(hits) / Double(r + 1)
            }
            let idealCount = min(k, relevantCount)
            var idcg = 0.0
            for r in 0..<idealCount { idcg += 1 / Foundation.log2(Double(r + 2)) }
            sums[.hitRate]![c] += hits > 0 ? 1 : 0
            sums[.recall]![c] += idealCount > 0 ? Double(hits) / Double(idealCount) : 0
            sums[.precision]![c] += Double(hits) / Double(k)
            sums[.ndcg]![c] += idcg > 0 ? dcg / idcg : 0
            sums[.map]![c] += idealCount > 0 ? apSum / Double(idealCount) : 0
            sums[.mrr]![c] += rr
            var novelty = 0.0, popularity = 0.0
            for r in 0..<n {
                let item = Int(ranked[r])
                recommended[c][item] = true
                let pop = Double(max(itemPopularity[item], 1))
                novelty += -Foundation.log2(pop / Double(max(userCount, 1)))
                popularity += Double(itemPopularity[item])
            }
            if n > 0 {
                sums[.novelty]![c] += novelty / Double(n)
                sums[.popularity]![c] += popularity / Double(n)
            }
            if let categories {
                var pairs = 0, different = 0
                for a in 0..<n {
                    for b in (a + 1)..<max(a + 1, n) {
                        let ca = categories[Int(ranked[a])], cb = categories[Int(ranked[b])]
                        guard ca >= 0, cb >= 0 else { continue }
                        pairs += 1
                        if ca != cb { different += 1 }
                    }
                }
                sums[.diversity]![c] += pairs > 0 ? Double(different) / Double(pairs) : 0
            }
        }
    }

    /// Adds another accumulator's users (same cutoffs and catalog).
    public mutating func merge(_ other: MetricAccumulator) {
        users += other.users
        for (kind, values) in other.sums { for c in values.indices { sums[kind]![c] += values[c] } }
        for c in recommended.indices { for i in 0..<itemCount where other.recommended[c][i] { recommended[c][i] = true } }
    }

    /// Averages into a report.
    public func report(skippedUsers: Int = 0) -> MetricReport {
        var values: [Metric: Double] = [:]
        for (kind, sum) in sums {
            for (c, k) in cutoffs.enumerated() { values[Metric(kind, at: k)] = users > 0 ? sum[c] / Double(users) : 0 }
        }
        for (c, k) in cutoffs.enumerated() {
            let distinct = recommended[c].reduce(0) { $0 + ($1 ? 1 : 0) }
            values[Metric(.coverage, at: k)] = itemCount > 0 ? Double(distinct) / Double(itemCount) : 0
        }
        return MetricReport(values: values, users: users, skippedUsers: skippedUsers)
    }
}
