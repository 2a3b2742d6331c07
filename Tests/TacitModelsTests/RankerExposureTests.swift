import Foundation
import Testing
import TacitCore
import TacitTestSupport
@testable import TacitModels

/// A source that lists every item of the matrix, in index order (the filter ignored).
private struct EveryItem: Recommender {
    let trainingData: InteractionMatrix
    func recommend(for user: UserIndex, count: Int, filter: ItemFilter) -> [ScoredItem] {
        (0..<Int32(trainingData.itemCount)).prefix(count).map { ScoredItem(item: $0, score: Float(-$0)) }
    }
}

/// The click-through features: every logged impression and every action on a recommendation,
/// counted before the request time, smoothed towards the overall rate.
@Suite struct RankerExposureTests {
    /// Counts and the smoothed rate by hand: unknown items count in the totals only, and a
    /// removal takes back exactly what was counted.
    @Test func countsAndSmoothedRateByHand() throws {
        var activity = ItemActivity()
        #expect(ItemActivity.clickThrough(shown: 0, acted: 0, totalShown: 0, totalActed: 0) == nil, "no impression logged: missing")
        for item in [3, 3, 1, -1] { activity.recordShown(item: item) }
        activity.recordAction(item: 3)
        activity.recordAction(item: -1)
        #expect(activity.totalShown == 4 && activity.totalActed == 2)
        #expect(activity.exposures(item: 3) == (2, 1) && activity.exposures(item: 1) == (1, 0) && activity.exposures(item: 2) == (0, 0))
        #expect(activity.exposures(item: 99) == (0, 0) && activity.exposures(item: -1) == (0, 0))
        // p = 2/4: item 3 (1 + 10·0.5) / (2 + 10), item 1 5 / 11, an item never shown the overall rate.
        let rate = { (item: Int) in
            ItemActivity.clickThrough(shown: activity.exposures(item: item).shown, acted: activity.exposures(item: item).acted,
                                      totalShown: activity.totalShown, totalActed: activity.totalActed)
        }
        #expect(rate(3) == 0.5 && rate(1) == 5.0 / 11 && rate(2) == 0.5)
        activity.removeShown(item: 3)
        activity.removeAction(item: -1)
        activity.removeAction(item: 2)  // never counted: nothing changes
        activity.removeShown(item: 7)
        #expect(activity.totalShown == 3 && activity.totalActed == 1 && activity.exposures(item: 3) == (1, 1))
        // p = 1/3: item 3 (1 + 10/3) / 11.
        #expect(abs((rate(3) ?? 0) - (1 + 10.0 / 3) / 11) < 1e-15)
        for item in [3, 1, -1] { activity.removeShown(item: item) }
        activity.removeAction(item: 3)
        #expect(activity.totalShown == 0 && activity.totalActed == 0 && rate(3) == nil)
        activity.removeShown(item: -1)
        #expect(activity.totalShown == 0, "never below zero")
    }

    /// `item.shown` and `item.ctr` of a request at 2 hours from impressions at 50, 60 and 130
    /// minutes and actions at 55, 56 and 125 (the later ones not yet counted), by hand; before
    /// the first impression they are 0 and missing.
    @Test func replayedExposuresByHand() throws {
        var log = EventLog()
        for (user, item, minute) in [("u", "a", Int64(0)), ("v", "b", 10), ("v", "d", 20), ("w", "a", 30)] {
            log.append(Event(user: user, item: item, kind: .view, timestamp: minute * 60))
        }
        let data = try WeightingPolicy().matrix(from: log)
        let exposures = ItemExposures(shown: [(["b", "d", "zz"], 50 * 60), (["b"], 60 * 60), (["d"], 130 * 60)],
                                      actions: [("d", 125 * 60), ("b", 55 * 60), ("zz", 56 * 60)])
        let replay = ActivityReplay(data.sequences!, exposures: exposures, items: data.items)
        #expect(replay.shown.map(\.time) == [3_000, 3_000, 3_000, 3_600, 7_800] && replay.shown.filter { $0.item < 0 }.count == 1)
        let features = RankerFeatures(data: data, replay: replay, sources: [.init(name: "all", model: EveryItem(trainingData: data))],
                                      similarity: nil, perSource: 10)
        let u = Int(data.users.index(of: "u")!)
        let shown = try #require(features.names.firstIndex(of: "item.shown")), width = features.names.count
        #expect(features.names[shown + 1] == "item.ctr" && features.names[shown - 1] == "item.age_days")
        func read(at time: Int64) throws -> [String: (Float, Float)] {
            let (items, rows) = try #require(features.candidates(for: [.init(user: u, time: time)], filter: .excludingHistory, threads: 1).first)
            return Dictionary(uniqueKeysWithValues: items.enumerated().map { k, item in
                (data.items.id(at: item), (rows[k * width + shown], rows[k * width + shown + 1]))
            })
        }
        // At 120 minutes: 4 exposures (b twice, d, zz), 2 actions (b, zz): p = 0.5.
        let now = try read(at: 7_200)
        #expect(now.keys.sorted() == ["a", "b", "d"])
        #expect(now["b"]! == (2, Float((1 + 5.0) / 12)) && now["d"]! == (1, Float(5.0 / 11)) && now["a"]! == (0, 0.5), "a never shown: the overall rate")
        // At 40 minutes nothing was shown yet.
        let before = try read(at: 2_400)
        #expect(before["b"]!.0 == 0 && before["b"]!.1.isNaN && before["d"]!.0 == 0 && before["d"]!.1.isNaN)
        // At 130 minutes d's action at 125 counts, its impression at that second not yet: p = 3/4.
        let later = try read(at: 7_800)
        #expect(later["d"]! == (1, Float((1 + 7.5) / 11)))
    }
}
