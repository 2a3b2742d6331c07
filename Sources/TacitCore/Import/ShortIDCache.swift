/// A read-side cache in front of an ``IDMap`` for ids of at most 16 bytes, which is almost every
/// user and item id in practice.
///
/// `IDMap.intern(bytes:)` touches three scattered arrays per lookup (table, hashes, arena); with
/// 100k distinct ids and random access those are three cache misses, and they dominated import
/// time. Here a slot holds the id's bytes inline next to its index, so a hit costs one miss.
/// Misses (first sightings) fall through to the `IDMap`, which stays the only owner of ids, so
/// the cache never changes which index an id gets.
///
/// The cache belongs to one import into one log; it is not `Sendable`.
final class ShortIDCache {
    /// The longest id held inline.
    static let maxLength = 16

    struct Slot {
        var low: UInt64 = 0
        var high: UInt64 = 0
        /// The id's length, or -1 when the slot is empty.
        var length: Int32 = -1
        var index: Int32 = 0
    }

    private var slots: UnsafeMutablePointer<Slot>
    private var capacity: Int
    private var count = 0

    init(capacity: Int = 1 << 12) {
        self.capacity = capacity
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: Slot(), count: capacity)
    }

    deinit { slots.deallocate() }

    /// An id of at most ``maxLength`` bytes, zero-padded into two words.
    struct Key {
        var low: UInt64 = 0
        var high: UInt64 = 0
        var length: Int32

        @inline(__always)
        init(_ bytes: UnsafeBufferPointer<UInt8>) {
            length = Int32(truncatingIfNeeded: bytes.count)
            var words: (UInt64, UInt64) = (0, 0)
            withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: UnsafeRawBufferPointer(bytes)) }
            low = words.0
            high = words.1
        }
    }

    /// Where the search for `key` starts (its home slot).
    @inline(__always)
    func home(of key: Key) -> Int { Int(truncatingIfNeeded: Self.hash(key.low, key.high, key.length)) & (capacity - 1) }

    /// The slot at `position`, read before the search so that the cache misses of a row's user
    /// and item lookups overlap.
    @inline(__always)
    func slot(at position: Int) -> Slot { slots[position] }

    /// The index cached for `key`, searching from its home slot `start` whose contents are
    /// `first` (see ``home(of:)``, ``slot(at:)``); on a miss, `intern(bytes)` is asked and its
    /// answer remembered.
    @inline(__always)
    func index(
        of key: Key, bytes: UnsafeBufferPointer<UInt8>, from start: Int, first: Slot,
        intern: (UnsafeBufferPointer<UInt8>) -> Int32
    ) -> Int32 {
        let mask = capacity - 1
        var slot = start
        var s = first
        while true {
            if s.length < 0 { break }
            if s.low == key.low && s.high == key.high && s.length == key.length { return s.index }
            slot = (slot + 1) & mask
            s = slots[slot]
        }
        let index = intern(bytes)
        slots[slot] = Slot(low: key.low, high: key.high, length: key.length, index: index)
        count += 1
        if count * 2 > capacity { grow() }
        return index
    }

    @inline(__always)
    private static func hash(_ low: UInt64, _ high: UInt64, _ length: Int32) -> UInt64 {
        var h = low ^ (high << 32 | high >> 32) ^ (UInt64(UInt32(bitPattern: length)) << 56)
        h ^= h >> 30; h = h &* 0xbf58_476d_1ce4_e5b9
        h ^= h >> 27; h = h &* 0x94d0_49bb_1331_11eb
        h ^= h >> 31
        return h
    }

    private func grow() {
        let old = slots, oldCapacity = capacity
        capacity *= 2
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: Slot(), count: capacity)
        let mask = capacity - 1
        for k in 0..<oldCapacity where old[k].length >= 0 {
            var slot = Int(truncatingIfNeeded: Self.hash(old[k].low, old[k].high, old[k].length)) & mask
            while slots[slot].length >= 0 { slot = (slot + 1) & mask }
            slots[slot] = old[k]
        }
        old.deallocate()
    }
}
