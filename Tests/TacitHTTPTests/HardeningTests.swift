import Foundation
import Testing
import TacitServing
import TacitStore
import TacitTestSupport

/// The stores a hardening test runs on: SQLite always, PostgreSQL when `scripts/test.sh` started it.
enum TestStore: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, postgres

    var testDescription: String { rawValue }

    static var available: [TestStore] {
        ProcessInfo.processInfo.environment["TACIT_TEST_POSTGRES_URL"] == nil ? [.sqlite] : [.sqlite, .postgres]
    }

    /// A fresh store's location (`nil`: a SQLite file in a temporary directory).
    var location: String? {
        guard self == .postgres, let url = ProcessInfo.processInfo.environment["TACIT_TEST_POSTGRES_URL"] else { return nil }
        let token = UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
        return url + (url.contains("?") ? "&" : "?") + "schema=hard_\(token)"
    }
}

/// Regression tests for issue 15's failures at the HTTP level: every route's access is decided on
/// the route that matched, every number and id from a client is checked at the edge, path ids are
/// percent-decoded once, far-future events are refused, and unknown methods, HEAD and long URIs
/// get proper answers.
@Suite("HTTP hardening", .serialized)
struct HardeningTests {
    static let key = ["X-API-Key": "k3y"]

    /// Spellings of `path` that a router may normalise to the same route.
    static func spellings(of path: String) -> [String] {
        let rest = path.dropFirst("/v1/".count)
        return [path, "/" + path, "/./" + path.dropFirst(), "/v1/./" + rest, "/v1//" + rest, path + "/", path + "//",
                path.uppercased(), "/V1/" + rest, "/v1%2F" + rest, "//v1//" + rest.replacingOccurrences(of: "/", with: "//")]
    }

