import Testing
import TacitCore
import TacitTestSupport
@testable import TacitEvaluation

@Suite struct SplitTests {
    func log(_ rows: [(String, String, Int64)]) -> EventLog {
        EventLog(rows.map { Event(user: $0.0, item: $0.1, timestamp: $0.2) })
    }

    @Test func leaveLastOutOrdersByTimeThenFilePosition() {
        // User 2's last two events share a timestamp: file order decides (y before z).
        let events = log([("2", "x", 5), ("10", "a", 1), ("2", "y", 9), ("10", "b", 2), ("2", "z", 9),
                          ("10", "c", 3), ("2", "w", 1), ("7", "only", 4)])
        let split = LeaveLastOut().split(events)
        func rows(_ l: EventLog) -> [String] { (0..<l.count).map { l.users.id(at: l.userIndices[$0]) + ":" + l.items.id(at: l.itemIndices[$0]) } }
        #expect(rows(split.train) == ["2:w", "2:x", "7:only", "10:a"])
        #expect(rows(split.validation!) == ["2:y", "10:b"])
        #expect(rows(split.test) == ["2:z", "10:c"])
    }

    @Test func temporalCutInterpolatesLikeNumpy() {
        #expect(TemporalSplit.cut((1...10).map { Int64($0) }, quantile: 0.8) == 8.2)
        let events = log((1...10).map { ("u\($0 % 3)", "i\($0)", Int64($0)) })
        let split = TemporalSplit().split(events)
        #expect(split.train.count == 8 && split.test.count == 2)
        #expect(split.test.timestamps == [9, 10])
    }

    @Test func randomHoldoutIsSeededAndKeepsTrainingForEveryone() {
        let events = log((0..<200).map { ("u\($0 % 10)", "i\($0)", Int64($0)) })
        let a = RandomHoldout(fraction: 0.25, seed: 1).split(events)
        let b = RandomHoldout(fraction: 0.25, seed: 1).split(events)
        let c = RandomHoldout(fraction: 0.25, seed: 2).split(events)
        #expect(a.test.itemIndices == b.test.itemIndices)
        #expect(a.test.itemIndices != c.test.itemIndices)
        #expect(a.test.count == 50 && a.train.count == 150)
        #expect(Set(a.train.userIndices).count == 10)
    }

    /// Items a (6 events), b (5), c (2), d (7): with 5 events needed, a, b and d are eligible;
    /// half of 3 rounds to 2 test items, half of the 1 left to 1 validation item; c always trains.
    @Test func coldItemsWithholdsWholeItemsWithEnoughEvents() {
        var rows: [(String, String, Int64)] = []
        for (item, count) in [("a", 6), ("b", 5), ("c", 2), ("d", 7)] { for k in 0..<count { rows.append(("u\(k)", item, Int64(k))) } }
        let events = log(rows)
        let result = ColdItemsSplit(fraction: 0.5, minimumEvents: 5, seed: 9).split(events)
        #expect(result.testItems.count == 2 && result.validationItems.count == 1)
        #expect(Set(result.testItems + result.validationItems) == ["a", "b", "d"])
        func items(_ l: EventLog) -> Set<String> { Set((0..<l.count).map { l.items.id(at: l.itemIndices[$0]) }) }
        #expect(items(result.split.train) == ["c"] && result.split.train.count == 2)
        #expect(items(result.split.test) == Set(result.testItems) && items(result.split.validation!) == Set(result.validationItems))
        #expect(result.split.test.count + result.split.validation!.count == 18)
        // Seeded; and the minimum is honoured: with 6 needed only a and d can be withheld.
        #expect(ColdItemsSplit(fraction: 0.5, minimumEvents: 5, seed: 9).split(events).testItems == result.testItems)
        let strict = ColdItemsSplit(fraction: 0.5, minimumEvents: 6, seed: 9, validation: false).split(events)
        #expect(strict.testItems.count == 1 && ["a", "d"].contains(strict.testItems[0]) && strict.validationItems.isEmpty)
        #expect(strict.split.validation == nil)
        #expect((try? ColdItemsSplit(fraction: 0).validate()) == nil && (try? ColdItemsSplit(minimumEvents: 0).validate()) == nil)
    }

    @Test func testSetSkipsUnknownUsersAndExcludesTrainingItems() throws {
        let training = try WeightingPolicy().matrix(from: log([("a", "x", 1), ("a", "y", 2), ("b", "y", 3)]))
        let test = log([("a", "x", 4), ("a", "new", 5), ("b", "x", 6), ("c", "x", 7), ("b", "y", 8)])
        let set = TestSet(test: test, training: training)
        #expect(set.users == [0, 1])
        #expect(set.relevant == [[], [0]])           // a: x already trained; "new" unknown. b: x.
        #expect(set.relevantCounts == [1, 1])
        #expect(set.skippedUsers == 1)
        #expect(set.repeatOnlyUsers == 0 && set.unrankableItems == 1)   // a's "new"
    }

    /// A user whose every test item is a repeat of their history is left out and counted; items
    /// outside the training catalog are counted per user and item.
    @Test func testSetCountsRepeatOnlyUsersAndUnrankableItems() throws {
        let training = try WeightingPolicy().matrix(from: log([("a", "x", 1), ("a", "y", 2), ("b", "y", 3), ("c", "x", 4)]))
        let test = log([("a", "x", 5), ("a", "y", 6), ("b", "y", 7), ("b", "y", 8), ("c", "n1", 9), ("c", "n2", 10), ("c", "y", 11)])
        let set = TestSet(test: test, training: training)
        #expect(set.users == [2] && set.repeatOnlyUsers == 2 && set.unrankableItems == 2 && set.relevantCounts == [3])
        // Over candidates: b's only candidate test item is in their history.
        let candidates = CandidateSet(records: [ItemRecord(id: "y"), ItemRecord(id: "x")], training: training)
        let ranked = TestSet(test: test, training: training, candidates: candidates)
        #expect(ranked.users == [2] && ranked.repeatOnlyUsers == 2 && ranked.unrankableItems == 0)
    }
}
