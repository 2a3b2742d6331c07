import TacitCore
import TacitStore

extension RecommendationService {
    /// An item's metadata: the live catalog's, or the store's.
    public func item(_ id: ItemID) async throws -> ItemRecord? {
        let catalog = catalog.snapshot
        if let index = catalog.index(of: id), let record = catalog.record(index) { return record }
        return try await store.item(id)
    }

    /// Whether the service has seen the item at all (upserted or in an event).
    public func knowsItem(_ id: ItemID) -> Bool { catalog.index(of: id) != nil }

    /// Catalogue search (id, title, category, brand, tags; case-insensitive).
    public func searchItems(_ text: String, limit: Int) async throws -> [ItemRecord] {
        try await store.searchItems(text, limit: limit)
    }

    /// The stored events of a user, oldest first (at most the newest `limit`).
    public func events(of user: UserID, limit: Int?) async throws -> [StoredEvent] {
        try await store.events(of: user, limit: limit)
    }

    /// Popularity and trending scores of an item.
    public func activity(of item: ItemID) -> (popular: Double, trending: Double)? {
        guard let index = catalog.index(of: item) else { return nil }
        return (activity.score(index, .popular), activity.score(index, .trending))
    }

    /// Impressions dropped because the store could not keep up (see `ImpressionBuffer`).
    public var impressionsDropped: Int { impressions.dropped }

    /// Sizes for `/readyz` and `/metrics`.
    public var liveCounts: (items: Int, users: Int) { (catalog.snapshot.count, histories.userCount) }
}
