import Foundation

/// Softmax cross-entropy over rows of logits, with masked entries (`-∞`).
public enum SoftmaxCrossEntropy {
    /// For each of `rows` rows of `columns` logits `z` with label `labels[r]`: the loss
    /// `log Σ_j e^{z_j} − z_label`, and the gradient `∂z = scale · (softmax(z) − onehot(label))`
    /// written over the logits. Entries equal to `-∞` are masked (probability and gradient 0);
    /// the label's entry must be finite. Exponentials by ``VectorMath/exp(_:)-(SIMD8<Float>)``.
    /// - Returns: the summed loss of the rows (in `Double`), unscaled.
    /// - Complexity: O(rows · columns).
    @discardableResult
    public static func lossAndGradient(logits z: UnsafeMutablePointer<Float>, rows: Int, columns: Int, labels: UnsafePointer<Int32>,
                                       scale: Float) -> Double {
        var total = 0.0
        for r in 0..<rows {
            let row = z + r * columns, label = Int(labels[r])
            let labelLogit = row[label]
            var maximum = -Float.infinity
            var laneMaximum = SIMD8<Float>(repeating: -.infinity)
            var m = 0
            while m + 8 <= columns {
                let v = UnsafeRawPointer(row + m).loadUnaligned(as: SIMD8<Float>.self)
                laneMaximum.replace(with: v, where: v .> laneMaximum)
                m += 8
            }
            maximum = laneMaximum.max()
            while m < columns { maximum = max(maximum, row[m]); m += 1 }
            // e^(z − max), eight lanes at a time (-∞ gives 0).
            var lanes = SIMD8<Float>()
            let shift = SIMD8<Float>(repeating: maximum)
            var j = 0
            while j + 8 <= columns {
                let e = VectorMath.exp(UnsafeRawPointer(row + j).loadUnaligned(as: SIMD8<Float>.self) - shift)
                UnsafeMutableRawPointer(row + j).storeBytes(of: e, as: SIMD8<Float>.self)
                lanes += e
                j += 8
            }
            var sum = lanes.sum()
            while j < columns {
                let e = VectorMath.exp(row[j] - maximum)
                row[j] = e
                sum += e
                j += 1
            }
            total += Double(logf(sum)) + Double(maximum) - Double(labelLogit)
            let inverse = scale / sum
            for j in 0..<columns { row[j] *= inverse }
            row[label] -= scale
        }
        return total
    }
}
