import Foundation
import Testing
import TacitTestSupport

/// `POST /v1/users/{id}/rank` over HTTP.
@Suite("HTTP API: personal ranking of given items", .serialized)
struct RankAPITests {
    @Test("the given items come back in the user's order with scores, unknown ids last with score null")
    func rankGivenItems() async throws {
        let server = try await LiveServer.start()
        defer { Task { await server.stop() } }
        let reply = try await server.post("/v1/users/a0/rank", #"{"items": ["g0", "k0", "nowhere", "g3"]}"#)
        #expect(reply.status == 200, "\(reply.text)")
        #expect(reply.json["user_id"] as? String == "a0")
        #expect(reply.json["ranked_by"] as? String == "model")
        #expect(reply.json["model"] as? String == "itemknn v1")
        let items = reply.items
        // a0's kitchen neighbour first; the garden items score 0 for it (no shared users) and keep
        // the order given; the unknown id last.
        #expect(items.map { $0["item_id"] as? String } == ["k0", "g0", "g3", "nowhere"], "\(reply.text)")
        #expect(items.dropFirst().prefix(2).allSatisfy { $0["score"] as? Double == 0 }, "\(reply.text)")
        #expect(items.first?["score"] is Double)
        // The unscored item's score is present as null, not left out.
        #expect(items.last?["score"] is NSNull, "\(reply.text)")

        let newcomer = try await server.post("/v1/users/newcomer/rank", #"{"items": ["k0", "k1"]}"#)
        #expect(newcomer.json["ranked_by"] as? String == "popularity")
        #expect(newcomer.items.map { $0["item_id"] as? String } == ["k1", "k0"], "\(newcomer.text)")
    }

    @Test("hostile bodies get 400 naming the field")
    func hostileBodies() async throws {
        let server = try await LiveServer.start()
        defer { Task { await server.stop() } }
        let many = (0...1_000).map { "\"x\($0)\"" }.joined(separator: ",")
        for (body, message) in [
            (#"{}"#, "items: required"),
            (#"{"items": "k0"}"#, "items: must be an array of strings"),
            (#"{"items": ["k0", 3]}"#, "items[1]: must be a string"),
            (#"{"items": ["k0", ""]}"#, "items[1]:"),
            (#"{"items": ["k0", "k1", "k0"]}"#, "items[2]: 'k0' repeats items[0]"),
            (#"{"items": []}"#, "items: must hold at least one item id"),
            (#"{"items": ["k0"], "count": 3}"#, "count: unknown field"),
            (#"["k0"]"#, "expected a JSON object"),
            (#"{"items": ["k\u0000"]}"#, "items[0]:"),
            ("{\"items\": [\(many)]}", "items: at most 1000 items, got 1001"),
        ] {
            let reply = try await server.post("/v1/users/a0/rank", body)
            #expect(reply.status == 400 && reply.error.contains(message), "\(body.prefix(60)): \(reply.status) \(reply.text)")
        }
        // Numbers where ids belong, however large, and ids with control characters.
        for (body, message) in [(#"{"items": [1e400]}"#, "invalid JSON: Number 1e400"), (#"{"items": ["k0", 1]}"#, "items[1]"), (#"{"items": ["k\u0001"]}"#, "items[0]"),
                                (#"{"items": null}"#, "items: required")] {
            let reply = try await server.post("/v1/users/a0/rank", body)
            #expect(reply.status == 400 && reply.error.contains(message), "\(body): \(reply.status) \(reply.text)")
        }
        // Bad path ids: control characters, broken percent-encoding; an empty id matches no route.
        for target in ["/v1/users/a%00b/rank", "/v1/users/%E0%A4/rank", "/v1/users/a%zz/rank", "/v1/users/%7F/rank"] {
            let reply = try await server.raw("POST", target, body: #"{"items": ["k0"]}"#)
            #expect(reply.status == 400 && reply.error.contains("user_id"), "\(target): \(reply.status) \(reply.error)")
        }
        for target in ["/v1/users//rank", "/v1/users/rank"] {
            let reply = try await server.raw("POST", target, body: #"{"items": ["k0"]}"#)
            #expect((400..<500).contains(reply.status) && !reply.error.isEmpty, "\(target): \(reply.status)")
        }
        // Doubled slashes and a percent-encoded slash in the id: the id is decoded once.
        #expect(try await server.raw("POST", "//v1//users//a0//rank", body: #"{"items": ["k0"]}"#).json["user_id"] as? String == "a0")
        #expect(try await server.raw("POST", "/v1/users/x%2Fy/rank", body: #"{"items": ["k0"]}"#).json["user_id"] as? String == "x/y")
        // A body over the limit.
        let huge = "{\"items\": [\"" + String(repeating: "a", count: 2 << 20) + "\"]}"
        let tooLarge = try await server.post("/v1/users/a0/rank", huge)
        #expect(tooLarge.status == 413 && !tooLarge.error.isEmpty, "\(tooLarge.status)")
        #expect(try await server.get("/healthz").status == 200)
    }
}
