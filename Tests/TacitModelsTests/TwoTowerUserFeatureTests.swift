import Foundation
import Testing
import TacitCore
import TacitTestSupport
@testable import TacitModels

/// User features of the two-tower model: attribute encoding, new users from attributes, model files.
@Suite struct TwoTowerUserFeatureTests {
    /// 100 training users with `income` 1…100 (numeric, 100 distinct values), `occupation` 0…20
    /// (numeric but 21 values: categorical), `plan` (text), `zip` (rare: one user each but `z0`).
    func trainingUsers() -> [UserRecord] {
        (1...100).map { u in
            UserRecord(id: "u\(u)", attributes: ["income": "\(u)", "occupation": "\(u % 21)", "plan": u <= 3 ? "pro" : "free",
                                                 "zip": u % 50 == 0 ? "z0" : "z\(u)"])
        }
    }

    @Test func numericColumnsAreBucketedByExactQuantiles() {
        let encoding = UserAttributeEncoding(training: trainingUsers(), buckets: 4)
        // Sorted incomes 1…100: the values at positions 100·k/4 = 25, 50, 75.
        #expect(encoding.numeric == [.init(name: "income", boundaries: [26, 51, 76])])
        let tokens = { (income: String) in encoding.tokens(UserRecord(id: "x", attributes: ["income": income, "plan": "pro"])) }
        #expect(tokens("1") == ["income#0", "plan=pro"])
        #expect(tokens("25.9") == ["income#0", "plan=pro"])
        #expect(tokens("26") == ["income#1", "plan=pro"])
        #expect(tokens("75.5") == ["income#2", "plan=pro"])
        #expect(tokens("76") == ["income#3", "plan=pro"])
        #expect(tokens("1e9") == ["income#3", "plan=pro"])
        #expect(tokens("-3") == ["income#0", "plan=pro"])
        // Not a finite number: no token for the numeric column.
        #expect(tokens("rich") == ["plan=pro"])
        #expect(tokens("nan") == ["plan=pro"])
        // 21 distinct codes stay categorical.
        #expect(encoding.tokens(UserRecord(id: "x", attributes: ["occupation": "7"])) == ["occupation=7"])
        // A column with one non-number among numbers is categorical.
        let mixed = trainingUsers().map { u in UserRecord(id: u.id, attributes: ["score": u.id == "u7" ? "n/a" : u.id.dropFirst().description]) }
        #expect(UserAttributeEncoding(training: mixed, buckets: 4).numeric.isEmpty)
        // 100 users over 40 values (0–19 three times, 20–39 twice): the values at positions 10, 20, … 90.
        let tied = (0..<100).map { UserRecord(id: "t\($0)", attributes: ["x": "\($0 % 40)"]) }
        #expect(UserAttributeEncoding(training: tied, buckets: 10).numeric.first?.boundaries == [3, 6, 10, 13, 16, 20, 25, 30, 35])
        // Equal quantiles merge: 50 zeros and 1…50 give 0 at positions 10–40, then 1, 11, 21, 31, 41.
        let zeros = (0..<100).map { UserRecord(id: "z\($0)", attributes: ["x": $0 < 50 ? "0" : "\($0 - 49)"]) }
        let merged = UserAttributeEncoding(training: zeros, buckets: 10)
        #expect(merged.numeric.first?.boundaries == [0, 1, 11, 21, 31, 41])
        #expect(merged.tokens(UserRecord(id: "x", attributes: ["x": "0"])) == ["x#1"])
        #expect(merged.tokens(UserRecord(id: "x", attributes: ["x": "-1"])) == ["x#0"])
    }

