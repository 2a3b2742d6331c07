import TacitCore

/// Walker's alias method: draws index `i` with probability `weights[i] / Σ weights` in O(1).
///
/// Built with Vose's stable variant (M. D. Vose, "A linear algorithm for generating random
/// numbers with a given distribution", IEEE TSE 1991). A column's keep probability and alias sit
/// side by side in one 8-byte ``Entry``, so a draw touches one cache line.
/// - Complexity: O(n) to build, O(1) a draw.
struct AliasTable: Sendable {
    /// One column: keep it with probability `keep`, else take `alias` (an index in the table).
    struct Entry: Sendable {
        var keep: Float
        var alias: Int32
    }

    let entries: [Entry]

    /// Number of outcomes.
    var count: Int { entries.count }

    /// Creates a table over non-negative `weights` (not all zero).
    init(weights: [Double]) { entries = Self.entries(weights: weights) }

    /// The columns of a table over `weights` (uniform when they sum to zero).
    static func entries(weights: [Double]) -> [Entry] {
        let n = weights.count
        precondition(n > 0, "an alias table needs at least one weight")
        let total = weights.reduce(0, +)
        var scaled = total > 0 ? weights.map { $0 * Double(n) / total } : [Double](repeating: 1, count: n)
        var entries = (0..<n).map { Entry(keep: 1, alias: Int32($0)) }
        var small: [Int32] = [], large: [Int32] = []
        for i in 0..<n {
            if scaled[i] < 1 { small.append(Int32(i)) } else { large.append(Int32(i)) }
        }
        while let s = small.last, let l = large.last {
            small.removeLast()
            entries[Int(s)] = Entry(keep: Float(scaled[Int(s)]), alias: l)
            scaled[Int(l)] -= 1 - scaled[Int(s)]
            if scaled[Int(l)] < 1 {
                large.removeLast()
                small.append(l)
            }
        }
        // Whatever is left keeps its own column (its scaled weight is 1 up to rounding).
        return entries
    }

    /// One draw.
    @inline(__always)
    func sample(_ rng: inout SeededGenerator) -> Int {
        entries.withUnsafeBufferPointer { Self.sample($0, rng: &rng) }
    }

    /// One draw from the table whose columns are `entries`.
    @inline(__always)
    static func sample(_ entries: UnsafeBufferPointer<Entry>, rng: inout SeededGenerator) -> Int {
        let u = rng.nextUnit() * Double(entries.count)
        let column = min(Int(u), entries.count - 1)
        let entry = entries[column]
        return u - Double(column) < Double(entry.keep) ? column : Int(entry.alias)
    }
}
