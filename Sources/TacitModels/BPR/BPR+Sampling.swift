import Foundation
import TacitCore

/// Draws BPR's negative items: uniformly, by popularity `n_j^exponent` (Walker's alias method —
/// A. J. Walker, "An efficient method for generating discrete random variables with general
/// distributions", ACM TOMS 1977 — built with Vose's variant, IEEE TSE 1991), or, for exponent 1,
/// by picking a uniformly random training entry's item: exactly the `implicit` library's sampler,
/// with no table at all. Random bits become an index by Lemire's multiply-shift ("Fast random
/// integer generation in an interval", ACM TOMACS 2019), without the rejection step (bias below
/// `outcomes / 2⁶⁴`).
///
/// With verification a draw that is in the user's history skips its triple, as `implicit`'s
/// `verify_negative_samples` does, so a verified negative is never a positive. (Redrawing instead
/// was tried: at exponent 1 it cost about 0.005 NDCG@10 on MovieLens 100K, since skipping also
/// down-weights heavy users whose histories hold the popular items.) Without verification only
/// the positive item itself is refused (its triple carries no signal).
/// - Complexity: O(items) to build (O(1) for exponent 1), O(1) a draw, O(log |u|) a verification.
struct NegativeSampler: Sendable {
    enum Mode: Sendable { case uniform, entries, alias }

    /// One column of the alias table: keep the column with probability `keep / 2³²`, else take `alias`.
    struct AliasColumn: Sendable, BitwiseCopyable {
        var keep: UInt32
        var alias: Int32
    }

    let mode: Mode
    /// The number of outcomes of one draw (items, training entries or alias columns).
    let outcomes: Int
    let verify: Bool
    let entries: StorageBuffer<Int32>?
    let aliasTable: StorageBuffer<AliasColumn>?

    init(data: InteractionMatrix, sampling: BPR.Configuration.NegativeSampling, exponent: Double, verify: Bool) {
        self.verify = verify
        if sampling == .uniform || data.nnz == 0 {
            (mode, outcomes, entries, aliasTable) = (.uniform, data.itemCount, nil, nil)
        } else if exponent == 1 {
            (mode, outcomes, entries, aliasTable) = (.entries, data.nnz, data.columnIndices, nil)
        } else {
            let weights = data.itemInteractionCounts.map { $0 > 0 ? Foundation.pow(Double($0), exponent) : 0 }
            (mode, outcomes, entries) = (.alias, weights.count, nil)
            aliasTable = StorageBuffer(Self.aliasColumns(weights))
        }
    }

    /// The probability of each item under this sampler (before verification), for tests and docs.
    func probabilities(itemCount: Int) -> [Double] {
        switch mode {
        case .uniform: return [Double](repeating: 1 / Double(itemCount), count: itemCount)
        case .entries:
            var p = [Double](repeating: 0, count: itemCount)
            for i in entries!.buffer { p[Int(i)] += 1 / Double(outcomes) }
            return p
        case .alias:
            var p = [Double](repeating: 0, count: itemCount)
            for (c, column) in aliasTable!.buffer.enumerated() {
                let keep = Double(column.keep) / 4_294_967_296
                p[c] += keep / Double(outcomes)
                p[Int(column.alias)] += (1 - keep) / Double(outcomes)
            }
            return p
        }
    }

    /// Vose's construction over non-negative weights (uniform when they sum to zero).
    static func aliasColumns(_ weights: [Double]) -> [AliasColumn] {
        let n = weights.count
        let total = weights.reduce(0, +)
        var scaled = total > 0 ? weights.map { $0 * Double(n) / total } : [Double](repeating: 1, count: n)
        var columns = (0..<n).map { AliasColumn(keep: .max, alias: Int32($0)) }
        var small: [Int] = [], large: [Int] = []
        for i in 0..<n { if scaled[i] < 1 { small.append(i) } else { large.append(i) } }
        while let s = small.last, let l = large.last {
            small.removeLast()
            columns[s] = AliasColumn(keep: UInt32(min(scaled[s] * 4_294_967_296, 4_294_967_295)), alias: Int32(l))
            scaled[l] -= 1 - scaled[s]
            if scaled[l] < 1 { large.removeLast(); small.append(l) }
        }
        // What remains keeps its own column (weight 1 up to rounding; alias = itself).
        return columns
    }

    /// Plain pointers for a worker's hot loop (valid while the sampler lives).
    func cursor() -> Cursor {
        Cursor(mode: mode, outcomes: UInt64(outcomes), verify: verify,
               entries: entries?.buffer.baseAddress, alias: aliasTable?.buffer.baseAddress)
    }

    struct Cursor {
        let mode: Mode
        let outcomes: UInt64
        let verify: Bool
        let entries: UnsafePointer<Int32>?
        let alias: UnsafePointer<AliasColumn>?

        /// One unverified draw (Lemire's multiply-shift maps 64 random bits to a column; the low
        /// half of the product is the uniform that decides between a column and its alias).
        @inline(__always)
        func draw(_ random: inout SeededGenerator) -> Int32 {
            let (column, fraction) = random.next().multipliedFullWidth(by: outcomes)
            switch mode {
            case .uniform: return Int32(truncatingIfNeeded: column)
            case .entries: return entries![Int(column)]
            case .alias:
                let entry = alias![Int(column)]
                return UInt32(truncatingIfNeeded: fraction >> 32) < entry.keep ? Int32(truncatingIfNeeded: column) : entry.alias
            }
        }

        /// A negative for the positive `positive` of a user whose sorted history is `row`, or
        /// `nil` when the draw is not usable (the triple is skipped).
        @inline(__always)
        func negative(for row: UnsafeBufferPointer<Int32>, positive: Int32, random: inout SeededGenerator) -> Int32? {
            guard outcomes > 0 else { return nil }
            return accept(draw(&random), for: row, positive: positive)
        }

        /// `candidate`, unless it is the positive or (with verification) in the sorted history `row`.
        @inline(__always)
        func accept(_ candidate: Int32, for row: UnsafeBufferPointer<Int32>, positive: Int32) -> Int32? {
            candidate == positive || (verify && CandidateMask.contains(row, candidate)) ? nil : candidate
        }
    }
}
