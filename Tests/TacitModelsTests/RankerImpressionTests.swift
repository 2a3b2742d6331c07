import Foundation
import Testing
import TacitCore
import TacitTestSupport
@testable import TacitModels

/// The ranker learning from logged impressions: a temporal cut, the shown lists as query groups,
/// the position shown as a training feature that is constant at inference.
@Suite struct RankerImpressionTests {
    static let day = RankerTests.day

    /// Cut on day 4 of the small log (u: a 0, b 2, c 9; v: b 1, e 5, d 10; w: a 3, b 4): the
    /// sources see u's a and b, v's b and w's a (an event at the cut is after it).
    @Test func temporalCutByHand() throws {
        let data = try RankerTests.small()
        let events = try #require(data.sequences)
        let cut = RankerTemporalCut(data, events: events, before: 4 * Self.day, weighting: WeightingPolicy())
        let user = { Int(data.users.index(of: $0)!) }, item = { Int32(data.items.index(of: $0)!) }
        #expect(cut.base.nnz == 4 && cut.base.users.count == data.users.count && cut.base.items.count == data.items.count)
        #expect(Array(cut.base.row(user("u")).items) == [item("a"), item("b")].sorted())
        #expect(Array(cut.base.row(user("w")).items) == [item("a")] && Array(cut.base.row(user("w")).values) == [1])
        #expect(cut.base.sequences?.items.count == 4)
        // Nothing of theirs since the cut: the trained user.
        guard case .trained(user("u")) = cut.subject(user: user("u"), at: 9 * Self.day) else { Issue.record("u on day 9"); return }
        guard case .trained(user("w")) = cut.subject(user: user("w"), at: 4 * Self.day) else { Issue.record("w at the cut"); return }
        // Events since the cut: everything before the request folded in, in order.
        guard case let .folded(history, sequence) = cut.subject(user: user("u"), at: 9 * Self.day + 1) else { Issue.record("u after c"); return }
        #expect(history.indices == [item("a"), item("b"), item("c")].sorted() && history.values == [1, 1, 1])
        #expect(sequence.map(\.item) == [item("a"), item("b"), item("c")])
        guard case let .folded(vHistory, _) = cut.subject(user: user("v"), at: 6 * Self.day) else { Issue.record("v on day 6"); return }
        #expect(vHistory.indices == [item("b"), item("e")].sorted())
    }

