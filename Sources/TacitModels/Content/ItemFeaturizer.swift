import Foundation
import TacitCore

/// Turns catalogue records into sparse, L2-normalised item profiles: the fitted vectoriser of the
/// content-based model.
///
/// Features come in groups, each named by a prefix: `tag:` (tags or genres, TF-IDF), `title:`
/// (title tokens, TF-IDF), `category:` and `brand:` (one-hot), `price:` (one-hot price bucket,
/// buckets at catalogue quantiles) and `attribute:` (one-hot `name=value`). An item's vector is
/// built group by group: the group's values (`tf · idf`, or 1 for one-hot groups) are scaled to
/// unit length and multiplied by the group's weight; the whole vector is then scaled to unit
/// length, so the cosine of two items is `Σ_g w_g² cos_g / (‖w‖_a ‖w‖_b)` over the groups
/// both have. `idf(f) = ln((1 + N) / (1 + df(f))) + 1` over the `N` fitted records (smoothed,
/// as scikit-learn's `TfidfVectorizer`); features in fewer than `minimumFrequency` records are
/// dropped, since they cannot relate two items.
///
/// With ``hashing`` (`hash_buckets`), a feature is not a term but a hash bucket of its group: the
/// term `tag:drama` counts in the column `tag:#k`, `k` = the bucket of the term's text, so each
/// group has at most `buckets` columns however many distinct tags, title tokens, brands or
/// attributes the catalogue holds (scikit-learn's `HashingVectorizer` followed by TF-IDF: a
/// column's IDF is that of the records holding any of its terms). Terms held by fewer than
/// `minimumFrequency` records are dropped before hashing; a new record's terms, seen in training
/// or not, count in their bucket's column when it has one.
struct ItemFeaturizer: Sendable {
    /// A feature group; the raw value indexes ``groupWeights``.
    enum Group: UInt8, Sendable, CaseIterable {
        case tags, title, category, brand, price, attributes

        /// The prefix of the group's feature names.
        var prefix: String {
            switch self {
            case .tags: return "tag:"
            case .title: return "title:"
            case .category: return "category:"
            case .brand: return "brand:"
            case .price: return "price:"
            case .attributes: return "attribute:"
            }
        }

        /// Whether values are TF-IDF weighted (otherwise one-hot).
        var usesIDF: Bool { self == .tags || self == .title }
    }

    /// Feature names (`tag:drama`), index = feature index.
    let features: IDMap
    /// The group of each feature.
    let groups: [Group]
    /// The IDF of each feature (1 for one-hot groups).
    let idf: [Float]
    /// The weight of each group, by ``Group/rawValue``.
    let groupWeights: [Float]
    /// Ascending price bucket boundaries: a price's bucket is the number of boundaries `<=` it.
    let priceBoundaries: [Double]
    /// The hash buckets of each group's columns (`nil`: one column per term).
    var hashing: FeatureHashing? = nil

    /// Learns the vocabulary, IDF and price buckets from `records`; with `hashing`, each group's
    /// kept terms go into that many bucket columns.
    /// - Complexity: O(total tokens · log) time, O(vocabulary) memory.
    static func fit(_ records: [ItemRecord], weights: [Float], priceBuckets: Int, minimumFrequency: Int,
                    hashing: FeatureHashing? = nil) -> ItemFeaturizer {
        let boundaries = weights[Int(Group.price.rawValue)] > 0 ? Self.quantiles(records.compactMap(\.price), buckets: priceBuckets) : []
        var documentFrequency: [String: (Group, Int)] = [:]
        // Each record's term names, kept only when hashing needs a second count by column.
        var recordTerms: [[String]] = []
        for record in records {
            let names = terms(of: record, boundaries: boundaries, weights: weights).map(\.name)
            for name in names { documentFrequency[name, default: (group(named: name), 0)].1 += 1 }
            if hashing != nil { recordTerms.append(names) }
        }
        var kept = documentFrequency.filter { $0.value.1 >= max(1, minimumFrequency) }.keys.sorted()
        if let hashing {
            // Document frequencies of the bucket columns: records holding any kept term of each.
            let keptTerms = Set(kept)
            documentFrequency = [:]
            for names in recordTerms {
                for column in Set(names.filter(keptTerms.contains).map { column(of: $0, hashing) }) {
                    documentFrequency[column, default: (group(named: column), 0)].1 += 1
                }
            }
            kept = documentFrequency.keys.sorted()
        }
        let n = Double(records.count)
        var groups: [Group] = [], idf: [Float] = []
        for name in kept {
            let (group, df) = documentFrequency[name]!
            groups.append(group)
            idf.append(group.usesIDF ? Float(Foundation.log((1 + n) / (1 + Double(df))) + 1) : 1)
        }
        return ItemFeaturizer(features: IDMap(kept), groups: groups, idf: idf, groupWeights: weights, priceBoundaries: boundaries, hashing: hashing)
    }

