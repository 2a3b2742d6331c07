import Foundation
import Testing
import TacitCore
import TacitServing
import TacitStore
import TacitTestSupport

/// Issue 15's privacy features at the HTTP level, on both stores: forgetting a user end to end,
/// the export behind the key, and pseudonymous user ids.
@Suite("HTTP privacy", .serialized)
struct PrivacyAPITests {
    static let key = ["X-API-Key": "k3y"]

    static func event(_ user: String, _ item: String, _ kind: String = "view") -> String {
        let encoded = String(decoding: try! JSONSerialization.data(withJSONObject: user, options: .fragmentsAllowed), as: UTF8.self)
        return #"{"user_id": \#(encoded), "item_id": "\#(item)", "kind": "\#(kind)"}"#
    }

    static func path(_ user: String) -> String {
        user.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? user
    }

    @Test("DELETE /v1/users/{id}: the user is served like one never seen, export is empty, popular is back", arguments: TestStore.available)
    func forgetEndToEnd(store: TestStore) async throws {
        let server = try await LiveServer.start(apiKey: "k3y", location: store.location)
        defer { Task { await server.stop() } }
        let user = "gone user@x"
        let popularBefore = try await server.get("/v1/popular?count=10").itemIDs
        let strangerReply = try await server.get("/v1/users/never-seen-\(store)/recommendations?count=5")
        let stranger = strangerReply.itemIDs
        for item in ["g0", "g0", "g1", "g1", "g2"] {
            #expect(try await server.post("/v1/events", Self.event(user, item, "purchase"), headers: Self.key).status == 200)
        }
        let personal = try await server.get("/v1/users/\(Self.path(user))/recommendations?count=5")
        #expect(personal.status == 200)

        let deleted = try await server.request("DELETE", "/v1/users/\(Self.path(user))", headers: Self.key)
        #expect(deleted.status == 200)
        #expect(deleted.json["deleted_events"] as? Int == 5)
        #expect(deleted.json["user_id"] as? String == user)

        let export = try await server.get("/v1/users/\(Self.path(user))/export", headers: Self.key)
        #expect(export.status == 200)
        #expect((export.json["events"] as? [Any])?.isEmpty == true)
        #expect((export.json["impressions"] as? [Any])?.isEmpty == true, "the buffered impression was dropped with the user")
        #expect((try await server.get("/v1/users/\(Self.path(user))/events").json["events"] as? [Any])?.isEmpty == true)
        #expect(try await server.get("/v1/popular?count=10").itemIDs == popularBefore)
        let after = try await server.get("/v1/users/\(Self.path(user))/recommendations?count=5")
        #expect(after.itemIDs == stranger, "\(after.text) vs \(strangerReply.text)")
    }

