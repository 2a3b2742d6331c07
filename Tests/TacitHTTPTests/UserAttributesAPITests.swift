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
    static var events: [StoredEvent] {
        var events: [StoredEvent] = []
        var t: Int64 = 1_700_000_000
        for block in [("a", ServiceFixture.kitchen), ("b", ServiceFixture.garden)] {
            for u in 0..<20 {
                for (k, item) in block.1.enumerated() where k != u % 5 {
                    t += 60
                    events.append(StoredEvent(user: "\(block.0)\(u)", item: item, kind: .view, timestamp: t))
                }
            }
        }
        return events
    }

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
            (#"{"user_id": "someone-else", "attributes": {}}"#, "differs from the id in the path"),
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
}