    /// The hashed column of a term: its group's prefix, `#` and the bucket of the whole term.
    static func column(of term: String, _ hashing: FeatureHashing) -> String {
        group(named: term).prefix + "#" + String(hashing.bucket(term))
    }

    /// The unit-length profile of `record` over the fitted features (empty when it has none).
    /// - Complexity: O(terms · log terms).
    func vector(_ record: ItemRecord) -> SparseVector {
        var pairs: [(Int32, Float)] = []
        for term in Self.terms(of: record, boundaries: priceBoundaries, weights: groupWeights) {
            guard let index = features.index(of: hashing.map { Self.column(of: term.name, $0) } ?? term.name) else { continue }
            pairs.append((index, term.count * idf[Int(index)]))
        }
        let merged = SparseVector(pairs: pairs)
        var values = merged.values
        // Scale each group to unit length times its weight.
        var groupNorms = [Float](repeating: 0, count: Group.allCases.count)
        for (k, index) in merged.indices.enumerated() { groupNorms[Int(groups[Int(index)].rawValue)] += values[k] * values[k] }
        var total: Float = 0
        for (k, index) in merged.indices.enumerated() {
            let g = Int(groups[Int(index)].rawValue)
            values[k] *= groupWeights[g] / groupNorms[g].squareRoot()
            total += values[k] * values[k]
        }
        guard total > 0 else { return SparseVector(pairs: []) }
        let scale = 1 / total.squareRoot()
        return SparseVector(sortedIndices: merged.indices, values: values.map { $0 * scale })
    }

    /// The group a feature name belongs to, from its prefix.
    static func group(named name: String) -> Group {
        Group.allCases.first { name.hasPrefix($0.prefix) } ?? .attributes
    }

    /// A record's raw terms with their counts, for the groups of positive weight.
    static func terms(of record: ItemRecord, boundaries: [Double], weights: [Float]) -> [(name: String, count: Float)] {
        func on(_ group: Group) -> Bool { weights[Int(group.rawValue)] > 0 }
        var counts: [String: Float] = [:]
        if on(.tags) { for tag in record.tags { counts[Group.tags.prefix + normalized(tag), default: 0] += 1 } }
        if on(.title), let title = record.title { for token in tokens(title) { counts[Group.title.prefix + token, default: 0] += 1 } }
        if on(.category), let category = record.category { counts[Group.category.prefix + normalized(category)] = 1 }
        if on(.brand), let brand = record.brand { counts[Group.brand.prefix + normalized(brand)] = 1 }
        if on(.price), let price = record.price, !boundaries.isEmpty {
            counts[Group.price.prefix + String(boundaries.filter { $0 <= price }.count)] = 1
        }
        if on(.attributes) {
            for (name, value) in record.attributes { counts[Group.attributes.prefix + normalized(name) + "=" + normalized(value)] = 1 }
        }
        return counts.filter { !$0.key.hasSuffix(":") }.map { ($0.key, $0.value) }
    }

    /// Lowercased, trimmed text.
    static func normalized(_ text: String) -> String {
        text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }

    /// Lowercased runs of letters and digits, at least two characters long.
    static func tokens(_ text: String) -> [String] {
        text.lowercased().split { !($0.isLetter || $0.isNumber) }.filter { $0.count >= 2 }.map(String.init)
    }

    /// `buckets - 1` distinct boundaries at the quantiles `k / buckets` of `prices`.
    static func quantiles(_ prices: [Double], buckets: Int) -> [Double] {
        guard buckets > 1, !prices.isEmpty else { return [] }
        let sorted = prices.sorted()
        var boundaries: [Double] = []
        for k in 1..<buckets {
            let value = sorted[min(sorted.count - 1, k * sorted.count / buckets)]
            if value > sorted[0], boundaries.last != value { boundaries.append(value) }
        }
        return boundaries
    }
}
