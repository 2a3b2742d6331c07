import Foundation
import TacitCore

extension SeededGenerator {
    /// A uniform integer in `0 ..< n` (Lemire's multiply-shift; the bias is below 2⁻³²).
    @inline(__always)
    mutating func below(_ n: Int) -> Int {
        Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(n)).high)
    }

    /// Two independent standard normal samples (Marsaglia's polar method: one `log`, no trigonometry).
    mutating func nextGaussianPair() -> (Double, Double) {
        while true {
            let x = 2 * nextUnit() - 1, y = 2 * nextUnit() - 1
            let s = x * x + y * y
            if s > 0 && s < 1 {
                let scale = (-2 * Foundation.log(s) / s).squareRoot()
                return (x * scale, y * scale)
            }
        }
    }

    /// A uniformly random unit vector of dimension `d`.
    mutating func unitVector(_ d: Int) -> [Float] {
        var v = (0..<d).map { _ in nextGaussian() }
        let norm = max(v.reduce(0) { $0 + $1 * $1 }.squareRoot(), 1e-12)
        for j in 0..<d { v[j] /= norm }
        return v.map(Float.init)
    }
}
