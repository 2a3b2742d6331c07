import TacitCore

extension ItemKNNModel: ItemPairSimilarity {
    /// The stored similarity of `b` among `a`'s neighbours, 0 when `b` is not one of them.
    /// - Complexity: O(neighbours of `a`).
    public func similarity(_ a: ItemIndex, _ b: ItemIndex) -> Float {
        guard a >= 0, Int(a) + 1 < neighborPointers.count else { return 0 }
        for k in neighborPointers[Int(a)]..<neighborPointers[Int(a) + 1] where neighborItems[k] == b { return neighborScores[k] }
        return 0
    }

    /// One pass over `a`'s neighbours for all of `others`.
    /// - Complexity: O(neighbours of `a` · others), without a call per pair.
    public func similarities(_ a: ItemIndex, to others: [ItemIndex]) -> [Float] {
        var values = [Float](repeating: 0, count: others.count)
        guard a >= 0, Int(a) + 1 < neighborPointers.count else { return values }
        for k in neighborPointers[Int(a)]..<neighborPointers[Int(a) + 1] {
            let neighbour = neighborItems[k]
            for (j, other) in others.enumerated() where other == neighbour { values[j] = neighborScores[k] }
        }
        return values
    }
}