    @Test func rareValuesGetNoRow() {
        let users = trainingUsers()
        let encoding = UserAttributeEncoding(training: users, buckets: 4)
        let vocabulary = encoding.vocabulary(training: users, minimumUsers: 3)
        // First-seen order over users u1, u2, …, tokens sorted by attribute name; `plan=pro` has
        // exactly 3 users, `zip=z0` 2, every other zip 1; each occupation 4 or 5, each income bucket 25.
        #expect(vocabulary.tokens == ["income#0", "occupation=1", "plan=pro", "occupation=2", "occupation=3", "occupation=4", "plan=free"]
                + (5...20).map { "occupation=\($0)" } + ["occupation=0", "income#1", "income#2", "income#3"])
        #expect(vocabulary("zip=z0") == -1 && vocabulary("zip=z5") == -1)
        #expect(encoding.vocabulary(training: users, minimumUsers: 2)("zip=z0") >= 0)
        #expect(encoding.vocabulary(training: users, minimumUsers: 4)("plan=pro") == -1)
    }

    /// Segment `s{k}` users prefer category `c{k}` (PlantedCatalogue). Users 0–39 are withheld from
    /// training; ranked from their attributes alone, their top 10 is mostly their segment's items.
    @Test func newUsersRankFromTheirAttributes() async throws {
        let planted = PlantedCatalogue(users: 240)
        let withheld = Set((0..<40).map { "u\($0)" })
        let data = try WeightingPolicy().matrix(from: EventLog(planted.eventList.filter { !withheld.contains($0.user) }))
        var c = TwoTower.Configuration()
        (c.dimension, c.epochs, c.batchSize, c.learningRate, c.userEmbedding, c.threads) = (16, 10, 64, 0.02, false, 2)
        c.minimumAttributeUsers = 5
        let model = try await TwoTower(c, side: planted.side).fit(data, observer: SilentObserver())
        let empty = SparseVector(pairs: [])
        var share = 0.0
        for user in planted.users where withheld.contains(user.id) {
            let segment = try #require(user.attributes["segment"]).dropFirst()
            let top = model.recommend(history: empty, attributes: user, count: 10, filter: .excludingHistory)
            #expect(top.count == 10)
            share += Double(top.filter { data.items.id(at: $0.item).hasPrefix("c\(segment)-") }.count) / 10 / Double(withheld.count)
        }
        // Chance is 1/8; popularity spreads over all eight categories.
        #expect(share > 0.6, "share of the segment's category in new users' top 10: \(share)")
        // Nothing known: no ranking; an unknown attribute value alone is nothing known.
        #expect(model.recommend(history: empty, attributes: nil, count: 10, filter: .none).isEmpty)
        #expect(model.recommend(history: empty, attributes: UserRecord(id: "x", attributes: ["segment": "s99"]), count: 10, filter: .none).isEmpty)
        // A history and no attributes is the plain fold-in.
        let history = data.history(of: 0)
        #expect(model.recommend(history: history, attributes: nil, count: 5, filter: .excludingHistory)
                == model.recommend(history: history, count: 5, filter: .excludingHistory))
        // Without user features the model has no attribute rows.
        let plain = try await TwoTower(c, side: SideInformation(items: planted.records)).fit(data, observer: SilentObserver())
        #expect(plain.recommend(history: empty, attributes: planted.users[0], count: 10, filter: .none).isEmpty)
    }

    @Test func modelFileKeepsUserFeatures() async throws {
        let planted = PlantedCatalogue(users: 60)
        let incomes = planted.users.enumerated().map { k, user in
            var user = user
            user.attributes["income"] = "\(1000 + 37 * k)"
            return user
        }
        let side = SideInformation(items: planted.records, users: Array(incomes.dropLast(10)))
        let data = try WeightingPolicy().matrix(from: EventLog(planted.eventList.filter { event in !incomes.suffix(10).contains { $0.id == event.user } }))
        let descriptor = TwoTower.descriptor
        let parameters = try descriptor.parameters(from: ["epochs=2", "dimension=8", "batch_size=32", "user_buckets=5", "min_attribute_users=2"])
        let fitted = try await descriptor.trainer(parameters, options: TrainingOptions(threads: 2, side: side)).fit(data)
        let original = try #require(fitted as? TwoTowerModel)
        #expect(original.features.userEncoding.numeric.map(\.name) == ["income"])
        #expect(original.features.userEncoding.numeric.first?.boundaries.count == 4)
        let file = Fixtures.temporaryDirectory().appendingPathComponent("twotower-users.tacit").path
        try ModelFile.save(original, name: "twotower", parameters: parameters, to: file)
        let copy = try #require(try ModelFile.load(from: file).model as? TwoTowerModel)
        #expect(copy.features.userEncoding == original.features.userEncoding)
        #expect(copy.features.userAttributes == original.features.userAttributes)
        for user in incomes.suffix(10) {
            #expect(copy.foldIn(SparseVector(pairs: []), attributes: user) == original.foldIn(SparseVector(pairs: []), attributes: user))
            #expect(copy.recommend(history: SparseVector(pairs: []), attributes: user, count: 5, filter: .none)
                    == original.recommend(history: SparseVector(pairs: []), attributes: user, count: 5, filter: .none))
        }
        let newItem = ItemRecord(id: "new", category: "c2", tags: ["g2"])
        #expect(copy.scores(of: [newItem], history: SparseVector(pairs: []), attributes: incomes.last)
                == original.scores(of: [newItem], history: SparseVector(pairs: []), attributes: incomes.last))
    }

    /// A file from before layout 2 (its two-tower sections start with the 9-integer shape) is
    /// refused with a message to retrain, not misread.
    @Test func olderLayoutIsRefused() async throws {
        let planted = PlantedCatalogue(users: 20)
        let data = try WeightingPolicy().matrix(from: planted.events)
        let file = Fixtures.temporaryDirectory().appendingPathComponent("twotower-v1.tacit").path
        var writer = try ArchiveWriter(path: file, magic: ModelFile.magic, version: ModelFile.version)
        let metadata = ModelFile.Metadata(model: "twotower", parameters: try TwoTower.descriptor.parameters(from: []), weighting: nil, format: 1)
        writer.write(string: String(decoding: try JSONEncoder().encode(metadata), as: UTF8.self))
        writer.write(data)
        writer.write(array: [Int64](repeating: 1, count: 9))
        try writer.finish()
        #expect {
            try ModelFile.load(from: file)
        } throws: { error in
            "\(error)".contains("older layout") && "\(error)".contains("retrain")
        }
    }
}
