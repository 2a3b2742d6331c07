/// What a user did with an item: one of the standard kinds or a custom name.
///
/// Kinds are compared by their lowercase name, so `purchase`, `Purchase` and `PURCHASE` are one kind.
public struct EventKind: Sendable, Hashable, Codable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The kind's canonical (lowercase) name.
    public let name: String

    public init(_ name: String) { self.name = name.lowercased() }
    public init(stringLiteral value: String) { self.init(value) }
    public init(from decoder: any Decoder) throws { self.init(try decoder.singleValueContainer().decode(String.self)) }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(name)
    }

    public var description: String { name }

    /// The user saw the item's page.
    public static let view = EventKind("view")
    /// The user clicked the item (for example in a list of recommendations).
    public static let click = EventKind("click")
    /// The user put the item in a cart.
    public static let addToCart = EventKind("add_to_cart")
    /// The user bought the item.
    public static let purchase = EventKind("purchase")
    /// The kind given to events whose log has no kind column (a rating log, a play log).
    public static let interaction = EventKind("interaction")

    /// The standard kinds, weakest signal first.
    public static let standard: [EventKind] = [.view, .click, .addToCart, .purchase]
}
