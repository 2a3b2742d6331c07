import TacitCore

/// The least-squares problem of one row of iALS against fixed factors of the other side, and its
/// two solvers.
///
/// For a user (or item) with entries `(i, w_i)`, confidences `c_i = 1 + alpha · w_i`, fixed
/// factors `Y` and `G = YᵀY`, the normal equations are
/// `(G + λ I + Σ_i (c_i − 1) y_i y_iᵀ) x = Σ_i c_i y_i`.
/// Both solvers use only `G` and the row's own entries, so a row costs O(n · f) (CG) or
/// O(n · f² + f³) (Cholesky), independent of the catalogue size.
struct ALSRowSolver {
    /// Factor count `f`.
    let factors: Int
    /// Confidence slope.
    let alpha: Float
    /// The fixed side's factors, `n x f` row-major.
    let other: UnsafePointer<Float>
    /// `G = otherᵀ other`, `f x f` row-major.
    let gram: UnsafePointer<Float>

    /// Rows with at least this many entries are gathered into contiguous memory for CG.
    static let gatherThreshold = 48
    /// ... and at most this many (a 16 MiB copy at 64 factors).
    static let gatherLimit = 1 << 16

    /// Runs `steps` conjugate-gradient steps on the normal equations, starting from `x`
    /// (Takács et al. 2011). Never forms the `f x f` system.
    /// - Complexity: O(steps · (n · f + f²)).
    func conjugateGradient(x: UnsafeMutablePointer<Float>, indices: UnsafeBufferPointer<Int32>, weights: UnsafeBufferPointer<Float>,
                           lambda: Float, steps: Int, workspace: ALSWorkspace) {
        let f = factors, r = workspace.r, p = workspace.p, ap = workspace.ap, count = indices.count
        var index = indices.baseAddress ?? UnsafePointer(workspace.noIndex)
        var rows = other
        if count >= Self.gatherThreshold && count <= Self.gatherLimit {
            // A long row (a popular item's users) is read 1 + steps times: copy its vectors once
            // into contiguous memory, so only the copy pays the cache misses of random access.
            let gathered = workspace.rows(count * f)
            for n in 0..<count { (gathered + n * f).update(from: other + Int(index[n]) &* f, count: f) }
            rows = UnsafePointer(gathered)
            index = UnsafePointer(workspace.identity(count))
        }
        // Per entry: confidence c = 1 + e, excess e = alpha · w.
        let (confidence, excess, zero) = workspace.coefficients(count)
        for n in 0..<count {
            excess[n] = alpha * weights[n]
            confidence[n] = 1 + excess[n]
        }
        // r = b − A x = −(G + λI) x + Σ (c − e · y·x) y
        LinearAlgebra.matvec(gram, x, r, count: f)
        for k in 0..<f { r[k] = -r[k] - lambda * x[k] }
        for n in 0..<count { excess[n] = -excess[n] }
        LinearAlgebra.rankUpdate(rows: rows, index: index, offset: confidence, slope: excess, count: count, factors: f, v: x, out: r)
        for n in 0..<count { excess[n] = -excess[n] }
        var rs = LinearAlgebra.dot(r, r, count: f)
        guard rs > 1e-20 else { return }
        p.update(from: r, count: f)
        for _ in 0..<steps {
            // ap = A p
            LinearAlgebra.matvec(gram, p, ap, count: f)
            for k in 0..<f { ap[k] += lambda * p[k] }
            LinearAlgebra.rankUpdate(rows: rows, index: index, offset: zero, slope: excess, count: count, factors: f, v: p, out: ap)
            let curvature = LinearAlgebra.dot(p, ap, count: f)
            guard curvature > 0 else { return }
            let step = rs / curvature
            LinearAlgebra.axpy(step, p, x, count: f)
            LinearAlgebra.axpy(-step, ap, r, count: f)
            let rsNew = LinearAlgebra.dot(r, r, count: f)
            if rsNew < 1e-20 { return }
            let beta = rsNew / rs
            for k in 0..<f { p[k] = r[k] + beta * p[k] }
            rs = rsNew
        }
    }

