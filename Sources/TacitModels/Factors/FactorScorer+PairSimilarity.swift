import TacitCore

extension FactorScorer {
    /// The cosine of the factors of items `a` and `b` (0 when either is all zero or out of range).
    /// - Complexity: O(factors).
    public func cosine(_ a: ItemIndex, _ b: ItemIndex) -> Float {
        guard a >= 0, b >= 0, Int(a) < itemCount, Int(b) < itemCount, let base = itemFactors.buffer.baseAddress else { return 0 }
        let na = itemNorms[Int(a)], nb = itemNorms[Int(b)]
        guard na > 0, nb > 0 else { return 0 }
        return LinearAlgebra.dot(base + Int(a) * factors, base + Int(b) * factors, count: factors) / (na * nb)
    }
}

extension ImplicitALSModel: ItemPairSimilarity {
    /// The cosine of the two items' factors.
    public func similarity(_ a: ItemIndex, _ b: ItemIndex) -> Float { scorer.cosine(a, b) }
}

extension BPRModel: ItemPairSimilarity {
    /// The cosine of the two items' factors.
    public func similarity(_ a: ItemIndex, _ b: ItemIndex) -> Float { scorer.cosine(a, b) }
}
