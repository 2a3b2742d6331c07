import TacitCore

/// Inverted dropout (Srivastava et al. 2014): during training each value is kept with
/// probability `1 − rate` and scaled by `1 / (1 − rate)`, so inference is the identity.
public struct Dropout: Sendable {
    public let rate: Float

    public init(rate: Float) {
        precondition(rate >= 0 && rate < 1, "dropout rate must be in [0, 1)")
        self.rate = rate
    }

    /// Draws a mask (`0` or `1/(1 − rate)` per value) from `random` and writes `y = x ⊙ mask`
    /// (`y` may be `x`). - Complexity: O(count).
    public func forward(_ x: UnsafePointer<Float>, count: Int, mask: UnsafeMutablePointer<Float>, random: inout SeededGenerator,
                        into y: UnsafeMutablePointer<Float>) {
        let scale = 1 / (1 - rate)
        var draws = KeepDraws(keep: 1 - rate)
        for i in 0..<count {
            mask[i] = draws.next(&random) ? scale : 0
            y[i] = x[i] * mask[i]
        }
    }

    /// `∂x = ∂y ⊙ mask` (`dx` may be `dy`). - Complexity: O(count).
    public func backward(mask: UnsafePointer<Float>, outputGradient dy: UnsafePointer<Float>, count: Int, into dx: UnsafeMutablePointer<Float>) {
        for i in 0..<count { dx[i] = dy[i] * mask[i] }
    }
}

/// Bernoulli draws for dropout masks, four per 64-bit random number: a value is kept when a
/// 16-bit lane is below `keep · 2¹⁶` (keep probabilities resolve to 1/65536; `keep = 1` keeps all).
public struct KeepDraws {
    private let threshold: UInt64
    private var bits: UInt64 = 0
    private var left = 0

    public init(keep: Float) { threshold = UInt64((Double(keep) * 65_536).rounded()) }

    /// Whether the next value is kept.
    @inline(__always)
    public mutating func next(_ random: inout SeededGenerator) -> Bool {
        if left == 0 {
            bits = random.next()
            left = 4
        }
        let lane = bits & 0xFFFF
        bits >>= 16
        left -= 1
        return lane < threshold
    }
}
