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
    /// - Complexity: O(neighbours of `a` + others).
    public func similarities(_ a: ItemIndex, to others: [ItemIndex]) -> [Float] {
        var values = [Float](repeating: 0, count: others.count)
        guard a >= 0, Int(a) + 1 < neighborPointers.count, !others.isEmpty else { return values }
        let first = Self.firstPositions(others)
        for k in neighborPointers[Int(a)]..<neighborPointers[Int(a) + 1] {
            if let j = first[neighborItems[k]] { values[Int(j)] = neighborScores[k] }
        }
        for (j, other) in others.enumerated() { if let f = first[other], Int(f) != j { values[j] = values[Int(f)] } }
        return values
    }

    /// Every pair of `items` and `others`, row-major, from the reverse lists of `others`.
    /// - Complexity: O(items + others + the reverse lists of `others`).
    public func similarities(of items: [ItemIndex], to others: [ItemIndex]) -> [Float] {
        let width = others.count
        var values = [Float](repeating: 0, count: items.count * width)
        guard !items.isEmpty, width > 0 else { return values }
        let first = Self.firstPositions(items)
        for (j, other) in others.enumerated() where other >= 0 && Int(other) + 1 < reversePointers.count {
            for k in reversePointers[Int(other)]..<reversePointers[Int(other) + 1] {
                if let i = first[reverseItems[k]] { values[Int(i) * width + j] = reverseScores[k] }
            }
        }
        for (i, item) in items.enumerated() {
            guard let f = first[item], Int(f) != i else { continue }
            for j in 0..<width { values[i * width + j] = values[Int(f) * width + j] }
        }
        return values
    }

    /// Each distinct item's first position in `items`.
    static func firstPositions(_ items: [ItemIndex]) -> ItemTable {
        let table = ItemTable(capacity: items.count)
        for (k, item) in items.enumerated() where table[item] == nil { table.set(item, Int32(k)) }
        return table
    }
}
