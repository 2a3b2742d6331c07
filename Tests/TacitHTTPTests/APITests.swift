import Foundation
import Testing
import TacitTestSupport

@Suite("HTTP API", .serialized)
struct APITests {
    @Test("events in, recommendations out: a click changes the next response")
    func eventsChangeRecommendations() async throws {
        let server = try await LiveServer.start()
        defer { Task { await server.stop() } }
        let before = try await server.get("/v1/users/visitor/recommendations?count=4")
        #expect(before.status == 200)
        #expect(before.itemIDs.count == 4)
        #expect(before.json["model"] is NSNull)

        let posted = try await server.post("/v1/events", #"{"user_id": "visitor", "item_id": "k1", "kind": "view", "event_id": "x1"}"#)
        #expect(posted.status == 200)
        #expect(posted.json["accepted"] as? Int == 1)
        let after = try await server.get("/v1/users/visitor/recommendations?count=4")
        #expect(after.status == 200)
        #expect(after.itemIDs.count == 4)
        #expect(!after.itemIDs.contains("k1"))
        #expect(after.json["model"] as? String == "itemknn v1")
        #expect(after.items.contains { ($0["explanation"] as? String) == "because you viewed Kitchen 1" })
        #expect((after.json["recommendation_id"] as? String)?.isEmpty == false)

        let history = try await server.get("/v1/users/visitor/events")
        #expect((history.json["events"] as? [[String: Any]])?.map { $0["item_id"] as? String } == ["k1"])
    }

    @Test("batches, duplicates and the batch limit")
    func batches() async throws {
        let server = try await LiveServer.start()
        defer { Task { await server.stop() } }
        let batch = #"{"events": [{"user_id": "u", "item_id": "g1", "kind": "view", "event_id": "a"}, {"user_id": "u", "item_id": "g2", "kind": "purchase", "event_id": "a"}, {"user_id": "u", "item_id": "g3", "kind": "view", "timestamp": "2026-11-23T10:00:00Z"}]}"#
        let reply = try await server.post("/v1/events", batch)
        #expect(reply.status == 200)
        #expect(reply.json["accepted"] as? Int == 2)
        #expect(reply.json["duplicates"] as? Int == 1)
        let big = "{\"events\": [" + (0..<1001).map { "{\"user_id\": \"u\", \"item_id\": \"i\($0)\", \"kind\": \"view\"}" }.joined(separator: ",") + "]}"
        let tooMany = try await server.post("/v1/events", big)
        #expect(tooMany.status == 400)
        #expect(tooMany.error.contains("at most 1000"))
    }

    @Test("bad input answers 4xx with a JSON message naming the field, and the server stays up")
    func badInput() async throws {
        let server = try await LiveServer.start()
        defer { Task { await server.stop() } }
        let cases: [(String, String, Int, String)] = [
            ("/v1/events", "{not json", 400, "invalid JSON"),
            ("/v1/events", #"{"item_id": "k1", "kind": "view"}"#, 400, "user_id: required"),
            ("/v1/events", #"{"user_id": 5, "item_id": "k1", "kind": "view"}"#, 400, "user_id: must be a non-empty string"),
            ("/v1/events", #"{"events": [{"user_id": "u", "item_id": "k1", "kind": "view"}, {"user_id": "u", "item_id": "k1", "kind": "view", "timestamp": "yesterday"}]}"#, 400, "events[1].timestamp"),
            ("/v1/events", #"{"user_id": "u", "item_id": "k1", "kind": "view", "colour": "red"}"#, 400, "colour: unknown field"),
            ("/v1/items", #"{"items": [{"item_id": "x", "price": -1}]}"#, 400, "items[0].price: must be between 0 and 1000000000000, got -1"),
        ]
        for (path, body, status, message) in cases {
            let reply = try await server.post(path, body)
            #expect(reply.status == status, "\(body)")
            #expect(reply.error.contains(message), "\(reply.error) should contain \(message)")
        }
        #expect(try await server.get("/v1/users/u/events").json["events"] as? [Any] != nil)
        #expect(try await server.get("/v1/users/a0/recommendations?count=0").status == 400)
        #expect(try await server.get("/v1/users/a0/recommendations?count=abc").error.contains("count"))
        #expect(try await server.get("/v1/users/a0/recommendations?scene=nope").error.contains("unknown scene 'nope'"))
        #expect(try await server.get("/v1/users/a0/recommendations?min_price=9&max_price=1").status == 400)
        #expect(try await server.get("/v1/items/none").status == 404)
        #expect(try await server.get("/v1/nothing-here").status == 404)
        let large = String(repeating: "x", count: 2 << 20)
        #expect(try await server.post("/v1/events", "{\"user_id\": \"\(large)\"}").status == 413)
        #expect(try await server.get("/healthz").status == 200)
    }

    @Test("items: upsert, read, search; similar, popular and trending")
    func items() async throws {
        let server = try await LiveServer.start()
        defer { Task { await server.stop() } }
        let put = try await server.request("PUT", "/v1/items/k-new", body: #"{"title": "New Kettle", "category": "Kitchen", "price": 31.5, "tags": ["steel"], "attributes": {"colour": "red"}}"#)
        #expect(put.status == 200)
        let item = try await server.get("/v1/items/k-new")
        #expect(item.json["title"] as? String == "New Kettle")
        #expect((item.json["attributes"] as? [String: String])?["colour"] == "red")
        #expect(try await server.get("/v1/items?search=kettle").itemIDs == ["k-new"])
        let similar = try await server.get("/v1/items/k-new/similar?count=3")
        #expect(similar.itemIDs.count == 3)
        #expect(similar.itemIDs.allSatisfy { $0.hasPrefix("k") })
        #expect(try await server.get("/v1/popular?count=2").itemIDs.count == 2)
        #expect(try await server.get("/v1/trending?count=3&category=garden").itemIDs.allSatisfy { $0.hasPrefix("g") })
        let unavailable = try await server.request("PUT", "/v1/items/g0", body: #"{"title": "Garden 0", "category": "Garden", "available": false}"#)
        #expect(unavailable.status == 200)
        #expect(!(try await server.get("/v1/popular?count=10").itemIDs.contains("g0")))
        #expect(!(try await server.get("/v1/users/b1/recommendations?count=8").itemIDs.contains("g0")))
    }

    @Test("filters: category, price range and explicit excludes")
    func filters() async throws {
        let server = try await LiveServer.start()
        defer { Task { await server.stop() } }
        let garden = try await server.get("/v1/users/a0/recommendations?count=3&category=Garden")
        #expect(garden.itemIDs.count == 3)
        #expect(garden.itemIDs.allSatisfy { $0.hasPrefix("g") })
        let cheap = try await server.get("/v1/users/b0/recommendations?count=3&max_price=12")
        #expect(cheap.items.allSatisfy { ($0["price"] as? Double ?? 99) <= 12 })
        let excluded = try await server.get("/v1/users/a0/recommendations?count=3&exclude=k0,k1")
        #expect(!excluded.itemIDs.contains("k0") && !excluded.itemIDs.contains("k1"))
    }

    @Test("API key: writes and admin routes need it, reads are public by default")
    func apiKey() async throws {
        let server = try await LiveServer.start(apiKey: "s3cret")
        defer { Task { await server.stop() } }
        let event = #"{"user_id": "u", "item_id": "k1", "kind": "view"}"#
        #expect(try await server.post("/v1/events", event).status == 401)
        #expect(try await server.post("/v1/events", event, headers: ["X-API-Key": "wrong"]).status == 401)
        #expect(try await server.post("/v1/events", event, headers: ["X-API-Key": "s3cret"]).status == 200)
        #expect(try await server.get("/v1/models").status == 401)
        #expect(try await server.get("/v1/models", headers: ["X-API-Key": "s3cret"]).status == 200)
        #expect(try await server.get("/v1/users/u/recommendations").status == 200)
        #expect(try await server.request("DELETE", "/v1/users/u").status == 401)
        let deleted = try await server.request("DELETE", "/v1/users/u", headers: ["X-API-Key": "s3cret"])
        #expect(deleted.json["deleted_events"] as? Int == 1)
    }

    @Test("models: background training swaps a new version; health, readiness and metrics")
    func modelsAndOperations() async throws {
        let server = try await LiveServer.start()
        defer { Task { await server.stop() } }
        let started = try await server.post("/v1/models/train", "")
        #expect(started.status == 202)
        #expect(started.json["version"] as? Int == 2)
        var serving = 0
        for _ in 0..<200 where serving != 2 {
            try await Task.sleep(nanoseconds: 20_000_000)
            serving = (try await server.get("/v1/models").json["serving"] as? [String: Any])?["version"] as? Int ?? 0
        }
        #expect(serving == 2)
        let models = try await server.get("/v1/models")
        #expect((models.json["versions"] as? [[String: Any]])?.map { $0["version"] as? Int } == [2, 1])
        #expect(try await server.get("/readyz").json["model"] as? String == "itemknn v2")
        _ = try await server.get("/v1/users/a0/recommendations")
        let metrics = try await server.get("/metrics").text
        #expect(metrics.contains("tacit_http_requests_total{route=\"/v1/users/{id}/recommendations\",method=\"GET\",status=\"200\"}"))
        #expect(metrics.contains("tacit_model_version 2"))
        #expect(try await server.get("/").text.contains("<title>Tacit</title>"))
    }

    @Test("models: the serving version says how it retrieves; an index serves exactly count items under a category filter")
    func retrievalThroughTheIndex() async throws {
        var configuration = ServiceFixture.configuration
        configuration.model = .init(name: "als", parameters: ["factors": "4", "iterations": "3"])
        let exact = try await LiveServer.start(configuration: configuration)
        let plain = (try await exact.get("/v1/models").json["serving"] as? [String: Any])?["retrieval"] as? [String: Any]
        #expect(plain?["kind"] as? String == "exact" && plain?["leaves"] == nil)
        await exact.stop()
        configuration.retrieval.mode = .index
        let server = try await LiveServer.start(configuration: configuration)
        defer { Task { await server.stop() } }
        let models = try await server.get("/v1/models")
        let retrieval = (models.json["serving"] as? [String: Any])?["retrieval"] as? [String: Any]
        #expect(retrieval?["kind"] as? String == "index" && retrieval?["items"] as? Int == 10 && retrieval?["leaves"] as? Int == 3, "\(models.text)")
        #expect(retrieval?["probes"] as? Int == 3 && retrieval?["rescore"] as? Int == 100 && (retrieval?["build_seconds"] as? Double ?? -1) >= 0)
        let versions = models.json["versions"] as? [[String: Any]] ?? []
        #expect(versions.count == 1 && versions[0]["retrieval"] == nil, "only the loaded version says how it retrieves")
        let listed = try await server.get("/v1/users/a0/recommendations?count=3&category=Garden")
        let items = listed.json["items"] as? [[String: Any]] ?? []
        #expect(listed.status == 200 && items.count == 3 && items.allSatisfy { $0["category"] as? String == "Garden" }, "\(listed.text)")
    }
}
