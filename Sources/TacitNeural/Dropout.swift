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
        let keep = 1 - rate, scale = 1 / keep
        for i in 0..<count {
            mask[i] = rate == 0 || random.nextUnit() < Double(keep) ? scale : 0
            y[i] = x[i] * mask[i]
        }
    }

    /// `∂x = ∂y ⊙ mask` (`dx` may be `dy`). - Complexity: O(count).
    public func backward(mask: UnsafePointer<Float>, outputGradient dy: UnsafePointer<Float>, count: Int, into dx: UnsafeMutablePointer<Float>) {
        for i in 0..<count { dx[i] = dy[i] * mask[i] }
    }
}