    /// Known users and items are mapped, unknown items keep the others' places, grades follow
    /// the strongest attributed kind, and lists that cannot teach are left out; the newest
    /// `limit` are kept, oldest first.
    @Test func shownGroupsByHand() throws {
        let data = try RankerTests.small()
        let user = { Int(data.users.index(of: $0)!) }, item = { Int32(data.items.index(of: $0)!) }
        var list = ShownList(user: "u", items: ["zz", "c", "d", "e", "c"], time: 11 * Self.day, outcomes: [:])
        list.record(.click, for: "d")
        list.record(.purchase, for: "d")
        list.record(.view, for: "d")
        list.record(.click, for: "zz")
        #expect(list.outcomes == ["d": .purchase, "zz": .click])
        let lists = [list,
                     ShownList(user: "stranger", items: ["a", "b"], time: 12 * Self.day, outcomes: ["a": .click]),
                     ShownList(user: "v", items: ["a", "zz"], time: 12 * Self.day, outcomes: ["a": .click]),
                     ShownList(user: "v", items: ["a", "b"], time: 12 * Self.day, outcomes: ["zz": .click]),
                     ShownList(user: "w", items: ["c", "e", "d"], time: 10 * Self.day, outcomes: ["e": .addToCart])]
        let groups = Ranker.shownGroups(lists, data: data, limit: 10)
        #expect(groups == [
            Ranker.ShownGroup(user: user("w"), time: 10 * Self.day, items: [item("c"), item("e"), item("d")], positions: [0, 1, 2], grades: [0, 3, 0]),
            Ranker.ShownGroup(user: user("u"), time: 11 * Self.day, items: [item("c"), item("d"), item("e")], positions: [1, 2, 3], grades: [0, 4, 0]),
        ])
        #expect(Ranker.shownGroups(lists, data: data, limit: 1).map(\.time) == [11 * Self.day])
        // The cut: the first list's time, but no earlier than the median event (day 4 of 8 events).
        let events = try #require(data.sequences)
        #expect(Ranker.impressionCut(groups, events: events) == 10 * Self.day)
        #expect(Ranker.impressionCut([Ranker.ShownGroup(user: 0, time: 0, items: [0, 1], positions: [0, 1], grades: [1, 0])], events: events)
                == 4 * Self.day)
    }

    /// Lists shown after the log where users click the priciest item shown, and half of the time
    /// the item in the first place instead: learning from them, the trees put the priciest
    /// candidate first (a ranker trained on the log has no reason to) and learn the position's
    /// effect, which at inference is the same for every candidate (position 0).
    @Test func learnsWhatUsersClickFromShownLists() async throws {
        let data = Fixtures.randomBlocks(users: 120, items: 40, perUser: 10)
        let side = Fixtures.catalog(for: data)
        let price = { (id: ItemID) in Int(id.dropFirst())! }
        let end = try #require(data.sequences?.timestamps?.max())
        var random = SeededGenerator(seed: 11)
        var lists: [ShownList] = []
        for k in 0..<600 {
            let user = data.users.id(at: Int32(k % data.userCount))
            var shown: [ItemID] = []
            while shown.count < 8 {
                let id = data.items.id(at: Int32(random.next() % UInt64(data.itemCount)))
                if !shown.contains(id) { shown.append(id) }
            }
            let clicked = random.nextUnit() < 0.5 ? shown[0] : shown.max { price($0) < price($1) }!
            lists.append(ShownList(user: user, items: shown, time: end + 60 * Int64(k + 1), outcomes: [clicked: .click]))
        }
        func fitted(_ extra: [String]) async throws -> RankerModel {
            let parameters = try Ranker.descriptor.parameters(from: ["rounds=30", "per_source=15", "min_shown_lists=100"] + extra)
            let options = TrainingOptions(threads: 2, side: side, impressions: LoggedImpressions(lists: lists, weighting: WeightingPolicy()))
            return try #require(try await Ranker.descriptor.trainer(parameters, options: options).fit(data) as? RankerModel)
        }
        let shown = try await fitted([]), log = try await fitted(["impressions=off"])
        #expect(shown.summary.shownLists == 600 && shown.summary.labeledUsers == 600 && log.summary.shownLists == 0)
        #expect((shown.summary.gains["position"] ?? 0) > 0 && (log.summary.gains["position"] ?? 0) == 0)
        #expect((shown.summary.gains["item.price"] ?? 0) > 0)
        /// The share of users whose first item is among their three priciest candidates.
        func priciestFirst(_ model: RankerModel) -> Double {
            var hits = 0
            for u in 0..<data.userCount {
                let candidates = model.candidates(for: model.request(forTrained: UserIndex(u)), filter: .excludingHistory)
                let top = model.ranked(candidates, count: 1)
                let priciest = candidates.items.sorted { price(data.items.id(at: $0)) > price(data.items.id(at: $1)) }.prefix(3)
                if let first = top.first?.item, priciest.contains(first) { hits += 1 }
                #expect((0..<candidates.items.count).allSatisfy { model.features(of: candidates, at: $0)["position"] == 0 })
            }
            return Double(hits) / Double(data.userCount)
        }
        let learned = priciestFirst(shown), unlearned = priciestFirst(log)
        #expect(learned >= 0.75 && unlearned <= 0.4, "priciest first: \(learned) from impressions, \(unlearned) from the log")

        // The file keeps what the fit learned from.
        let file = Fixtures.temporaryDirectory().appendingPathComponent("shown.tacit").path
        try ModelFile.save(shown, name: "ranker", parameters: Ranker.descriptor.defaults, to: file)
        #expect((try ModelFile.load(from: file).model as? RankerModel)?.summary == shown.summary)

        // Too few lists (or none after the median event): the fit learns from the log.
        let few = try await fitted(["min_shown_lists=601"])
        #expect(few.summary.shownLists == 0 && few.summary.labeledUsers > 0)
    }
}
