import Foundation
import Testing
import TacitCore
import TacitSynthetic
import TacitTestSupport
@testable import TacitModels

/// Items withheld from training, known only by their catalogue records, reach the users who
/// later interact with them (``ColdItemScoring``).
@Suite struct ColdStartTests {
    @Test func withheldItemsKnownOnlyByAttributesReachTheirLaterUsers() async throws {
        var configuration = ShopSimulator.Configuration(events: 30_000, users: 600, items: 400, categories: 10, seed: 11)
        configuration.days = 30
        configuration.threads = 2
        configuration.newItemFraction = 0.4
        let shop = try ShopSimulator(configuration)
        let log = shop.eventLog()
        // Train on the first half of the log; the items first seen after the cut are cold.
        let cut = log.timestamps.sorted()[log.count / 2]
        let training = try WeightingPolicy().matrix(from: log.subset((0..<log.count).filter { log.timestamps[$0] < cut }))
        let cold = shop.items.filter { training.items.index(of: $0.id) == nil }
        let coldIndex = Dictionary(uniqueKeysWithValues: cold.enumerated().map { ($1.id, $0) })
        var later: [Int32: Set<Int>] = [:]
        for p in 0..<log.count where log.timestamps[p] >= cut {
            guard let item = coldIndex[log.items.id(at: log.itemIndices[p])],
                  let user = training.users.index(of: log.users.id(at: log.userIndices[p])) else { continue }
            later[user, default: []].insert(item)
        }
        #expect(cold.count >= 20 && later.count >= 50, "\(cold.count) cold items, \(later.count) users meet them")

        let model = try await ContentBased(items: SideInformation(items: shop.items).items).fit(training, observer: SilentObserver())
        var recall = 0.0
        for (user, relevant) in later {
            let scores = model.scores(of: cold, history: training.history(of: Int(user)))
            let top = scores.indices.sorted { (scores[$0], $1) > (scores[$1], $0) }.prefix(10)
            recall += Double(top.filter(relevant.contains).count) / Double(min(10, relevant.count))
        }
        recall /= Double(later.count)
        // A random ranking of the cold items finds 10 / |cold| of them on average.
        let chance = 10 / Double(cold.count)
        #expect(recall >= 3 * chance, "cold recall@10 \(recall) vs chance \(chance)")
    }
}
