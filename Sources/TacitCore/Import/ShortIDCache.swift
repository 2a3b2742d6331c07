/// A read-side cache in front of an ``IDMap`` for ids of at most 16 bytes, which is almost every
/// user and item id in practice.
///
/// With 100k distinct ids met in random order, interning is bound by memory latency, not by
/// work: `IDMap.intern(bytes:)` touches three scattered arrays per lookup (table, hashes, arena),
/// and those misses dominated import time. Here a 32-byte slot holds the id's bytes inline next to
/// its index, so a lookup reads one cache line; the table lives in huge pages (``ZeroedMemory``),
/// so it costs no TLB miss either; and ``touch(_:)`` lets a caller read a whole batch's slots
/// before resolving any, so the misses overlap. Misses (first sightings) fall through to the
/// `IDMap`, which stays the only owner of ids, so the cache never changes which index an id gets.
///
/// The cache belongs to one import into one log; it is not `Sendable`.
final class ShortIDCache {
    /// The longest id held inline.
    static let maxLength = 16

    /// 32 bytes, so a slot never straddles two cache lines; all zero is an empty slot (ids are
    /// never empty).
    private struct Slot {
        var low: UInt64
        var high: UInt64
        /// The id's length; 0 when the slot is empty.
        var length: Int32
        var index: Int32
        var padding: UInt64 = 0
    }

    private var memory: ZeroedMemory
    private var slots: UnsafeMutablePointer<Slot>
    private var capacity: Int
    private let maxCapacity: Int
    private var count = 0

    /// Creates an empty cache.
    /// - Parameters:
    ///   - capacity: the initial number of slots (a power of two).
    ///   - maxCapacity: the most slots it grows to (by default 2²¹: 64 MiB, a million ids);
    ///     past that, ids not yet cached go straight to the `IDMap` each time, so memory stays
    ///     bounded on logs with many millions of distinct ids.
    init(capacity: Int = 1 << 12, maxCapacity: Int = 1 << 21) {
        precondition(capacity > 0 && capacity & (capacity - 1) == 0, "capacity must be a power of two")
        self.capacity = capacity
        self.maxCapacity = max(capacity, maxCapacity)
        (memory, slots) = Self.allocate(capacity)
    }

    deinit { memory.free() }

    private static func allocate(_ capacity: Int) -> (ZeroedMemory, UnsafeMutablePointer<Slot>) {
        let memory = ZeroedMemory(byteCount: capacity * MemoryLayout<Slot>.stride)
        return (memory, memory.base.bindMemory(to: Slot.self, capacity: capacity))
    }

    /// An id of at most ``maxLength`` bytes, zero-padded into two words (or, for the caller's
    /// own use, the place of a longer id: ``isInline`` is then `false`).
    struct Key {
        var low: UInt64
        var high: UInt64
        var length: Int32
        /// The key's hash, computed once (the slot search and ``touch(_:)`` both use it).
        var hash: UInt64

        /// The key of a short id (1 to ``maxLength`` bytes).
        @inline(__always)
        init(_ bytes: UnsafeBufferPointer<UInt8>) {
            length = Int32(truncatingIfNeeded: bytes.count)
            var words: (UInt64, UInt64) = (0, 0)
            withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: UnsafeRawBufferPointer(bytes)) }
            low = words.0
            high = words.1
            hash = ShortIDCache.hash(low, high, length)
        }

        /// A stand-in for a longer id kept elsewhere at `offset`.
        init(offset: Int, length: Int) {
            low = UInt64(offset)
            high = 0
            self.length = Int32(truncatingIfNeeded: length)
            hash = 0
        }

        /// Whether the id's bytes are in the key.
        @inline(__always)
        var isInline: Bool { length <= Int32(ShortIDCache.maxLength) }

        /// Where a longer id is kept (see ``init(offset:length:)``).
        var longRange: Range<Int> { Int(low)..<(Int(low) + Int(length)) }

        /// Calls `body` with the id's bytes.
        @inline(__always)
        func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
            let words = (low, high), count = Int(length)
            return withUnsafeBytes(of: words) { raw in
                raw.withMemoryRebound(to: UInt8.self) { body(UnsafeBufferPointer(rebasing: $0[..<count])) }
            }
        }
    }

    @inline(__always)
    private func home(of key: Key) -> Int { Int(truncatingIfNeeded: key.hash) & (capacity - 1) }

    /// Reads `key`'s home slot, so that a later ``index(of:intern:)`` finds it in cache; returns
    /// a value to keep the read from being optimised away.
    @inline(__always)
    func touch(_ key: Key) -> Int32 { slots[home(of: key)].length }

    /// The index of `key`'s id; on a miss, `intern` is asked (with the id's bytes) and its answer
    /// remembered.
    @inline(__always)
    func index(of key: Key, intern: (UnsafeBufferPointer<UInt8>) -> Int32) -> Int32 {
        let mask = capacity - 1
        var slot = home(of: key)
        while true {
            let s = slots[slot]
            if s.length == 0 { break }
            if s.low == key.low && s.high == key.high && s.length == key.length { return s.index }
            slot = (slot + 1) & mask
        }
        let index = key.withBytes(intern)
        if (count + 1) * 2 > capacity {
            guard capacity < maxCapacity else { return index }   // full: the load stays at most 1/2
            grow()
            slot = home(of: key)
            while slots[slot].length > 0 { slot = (slot + 1) & (capacity - 1) }
        }
        slots[slot] = Slot(low: key.low, high: key.high, length: key.length, index: index)
        count += 1
        return index
    }

    @inline(__always)
    static func hash(_ low: UInt64, _ high: UInt64, _ length: Int32) -> UInt64 {
        var h = low ^ (high << 32 | high >> 32) ^ (UInt64(UInt32(bitPattern: length)) << 56)
        h ^= h >> 30; h = h &* 0xbf58_476d_1ce4_e5b9
        h ^= h >> 27; h = h &* 0x94d0_49bb_1331_11eb
        h ^= h >> 31
        return h
    }

    private func grow() {
        let old = slots, oldMemory = memory, oldCapacity = capacity
        capacity *= 2
        (memory, slots) = Self.allocate(capacity)
        let mask = capacity - 1
        for k in 0..<oldCapacity where old[k].length > 0 {
            var slot = Int(truncatingIfNeeded: Self.hash(old[k].low, old[k].high, old[k].length)) & mask
            while slots[slot].length > 0 { slot = (slot + 1) & mask }
            slots[slot] = old[k]
        }
        oldMemory.free()
    }
}