    @Test("GET /v1/users/{id}/export needs the key even with public reads; it holds record, events and impressions",
          arguments: TestStore.available)
    func export(store: TestStore) async throws {
        var configuration = ServiceFixture.configuration
        configuration.serving.publicReads = true
        let server = try await LiveServer.start(apiKey: "k3y", configuration: configuration, location: store.location)
        defer { Task { await server.stop() } }
        let user = "ü export/1"
        try await server.service.store.upsert(UserRecord(id: user, attributes: ["country": "fr"]))
        #expect(try await server.post("/v1/events", #"{"events": [\#(Self.event(user, "k1")), \#(Self.event(user, "k2", "purchase"))]}"#,
                                      headers: Self.key).status == 200)
        let shown = try await server.get("/v1/users/\(Self.path(user))/recommendations?count=3")
        let recommendationID = try #require(shown.json["recommendation_id"] as? String)

        for headers in [[:], ["X-API-Key": "wrong"]] {
            let refused = try await server.get("/v1/users/\(Self.path(user))/export", headers: headers)
            #expect(refused.status == 401)
            #expect(!refused.error.isEmpty)
        }
        let export = try await server.get("/v1/users/\(Self.path(user))/export", headers: Self.key)
        #expect(export.status == 200)
        #expect(export.json["user_id"] as? String == user)
        #expect(export.json["attributes"] as? [String: String] == ["country": "fr"])
        let events = try #require(export.json["events"] as? [[String: Any]])
        #expect(events.compactMap { $0["item_id"] as? String } == ["k1", "k2"])
        #expect(events.compactMap { $0["kind"] as? String } == ["view", "purchase"])
        let impressions = try #require(export.json["impressions"] as? [[String: Any]])
        #expect(impressions.compactMap { $0["recommendation_id"] as? String } == [recommendationID], "the buffered impression is flushed first")
        #expect(impressions.first?["items"] as? [String] == shown.itemIDs)
        // A user never seen: 200 with empty lists, no attributes.
        let nobody = try await server.get("/v1/users/nobody/export", headers: Self.key)
        #expect(nobody.status == 200)
        #expect(nobody.json["attributes"] == nil)
        #expect((nobody.json["events"] as? [Any])?.isEmpty == true)
    }

    @Test("pseudonymous user ids: nothing stored holds the raw id, and the client keeps using it", arguments: TestStore.available)
    func pseudonymization(store: TestStore) async throws {
        let directory = Fixtures.temporaryDirectory()
        let secretFile = directory.appendingPathComponent("secret")
        try Data("a secret of at least sixteen bytes\n".utf8).write(to: secretFile)
        var configuration = ServiceFixture.configuration
        configuration.privacy.pseudonymizeUserIDs = true
        configuration.privacy.secretFile = secretFile.path
        let sqlite = directory.appendingPathComponent("tacit.sqlite").path
        let server = try await LiveServer.start(apiKey: "k3y", configuration: configuration, location: store.location ?? sqlite)
        defer { Task { await server.stop() } }
        let raw = "alice.raw@example.com"
        let pseudonym = try UserPseudonymizer(secret: Data("a secret of at least sixteen bytes".utf8)).pseudonym(raw)
        #expect(pseudonym.count == 64)
        #expect(server.service.userKey(raw) == pseudonym)

        for item in ["k0", "k1", "k2"] {
            #expect(try await server.post("/v1/events", Self.event(raw, item, "purchase"), headers: Self.key).status == 200)
        }
        // The store holds the pseudonym only.
        #expect(try await server.service.store.events(of: raw, limit: nil).isEmpty)
        #expect(try await server.service.store.events(of: pseudonym, limit: nil).map(\.item) == ["k0", "k1", "k2"])
        // The client's raw id works everywhere.
        let events = try await server.get("/v1/users/\(Self.path(raw))/events")
        #expect((events.json["events"] as? [[String: Any]])?.compactMap { $0["user_id"] as? String } == [pseudonym, pseudonym, pseudonym])
        let recommended = try await server.get("/v1/users/\(Self.path(raw))/recommendations?count=5")
        #expect(recommended.status == 200)
        #expect(recommended.json["user_id"] as? String == raw)
        #expect(Set(recommended.itemIDs).isDisjoint(with: ["k0", "k1", "k2"]), "the purchases were folded in under the pseudonym")
        let export = try await server.get("/v1/users/\(Self.path(raw))/export", headers: Self.key)
        #expect(export.json["user_id"] as? String == raw)
        #expect((export.json["events"] as? [Any])?.count == 3)
        if store == .sqlite {
            // The export flushed the impressions: the database and its log hold every write so far.
            var stored = Data()
            for file in [sqlite, sqlite + "-wal"] where FileManager.default.fileExists(atPath: file) {
                stored.append(try Data(contentsOf: URL(fileURLWithPath: file)))
            }
            #expect(stored.range(of: Data(raw.utf8)) == nil, "the SQLite files hold the raw user id")
            #expect(stored.range(of: Data(pseudonym.utf8)) != nil, "the SQLite files hold no pseudonym")
        }
        let deleted = try await server.request("DELETE", "/v1/users/\(Self.path(raw))", headers: Self.key)
        #expect(deleted.json["deleted_events"] as? Int == 3)
        #expect(try await server.service.store.events(of: pseudonym, limit: nil).isEmpty)
    }
}
