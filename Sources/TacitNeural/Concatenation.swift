/// The column layout of a row-wise concatenation of blocks `[a | b | c ...]`.
///
/// Producers usually write straight into their slice of the concatenated row (``offset(of:)``),
/// so the forward pass copies nothing; ``scatter(_:rows:into:)`` and ``gather(_:rows:from:)``
/// copy dense blocks in and out when a producer needs its own contiguous buffer.
public struct Concatenation: Sendable, Equatable {
    /// The width of each block.
    public let widths: [Int]
    /// The first column of each block.
    public let offsets: [Int]
    /// The width of a concatenated row.
    public let width: Int

    public init(widths: [Int]) {
        self.widths = widths
        var offsets: [Int] = [], total = 0
        for w in widths { offsets.append(total); total += w }
        self.offsets = offsets
        width = total
    }

    /// The first column of block `part`.
    public func offset(of part: Int) -> Int { offsets[part] }

    /// Copies block `part` (`rows x widths[part]`, contiguous) into its columns of `concatenated`.
    /// - Complexity: O(rows · widths[part]).
    public func scatter(_ part: Int, rows: Int, block: UnsafePointer<Float>, into concatenated: UnsafeMutablePointer<Float>) {
        let w = widths[part], o = offsets[part]
        for r in 0..<rows { (concatenated + r * width + o).update(from: block + r * w, count: w) }
    }

    /// Copies the columns of block `part` out of `concatenated` (the backward of ``scatter``).
    /// - Complexity: O(rows · widths[part]).
    public func gather(_ part: Int, rows: Int, from concatenated: UnsafePointer<Float>, into block: UnsafeMutablePointer<Float>) {
        let w = widths[part], o = offsets[part]
        for r in 0..<rows { (block + r * w).update(from: concatenated + r * width + o, count: w) }
    }
}
