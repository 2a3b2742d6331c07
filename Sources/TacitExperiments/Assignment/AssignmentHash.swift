/// The deterministic hash behind assignment: FNV-1a over the bytes, then the splitmix64
/// finaliser, mapped to a uniform `Double` in [0, 1).
///
/// FNV-1a (Fowler, Noll & Vo) is simple and stable across platforms and releases, unlike Swift's
/// `Hasher`, which is seeded randomly per process. Its low bits mix poorly on short keys, so
/// the 64-bit result goes through splitmix64's finaliser (Steele, Lea & Flood 2014, the
/// `mix64` variant of Stafford), which makes every output bit depend on every input bit. The
/// top 53 bits become the fraction.
///
/// The key is `salt`, a 0x1F separator byte, the user id and — for per-request draws — another
/// separator and the request counter's 8 little-endian bytes, so `("ab", "c")` and `("a", "bc")`
/// differ.
public enum AssignmentHash {
    private static let offset: UInt64 = 0xcbf2_9ce4_8422_2325
    private static let prime: UInt64 = 0x0000_0100_0000_01b3
    private static let separator: UInt8 = 0x1f

    /// The 64-bit hash of (salt, user) and, when given, a request counter.
    public static func hash(user: String, salt: String, request: UInt64? = nil) -> UInt64 {
        var h = offset
        @inline(__always) func feed(_ byte: UInt8) { h = (h ^ UInt64(byte)) &* prime }
        for byte in salt.utf8 { feed(byte) }
        feed(separator)
        for byte in user.utf8 { feed(byte) }
        if let request {
            feed(separator)
            for shift in stride(from: 0, to: 64, by: 8) { feed(UInt8(truncatingIfNeeded: request >> UInt64(shift))) }
        }
        return finalize(h)
    }

    /// A uniform number in [0, 1) from (salt, user) and, when given, a request counter.
    public static func unit(user: String, salt: String, request: UInt64? = nil) -> Double {
        Double(hash(user: user, salt: salt, request: request) >> 11) * 0x1.0p-53
    }

    /// splitmix64's finaliser: a bijection of 64-bit words with full avalanche.
    @inline(__always)
    static func finalize(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
