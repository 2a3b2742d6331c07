import TacitCore

/// One generated event, by index: 24 bytes, cheap to sort and to write.
public struct SyntheticEvent: Sendable, Hashable {
    /// The funnel step of a synthetic event.
    public enum Kind: UInt8, Sendable, Hashable, CaseIterable {
        case view, click, addToCart, purchase

        /// The standard ``EventKind`` (`view`, `click`, `add_to_cart`, `purchase`).
        public var eventKind: EventKind {
            switch self {
            case .view: .view
            case .click: .click
            case .addToCart: .addToCart
            case .purchase: .purchase
            }
        }
    }

    /// Seconds since 1970.
    public var timestamp: Int64
    /// User index; the id is ``ShopSimulator/userID(_:)``.
    public var user: Int32
    /// Item index; the id is ``ShopSimulator/itemID(_:)``.
    public var item: Int32
    /// Dwell seconds for a view, quantity for a purchase, 0 otherwise (written as no value).
    public var value: Int32
    public var kind: Kind

    public init(timestamp: Int64, user: Int32, item: Int32, value: Int32, kind: Kind) {
        self.timestamp = timestamp
        self.user = user
        self.item = item
        self.value = value
        self.kind = kind
    }

    /// The value as an ``Event`` carries it: `nil` for clicks and add-to-carts.
    public var eventValue: Float? {
        kind == .view || kind == .purchase ? Float(value) : nil
    }

    /// The event with external ids.
    public var event: Event {
        Event(user: ShopSimulator.userID(user), item: ShopSimulator.itemID(item), kind: kind.eventKind,
              timestamp: timestamp, value: eventValue)
    }
}
