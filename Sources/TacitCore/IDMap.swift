/// A bidirectional map between external string identifiers and dense `Int32` indices.
///
/// Indices are assigned in order of first insertion. Identifiers are stored as UTF-8 bytes in one
/// contiguous arena with an open-addressing hash table over them, so importing millions of rows
/// interns ids straight from the input bytes without creating a `String` per row.
///
/// `IDMap` is a value type with copy-on-write storage: build it on one thread, then share it.
public struct IDMap: Sendable, Equatable {
    @usableFromInline var arena: [UInt8] = []
    @usableFromInline var offsets: [Int] = [0]
    @usableFromInline var table: [Int32] = Array(repeating: -1, count: 16)
    @usableFromInline var hashes: [UInt64] = []

    /// Creates an empty map.
    public init() {}

    /// Creates a map holding `ids` in order (index `i` is `ids[i]`); duplicates keep their first index.
    public init<S: Sequence>(_ ids: S) where S.Element == String {
        for id in ids { _ = intern(id) }
    }

    /// The number of distinct identifiers.
    @inlinable public var count: Int { offsets.count - 1 }

    /// The identifier at `index`.
    public func id(at index: Int32) -> String {
        let start = offsets[Int(index)], end = offsets[Int(index) + 1]
        return arena.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[start..<end]), as: UTF8.self) }
    }

    /// All identifiers in index order.
    public var ids: [String] { (0..<count).map { id(at: Int32($0)) } }

    /// The index of `id`, or `nil` when it is not in the map.
    public func index(of id: String) -> Int32? {
        var id = id
        return id.withUTF8 { lookup($0, hash: Self.hash($0)) }
    }

    /// The index of the identifier spelled by `bytes` (UTF-8), or `nil`.
    public func index(ofBytes bytes: UnsafeBufferPointer<UInt8>) -> Int32? {
        lookup(bytes, hash: Self.hash(bytes))
    }

    /// Returns the index of `id`, inserting it with the next index when new.
    @discardableResult
    public mutating func intern(_ id: String) -> Int32 {
        var id = id
        return id.withUTF8 { intern(bytes: $0) }
    }

    /// Returns the index of the identifier spelled by `bytes`, inserting it when new.
    /// - Complexity: O(length) expected.
    @discardableResult
    public mutating func intern(bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        let h = Self.hash(bytes)
        let mask = table.count - 1
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let entry = table[slot]
            if entry < 0 { break }
            if hashes[Int(entry)] == h && equals(Int(entry), bytes) { return entry }
            slot = (slot + 1) & mask
        }
        let index = Int32(count)
        arena.append(contentsOf: bytes)
        offsets.append(arena.count)
        hashes.append(h)
        table[slot] = index
        if count * 2 > table.count { grow() }
        return index
    }

    public static func == (lhs: IDMap, rhs: IDMap) -> Bool {
        lhs.arena == rhs.arena && lhs.offsets == rhs.offsets
    }

    // MARK: - Internals

    private func lookup(_ bytes: UnsafeBufferPointer<UInt8>, hash h: UInt64) -> Int32? {
        let mask = table.count - 1
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let entry = table[slot]
            if entry < 0 { return nil }
            if hashes[Int(entry)] == h && equals(Int(entry), bytes) { return entry }
            slot = (slot + 1) & mask
        }
    }

    private func equals(_ index: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = offsets[index], end = offsets[index + 1]
        guard end - start == bytes.count else { return false }
        return arena.withUnsafeBufferPointer { a in
            var i = 0
            while i < bytes.count {
                if a[start + i] != bytes[i] { return false }
                i += 1
            }
            return true
        }
    }

    private mutating func grow() {
        var newTable = [Int32](repeating: -1, count: table.count * 2)
        let mask = newTable.count - 1
        for index in 0..<count {
            var slot = Int(truncatingIfNeeded: hashes[index]) & mask
            while newTable[slot] >= 0 { slot = (slot + 1) & mask }
            newTable[slot] = Int32(index)
        }
        table = newTable
    }

    /// 64-bit FNV-1a with a final avalanche (splitmix64 finaliser).
    @usableFromInline
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        h ^= h >> 30; h = h &* 0xbf58_476d_1ce4_e5b9
        h ^= h >> 27; h = h &* 0x94d0_49bb_1331_11eb
        h ^= h >> 31
        return h
    }
}

extension IDMap {
    /// The raw storage, for serialisation: the UTF-8 arena and `count + 1` offsets into it.
    public var storage: (arena: [UInt8], offsets: [Int]) { (arena, offsets) }

    /// Rebuilds a map from its raw storage (see ``storage``).
    public init(arena: [UInt8], offsets: [Int]) {
        self.init()
        for i in 0..<(offsets.count - 1) {
            arena.withUnsafeBufferPointer { buffer in
                _ = intern(bytes: UnsafeBufferPointer(rebasing: buffer[offsets[i]..<offsets[i + 1]]))
            }
        }
    }
}
