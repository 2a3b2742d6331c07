import Foundation

/// Element-wise activations with their derivatives.
public enum Activation: String, Sendable, CaseIterable {
    case identity
    /// `max(0, x)` (the derivative at 0 is taken as 0).
    case relu
    /// GELU, tanh approximation: `½ x (1 + tanh(√(2/π) (x + 0.044715 x³)))` (Hendrycks & Gimpel 2016).
    case gelu

    /// `y = f(x)` for `count` values (`y` may be `x`). - Complexity: O(count).
    public func forward(_ x: UnsafePointer<Float>, count: Int, into y: UnsafeMutablePointer<Float>) {
        switch self {
        case .identity: if UnsafePointer(y) != x { y.update(from: x, count: count) }
        case .relu: for i in 0..<count { y[i] = max(0, x[i]) }
        case .gelu: for i in 0..<count { y[i] = Self.gelu(x[i]).value }
        }
    }

    /// `∂x = f'(x) ∂y` from the layer's input `x` (`dx` may be `dy`). - Complexity: O(count).
    public func backward(input x: UnsafePointer<Float>, outputGradient dy: UnsafePointer<Float>, count: Int,
                         into dx: UnsafeMutablePointer<Float>) {
        switch self {
        case .identity: if UnsafePointer(dx) != dy { dx.update(from: dy, count: count) }
        case .relu: for i in 0..<count { dx[i] = x[i] > 0 ? dy[i] : 0 }
        case .gelu: for i in 0..<count { dx[i] = Self.gelu(x[i]).derivative * dy[i] }
        }
    }

    private static let c = Float((2 / Double.pi).squareRoot())

    @inline(__always)
    static func gelu(_ x: Float) -> (value: Float, derivative: Float) {
        let inner = c * (x + 0.044715 * x * x * x)
        let t = tanhf(inner)
        let value = 0.5 * x * (1 + t)
        let derivative = 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * c * (1 + 3 * 0.044715 * x * x)
        return (value, derivative)
    }
}
