import Testing
import TacitCore
import TacitStore

extension EventStoreConformance {
    static let catalog: [ConformanceCheck] = [
        .store("item upsert stores and then replaces every field") { (store: any EventStore) async throws in
            let full = ItemRecord(
                id: "sku-1", title: "Trail Shoe", category: "shoes", brand: "Acme", price: 89.95,
                tags: ["running", "outdoor"], createdAt: 1_690_000_000, available: true,
                attributes: ["colour": "red", "size": "42"])
            let bare = ItemRecord(id: "sku-2")
            try await store.upsert([full, bare])
            #expect(try await store.item("sku-1") == full)
            #expect(try await store.item("sku-2") == bare)
            #expect(try await store.item("missing") == nil)
            #expect(try await store.itemCount() == 2)

            let replaced = ItemRecord(
                id: "sku-1", title: nil, category: "boots", brand: nil, price: nil, tags: [], createdAt: nil,
                available: false, attributes: ["material": "leather"])
            try await store.upsert([replaced])
            #expect(try await store.item("sku-1") == replaced)
            #expect(try await store.itemCount() == 2)

            // The last occurrence of an id in one batch wins.
            let older = ItemRecord(id: "sku-3", title: "old", available: false)
            let newer = ItemRecord(id: "sku-3", title: "new", tags: ["x"], attributes: ["k": "v"])
            try await store.upsert([older, newer])
            #expect(try await store.item("sku-3") == newer)
            try await store.upsert([ItemRecord]())
            #expect(try await store.itemCount() == 3)
        },

        .store("items page by id in byte order") { (store: any EventStore) async throws in
            let ids = ["b", "a", "B", "c", "a1", "é", "Z9", "a0"]
            try await store.upsert(ids.map { ItemRecord(id: $0, title: "t-\($0)") })
            let sorted = ids.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            #expect(sorted == ["B", "Z9", "a", "a0", "a1", "b", "c", "é"])
            var paged: [String] = []
            var cursor: ItemID?
            while true {
                let page = try await store.items(after: cursor, limit: 3)
                if page.isEmpty { break }
                #expect(page.count <= 3)
                paged += page.map(\.id)
                cursor = page.last!.id
            }
            #expect(paged == sorted)
            #expect(try await store.items(after: "a", limit: 2).map(\.id) == ["a0", "a1"])
            #expect(try await store.items(after: "é", limit: 2).isEmpty)
            #expect(try await store.items(after: nil, limit: 0).isEmpty)
            #expect(try await store.items(after: nil, limit: 1).first?.title == "t-B")
        },

        .store("search is a case-insensitive substring match over id, title, category, brand and tags") { (store: any EventStore) async throws in
            try await store.upsert([
                ItemRecord(id: "p1", title: "Running SHOE", category: "Footwear", brand: "Acme"),
                ItemRecord(id: "p2", title: "Rain jacket", category: "Outerwear", brand: "NorthCo", tags: ["Waterproof", "Hiking"]),
                ItemRecord(id: "SHOEHORN-3", title: "Horn", category: "accessories"),
                ItemRecord(id: "p4", title: "École notebook", category: "paper", brand: "Papeterie"),
                ItemRecord(id: "p5", title: "plain", attributes: ["note": "shoe"]),  // attributes are not searched
            ])
            #expect(try await store.searchItems("shoe", limit: 10).map(\.id) == ["SHOEHORN-3", "p1"])
            #expect(try await store.searchItems("FOOTwear", limit: 10).map(\.id) == ["p1"])
            #expect(try await store.searchItems("acme", limit: 10).map(\.id) == ["p1"])
            #expect(try await store.searchItems("proof", limit: 10).map(\.id) == ["p2"])
            #expect(try await store.searchItems("hik", limit: 10).map(\.id) == ["p2"])
            #expect(try await store.searchItems("horn-3", limit: 10).map(\.id) == ["SHOEHORN-3"])
            #expect(try await store.searchItems("écOLE", limit: 10).map(\.id) == ["p4"])
            #expect(try await store.searchItems("ÉCOLE", limit: 10).map(\.id) == ["p4"])
            #expect(try await store.searchItems("wear", limit: 10).map(\.id) == ["p1", "p2"])
            #expect(try await store.searchItems("wear", limit: 1).map(\.id) == ["p1"])
            #expect(try await store.searchItems("nothing like it", limit: 10).isEmpty)
            #expect(try await store.searchItems("", limit: 10).count == 5)
            // A match never spans two fields ("acme" + "footwear" would make "me\u{1F}foo").
            #expect(try await store.searchItems("shoe running", limit: 10).isEmpty)
            let found = try await store.searchItems("rain", limit: 10)
            #expect(found == [ItemRecord(id: "p2", title: "Rain jacket", category: "Outerwear", brand: "NorthCo", tags: ["Waterproof", "Hiking"])])
        },

        .store("search treats %, _ and backslash literally") { (store: any EventStore) async throws in
            try await store.upsert([
                ItemRecord(id: "k1", title: "100% cotton"),
                ItemRecord(id: "k2", title: "100 cotton"),
                ItemRecord(id: "k3", title: "snake_case"),
                ItemRecord(id: "k4", title: "snakeXcase"),
                ItemRecord(id: "k5", title: #"back\slash"#),
                ItemRecord(id: "k6", title: "backslash"),
            ])
            #expect(try await store.searchItems("100%", limit: 10).map(\.id) == ["k1"])
            #expect(try await store.searchItems("%", limit: 10).map(\.id) == ["k1"])
            #expect(try await store.searchItems("0% c", limit: 10).map(\.id) == ["k1"])
            #expect(try await store.searchItems("e_c", limit: 10).map(\.id) == ["k3"])
            #expect(try await store.searchItems("_", limit: 10).map(\.id) == ["k3"])
            #expect(try await store.searchItems(#"\"#, limit: 10).map(\.id) == ["k5"])
            #expect(try await store.searchItems(#"k\s"#, limit: 10).map(\.id) == ["k5"])
        },

        .store("users upsert, replace and read back") { (store: any EventStore) async throws in
            #expect(try await store.user("u1") == nil)
            try await store.upsert(UserRecord(id: "u1", attributes: ["country": "NZ", "segment": "new"]))
            try await store.upsert(UserRecord(id: "u2"))
            #expect(try await store.user("u1") == UserRecord(id: "u1", attributes: ["country": "NZ", "segment": "new"]))
            #expect(try await store.user("u2") == UserRecord(id: "u2"))
            try await store.upsert(UserRecord(id: "u1", attributes: ["age": "30-39"]))
            #expect(try await store.user("u1") == UserRecord(id: "u1", attributes: ["age": "30-39"]))
        },

        .store("users page by id in byte order") { (store: any EventStore) async throws in
            #expect(try await store.users(after: nil, limit: 10).isEmpty)
            for id in ["b", "a", "é", "B", "a2"] { try await store.upsert(UserRecord(id: id, attributes: ["k": "v-\(id)"])) }
            let first = try await store.users(after: nil, limit: 2)
            #expect(first == [UserRecord(id: "B", attributes: ["k": "v-B"]), UserRecord(id: "a", attributes: ["k": "v-a"])])
            #expect(try await store.users(after: "a", limit: 10).map(\.id) == ["a2", "b", "é"])
            #expect(try await store.users(after: "é", limit: 10).isEmpty)
            #expect(try await store.users(after: nil, limit: 0).isEmpty)
            // A batch replaces whole records; a repeated id keeps its last record.
            try await store.upsert([UserRecord(id: "a", attributes: ["x": "1"]), UserRecord(id: "c"), UserRecord(id: "c", attributes: ["y": "2"])])
            try await store.upsert([UserRecord]())
            #expect(try await store.user("a") == UserRecord(id: "a", attributes: ["x": "1"]))
            #expect(try await store.user("c") == UserRecord(id: "c", attributes: ["y": "2"]))
            #expect(try await store.users(after: nil, limit: 100).count == 6)
        },

        .store("deleteUser removes the user's events, impressions and record, and counts the events") { (store: any EventStore) async throws in
            _ = try await store.insert([
                event("gone", "i1", id: "g1"), event("kept", "i1"), event("gone", "i2"), event("kept", "i2"), event("gone", "i3"),
            ])
            try await store.upsert(UserRecord(id: "gone", attributes: ["a": "b"]))
            try await store.upsert(UserRecord(id: "kept"))
            try await store.record([
                Impression(recommendationID: "r1", user: "gone", scene: "home", model: "als-1", items: ["i1"], timestamp: 5),
                Impression(recommendationID: "r2", user: "kept", scene: "home", model: "als-1", items: ["i1"], timestamp: 6),
            ])
            #expect(try await store.deleteUser("gone") == 3)
            #expect(try await store.events(of: "gone", limit: nil).isEmpty)
            #expect(try await store.user("gone") == nil)
            #expect(try await store.impression(recommendationID: "r1") == nil)
            #expect(try await store.impression(recommendationID: "r2")?.items == ["i1"])
            #expect(try await store.events(of: "kept", limit: nil).count == 2)
            #expect(try await store.user("kept") == UserRecord(id: "kept"))
            #expect(try await store.eventCount() == 2)
            #expect(try await store.deleteUser("gone") == 0)
            #expect(try await store.deleteUser("never-seen") == 0)
            // A deleted event id may be sent again: it is a new event now.
            let again = try await store.insert([event("gone", "i1", id: "g1")])
            #expect(again.inserted == 1)
        },
    ]
}
