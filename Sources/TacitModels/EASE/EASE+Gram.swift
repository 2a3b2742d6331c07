import TacitCore

/// The Gram matrix `G = XᵀX` of EASE, computed densely with BLAS or sparsely from
/// co-occurrences, whichever costs less for the data at hand.
extension EASE {
    /// How `G` is computed.
    enum GramMethod: String, Sendable, CustomStringConvertible {
        /// Blocks of user rows densified and accumulated with BLAS `ssyrk`:
        /// `users · items² / 2` multiply-adds at BLAS speed, whatever the sparsity.
        case dense
        /// For each item `j`, every user `u` of `j` adds `x_uj · x_u` to row `j` of `G`:
        /// `Σ_u |u|²` scattered multiply-adds, in parallel over items.
        case sparse

        var description: String { rawValue }
    }

    /// How many times faster one dense `ssyrk` multiply-add runs than one scattered sparse one.
    /// Measured on a 2-core x86-64 box with OpenBLAS: `ssyrk` 25–30 G multiply-adds/s, the
    /// sparse loop 0.2–1.4 G/s (ratios 21–111 on MovieLens 100K and synthetic 2,000–20,000
    /// users x 3,000–4,000 items). Near the crossover both take about as long, so a rough
    /// constant costs little; far from it the choice is obvious.
    static let denseAdvantage = 60.0

    /// The cheaper method for `data`: dense unless `users · items² / 2` exceeds
    /// ``denseAdvantage`` times `Σ_u |u|²`. - Complexity: O(users).
    static func gramMethod(for data: InteractionMatrix) -> GramMethod {
        let n = Double(data.itemCount)
        let dense = Double(data.userCount) * n * (n + 1) / 2
        var sparse = 0.0
        for u in 0..<data.userCount {
            let length = Double(data.rowLength(u))
            sparse += length * length
        }
        return dense <= denseAdvantage * sparse ? .dense : .sparse
    }

    /// Writes the full (both triangles) `items x items` Gram matrix of `data` into `g`, with
    /// entries 1 when `binary`, else the stored confidences.
    static func gram(_ data: InteractionMatrix, binary: Bool, method: GramMethod, threads: Int,
                     into g: UnsafeMutableBufferPointer<Float>) {
        let n = data.itemCount
        precondition(g.count == n * n, "the Gram buffer does not match the item count")
        guard n > 0 else { return }
        switch method {
        case .dense: denseGram(data, binary: binary, threads: threads, into: g)
        case .sparse: sparseGram(data, binary: binary, threads: threads, into: g)
        }
    }

    /// Densifies blocks of user rows (at most 64 MiB each) and accumulates `blockᵀ block` into
    /// the upper triangle with `ssyrk` on `threads` BLAS threads, then mirrors it.
    /// - Complexity: O(users · items² / 2) time, O(items²) + 64 MiB memory.
    static func denseGram(_ data: InteractionMatrix, binary: Bool, threads: Int, into g: UnsafeMutableBufferPointer<Float>) {
        let n = data.itemCount, users = data.userCount
        g.update(repeating: 0)
        let blockRows = max(1, min(users, max(256, (1 << 24) / n)))
        let block = UnsafeMutableBufferPointer<Float>.allocate(capacity: blockRows * n)
        block.initialize(repeating: 0)
        defer { block.deallocate() }
        LinearAlgebra.withThreads(threads) {
            var start = 0
            while start < users {
                let end = min(users, start + blockRows)
                for u in start..<end {
                    let row = data.row(u), base = (u - start) * n
                    for k in 0..<row.items.count { block[base + Int(row.items[k])] = binary ? 1 : row.values[k] }
                }
                LinearAlgebra.accumulateGram(rows: end - start, columns: n, a: block.baseAddress!, c: g.baseAddress!)
                for u in start..<end {
                    let items = data.row(u).items, base = (u - start) * n
                    for item in items { block[base + Int(item)] = 0 }
                }
                start = end
            }
        }
        LinearAlgebra.mirrorUpperTriangle(n: n, a: g.baseAddress!, threads: threads)
    }

    /// Row `j` of `G` is `Σ_{u ∋ j} x_uj · x_u`, accumulated from the CSC column of `j` and the
    /// CSR rows of its users; rows are independent, so items run in parallel. Exactly
    /// symmetric: both `G_ij` and `G_ji` sum the same products in ascending user order.
    /// - Complexity: O(Σ_u |u|²) time, no memory beyond `G`.
    static func sparseGram(_ data: InteractionMatrix, binary: Bool, threads: Int, into g: UnsafeMutableBufferPointer<Float>) {
        let n = data.itemCount
        let shared = SharedMutableBuffer(g)
        Parallel.forEach(0..<n, threads: threads) { j in
            let row = shared.base.baseAddress! + j * n
            row.update(repeating: 0, count: n)
            let column = data.column(j)
            for k in 0..<column.users.count {
                let xj: Float = binary ? 1 : column.values[k]
                let user = data.row(Int(column.users[k]))
                if binary {
                    for item in user.items { row[Int(item)] += 1 }
                } else {
                    for m in 0..<user.items.count { row[Int(user.items[m])] += xj * user.values[m] }
                }
            }
        }
    }
}
