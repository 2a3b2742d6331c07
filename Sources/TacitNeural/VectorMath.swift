/// Vectorised elementary functions for the hot loops (softmax over a batch's logits).
public enum VectorMath {
    /// Inputs below this give 0 (`e^-87.3` is the smallest normal `Float`).
    static let lowest: Float = -87.33654

    /// `e^x` per lane: range reduction `x = n ln 2 + r`, `|r| ≤ ½ ln 2`, a degree-6 polynomial for
    /// `e^r` (Cephes `expf`), scaled by `2ⁿ` through the exponent bits. Relative error below 2·10⁻⁷;
    /// inputs below ``lowest`` (including `-∞`) give exactly 0, inputs above 88.37 give `e^88.37`.
    /// - Complexity: O(1), about 15 vector operations.
    @inline(__always)
    public static func exp(_ x: SIMD8<Float>) -> SIMD8<Float> {
        // Clamp with masks (`clamped` and `.rounded()` become per-lane library calls here).
        var clamped = x
        clamped.replace(with: lowest, where: x .< lowest)
        clamped.replace(with: 88.37626, where: x .> 88.37626)
        // Round to nearest by adding 1.5·2²³: the sum's low mantissa bits hold n.
        let biased = clamped * 1.442_695_04 + 12_582_912
        let n = biased - 12_582_912
        var r = clamped - n * 0.693_359_375
        r = r + n * 2.121_944_4e-4
        var p = SIMD8<Float>(repeating: 1.987_569_15e-4)
        p = p * r + 1.398_199_950_7e-3
        p = p * r + 8.333_451_907_3e-3
        p = p * r + 4.166_579_589_4e-2
        p = p * r + 1.666_666_545_9e-1
        p = p * r + 5.000_000_120_1e-1
        let e = p * (r * r) + r + 1
        // 2ⁿ from the bits of n + 1.5·2²³, whose low mantissa bits hold n (no generic conversion).
        let shifted = unsafeBitCast(biased, to: SIMD8<Int32>.self) &- 0x4B40_0000
        let exponent = (shifted &+ 127) &<< 23
        var result = e * unsafeBitCast(exponent, to: SIMD8<Float>.self)
        result.replace(with: 0, where: x .< lowest)
        return result
    }

    /// `e^x` for one value, by the same polynomial (for loop tails).
    @inline(__always)
    public static func exp(_ x: Float) -> Float { exp(SIMD8(repeating: x))[0] }
}
