import TacitCore

/// Causal multi-head scaled dot-product attention over one sequence (Vaswani et al. 2017), with
/// dropout on the attention weights, as in SASRec (Kang & McAuley 2018).
///
/// The inputs are the sequence's already projected queries, keys and values, `length` rows of
/// `width` floats each (row stride `width`); head `h` uses columns `h·w ..< (h+1)·w` with
/// `w = width / heads`. Position `t` attends to positions `0...t`:
/// `A = softmax(Q_h K_hᵀ / √w)` with the future masked, `Ã = A ⊙ mask` (inverted dropout), and the
/// output's head `h` is `Ã V_h`. The layer has no parameters (the projections are ``Dense`` layers).
///
/// Storage per sequence: ``weightCount(length:)`` floats for `A` and as many for `Ã` (the same
/// buffer at inference); the backward pass recovers the dropout mask from `Ã` (a kept weight is
/// `A / (1 − rate)`, a dropped one 0).
public struct CausalSelfAttention: Sendable {
    /// The number of heads.
    public let heads: Int
    /// The width of a row (all heads together).
    public let width: Int
    /// The dropout on attention weights (rate 0: none).
    public let dropout: Dropout

    /// - Precondition: `width` is a multiple of `heads`.
    public init(width: Int, heads: Int, dropout: Float = 0) {
        precondition(heads >= 1 && width % heads == 0, "width \(width) is not a multiple of \(heads) heads")
        self.width = width
        self.heads = heads
        self.dropout = Dropout(rate: dropout)
    }

    /// The width of one head.
    public var headWidth: Int { width / heads }

    /// Floats of attention weights for a sequence of `length` positions (`heads · length²`).
    public func weightCount(length: Int) -> Int { heads * length * length }

    /// Writes the attention output of one sequence into `output` (`length x width`).
    ///
    /// - Parameters:
    ///   - weights: receives `A` (``weightCount(length:)`` floats).
    ///   - dropped: receives `Ã`; pass `weights` itself for inference (no dropout).
    ///   - random: the dropout's random source (unused at inference).
    /// - Complexity: O(heads · length² · headWidth).
    public func forward(queries q: UnsafePointer<Float>, keys k: UnsafePointer<Float>, values v: UnsafePointer<Float>, length t: Int,
                        weights: UnsafeMutablePointer<Float>, dropped: UnsafeMutablePointer<Float>, random: inout SeededGenerator,
                        output: UnsafeMutablePointer<Float>) {
        guard t > 0 else { return }
        let w = headWidth, d = width, scale = 1 / Float(w).squareRoot()
        for h in 0..<heads {
            let a = weights + h * t * t, ad = dropped + h * t * t
            LinearAlgebra.gemm(transposeB: true, m: t, n: t, k: w, alpha: scale, a: q + h * w, lda: d, b: k + h * w, ldb: d, c: a, ldc: t)
            for row in 0..<t { Self.causalSoftmax(a + row * t, visible: row + 1, count: t) }
            if ad != a {
                if dropout.rate > 0 {
                    var draws = KeepDraws(keep: 1 - dropout.rate)
                    let inverse = 1 / (1 - dropout.rate)
                    for row in 0..<t {
                        let src = a + row * t, dst = ad + row * t
                        for j in 0...row { dst[j] = draws.next(&random) ? src[j] * inverse : 0 }
                        for j in (row + 1)..<t { dst[j] = 0 }
                    }
                } else {
                    ad.update(from: a, count: t * t)
                }
            }
            LinearAlgebra.gemm(m: t, n: w, k: t, a: ad, lda: t, b: v + h * w, ldb: d, c: output + h * w, ldc: d)
        }
    }

    /// Writes `∂Q`, `∂K` and `∂V` (`length x width` each) from the output gradient `∂O`, given the
    /// forward pass's inputs and its `A` and `Ã`. `scratch` holds `length²` floats.
    /// - Complexity: O(heads · length² · headWidth).
    public func backward(queries q: UnsafePointer<Float>, keys k: UnsafePointer<Float>, values v: UnsafePointer<Float>, length t: Int,
                         weights: UnsafePointer<Float>, dropped: UnsafePointer<Float>, outputGradient dO: UnsafePointer<Float>,
                         queryGradient dq: UnsafeMutablePointer<Float>, keyGradient dk: UnsafeMutablePointer<Float>,
                         valueGradient dv: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>) {
        guard t > 0 else { return }
        let w = headWidth, d = width, scale = 1 / Float(w).squareRoot()
        let kept = 1 / (1 - dropout.rate), masked = dropped != weights
        for h in 0..<heads {
            let a = weights + h * t * t, ad = dropped + h * t * t
            // ∂Ã = ∂O_h V_hᵀ and ∂V_h = Ãᵀ ∂O_h.
            LinearAlgebra.gemm(transposeB: true, m: t, n: t, k: w, a: dO + h * w, lda: d, b: v + h * w, ldb: d, c: scratch, ldc: t)
            LinearAlgebra.gemm(transposeA: true, m: t, n: w, k: t, a: ad, lda: t, b: dO + h * w, ldb: d, c: dv + h * w, ldc: d)
            // ∂A = ∂Ã ⊙ mask; ∂S = A ⊙ (∂A − Σ_j A_j ∂A_j) · scale, future entries 0.
            for row in 0..<t {
                let ar = a + row * t, adr = ad + row * t, g = scratch + row * t
                var dot: Float = 0
                if masked { for j in 0...row { g[j] *= adr[j] != 0 ? kept : 0 } }
                for j in 0...row { dot += ar[j] * g[j] }
                for j in 0...row { g[j] = ar[j] * (g[j] - dot) * scale }
                for j in (row + 1)..<t { g[j] = 0 }
            }
            // S = scale · Q_h K_hᵀ: ∂Q_h = ∂S K_h, ∂K_h = ∂Sᵀ Q_h (the scale is in ∂S).
            LinearAlgebra.gemm(m: t, n: w, k: t, a: scratch, lda: t, b: k + h * w, ldb: d, c: dq + h * w, ldc: d)
            LinearAlgebra.gemm(transposeA: true, m: t, n: w, k: t, a: scratch, lda: t, b: q + h * w, ldb: d, c: dk + h * w, ldc: d)
        }
    }

    /// Softmax of the first `visible` of `count` scores in place; the rest become 0.
    @inline(__always)
    static func causalSoftmax(_ row: UnsafeMutablePointer<Float>, visible: Int, count: Int) {
        var maximum = -Float.infinity
        for j in 0..<visible { maximum = max(maximum, row[j]) }
        var sum: Float = 0
        var j = 0
        let shift = SIMD8<Float>(repeating: maximum)
        var lanes = SIMD8<Float>()
        while j + 8 <= visible {
            let e = VectorMath.exp(UnsafeRawPointer(row + j).loadUnaligned(as: SIMD8<Float>.self) - shift)
            UnsafeMutableRawPointer(row + j).storeBytes(of: e, as: SIMD8<Float>.self)
            lanes += e
            j += 8
        }
        sum = lanes.sum()
        while j < visible {
            let e = VectorMath.exp(row[j] - maximum)
            row[j] = e
            sum += e
            j += 1
        }
        let inverse = 1 / sum
        for j in 0..<visible { row[j] *= inverse }
        for j in visible..<count { row[j] = 0 }
    }
}
