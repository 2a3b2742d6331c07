/// A columnar, in-memory log of events in their original order (file order, files in order).
///
/// Users, items and kinds are interned to dense indices, so ten million events take about
/// 30 bytes each. A row's position is its "position in file" for tie-breaking in splits.
public struct EventLog: Sendable {
    /// User ids; `userIndices` index into it.
    public internal(set) var users = IDMap()
    /// Item ids; `itemIndices` index into it.
    public internal(set) var items = IDMap()
    /// The distinct kinds; `kindCodes` index into it.
    public internal(set) var kinds: [EventKind] = []
    public internal(set) var userIndices: [Int32] = []
    public internal(set) var itemIndices: [Int32] = []
    public internal(set) var kindCodes: [UInt16] = []
    /// Seconds since 1970.
    public internal(set) var timestamps: [Int64] = []
    /// The optional value of each event; `.nan` where the event has none.
    public internal(set) var values: [Float] = []

    public init() {}

    /// Creates a log from events, in order.
    public init<S: Sequence>(_ events: S) where S.Element == Event {
        for event in events { append(event) }
    }

    /// Number of events.
    public var count: Int { userIndices.count }
    public var isEmpty: Bool { userIndices.isEmpty }

    /// Appends one event.
    public mutating func append(_ event: Event) {
        append(user: users.intern(event.user), item: items.intern(event.item), kind: kindCode(event.kind),
               timestamp: event.timestamp, value: event.value ?? .nan)
    }

    /// Appends one event by already interned indices (see ``kindCode(_:)``).
    public mutating func append(user: Int32, item: Int32, kind: UInt16, timestamp: Int64, value: Float) {
        userIndices.append(user)
        itemIndices.append(item)
        kindCodes.append(kind)
        timestamps.append(timestamp)
        values.append(value)
    }

    /// Interns a user id.
    public mutating func internUser(bytes: UnsafeBufferPointer<UInt8>) -> Int32 { users.intern(bytes: bytes) }
    /// Interns an item id.
    public mutating func internItem(bytes: UnsafeBufferPointer<UInt8>) -> Int32 { items.intern(bytes: bytes) }

    /// The code of `kind`, adding it when new.
    public mutating func kindCode(_ kind: EventKind) -> UInt16 {
        if let code = kinds.firstIndex(of: kind) { return UInt16(code) }
        kinds.append(kind)
        return UInt16(kinds.count - 1)
    }

    /// Reserves room for `count` events in total.
    public mutating func reserveCapacity(_ count: Int) {
        userIndices.reserveCapacity(count)
        itemIndices.reserveCapacity(count)
        kindCodes.reserveCapacity(count)
        timestamps.reserveCapacity(count)
        values.reserveCapacity(count)
    }

    /// The event at `position`, with external ids.
    public func event(at position: Int) -> Event {
        Event(user: users.id(at: userIndices[position]), item: items.id(at: itemIndices[position]),
              kind: kinds[Int(kindCodes[position])], timestamp: timestamps[position],
              value: values[position].isNaN ? nil : values[position])
    }

    /// The events at `positions`, in that order, sharing this log's id maps.
    public func subset<C: Collection>(_ positions: C) -> EventLog where C.Element == Int {
        var result = EventLog()
        result.users = users
        result.items = items
        result.kinds = kinds
        result.reserveCapacity(positions.count)
        for p in positions {
            result.append(user: userIndices[p], item: itemIndices[p], kind: kindCodes[p],
                          timestamp: timestamps[p], value: values[p])
        }
        return result
    }

    /// Appends every event of `other` after this log's events (ids are re-interned).
    public mutating func append(contentsOf other: EventLog) {
        // Logs split from one log share its id maps: then indices carry over unchanged.
        let userMap = other.users == users ? (0..<Int32(users.count)).map { $0 } : other.users.ids.map { users.intern($0) }
        let itemMap = other.items == items ? (0..<Int32(items.count)).map { $0 } : other.items.ids.map { items.intern($0) }
        let kindMap = other.kinds.map { kindCode($0) }
        reserveCapacity(count + other.count)
        for p in 0..<other.count {
            append(user: userMap[Int(other.userIndices[p])], item: itemMap[Int(other.itemIndices[p])],
                   kind: kindMap[Int(other.kindCodes[p])], timestamp: other.timestamps[p], value: other.values[p])
        }
    }

    /// Positions grouped by user and ordered within each user by `(timestamp, position)`.
    ///
    /// Returns `starts` (`users.count + 1`) and `order`: user `u`'s events are
    /// `order[starts[u] ..< starts[u + 1]]`, oldest first. - Complexity: O(n log n).
    public func positionsByUser() -> (starts: [Int], order: [Int]) {
        var starts = [Int](repeating: 0, count: users.count + 1)
        for u in userIndices { starts[Int(u) + 1] += 1 }
        for u in 0..<users.count { starts[u + 1] += starts[u] }
        var order = [Int](repeating: 0, count: count)
        var next = starts
        for (p, u) in userIndices.enumerated() {
            order[next[Int(u)]] = p
            next[Int(u)] += 1
        }
        for u in 0..<users.count where starts[u + 1] - starts[u] > 1 {
            order[starts[u]..<starts[u + 1]].sort { (timestamps[$0], $0) < (timestamps[$1], $1) }
        }
        return (starts, order)
    }
}

extension EventLog {
    /// Replaces every user id by `rename(id)` (for example its pseudonym); users whose new ids
    /// coincide become one user. Event order and everything else are unchanged.
    public mutating func renameUsers(_ rename: (UserID) -> UserID) {
        var renamed = IDMap()
        let map = users.ids.map { renamed.intern(rename($0)) }
        users = renamed
        for p in userIndices.indices { userIndices[p] = map[Int(userIndices[p])] }
    }
}
