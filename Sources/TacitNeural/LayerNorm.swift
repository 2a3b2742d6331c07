/// Layer normalisation over each row (Ba, Kiros & Hinton 2016):
/// `y = γ ⊙ (x − μ) / √(σ² + ε) + β`, with the row's mean `μ` and (biased) variance `σ²`.
public struct LayerNorm: Sendable {
    public let gain: Parameter
    public let shift: Parameter
    public let epsilon: Float

    /// Adds `name.gain` (ones) and `name.shift` (zeros), `1 x width`, to `set`.
    public init(_ set: ParameterSet, name: String, width: Int, epsilon: Float = 1e-5) {
        gain = set.add("\(name).gain", rows: 1, columns: width, initializer: .ones)
        shift = set.add("\(name).shift", rows: 1, columns: width, initializer: .zeros)
        self.epsilon = epsilon
    }

    public var width: Int { gain.columns }

    /// Normalises `rows` rows; keeps `x̂` (the normalised rows before gain and shift) and each
    /// row's `1/√(σ² + ε)` for the backward pass. - Complexity: O(rows · width).
    public func forward(_ x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>,
                        normalized: UnsafeMutablePointer<Float>, inverseDeviations: UnsafeMutablePointer<Float>) {
        let n = width, g = gain.values.pointer, b = shift.values.pointer
        for r in 0..<rows {
            let xr = x + r * n, hr = normalized + r * n, yr = y + r * n
            let mean = Self.sum(xr, n) / Float(n)
            let variance = Self.sumOfSquares(xr, n, minus: mean) / Float(n)
            let inverse = 1 / (variance + epsilon).squareRoot()
            inverseDeviations[r] = inverse
            for c in 0..<n {
                hr[c] = (xr[c] - mean) * inverse
                yr[c] = g[c] * hr[c] + b[c]
            }
        }
    }

    /// `∂γ += Σ ∂y ⊙ x̂`, `∂β += Σ ∂y`, and
    /// `∂x = (1/σ) (ĝ − mean(ĝ) − x̂ · mean(ĝ ⊙ x̂))` with `ĝ = γ ⊙ ∂y`. `dx` may be `dy`.
    /// - Complexity: O(rows · width).
    public func backward(normalized: UnsafePointer<Float>, inverseDeviations: UnsafePointer<Float>, outputGradient dy: UnsafePointer<Float>,
                         rows: Int, inputGradient dx: UnsafeMutablePointer<Float>, gradients: Gradients) {
        let n = width, g = gain.values.pointer
        let dg = gradients.dense(gain), db = gradients.dense(shift)
        for r in 0..<rows {
            let hr = normalized + r * n, dyr = dy + r * n, dxr = dx + r * n
            var meanG: Float = 0, meanGH: Float = 0
            for c in 0..<n {
                dg[c] += dyr[c] * hr[c]
                db[c] += dyr[c]
                let gc = g[c] * dyr[c]
                meanG += gc
                meanGH += gc * hr[c]
            }
            meanG /= Float(n)
            meanGH /= Float(n)
            let inverse = inverseDeviations[r]
            for c in 0..<n { dxr[c] = inverse * (g[c] * dyr[c] - meanG - hr[c] * meanGH) }
        }
    }

    /// `Σ x_c`, eight lanes at a time.
    @inline(__always)
    static func sum(_ x: UnsafePointer<Float>, _ n: Int) -> Float {
        var lanes = SIMD8<Float>(), c = 0
        while c + 8 <= n { lanes += UnsafeRawPointer(x + c).loadUnaligned(as: SIMD8<Float>.self); c += 8 }
        var total = lanes.sum()
        while c < n { total += x[c]; c += 1 }
        return total
    }

    /// `Σ (x_c − m)²`, eight lanes at a time.
    @inline(__always)
    static func sumOfSquares(_ x: UnsafePointer<Float>, _ n: Int, minus m: Float) -> Float {
        var lanes = SIMD8<Float>(), c = 0
        let shift = SIMD8<Float>(repeating: m)
        while c + 8 <= n {
            let d = UnsafeRawPointer(x + c).loadUnaligned(as: SIMD8<Float>.self) - shift
            lanes += d * d
            c += 8
        }
        var total = lanes.sum()
        while c < n { let d = x[c] - m; total += d * d; c += 1 }
        return total
    }
}
