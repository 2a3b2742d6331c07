import TacitCore

/// Blends two ranked candidate lists (collaborative and content) into one, per user.
///
/// Each list's scores are normalised on their own — min-max to 0...1, or z-scores — and an item
/// missing from a list takes that list's lowest normalised value (it ranked below every listed
/// candidate). The blended score is `(1 - w) · collaborative + w · content`.
public struct ScoreBlend: Sendable, Equatable {
    /// How a list's scores are put on a common scale.
    public enum Normalization: String, Sendable, CaseIterable {
        /// `(s - min) / (max - min)`; all 0 when the list's scores are equal.
        case minmax
        /// `(s - mean) / standard deviation`; all 0 when the list's scores are equal.
        case zscore
    }

    public var normalization: Normalization

    public init(normalization: Normalization = .minmax) { self.normalization = normalization }

    /// The normalised scores of `list` (in its order) and the value of an unlisted item.
    /// - Complexity: O(|list|).
    public func normalize(_ list: [ScoredItem]) -> (scores: [Float], missing: Float) {
        let scale = self.scale(of: list)
        return (list.map { scale.place($0.score) }, scale.missing)
    }

    /// How `list`'s scores normalise: any score, listed or not, goes through ``Scale/place(_:)``.
    /// - Complexity: O(|list|).
    public func scale(of list: [ScoredItem]) -> Scale {
        guard !list.isEmpty else { return Scale(shift: 0, factor: 0, missing: 0) }
        let scores = list.map { Double($0.score) }
        var low = scores[0], high = scores[0]
        for s in scores { (low, high) = (min(low, s), max(high, s)) }
        switch normalization {
        case .minmax:
            guard high > low else { return Scale(shift: 0, factor: 0, missing: 0) }
            return Scale(shift: low, factor: 1 / (high - low), missing: 0)
        case .zscore:
            let mean = scores.reduce(0, +) / Double(scores.count)
            let variance = scores.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(scores.count)
            guard variance > 0 else { return Scale(shift: 0, factor: 0, missing: 0) }
            let sd = variance.squareRoot()
            return Scale(shift: mean, factor: 1 / sd, missing: Float((low - mean) / sd))
        }
    }

    /// A list's normalisation: `(s - shift) · factor`, and the value of an unlisted item.
    public struct Scale: Sendable, Equatable {
        let shift: Double, factor: Double
        /// The value of an item the list does not hold (it ranked below every listed one).
        public let missing: Float

        /// The normalised value of score `score` (0 for a list whose scores are all equal).
        public func place(_ score: Float) -> Float { Float((Double(score) - shift) * factor) }
    }

    /// The best `count` items of the union of both lists by blended score, best first (ties by
    /// lower index). - Complexity: O((|a| + |b|) · log).
    public func combine(collaborative a: [ScoredItem], content b: [ScoredItem], contentWeight w: Float, count: Int) -> [ScoredItem] {
        let (na, missingA) = normalize(a), (nb, missingB) = normalize(b)
        var blended: [ItemIndex: (a: Float?, b: Float?)] = [:]
        blended.reserveCapacity(a.count + b.count)
        for (k, entry) in a.enumerated() { blended[entry.item, default: (nil, nil)].a = na[k] }
        for (k, entry) in b.enumerated() { blended[entry.item, default: (nil, nil)].b = nb[k] }
        var top = TopK(count)
        for (item, parts) in blended {
            let score = (1 - w) * (a.isEmpty ? 0 : parts.a ?? missingA) + w * (b.isEmpty ? 0 : parts.b ?? missingB)
            top.insert(item, score: score)
        }
        return top.sorted()
    }
}
