import Foundation
import Logging
import TacitCore
import TacitServing
import TacitStore


/// A small shop for service tests: two categories of five items each; users in block A viewed
/// and bought kitchen items, users in block B garden items. Stored in a fresh SQLite file.
public enum ServiceFixture {
    public static let kitchen = (0..<5).map { "k\($0)" }
    public static let garden = (0..<5).map { "g\($0)" }

    public static var items: [ItemRecord] {
        kitchen.enumerated().map { ItemRecord(id: $1, title: "Kitchen \($0)", category: "Kitchen", brand: "Acme", price: Double(10 + $0)) }
            + garden.enumerated().map { ItemRecord(id: $1, title: "Garden \($0)", category: "Garden", brand: "Green", price: Double(20 + $0)) }
    }

    /// 12 users: a0…a5 like the kitchen (each misses one item), b0…b5 the garden.
    public static var events: [StoredEvent] { events(usersPerBlock: 6) }

    /// `2 · usersPerBlock` users: a0… view four of the five kitchen items (user `u` misses item
    /// `u mod 5`), b0… the garden items; one view a minute from 2023-11-14.
    public static func events(usersPerBlock: Int) -> [StoredEvent] {
        var events: [StoredEvent] = []
        var t: Int64 = 1_700_000_000
        for block in [("a", kitchen), ("b", garden)] {
            for u in 0..<usersPerBlock {
                for (k, item) in block.1.enumerated() where k != u % 5 {
                    t += 60
                    events.append(StoredEvent(user: "\(block.0)\(u)", item: item, kind: .view, timestamp: t))
                }
            }
        }
        return events
    }

    public static var configuration: ServiceConfiguration {
        var c = ServiceConfiguration()
        c.model = .init(name: "itemknn", parameters: ["neighbors": "20"])
        c.training.evaluate = false
        c.training.threads = 1
        return c
    }

    /// A started service on a fresh store with the fixture loaded and a model trained.
    /// - Parameters:
    ///   - location: the store (default: a SQLite file in `directory`).
    ///   - trainIfMissing: train the models with no stored version at start (the main model before
    ///     returning, variant models in the background).
    ///   - items, events: the data `seed` stores (default: the shop above).
    public static func service(configuration: ServiceConfiguration = ServiceFixture.configuration, seed: Bool = true,
                               items: [ItemRecord] = ServiceFixture.items, events: [StoredEvent] = ServiceFixture.events,
                               directory: URL = Fixtures.temporaryDirectory(), location: String? = nil,
                               trainIfMissing: Bool = true) async throws -> RecommendationService {
        let store = try await Stores.open(location ?? directory.appendingPathComponent("tacit.sqlite").path)
        if seed {
            try await store.upsert(items)
            _ = try await store.insert(events)
        }
        var logger = Logger(label: "test")
        logger.logLevel = .error
        return try await RecommendationService.start(store: store, configuration: configuration,
                                                     modelDirectory: directory.appendingPathComponent("models").path,
                                                     trainIfMissing: trainIfMissing, logger: logger)
    }
}
