import TacitCore

extension ItemKNNModel: ItemPairSimilarity {
    /// The stored similarity of `b` among `a`'s neighbours, 0 when `b` is not one of them.
    /// - Complexity: O(neighbours of `a`).
    public func similarity(_ a: ItemIndex, _ b: ItemIndex) -> Float {
        guard a >= 0, Int(a) + 1 < neighborPointers.count else { return 0 }
        for k in neighborPointers[Int(a)]..<neighborPointers[Int(a) + 1] where neighborItems[k] == b { return neighborScores[k] }
        return 0
    }
}
