/// A fast, seeded pseudo-random generator (xoshiro256**), seeded through splitmix64.
///
/// All randomness in Tacit comes from one of these, so every run with the same seed is identical.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    /// Creates a generator from a seed; different seeds give independent-looking streams.
    public init(seed: UInt64) {
        var x = seed
        func splitmix() -> UInt64 {
            x &+= 0x9e37_79b9_7f4a_7c15
            var z = x
            z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
            z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
            return z ^ (z >> 31)
        }
        s0 = splitmix(); s1 = splitmix(); s2 = splitmix(); s3 = splitmix()
    }

    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = (s3 << 45) | (s3 >> 19)
        return result
    }

    /// A uniform `Double` in [0, 1).
    public mutating func nextUnit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// A uniform integer in `0..<bound` (Lemire's multiply-high, without rejection: the bias is
    /// below `bound / 2⁶⁴`). - Precondition: `bound > 0`.
    @inline(__always)
    public mutating func next(below bound: Int) -> Int { Int(next().multipliedFullWidth(by: UInt64(bound)).high) }

    /// Shuffles `elements` in place (Fisher–Yates, from the last element down).
    public mutating func shuffle<T>(_ elements: inout [T]) {
        for k in stride(from: elements.count - 1, to: 0, by: -1) { elements.swapAt(k, next(below: k + 1)) }
    }

    /// A standard normal sample (Box-Muller).
    public mutating func nextGaussian() -> Double {
        let u1 = max(nextUnit(), 1e-300), u2 = nextUnit()
        return (-2 * _log(u1)).squareRoot() * _cos(2 * .pi * u2)
    }

    /// A generator for stream `index` derived from this seed (for per-thread or per-user streams).
    public static func stream(seed: UInt64, index: UInt64) -> SeededGenerator {
        SeededGenerator(seed: seed ^ (index &* 0xd1b5_4a32_d192_ed03) &+ 0x632b_e59b_d9b4_e019)
    }
}

#if canImport(Glibc)
import Glibc
@inline(__always) func _log(_ x: Double) -> Double { Glibc.log(x) }
@inline(__always) func _cos(_ x: Double) -> Double { Glibc.cos(x) }
#elseif canImport(Darwin)
import Darwin
@inline(__always) func _log(_ x: Double) -> Double { Darwin.log(x) }
@inline(__always) func _cos(_ x: Double) -> Double { Darwin.cos(x) }
#endif