    @Test("no spelling of a protected path reaches its handler without the key")
    func accessOnTheMatchedRoute() async throws {
        var configuration = ServiceFixture.configuration
        configuration.serving.publicReads = false
        let server = try await LiveServer.start(apiKey: "k3y", configuration: configuration)
        defer { Task { await server.stop() } }
        let event = #"{"user_id": "intruder", "item_id": "k1", "kind": "view"}"#
        let item = #"{"title": "Planted"}"#
        let protected: [(String, String, String?)] = [
            ("DELETE", "/v1/users/a0", nil), ("POST", "/v1/events", event), ("POST", "/v1/models/train", nil),
            ("PUT", "/v1/items/planted", item), ("POST", "/v1/items", #"{"items": [{"item_id": "planted"}]}"#),
            ("GET", "/v1/models", nil), ("GET", "/v1/users/a0/recommendations", nil), ("GET", "/v1/users/a0/events", nil),
            ("GET", "/v1/items/k1", nil), ("GET", "/v1/items", nil), ("GET", "/v1/items/k1/similar", nil),
            ("GET", "/v1/popular", nil), ("GET", "/v1/trending", nil), ("GET", "/v1/experiments", nil),
            ("HEAD", "/v1/users/a0/events", nil), ("GET", "/v1/users/a0/export", nil),
            ("PUT", "/v1/users/a0", #"{"attributes": {"planted": "yes"}}"#), ("POST", "/v1/users/a0/rank", #"{"items": ["k1"]}"#),
        ]
        let eventsBefore = try await server.service.events(of: "a0", limit: nil).count
        let versionsBefore = try await server.service.store.modelVersions().count
        let startedBefore = await server.service.lifecycle.status.lastStarted
        for (method, path, body) in protected {
            for spelling in Self.spellings(of: path) {
                let reply = try await server.raw(method, spelling, body: body)
                #expect(!(200..<300).contains(reply.status), "\(method) \(spelling) answered \(reply.status) without the key")
                #expect([401, 404, 405].contains(reply.status), "\(method) \(spelling): \(reply.status)")
                if method != "HEAD" { #expect(!reply.error.isEmpty, "\(method) \(spelling): no JSON error") }
            }
        }
        #expect(try await server.service.events(of: "a0", limit: nil).count == eventsBefore)
        #expect(try await server.service.events(of: "intruder", limit: nil).isEmpty)
        #expect(try await server.service.item("planted") == nil)
        #expect(try await server.service.store.user("a0") == nil)
        #expect(try await server.service.store.modelVersions().count == versionsBefore)
        #expect(await server.service.lifecycle.status.lastStarted == startedBefore)

        // With the key, the routes work, whatever the spelling the router accepts.
        #expect(try await server.raw("GET", "//v1/users/a0/events/", headers: Self.key).status == 200)
        #expect(try await server.raw("PUT", "/v1/items/planted", body: item, headers: Self.key).status == 200)
        #expect(try await server.raw("DELETE", "//v1/users/a0", headers: Self.key).json["deleted_events"] as? Int == eventsBefore)
        // Health, the page and the document stay open.
        for path in ["/healthz", "/readyz", "/metrics", "/openapi.yaml", "/"] { #expect(try await server.raw("GET", path).status == 200, "\(path)") }
    }

    @Test("every number from a client is range-checked: 400 naming the field, the server stays up", arguments: TestStore.available)
    func numbers(store: TestStore) async throws {
        let server = try await LiveServer.start(location: store.location)
        defer { Task { await server.stop() } }
        let cases: [(String, String, String, String)] = [
            ("POST", "/v1/events", #"{"user_id": "x", "item_id": "i1", "kind": "view", "timestamp": 1e25}"#, "timestamp"),
            ("POST", "/v1/events", #"{"user_id": "x", "item_id": "i1", "kind": "view", "timestamp": -1e25}"#, "timestamp"),
            ("POST", "/v1/events", #"{"user_id": "x", "item_id": "i1", "kind": "view", "timestamp": 1e18}"#, "timestamp"),
            ("POST", "/v1/events", #"{"user_id": "x", "item_id": "i1", "kind": "view", "timestamp": -5}"#, "timestamp"),
            ("POST", "/v1/events", #"{"events": [{"user_id": "x", "item_id": "i1", "kind": "view"}, {"user_id": "x", "item_id": "i1", "kind": "view", "timestamp": "9999-12-31T23:59:59Z"}]}"#, "events[1].timestamp"),
            ("POST", "/v1/events", #"{"user_id": "x", "item_id": "i1", "kind": "view", "value": 1e300}"#, "value"),
            ("POST", "/v1/events", #"{"user_id": "x", "item_id": "i1", "kind": "view", "value": -1e300}"#, "value"),
            ("POST", "/v1/events", #"{"user_id": "x", "item_id": "i1", "kind": "view", "value": 1e400}"#, "invalid JSON"),
            ("PUT", "/v1/items/z", #"{"created_at": 1e300}"#, "created_at"),
            ("PUT", "/v1/items/z", #"{"created_at": -1e300}"#, "created_at"),
            ("PUT", "/v1/items/z", #"{"price": 1e300}"#, "price"),
            ("PUT", "/v1/items/z", #"{"price": -1}"#, "price"),
            ("POST", "/v1/items", #"{"items": [{"item_id": "z", "created_at": 9.3e18}]}"#, "items[0].created_at"),
        ]
        for (method, path, body, field) in cases {
            let reply = try await server.request(method, path, body: body)
            #expect(reply.status == 400, "\(body): \(reply.status)")
            #expect(reply.error.hasPrefix(field), "\(body): \(reply.error)")
        }
        #expect(try await server.get("/healthz").status == 200)
        #expect(try await server.service.events(of: "x", limit: nil).isEmpty)
        #expect(try await server.service.item("z") == nil)
        // The largest accepted values are stored and read back.
        let ok = try await server.post("/v1/events", #"{"user_id": "x", "item_id": "i1", "kind": "view", "value": 1e9, "timestamp": 1700000000000}"#)
        #expect(ok.status == 200)
        let history = try await server.get("/v1/users/x/events")
        #expect(history.status == 200)
        #expect((history.json["events"] as? [[String: Any]])?.first?["timestamp"] as? Int == 1_700_000_000)
    }

    @Test("ids follow one rule on both stores: no NUL, no empty id, no silent cut or collision", arguments: TestStore.available)
    func ids(store: TestStore) async throws {
        let server = try await LiveServer.start(location: store.location)
        defer { Task { await server.stop() } }
        let long = String(repeating: "é", count: 129)   // 258 bytes
        let rejected: [(String, String)] = [
            (#"{"user_id": "u1", "item_id": "k1", "kind": "view", "event_id": "e\u0000one"}"#, "event_id"),
            (#"{"user_id": "u613\u0000x", "item_id": "k1", "kind": "view"}"#, "user_id"),
            (#"{"user_id": "u1", "item_id": "k1\u0001", "kind": "view"}"#, "item_id"),
            (#"{"user_id": "u1\u0085", "item_id": "k1", "kind": "view"}"#, "user_id"),
            (#"{"user_id": "u1", "item_id": "k1", "kind": "view", "event_id": ""}"#, "event_id"),
            (#"{"user_id": "u1", "item_id": "k1", "kind": "view", "recommendation_id": ""}"#, "recommendation_id"),
            (#"{"user_id": "u1", "item_id": "k1", "kind": ""}"#, "kind"),
            ("{\"user_id\": \"\(long)\", \"item_id\": \"k1\", \"kind\": \"view\"}", "user_id"),
            (#"{"events": [{"user_id": "u1", "item_id": "k1", "kind": "view"}, {"user_id": "u1", "item_id": "", "kind": "view"}]}"#, "events[1].item_id"),
        ]
        for (body, field) in rejected {
            let reply = try await server.post("/v1/events", body)
            #expect(reply.status == 400, "\(body): \(reply.status)")
            #expect(reply.error.hasPrefix(field), "\(body): \(reply.error)")
        }
        #expect(try await server.service.events(of: "u1", limit: nil).isEmpty)
        #expect(try await server.request("PUT", "/v1/items/t", body: #"{"title": "a\u0000b"}"#).status == 400)
        #expect(try await server.request("POST", "/v1/items", body: #"{"items": [{"item_id": "bad\u0000"}]}"#).status == 400)

        // Ids that only look unusual are kept exactly, and two of them never collide.
        let one = try await server.post("/v1/events", #"{"user_id": "u 1", "item_id": "k1", "kind": "view", "event_id": "e one"}"#)
        let two = try await server.post("/v1/events", #"{"user_id": "u 1", "item_id": "k2", "kind": "view", "event_id": "e two"}"#)
        #expect(one.json["accepted"] as? Int == 1)
        #expect(two.json["accepted"] as? Int == 1)
        let stored = try await server.service.events(of: "u 1", limit: nil)
        #expect(stored.map(\.eventID) == ["e one", "e two"])
        let maxID = String(repeating: "x", count: 256)
        #expect(try await server.post("/v1/events", "{\"user_id\": \"\(maxID)\", \"item_id\": \"k1\", \"kind\": \"view\"}").status == 200)
        #expect(try await server.service.events(of: maxID, limit: nil).count == 1)
    }

    @Test("path ids are percent-decoded exactly once in every route", arguments: TestStore.available)
    func percentDecoding(store: TestStore) async throws {
        let server = try await LiveServer.start(location: store.location)
        defer { Task { await server.stop() } }
        let users = ["a b", "alice@example.com", "ü", "x/y", "50%", "a+b", "q?r#s"]
        for user in users {
            let body = try String(decoding: JSONSerialization.data(withJSONObject: ["user_id": user, "item_id": "k1", "kind": "view"]), as: UTF8.self)
            #expect(try await server.post("/v1/events", body).status == 200)
            let path = "/v1/users/\(Self.encode(user))"
            let events = try await server.raw("GET", path + "/events")
            #expect(events.status == 200)
            #expect(((events.json["events"] as? [[String: Any]]) ?? []).map { $0["user_id"] as? String } == [user], "\(user)")
            let recommended = try await server.raw("GET", path + "/recommendations?count=3")
            #expect(recommended.json["user_id"] as? String == user)
            #expect(!((recommended.json["items"] as? [[String: Any]]) ?? []).contains { $0["item_id"] as? String == "k1" }, "\(user)")
            let ranked = try await server.raw("POST", path + "/rank", body: #"{"items": ["g1", "k1"]}"#)
            #expect(ranked.status == 200 && ranked.json["user_id"] as? String == user, "\(user): \(ranked.status)")
            let deleted = try await server.raw("DELETE", path)
            #expect(deleted.json["deleted_events"] as? Int == 1, "\(user)")
            #expect(deleted.json["user_id"] as? String == user)
            #expect(try await server.service.events(of: user, limit: nil).isEmpty, "\(user)")
        }
        #expect(try await server.raw("PUT", "/v1/items/sku%201", body: #"{"title": "Sku one"}"#).status == 200)
        #expect(try await server.service.item("sku 1")?.title == "Sku one")
        #expect(try await server.service.item("sku%201") == nil)
        #expect(try await server.raw("GET", "/v1/items/sku%201").json["item_id"] as? String == "sku 1")
        #expect(try await server.raw("GET", "/v1/items/sku%201/similar").status == 200)
        // Decoded once: %2541 is the id "%41", not "A".
        #expect(try await server.raw("PUT", "/v1/items/%2541", body: "{}").json["item_id"] as? String == "%41")
        // Query ids are checked too, and bad encodings or control characters are refused.
        for target in ["/v1/users/%E0%A4/events", "/v1/users/a%00b/events", "/v1/users/a%zz/events", "/v1/items/%7F",
                       "/v1/users/u/recommendations?exclude=a%00", "/v1/items?search=%00", "/v1/users/u/recommendations?item=%C2%85"] {
            let reply = try await server.raw("GET", target)
            #expect(reply.status == 400, "\(target): \(reply.status)")
            #expect(!reply.error.isEmpty)
        }
    }

    @Test("an event from the far future is refused and cannot move the trending clock")
    func futureEvents() async throws {
        let server = try await LiveServer.start()
        defer { Task { await server.stop() } }
        let now = Int(Date().timeIntervalSince1970)
        #expect(try await server.post("/v1/events", #"{"user_id": "t", "item_id": "k1", "kind": "view", "timestamp": \#(now)}"#).status == 200)
        #expect(try await server.post("/v1/events", #"{"user_id": "t", "item_id": "k2", "kind": "view", "timestamp": \#(now - 3600)}"#).status == 200)
        let before = try await server.get("/v1/trending?count=10")
        // The fixture's events are from 2023: only today's two views are trending.
        #expect(before.itemIDs == ["k1", "k2"])
        for timestamp in ["\"9999-12-31T23:59:59Z\"", "1e18", "\(now + 2 * 86_400)", "\((now + 2 * 86_400) * 1000)"] {
            let reply = try await server.post("/v1/events", #"{"user_id": "t", "item_id": "g4", "kind": "purchase", "timestamp": \#(timestamp)}"#)
            #expect(reply.status == 400, "\(timestamp)")
            #expect(reply.error.hasPrefix("timestamp"), "\(reply.error)")
        }
        let after = try await server.get("/v1/trending?count=10")
        #expect(after.itemIDs == before.itemIDs)
        // Within the allowed skew (a day by default) an event is accepted.
        #expect(try await server.post("/v1/events", #"{"user_id": "t", "item_id": "g4", "kind": "view", "timestamp": \#(now + 3600)}"#).status == 200)
    }

    @Test("other methods get 405 with Allow, HEAD is GET without a body, a long URI gets 414, an unknown path 404 (all JSON)")
    func methodsAndLimits() async throws {
        let server = try await LiveServer.start(apiKey: "k3y")
        defer { Task { await server.stop() } }
        let patch = try await server.raw("PATCH", "/v1/events", body: "{}")
        #expect(patch.status == 405)
        #expect(patch.headers["allow"] == "POST")
        #expect(patch.json["status"] as? Int == 405)
        let deletePopular = try await server.raw("DELETE", "/v1/popular")
        #expect(deletePopular.status == 405)
        #expect(deletePopular.headers["allow"] == "GET, HEAD")
        let items = try await server.raw("OPTIONS", "/v1/items/k1")
        #expect(items.status == 405)
        #expect(items.headers["allow"] == "PUT, GET, HEAD")

        let get = try await server.raw("GET", "/v1/popular?count=3")
        let head = try await server.raw("HEAD", "/v1/popular?count=3")
        #expect(head.status == 200)
        #expect(head.body.isEmpty)
        #expect(head.headers["content-length"] == String(get.body.count))
        #expect(head.headers["content-type"] == get.headers["content-type"])
        #expect(try await server.raw("HEAD", "/healthz").status == 200)

        let long = try await server.raw("GET", "/v1/items/" + String(repeating: "a", count: 100_000))
        #expect(long.status == 414)
        #expect(long.error.contains("8192"))
        let missing = try await server.raw("GET", "/v2/nothing")
        #expect(missing.status == 404)
        #expect(missing.error.contains("no route"))

        // A method the HTTP parser does not know is refused by it (400, connection closed).
        #expect(try await server.raw("BREW", "/healthz").status == 400)
        #expect(try await server.get("/healthz").status == 200)
    }
}

extension HardeningTests {
    /// Percent-encodes everything but unreserved characters (RFC 3986), as a careful client does.
    static func encode(_ id: String) -> String {
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
        return id.addingPercentEncoding(withAllowedCharacters: allowed) ?? id
    }
}
