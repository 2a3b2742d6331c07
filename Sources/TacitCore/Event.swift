/// One implicit-feedback event: a user did something with an item at a time.
public struct Event: Sendable, Hashable, Codable {
    /// The user's external id.
    public var user: UserID
    /// The item's external id.
    public var item: ItemID
    /// What happened.
    public var kind: EventKind
    /// Seconds since 1970-01-01 UTC.
    public var timestamp: Int64
    /// An optional magnitude: dwell seconds, quantity, a rating. `nil` when the log has none.
    public var value: Float?

    public init(user: UserID, item: ItemID, kind: EventKind = .interaction, timestamp: Int64, value: Float? = nil) {
        self.user = user
        self.item = item
        self.kind = kind
        self.timestamp = timestamp
        self.value = value
    }
}
