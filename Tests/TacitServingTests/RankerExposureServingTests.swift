import Foundation
import Testing
import TacitCore
@testable import TacitModels
@testable import TacitServing
import TacitStore
import TacitTestSupport

/// The ranker's click-through features in the service: counted as responses are recorded and
/// actions on them arrive, taken back when a user is forgotten, loaded from the store at start,
/// and equal to the offline replay of the stored impressions and events.
@Suite("Click-through features in the service")
struct RankerExposureServingTests {
    /// Every stored impression and action on a recommendation (the trainer's definition).
    static func exposures(in store: any EventStore, weighting: WeightingPolicy) async throws -> ItemExposures {
        var exposures = ItemExposures()
        try await store.forEachImpressionPage { page in exposures.shown += page.map { ($0.items, $0.timestamp) } }
        var after: Int64 = 0
        while true {
            let page = try await store.events(after: after, limit: 1_000)
            guard let last = page.last else { break }
            exposures.actions += page.filter { $0.recommendationID != nil && weighting.weight(of: $0.kind) > 0 }.map { ($0.item, $0.timestamp) }
            after = last.sequence
        }
        return exposures
    }

    /// Checks `item.shown` and `item.ctr` of the served candidates of `users` at `time` against
    /// the offline replay of what `service`'s store holds; returns the offline totals.
    static var configuration: ServiceConfiguration {
        var c = RankerServingTests.configuration
        c.weighting.kindWeights["dislike"] = 0
        return c
    }

    @discardableResult
    static func checkAgainstOffline(_ service: RecommendationService, users: [UserID], at time: Int64) async throws -> (shown: Int, acted: Int) {
        await service.impressions.flush()
        let served = try #require(service.registry.current)
        let ranker = try #require(served.recommender as? RankerModel)
        let exposures = try await exposures(in: service.store, weighting: configuration.weighting)
        let replay = ActivityReplay(ranker.features.histories, exposures: exposures, items: ranker.trainingData.items)
        var cursor = ActivityReplay.Cursor()
        cursor.advance(to: time, in: replay)
        let names = ranker.featureNames, width = names.count
        let shown = try #require(names.firstIndex(of: "item.shown"))
        var compared = 0
        for user in users {
            let (_, online) = try #require(service.rankerCandidates(for: user, at: time))
            let readings = cursor.activity.readings(of: online.items.map(Int.init), kinds: [])
            for k in online.items.indices {
                let expected = readings.exposureFeatures(item: k), row = online.rows[k * width + shown]
                let rate = online.rows[k * width + shown + 1]
                #expect(row == expected.shown && (rate == expected.clickThrough || (rate.isNaN && expected.clickThrough.isNaN)),
                        "\(user), item \(online.items[k]): \(row), \(rate) vs \(expected)")
                compared += 1
            }
        }
        #expect(compared > 0)
        return (cursor.activity.totalShown, cursor.activity.totalActed)
    }

    @Test("item.shown and item.ctr follow the recorded responses and the actions on them, equal the offline replay, lose a forgotten user's share, and are reloaded at start")
    func exposuresOfflineEqualOnline() async throws {
        let directory = Fixtures.temporaryDirectory()
        let service = try await ServiceFixture.service(configuration: Self.configuration, events: RankerServingTests.events,
                                                       directory: directory)
        let users = ["a0", "a1", "a2", "b0", "b1", "newcomer"]
        let time = Int64(Date().timeIntervalSince1970) + 600
        // Before any response: no exposure, the rate missing.
        #expect(try await Self.checkAgainstOffline(service, users: users, at: time) == (0, 0))
        var events: [StoredEvent] = [], shownToA0 = 0
        for (k, user) in users.enumerated() {
            let response = try service.recommend(RecommendationRequest(user: user, count: 4))
            if user == "a0" { shownToA0 = response.items.count }
            let now = Int64(Date().timeIntervalSince1970)
            let first = try #require(response.items.first?.id), id = response.recommendationID
            // Even users click the first item shown (a0 twice: each event counts); odd users only view it without
            // passing the id on, and send a "dislike" (weight 0) with it: no action.
            if k % 2 == 0 {
                events.append(StoredEvent(user: user, item: first, kind: .click, timestamp: now, recommendationID: id))
                if user == "a0" { events.append(StoredEvent(user: user, item: first, kind: .purchase, timestamp: now + 1, recommendationID: id)) }
            } else {
                events.append(StoredEvent(user: user, item: first, kind: .view, timestamp: now))
                events.append(StoredEvent(user: user, item: first, kind: EventKind("dislike"), timestamp: now, recommendationID: id))
            }
        }
        // A duplicate event id is stored once and counted once.
        events.append(StoredEvent(eventID: "once", user: "b5", item: "k1", kind: .click, timestamp: time - 500, recommendationID: "elsewhere"))
        events.append(StoredEvent(eventID: "once", user: "b5", item: "k1", kind: .click, timestamp: time - 500, recommendationID: "elsewhere"))
        _ = try await service.ingest(events)
        let all = try await Self.checkAgainstOffline(service, users: users, at: time)
        #expect(all.shown == 24 && all.acted == 5, "six responses of four items; a2's and newcomer's clicks, a0's click and purchase, b5's click")
        #expect(service.itemActivity?.withLock { [$0.totalShown, $0.totalActed] } == [24, 5])

        // Forgetting a0 takes back their response's exposures and their two actions.
        _ = try await service.forget("a0")
        let left = try await Self.checkAgainstOffline(service, users: users.filter { $0 != "a0" }, at: time)
        #expect(left.shown == 24 - shownToA0 && left.acted == 3)
        #expect(service.itemActivity?.withLock { [$0.totalShown, $0.totalActed] } == [left.shown, left.acted])

        // A retrained ranker replays the same exposures in its fit.
        _ = try await service.retrain()
        await service.waitForTraining()
        let retrained = try #require(service.registry.current?.recommender as? RankerModel)
        #expect(retrained.summary.exposures == left.shown && retrained.summary.actions == left.acted)
        await service.shutdown()

        // Restarted on the same store, the service counts the stored impressions and actions again.
        let restarted = try await ServiceFixture.service(configuration: Self.configuration, seed: false, directory: directory)
        defer { Task { await restarted.shutdown() } }
        #expect(restarted.itemActivity?.withLock { [$0.totalShown, $0.totalActed] } == [left.shown, left.acted])
        try await Self.checkAgainstOffline(restarted, users: users.filter { $0 != "a0" }, at: time)
        // Retention past every impression and event takes every exposure and action back.
        _ = try await restarted.applyRetention(before: time)
        #expect(restarted.itemActivity?.withLock { [$0.totalShown, $0.totalActed] } == [0, 0])
    }
}
