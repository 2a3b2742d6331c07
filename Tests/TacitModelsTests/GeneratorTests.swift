import Foundation
import TacitCore
import TacitSynthetic
import Testing

@Suite("Generator (synthetic shop)")
struct GeneratorTests {
    /// A small shop: 20 000 events, 600 users, 400 items in 10 categories over 30 days.
    static func small(seed: UInt64 = 7, events: Int = 20_000, threads: Int = 2) -> ShopSimulator.Configuration {
        var configuration = ShopSimulator.Configuration(events: events, users: 600, items: 400, categories: 10, seed: seed)
        configuration.days = 30
        configuration.threads = threads
        return configuration
    }

    static func temporaryDirectory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("tacit-generator-\(UUID().uuidString)").path
    }

    static func contents(_ directory: String, _ name: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: directory).appendingPathComponent(name))
    }

    @Test func sameSeedWritesIdenticalFilesWhateverTheThreadCount() throws {
        let a = Self.temporaryDirectory(), b = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: a); try? FileManager.default.removeItem(atPath: b) }
        let summary = try ShopSimulator(Self.small(threads: 1)).write(to: a)
        _ = try ShopSimulator(Self.small(threads: 2)).write(to: b)
        #expect(summary.events == 20_000)
        for name in ["events.csv", "items.csv", "users.csv"] {
            let left = try Self.contents(a, name), right = try Self.contents(b, name)
            #expect(!left.isEmpty)
            #expect(left == right, "\(name) differs")
        }
    }

    @Test func differentSeedGivesDifferentShop() throws {
        let a = try ShopSimulator(Self.small(seed: 1, events: 2_000)).eventLog()
        let b = try ShopSimulator(Self.small(seed: 2, events: 2_000)).eventLog()
        #expect(a.count == b.count)
        #expect(a.itemIndices != b.itemIndices || a.timestamps != b.timestamps)
        let itemsA = try ShopSimulator(Self.small(seed: 1)).items, itemsB = try ShopSimulator(Self.small(seed: 2)).items
        #expect(itemsA != itemsB)
    }

    @Test(arguments: [1_000, 4_321, 20_000])
    func eventCountIsExact(target: Int) throws {
        let log = try ShopSimulator(Self.small(events: target)).eventLog()
        #expect(log.count == target)
    }

    @Test func eventsAreSortedAndInRange() throws {
        let configuration = Self.small()
        let log = try ShopSimulator(configuration).eventLog()
        #expect(zip(log.timestamps, log.timestamps.dropFirst()).allSatisfy { $0 <= $1 })
        #expect(log.timestamps.first! >= configuration.start)
        // Sessions starting just before the end may run a few hours past it.
        #expect(log.timestamps.last! < configuration.start + configuration.spanSeconds + 86_400)
        for p in 0..<log.count {
            let value = log.values[p]
            switch log.kinds[Int(log.kindCodes[p])] {
            case .view: #expect(value >= 1 && value <= 1_800)
            case .purchase: #expect(value >= 1 && value <= 3)
            default: #expect(value.isNaN)
            }
        }
    }

    @Test func everyEventHappensAfterItsItemExists() throws {
        let configuration = Self.small()
        let shop = try ShopSimulator(configuration)
        let log = shop.eventLog()
        let created = shop.items.map { $0.createdAt! }
        #expect(created.contains { $0 > configuration.start }, "some items should arrive during the log")
        var newItemEvents = 0
        for p in 0..<log.count {
            let item = Int(log.itemIndices[p])
            #expect(created[item] <= log.timestamps[p])
            if created[item] > configuration.start { newItemEvents += 1 }
        }
        #expect(newItemEvents > 0)
    }

    @Test func funnelStepsFollowTheirPredecessor() throws {
        let log = try ShopSimulator(Self.small()).eventLog()
        // The latest time of each (user, item, kind); a step needs its predecessor moments before.
        var latest: [Int64: Int64] = [:]
        func key(_ p: Int, _ kind: Int) -> Int64 { (Int64(log.userIndices[p]) << 32 | Int64(log.itemIndices[p])) << 2 | Int64(kind) }
        let window: [Int64] = [0, 20, 62, 310]
        for p in 0..<log.count {
            let kind = Int(log.kindCodes[p])
            if kind > 0 {
                let previous = latest[key(p, kind - 1)]
                #expect(previous != nil && log.timestamps[p] - previous! <= window[kind] && previous! < log.timestamps[p],
                        "a \(log.kinds[kind]) at \(p) lacks its \(log.kinds[kind - 1])")
            }
            latest[key(p, kind)] = log.timestamps[p]
        }
    }

    @Test func kindProportionsDecreaseAlongTheFunnel() throws {
        let log = try ShopSimulator(Self.small()).eventLog()
        var counts = [0, 0, 0, 0]
        for code in log.kindCodes { counts[Int(code)] += 1 }
        #expect(log.kinds == EventKind.standard)
        #expect(counts[0] > counts[1] && counts[1] > counts[2] && counts[2] > counts[3] && counts[3] > 0, "\(counts)")
    }

    @Test func usersConcentrateOnTheirTaste() throws {
        let configuration = Self.small()
        let shop = try ShopSimulator(configuration)
        let log = shop.eventLog()
        var perUser = [[Int]](repeating: [Int](repeating: 0, count: configuration.categories), count: configuration.users)
        for p in 0..<log.count { perUser[Int(log.userIndices[p])][shop.category(of: log.itemIndices[p])] += 1 }
        var shares: [Double] = [], topIsFavourite = 0
        for u in 0..<configuration.users {
            let total = perUser[u].reduce(0, +)
            guard total >= 10 else { continue }
            let top = perUser[u].indices.max { perUser[u][$0] < perUser[u][$1] }!
            shares.append(Double(perUser[u][top]) / Double(total))
            if shop.userProfile(Int32(u)).favouriteCategories.contains(top) { topIsFavourite += 1 }
        }
        let meanShare = shares.reduce(0, +) / Double(shares.count)
        #expect(shares.count > 100)
        #expect(meanShare > 4.0 / Double(configuration.categories), "mean top-category share \(meanShare)")
        #expect(Double(topIsFavourite) > 0.8 * Double(shares.count))
    }

    @Test func itemChoiceWithinACategoryFollowsTaste() throws {
        let configuration = Self.small()
        let shop = try ShopSimulator(configuration)
        let log = shop.eventLog()
        // Mean latent of each category: the affinity of a uniformly random item of it.
        let d = configuration.latentDimension
        var means = [[Float]](repeating: [Float](repeating: 0, count: d), count: configuration.categories)
        var sizes = [Int](repeating: 0, count: configuration.categories)
        for i in 0..<Int32(configuration.items) {
            let c = shop.category(of: i)
            for (j, x) in shop.latent(of: i).enumerated() { means[c][j] += x }
            sizes[c] += 1
        }
        func dot(_ a: [Float], _ b: some Collection<Float>) -> Double { zip(a, b).reduce(0) { $0 + Double($1.0 * $1.1) } }
        var chosen = 0.0, baseline = 0.0, views = 0
        var tastes: [Int32: [Float]] = [:]
        for p in 0..<log.count where log.kindCodes[p] == 0 {
            let user = log.userIndices[p], item = log.itemIndices[p]
            let taste = tastes[user] ?? shop.userProfile(user).taste
            tastes[user] = taste
            let c = shop.category(of: item)
            chosen += dot(taste, shop.latent(of: item))
            baseline += dot(taste, means[c]) / Double(sizes[c])
            views += 1
        }
        #expect(chosen > baseline + 0.02 * Double(views), "chosen \(chosen / Double(views)) vs \(baseline / Double(views))")
    }

    @Test func catalogIsWellFormed() throws {
        let configuration = Self.small()
        let shop = try ShopSimulator(configuration)
        #expect(shop.items.count == configuration.items)
        var categoryOfBrand: [String: String] = [:]
        for (i, item) in shop.items.enumerated() {
            #expect(item.id == "i\(i)")
            #expect((2...4).contains(item.tags.count))
            #expect(item.price! > 0)
            #expect(item.title!.hasPrefix(item.brand!))
            #expect(categoryOfBrand[item.brand!, default: item.category!] == item.category!)
            categoryOfBrand[item.brand!] = item.category!
        }
        #expect(Set(shop.items.map(\.category!)).count == configuration.categories)
    }

    @Test func filesHaveTheDocumentedLayout() throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let shop = try ShopSimulator(Self.small(events: 3_000))
        let summary = try shop.write(to: directory, format: .jsonl)
        #expect(summary.eventsByKind.reduce(0, +) == 3_000)
        let lines = String(decoding: try Self.contents(directory, "events.jsonl"), as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 3_000)
        let log = shop.eventLog()
        for (p, line) in lines.prefix(200).enumerated() {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["user_id"] as? String == log.event(at: p).user)
            #expect(object["item_id"] as? String == log.event(at: p).item)
            #expect(object["kind"] as? String == log.event(at: p).kind.name)
            #expect((object["timestamp"] as? NSNumber)?.int64Value == log.timestamps[p])
            #expect(object["value"] is NSNull == log.values[p].isNaN)
        }
        let users = String(decoding: try Self.contents(directory, "users.csv"), as: UTF8.self).split(separator: "\n")
        #expect(users.first == "user_id,country,segment")
        #expect(users.count == 601)
        let items = String(decoding: try Self.contents(directory, "items.csv"), as: UTF8.self).split(separator: "\n")
        #expect(items.first == "item_id,title,category,brand,price,tags,created_at")
        #expect(items.count == 401)
        #expect(items[1].split(separator: ",").count == 7)
    }

    @Test func csvMatchesTheInMemoryLog() throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let shop = try ShopSimulator(Self.small(events: 2_000))
        _ = try shop.write(to: directory)
        let lines = String(decoding: try Self.contents(directory, "events.csv"), as: UTF8.self).split(separator: "\n")
        #expect(lines.first == "user_id,item_id,kind,timestamp,value")
        let log = shop.eventLog()
        #expect(lines.count == log.count + 1)
        for (p, line) in lines.dropFirst().enumerated() {
            let e = log.event(at: p)
            let value = e.value.map { String(Int($0)) } ?? ""
            #expect(line == "\(e.user),\(e.item),\(e.kind.name),\(e.timestamp),\(value)")
        }
    }

    @Test func invalidConfigurationsAreRejected() {
        #expect(throws: TacitError.self) { try ShopSimulator(.init(events: 10)) }
        var configuration = Self.small()
        configuration.categories = configuration.items + 1
        #expect(throws: TacitError.self) { try ShopSimulator(configuration) }
        configuration = Self.small()
        configuration.funnel.purchase = 1.5
        #expect(throws: TacitError.self) { try ShopSimulator(configuration) }
    }

    @Test func sizesScaleWithTheEventCount() {
        let small = ShopSimulator.Configuration(events: 100_000)
        #expect(small.users == 5_000 && small.items == 5_000 && small.categories == 20)
        let large = ShopSimulator.Configuration(events: 10_000_000)
        #expect(large.users == 500_000 && large.items == 50_596 && large.categories == 20 && large.brands == 120)
        let tiny = ShopSimulator.Configuration(events: 1_000)
        #expect(tiny.users == 50 && tiny.items == 50 && tiny.categories == 2)
    }
}
