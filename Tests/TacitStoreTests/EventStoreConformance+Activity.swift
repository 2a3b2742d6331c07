import Testing
import TacitCore
import TacitStore

extension EventStoreConformance {
    static let activity: [ConformanceCheck] = [
        .store("activity counts events per bucket and kind and distinct users per bucket, exactly") { (store: any EventStore) async throws in
            let hour: Int64 = 3600
            _ = try await store.insert([
                event("u1", "i1", .view, at: 10 * hour + 5),
                event("u1", "i2", .view, at: 11 * hour - 1),
                event("u2", "i1", .purchase, at: 10 * hour + 100),
                event("u1", "i3", .click, at: 11 * hour),            // on a boundary: the later bucket
                event("u3", "i1", .view, at: 11 * hour + 10),
                event("u3", "i2", .view, at: 13 * hour + 1),          // 12h has no event
                event("u4", "i1", .view, at: 10 * hour - 1),          // before `from`
                event("u5", "i1", .view, at: 14 * hour),              // at `to`: excluded
                event("u6", "i1", .view, at: -1),                     // before 1970
            ])
            let hours = try await store.activity(from: 10 * hour, to: 14 * hour, bucketSeconds: hour)
            #expect(hours == [
                ActivityBucket(start: 10 * hour, kinds: ["view": 2, "purchase": 1], users: 2),
                ActivityBucket(start: 11 * hour, kinds: ["click": 1, "view": 1], users: 2),
                ActivityBucket(start: 13 * hour, kinds: ["view": 1], users: 1),
            ])
            #expect(hours.map(\.events) == [3, 2, 1])
            // Day buckets from before 1970: the event at -1 falls in the day starting at -86 400.
            let days = try await store.activity(from: -86_400, to: 86_400, bucketSeconds: 86_400)
            #expect(days == [
                ActivityBucket(start: -86_400, kinds: ["view": 1], users: 1),
                ActivityBucket(start: 0, kinds: ["view": 6, "purchase": 1, "click": 1], users: 5),
            ])
            #expect(try await store.activity(from: 12 * hour, to: 13 * hour, bucketSeconds: hour) == [])
            #expect(try await store.activity(from: 5, to: 5, bucketSeconds: hour) == [])
            await expectStoreError(.invalidArgument) { _ = try await store.activity(from: 0, to: 10, bucketSeconds: 0) }
            await expectStoreError(.invalidArgument) { _ = try await store.activity(from: 10, to: 0, bucketSeconds: hour) }
        },

        .store("recent events are newest first by timestamp, then sequence, and page by offset") { (store: any EventStore) async throws in
            let events = [
                event("u1", "a", at: 300), event("u1", "b", at: 100), event("u2", "x", at: 250),
                event("u1", "c", at: 200), event("u1", "d", .purchase, at: 200),
            ]
            let saved = stored(events, try await store.insert(events))
            let a = saved[0], b = saved[1], c = saved[3], d = saved[4]
            #expect(try await store.recentEvents(of: "u1", offset: 0, limit: nil) == [a, d, c, b])
            #expect(try await store.recentEvents(of: "u1", offset: 1, limit: 2) == [d, c])
            #expect(try await store.recentEvents(of: "u1", offset: 3, limit: 10) == [b])
            #expect(try await store.recentEvents(of: "u1", offset: 4, limit: 10) == [])
            #expect(try await store.recentEvents(of: "u1", offset: 0, limit: 0) == [])
            #expect(try await store.recentEvents(of: "nobody", offset: 0, limit: 5) == [])
            await expectStoreError(.invalidArgument) { _ = try await store.recentEvents(of: "u1", offset: -1, limit: 5) }
            await expectStoreError(.invalidArgument) { _ = try await store.recentEvents(of: "u1", offset: 0, limit: -1) }
        },

        .store("search pages by id after the last id of the previous page") { (store: any EventStore) async throws in
            try await store.upsert((1...5).map { ItemRecord(id: "a\($0)", title: "Lamp \($0)") } + [ItemRecord(id: "b1", title: "Chair")])
            #expect(try await store.searchItems("lamp", after: nil, limit: 2).map(\.id) == ["a1", "a2"])
            #expect(try await store.searchItems("lamp", after: "a2", limit: 2).map(\.id) == ["a3", "a4"])
            #expect(try await store.searchItems("lamp", after: "a4", limit: 2).map(\.id) == ["a5"])
            #expect(try await store.searchItems("lamp", after: "a5", limit: 2).isEmpty)
            #expect(try await store.searchItems("lamp", after: "a", limit: 10).count == 5, "after an id that is not stored")
            #expect(try await store.searchItems("", after: "a5", limit: 10).map(\.id) == ["b1"])
            #expect(try await store.searchItems("lamp", limit: 1).map(\.id) == ["a1"])
        },
    ]
}
