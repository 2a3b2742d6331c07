/// The gradient of an embedding table over the rows one batch touched.
///
/// A slot map (`rows` entries, `-1` for untouched) gives each touched row a place in a packed
/// block that grows as rows are touched; ``rows`` lists them in the order first touched, so the
/// optimizer visits exactly those. Memory is O(table rows + touched rows · columns).
public final class SparseRowGradient: @unchecked Sendable {
    // `@unchecked`: owned by one worker during a batch; merged and read after the phase returns.
    public let columns: Int
    private var slot: [Int32]
    /// The touched rows, in the order first touched.
    public private(set) var rows: [Int32] = []
    private var storage: UnsafeMutablePointer<Float>
    private var capacity: Int

    public init(rows: Int, columns: Int) {
        self.columns = columns
        slot = [Int32](repeating: -1, count: rows)
        capacity = 16
        storage = .allocate(capacity: capacity * max(1, columns))
    }

    deinit { storage.deallocate() }

    /// The gradient row of table row `row`, zero-initialised on first touch. The pointer is valid
    /// until the next first touch of another row.
    /// - Complexity: O(1) amortised.
    @inline(__always)
    public func row(_ row: Int) -> UnsafeMutablePointer<Float> {
        let s = slot[row]
        if s >= 0 { return storage + Int(s) * columns }
        if rows.count == capacity {
            let grown = UnsafeMutablePointer<Float>.allocate(capacity: capacity * 2 * max(1, columns))
            grown.update(from: storage, count: capacity * columns)
            storage.deallocate()
            storage = grown
            capacity *= 2
        }
        let index = rows.count
        slot[row] = Int32(index)
        rows.append(Int32(row))
        let p = storage + index * columns
        p.initialize(repeating: 0, count: columns)
        return p
    }

    /// The gradient row of `row` if it was touched, else `nil`.
    @inline(__always)
    public func existingRow(_ row: Int) -> UnsafeMutablePointer<Float>? {
        let s = slot[row]
        return s >= 0 ? storage + Int(s) * columns : nil
    }

    /// The gradient of the `k`-th touched row (`rows[k]`).
    @inline(__always)
    public func packedRow(_ k: Int) -> UnsafeMutablePointer<Float> { storage + k * columns }

    /// Forgets every touched row. - Complexity: O(touched rows).
    public func clear() {
        for r in rows { slot[Int(r)] = -1 }
        rows.removeAll(keepingCapacity: true)
    }

    /// Adds `other`'s rows into this gradient, in `other`'s order. - Complexity: O(touched · columns).
    public func add(_ other: SparseRowGradient) {
        for k in 0..<other.rows.count {
            let target = row(Int(other.rows[k])), source = other.packedRow(k)
            for c in 0..<columns { target[c] += source[c] }
        }
    }
}
