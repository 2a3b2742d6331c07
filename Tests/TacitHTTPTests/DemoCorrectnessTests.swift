import Foundation
import Testing
import TacitServing
import TacitStore
import TacitTestSupport

/// Issue 16's demo failures at the HTTP level: trending never lists items without recent
/// activity, and items with no catalogue record follow `serving.unknown_items`.
@Suite("Demo correctness", .serialized)
struct DemoCorrectnessTests {
    static func event(_ user: String, _ item: String, _ kind: String = "purchase") -> String {
        #"{"user_id": "\#(user)", "item_id": "\#(item)", "kind": "\#(kind)"}"#
    }

    @Test("one live click on old data: trending is that item only, and a new user's home shows no zero-score trending items")
    func trendingHasNoJunk() async throws {
        let server = try await LiveServer.start()
        defer { Task { await server.stop() } }
        #expect(try await server.post("/v1/events", Self.event("visitor", "g2", "view")).status == 200)
        let trending = try await server.get("/v1/trending?count=10")
        #expect(trending.itemIDs == ["g2"], "the fixture's 2023 events are not trending today")
        let home = try await server.get("/v1/users/brand-new/recommendations?count=8")
        #expect(home.status == 200)
        for item in home.items {
            let score = item["score"] as? Double ?? 0
            #expect(score > 0, "\(item)")
            if item["source"] as? String == "trending" { #expect(item["item_id"] as? String == "g2", "\(item)") }
        }
        #expect(home.items.count == 8, "the scene's fallback fills the list")
    }

    @Test("unknown_items hide (default): events count for the user, the item is never recommended until upserted")
    func hideUnknownItems() async throws {
        let server = try await LiveServer.start()
        defer { Task { await server.stop() } }
        for user in ["a0", "a1", "a2", "b0", "b1", "x9"] {
            for _ in 0..<4 { #expect(try await server.post("/v1/events", Self.event(user, "nonexistent-item")).status == 200) }
        }
        #expect((try await server.get("/v1/users/x9/events").json["events"] as? [Any])?.count == 4, "the events are kept")
        #expect(!(try await server.get("/v1/popular?count=20").itemIDs.contains("nonexistent-item")))
        #expect(!(try await server.get("/v1/trending?count=20").itemIDs.contains("nonexistent-item")))
        for user in ["newcomer", "a3", "b2"] {
            #expect(!(try await server.get("/v1/users/\(user)/recommendations?count=20").itemIDs.contains("nonexistent-item")), "\(user)")
        }
        #expect(!(try await server.get("/v1/items/k1/similar?count=20").itemIDs.contains("nonexistent-item")))
        // Once it has a record, it is an item like any other: the most purchased one.
        #expect(try await server.request("PUT", "/v1/items/nonexistent-item", body: #"{"title": "Now listed", "category": "Kitchen"}"#).status == 200)
        #expect(try await server.get("/v1/popular?count=1").itemIDs == ["nonexistent-item"])
    }

    @Test("unknown_items accept: recommended at once; reject: refused with the field, nothing of the batch stored")
    func acceptAndReject() async throws {
        var accept = ServiceFixture.configuration
        accept.serving.unknownItems = .accept
        let open = try await LiveServer.start(configuration: accept)
        for user in ["a0", "a1", "a2"] {
            for _ in 0..<8 { #expect(try await open.post("/v1/events", Self.event(user, "unlisted")).status == 200) }
        }
        #expect(try await open.get("/v1/popular?count=1").itemIDs == ["unlisted"])
        await open.stop()

        var reject = ServiceFixture.configuration
        reject.serving.unknownItems = .reject
        let strict = try await LiveServer.start(configuration: reject)
        defer { Task { await strict.stop() } }
        let single = try await strict.post("/v1/events", Self.event("r1", "unlisted"))
        #expect(single.status == 400)
        #expect(single.error.hasPrefix("item_id: item 'unlisted' is not in the catalogue"), "\(single.error)")
        let batch = try await strict.post("/v1/events", #"{"events": [\#(Self.event("r1", "k1")), \#(Self.event("r1", "unlisted"))]}"#)
        #expect(batch.status == 400)
        #expect(batch.error.hasPrefix("events[1].item_id: item 'unlisted'"), "\(batch.error)")
        #expect((try await strict.get("/v1/users/r1/events").json["events"] as? [Any])?.isEmpty == true)
        #expect(try await strict.post("/v1/events", Self.event("r1", "k1")).status == 200)
    }
}