    /// Solves the normal equations exactly (Cholesky, LAPACK) into `x`. Falls back to conjugate
    /// gradient from the previous `x` in the (degenerate, λ = 0) case of a singular system.
    /// - Complexity: O(n · f² + f³).
    func exact(x: UnsafeMutablePointer<Float>, indices: UnsafeBufferPointer<Int32>, weights: UnsafeBufferPointer<Float>,
               lambda: Float, workspace: ALSWorkspace) {
        let f = factors, a = workspace.system, b = workspace.rhs
        a.update(from: gram, count: f * f)
        for k in 0..<f { a[k * f + k] += lambda }
        b.update(repeating: 0, count: f)
        // A += Σ e_i y_i y_iᵀ as one BLAS rank-k update of the rows √e_i · y_i.
        let scaled = workspace.rows(indices.count * f)
        for n in 0..<indices.count {
            let y = other + Int(indices[n]) &* f
            let excess = alpha * weights[n]
            let root = excess.squareRoot()
            for k in 0..<f { scaled[n * f + k] = root * y[k] }
            LinearAlgebra.axpy(1 + excess, y, b, count: f)
        }
        if !indices.isEmpty { LinearAlgebra.gram(rows: indices.count, columns: f, a: scaled, beta: 1, c: a) }
        if LinearAlgebra.choleskySolve(n: f, a: a, b: b) {
            x.update(from: b, count: f)
        } else {
            conjugateGradient(x: x, indices: indices, weights: weights, lambda: lambda, steps: f, workspace: workspace)
        }
    }

    /// This row's part of the training loss, `Σ_i c_i (p_i − xᵀ y_i)² + λ ‖x‖²` over all columns,
    /// computed from `G` in O(n · f + f²).
    func loss(x: UnsafePointer<Float>, indices: UnsafeBufferPointer<Int32>, weights: UnsafeBufferPointer<Float>,
              lambda: Float, workspace: ALSWorkspace) -> Double {
        let f = factors
        LinearAlgebra.matvec(gram, x, workspace.r, count: f)
        var total = Double(LinearAlgebra.dot(x, workspace.r, count: f))
        for n in 0..<indices.count {
            let c = Double(1 + alpha * weights[n])
            let s = Double(LinearAlgebra.dot(other + Int(indices[n]) &* f, x, count: f))
            // c (1 − s)² replaces the s² counted in xᵀ G x.
            total += c - 2 * c * s + (c - 1) * s * s
        }
        return total + Double(lambda) * Double(LinearAlgebra.dot(x, x, count: f))
    }
}

/// One worker's scratch vectors for ``ALSRowSolver``.
final class ALSWorkspace {
    let r: UnsafeMutablePointer<Float>
    let p: UnsafeMutablePointer<Float>
    let ap: UnsafeMutablePointer<Float>
    let rhs: UnsafeMutablePointer<Float>
    let system: UnsafeMutablePointer<Float>
    /// A valid pointer for empty rows (never read).
    let noIndex = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
    private var capacity = 0
    private var confidence = UnsafeMutablePointer<Float>.allocate(capacity: 1)
    private var excess = UnsafeMutablePointer<Float>.allocate(capacity: 1)
    private var zeros = UnsafeMutablePointer<Float>.allocate(capacity: 1)

    private var rowCapacity = 0
    private var gathered = UnsafeMutablePointer<Float>.allocate(capacity: 1)

    private var identityCapacity = 0
    private var identityIndex = UnsafeMutablePointer<Int32>.allocate(capacity: 1)

    /// `0, 1, ..., count - 1`, for rows gathered into contiguous memory.
    func identity(_ count: Int) -> UnsafeMutablePointer<Int32> {
        if count > identityCapacity {
            identityCapacity = max(count, identityCapacity * 2)
            identityIndex.deallocate()
            identityIndex = .allocate(capacity: identityCapacity)
            for k in 0..<identityCapacity { identityIndex[k] = Int32(k) }
        }
        return identityIndex
    }

    /// A scratch array of at least `count` floats.
    func rows(_ count: Int) -> UnsafeMutablePointer<Float> {
        if count > rowCapacity {
            rowCapacity = max(count, rowCapacity * 2)
            gathered.deallocate()
            gathered = .allocate(capacity: rowCapacity)
        }
        return gathered
    }

    /// Three scratch arrays of at least `count` floats (the last one all zeros).
    func coefficients(_ count: Int) -> (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>) {
        if count > capacity {
            capacity = max(count, capacity * 2)
            for pointer in [confidence, excess, zeros] { pointer.deallocate() }
            confidence = .allocate(capacity: capacity)
            excess = .allocate(capacity: capacity)
            zeros = .allocate(capacity: capacity)
            zeros.initialize(repeating: 0, count: capacity)
        }
        return (confidence, excess, zeros)
    }

    init(factors f: Int) {
        r = .allocate(capacity: f)
        p = .allocate(capacity: f)
        ap = .allocate(capacity: f)
        rhs = .allocate(capacity: f)
        system = .allocate(capacity: f * f)
    }

    deinit {
        r.deallocate()
        p.deallocate()
        ap.deallocate()
        rhs.deallocate()
        system.deallocate()
        confidence.deallocate()
        excess.deallocate()
        zeros.deallocate()
        noIndex.deallocate()
        gathered.deallocate()
        identityIndex.deallocate()
    }
}
