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

extension RecommendationService {
    /// A user's stored events newest first in time (timestamp, then sequence), skipping the
    /// newest `offset`, at most `limit` (all when nil).
    public func recentEvents(of user: UserID, offset: Int, limit: Int?) async throws -> [StoredEvent] {
        try await store.recentEvents(of: user, offset: offset, limit: limit)
    }

    /// A page of a catalogue search: up to `limit` matches by id, after the id `after`.
    public func searchItems(_ text: String, after: ItemID?, limit: Int) async throws -> [ItemRecord] {
        try await store.searchItems(text, after: after, limit: limit)
    }

    /// Up to `count` distinct users with events in memory, drawn at random from `seed` (the
    /// ids as stored: pseudonyms when `privacy.pseudonymize_user_ids` is on).
    public func sampleUsers(_ count: Int, seed: UInt64) -> [UserID] {
        var generator = SeededGenerator(seed: seed)
        return histories.sample(count, using: &generator)
    }
}
