import CTacitKernels
import Foundation

/// Softmax cross-entropy over rows of logits, with masked entries (`-∞`).
public enum SoftmaxCrossEntropy {
    /// For each of `rows` rows of `columns` logits `z` with label `labels[r]`: the loss
    /// `log Σ_j e^{z_j} − z_label`, and the gradient `∂z = scale · (softmax(z) − onehot(label))`
    /// written over the logits. Entries equal to `-∞` are masked (probability and gradient 0);
    /// the label's entry must be finite. Computed by `tacit_softmax_xent` (AVX-512, AVX2 or
    /// baseline, chosen at run time; the same Cephes `expf` polynomial as ``VectorMath``).
    /// - Returns: the summed loss of the rows (in `Double`), unscaled.
    /// - Complexity: O(rows · columns).
    @discardableResult
    public static func lossAndGradient(logits z: UnsafeMutablePointer<Float>, rows: Int, columns: Int, labels: UnsafePointer<Int32>,
                                       scale: Float) -> Double {
        guard rows > 0, columns > 0 else { return 0 }
        return tacit_softmax_xent(z, rows, columns, labels, scale)
    }
}
