/// A hash table from item index to a 32-bit value, for the few hundred items of one request:
/// open addressing with linear probing and Fibonacci hashing over one buffer of packed
/// key-value words.
///
/// `Dictionary<Int32, _>` hashes with SipHash (about 100 instructions a key) to resist
/// collision attacks, and every write checks for copy-on-write; item indices come from the
/// catalog, not from strangers, and a request holds a few hundred of them, so a multiplicative
/// hash over a buffer the table alone owns is several times faster. A reference type used by
/// one request at a time: not `Sendable`, never shared between requests.
public final class ItemTable {
    /// The key of an empty bucket; `Int32.min` is never a catalog index.
    @usableFromInline static let empty = Int32.min
    @usableFromInline static let emptyWord = UInt64(UInt32(bitPattern: empty)) << 32

    @usableFromInline var words: UnsafeMutablePointer<UInt64>
    @usableFromInline var bucketCount: Int
    @usableFromInline var shift: UInt64
    @usableFromInline var stored = 0
    /// The keys held.
    public var count: Int { stored }

    /// A table sized for `capacity` keys without growing.
    public init(capacity: Int) {
        var buckets = 16
        while buckets < 2 * capacity { buckets *= 2 }
        bucketCount = buckets
        shift = UInt64(64 - buckets.trailingZeroBitCount)
        words = .allocate(capacity: buckets)
        words.initialize(repeating: Self.emptyWord, count: buckets)
    }

    deinit { words.deallocate() }

    @inlinable @inline(__always)
    func bucket(_ key: Int32) -> Int {
        Int(truncatingIfNeeded: (UInt64(UInt32(bitPattern: key)) &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    @inlinable @inline(__always)
    static func key(_ word: UInt64) -> Int32 { Int32(bitPattern: UInt32(truncatingIfNeeded: word >> 32)) }

    @inlinable @inline(__always)
    static func word(_ key: Int32, _ value: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: key)) << 32 | UInt64(UInt32(bitPattern: value))
    }

    /// The bucket holding `key`, or the empty bucket where it would go.
    @inlinable @inline(__always)
    func find(_ key: Int32) -> Int {
        let mask = bucketCount - 1
        var index = bucket(key)
        while true {
            let found = Self.key(words[index])
            if found == key || found == Self.empty { return index }
            index = (index + 1) & mask
        }
    }

    /// The value of `key`, if present.
    @inlinable public subscript(key: Int32) -> Int32? {
        guard key != Self.empty else { return nil }
        let word = words[find(key)]
        return Self.key(word) == key ? Int32(bitPattern: UInt32(truncatingIfNeeded: word)) : nil
    }

    @inlinable public func contains(_ key: Int32) -> Bool { self[key] != nil }

    /// Sets the value of `key` (a key of `Int32.min` is ignored).
    @inlinable public func set(_ key: Int32, _ value: Int32) {
        guard key != Self.empty else { return }
        var index = find(key)
        if Self.key(words[index]) == Self.empty {
            if 2 * (stored + 1) > bucketCount {
                grow()
                index = find(key)
            }
            stored += 1
        }
        words[index] = Self.word(key, value)
    }

    /// Adds `key` with value 0 if absent (set semantics); returns whether it was added.
    @inlinable @discardableResult
    public func insert(_ key: Int32) -> Bool {
        guard key != Self.empty else { return false }
        var index = find(key)
        guard Self.key(words[index]) == Self.empty else { return false }
        if 2 * (stored + 1) > bucketCount {
            grow()
            index = find(key)
        }
        stored += 1
        words[index] = Self.word(key, 0)
        return true
    }

    @usableFromInline func grow() {
        let old = words, oldCount = bucketCount
        bucketCount *= 2
        shift -= 1
        words = .allocate(capacity: bucketCount)
        words.initialize(repeating: Self.emptyWord, count: bucketCount)
        for index in 0..<oldCount where Self.key(old[index]) != Self.empty {
            words[find(Self.key(old[index]))] = old[index]
        }
        old.deallocate()
    }
}
