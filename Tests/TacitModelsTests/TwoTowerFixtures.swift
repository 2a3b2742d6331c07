import TacitCore
import Testing
@testable import TacitModels

/// A planted catalogue for the two-tower tests: `categories` categories of `perCategory` items
/// (category `c{k}`, tag `g{k}`, a random brand of 4 and price), and users who each prefer one
/// category (90% of their events) in time order.
struct PlantedCatalogue {
    var eventList: [Event] = []
    var records: [ItemRecord] = []
    var users: [UserRecord] = []

    init(users userCount: Int = 160, categories: Int = 8, perCategory: Int = 20, perUser: Int = 14, seed: UInt64 = 3) {
        var random = SeededGenerator(seed: seed)
        for k in 0..<categories {
            for j in 0..<perCategory {
                records.append(ItemRecord(id: "c\(k)-\(j)", category: "c\(k)", brand: "b\(random.next() % 4)",
                                          price: Double(10 + random.next() % 90), tags: ["g\(k)"]))
            }
        }
        var time: Int64 = 0
        for u in 0..<userCount {
            let k = u % categories
            users.append(UserRecord(id: "u\(u)", attributes: ["segment": "s\(k)", "age": "a\(u % 3)"]))
            var chosen = Set<Int>()
            while chosen.count < perUser {
                let pick = random.nextUnit() < 0.9 ? k * perCategory + Int(random.next() % UInt64(perCategory)) : Int(random.next() % UInt64(records.count))
                if chosen.insert(pick).inserted {
                    time += 1
                    eventList.append(Event(user: "u\(u)", item: records[pick].id, kind: random.nextUnit() < 0.2 ? .purchase : .view, timestamp: time))
                }
            }
        }
    }

    var events: EventLog { EventLog(eventList) }
    var side: SideInformation { SideInformation(items: records, users: users) }
}

/// A model read back from its file serves what the original served: every user's list, the
/// fold-in of every history, and a new item's scores and similar items.
func expectSameServing(_ copy: TwoTowerModel, _ original: TwoTowerModel, data: InteractionMatrix) {
    let newItem = ItemRecord(id: "new", category: "c2", brand: "b1", price: 50, tags: ["g2", "unknown"])
    for u in 0..<data.userCount {
        let user = UserIndex(u)
        #expect(copy.recommend(for: user, count: 5, filter: .excludingHistory) == original.recommend(for: user, count: 5, filter: .excludingHistory))
        #expect(copy.recommend(history: data.history(of: u), count: 5, filter: .excludingHistory)
                == original.recommend(history: data.history(of: u), count: 5, filter: .excludingHistory))
        #expect(copy.scores(of: [newItem], for: user) == original.scores(of: [newItem], for: user))
    }
    #expect(copy.similarItems(to: newItem, count: 5, filter: .none) == original.similarItems(to: newItem, count: 5, filter: .none))
}
