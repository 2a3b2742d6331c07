import TacitCore

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
