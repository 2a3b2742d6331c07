import Foundation
import Testing
import TacitCore
import TacitServing
import TacitStore
import TacitTestSupport

/// `PUT /v1/users/{id}`: user attributes over HTTP, into the store, the next training and the
/// cold-user path of a two-tower model.
@Suite("HTTP API: user attributes", .serialized)
struct UserAttributesAPITests {
    /// 40 users: a* view kitchen items, b* garden items (four of five each).
    static var events: [StoredEvent] { ServiceFixture.events(usersPerBlock: 20) }

    @Test("attributes are stored, exported, validated, and rank a new user once a two-tower model trained on them")
    func putUserThenColdStart() async throws {
        var configuration = ServiceFixture.configuration
        configuration.model = .init(name: "twotower", parameters: ["dimension": "8", "epochs": "40", "batch_size": "32", "learning_rate": "0.05",
                                                                    "user_embedding": "false", "min_attribute_users": "5", "seed": "7"])
        let server = try await LiveServer.start(configuration: configuration, events: Self.events)
        defer { Task { await server.stop() } }

        let stored = try await server.request("PUT", "/v1/users/gardener", body: #"{"attributes": {"hobby": "gardening", "age": 31, "member": true}}"#)
        #expect(stored.status == 200, "\(stored.text)")
        #expect(stored.json["user_id"] as? String == "gardener")
        #expect(stored.json["attributes"] as? [String: String] == ["hobby": "gardening", "age": "31", "member": "true"])
        #expect(try await server.service.store.user("gardener") == UserRecord(id: "gardener", attributes: ["hobby": "gardening", "age": "31", "member": "true"]))
        let export = try await server.get("/v1/users/gardener/export")
        #expect(export.json["attributes"] as? [String: String] == ["hobby": "gardening", "age": "31", "member": "true"])

        for (body, message) in [
            (#"{"hobby": "x"}"#, "hobby: unknown field"),
            (#"{}"#, "attributes: required"),
            (#"{"attributes": {"hobby": ["a"]}}"#, "attributes.hobby: must be a string, number or boolean"),
            (#"{"attributes": "gardening"}"#, "attributes: must be an object"),
        ] {
            let reply = try await server.request("PUT", "/v1/users/gardener", body: body)
            #expect(reply.status == 400 && reply.error.contains(message), "\(body): \(reply.status) \(reply.text)")
        }

        // The model at start trained without records: the new user gets the fallbacks.
        let before = try await server.get("/v1/users/gardener/recommendations?count=3")
        #expect(before.json["model"] is NSNull)
        // Records for the trained users, then a training that reads them from the store.
        for u in 0..<20 {
            for (prefix, hobby) in [("a", "cooking"), ("b", "gardening")] {
                let reply = try await server.request("PUT", "/v1/users/\(prefix)\(u)", body: #"{"attributes": {"hobby": "\#(hobby)"}}"#)
                #expect(reply.status == 200)
            }
        }
        _ = try await server.service.lifecycle.trainAndWait()
        let after = try await server.get("/v1/users/gardener/recommendations?count=3")
        #expect(after.json["model"] as? String == "twotower v2")
        #expect(after.itemIDs.count == 3 && after.itemIDs.allSatisfy { $0.hasPrefix("g") }, "\(after.itemIDs)")
        #expect(after.items.allSatisfy { $0["source"] as? String == "personal" }, "\(after.items)")
    }

    @Test("hostile user records get 400 naming the field and store nothing; odd path spellings decode once")
    func hostileUserRecords() async throws {
        let server = try await LiveServer.start()
        defer { Task { await server.stop() } }
        let long = String(repeating: "x", count: 300)
        for (target, body, field) in [
            ("/v1/users/u1", #"{"attributes": {"hobby": "a\u0000b"}}"#, "attributes.hobby"),
            ("/v1/users/u1", #"{"attributes": {"a\u0000b": "x"}}"#, "attributes key"),
            ("/v1/users/u1", #"{"attributes": {"age": 1e400}}"#, "invalid JSON"),
            ("/v1/users/u1", #"{"attributes": {"age": null}}"#, "attributes.age"),
            ("/v1/users/u1", #"{"attributes": {"x": {"y": 1}}}"#, "attributes.x"),
            ("/v1/users/u1", #"{"user_id": "u1", "attributes": {}}"#, "user_id: unknown field"),
            ("/v1/users/u1", #"[1, 2]"#, "JSON object"),
            ("/v1/users/u1", #"not json"#, "invalid JSON"),
            ("/v1/users/%09", #"{"attributes": {}}"#, "user_id"),
            ("/v1/users/a%00b", #"{"attributes": {}}"#, "user_id"),
            ("/v1/users/%E0%A4", #"{"attributes": {}}"#, "user_id"),
            ("/v1/users/\(long)", #"{"attributes": {}}"#, "user_id"),
        ] {
            let reply = try await server.raw("PUT", target, body: body, headers: ["Content-Type": "application/json"])
            #expect(reply.status == 400, "\(target) \(body.prefix(60)): \(reply.status)")
            #expect(reply.error.contains(field), "\(target) \(body.prefix(60)): '\(reply.error)' should name '\(field)'")
        }
        #expect(try await server.service.store.user("u1") == nil)
        // A percent-encoded slash is part of the id, decoded once; doubled slashes reach the same route.
        #expect(try await server.raw("PUT", "/v1/users/a%2Fb", body: #"{"attributes": {"k": "v"}}"#).status == 200)
        #expect(try await server.service.store.user("a/b") == UserRecord(id: "a/b", attributes: ["k": "v"]))
        #expect(try await server.raw("PUT", "//v1//users/c%2541", body: #"{"attributes": {"n": 1.5}}"#).status == 200)
        #expect(try await server.service.store.user("c%41") == UserRecord(id: "c%41", attributes: ["n": "1.5"]))
        // The server is still up.
        #expect(try await server.raw("GET", "/healthz").status == 200)
    }
}
