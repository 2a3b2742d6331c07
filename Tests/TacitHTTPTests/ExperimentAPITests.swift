import Foundation
import Testing
import TacitExperiments
import TacitServing
import TacitTestSupport

@Suite("Experiments over HTTP", .serialized)
struct ExperimentAPITests {
    static let hero = ExperimentDefinition(
        id: "hero", variants: [.init(name: "a", scene: "home"), .init(name: "b", scene: "cart")], scene: "home")

    static var configuration: ServiceConfiguration {
        var c = ServiceFixture.configuration
        c.experiments = [hero]
        return c
    }

    @Test("sticky variants in responses, events with the recommendation id counted for the right variant in the report")
    func endToEnd() async throws {
        let server = try await LiveServer.start(configuration: Self.configuration)
        defer { Task { await server.stop() } }
        let assigner = try ExperimentAssigner(Self.hero)
        var firstResponse: [String: String] = [:]
        var variantOf: [String: String] = [:]
        let users = (0..<16).map { "visitor-\($0)" }
        for user in users {
            for round in 0..<2 {
                let reply = try await server.get("/v1/users/\(user)/recommendations?count=3")
                #expect(reply.status == 200)
                #expect(reply.json["experiment"] as? String == "hero")
                #expect(reply.json["scene"] as? String == "home")
                let variant = try #require(reply.json["variant"] as? String)
                #expect(variant == assigner.assign(user: user)?.variant, "sticky and as the assigner says")
                if round == 0 {
                    variantOf[user] = variant
                    firstResponse[user] = reply.json["recommendation_id"] as? String
                } else {
                    #expect(variantOf[user] == variant, "the same variant on every request")
                }
            }
        }
        let inA = users.filter { variantOf[$0] == "a" }, inB = users.filter { variantOf[$0] == "b" }
        #expect(!inA.isEmpty && !inB.isEmpty, "16 users fill both arms")
        // Variant b's users click once; variant a's users buy once for 10.
        var events: [String] = []
        for user in inB { events.append(#"{"user_id": "\#(user)", "item_id": "k1", "kind": "click", "recommendation_id": "\#(firstResponse[user]!)"}"#) }
        for user in inA { events.append(#"{"user_id": "\#(user)", "item_id": "g1", "kind": "purchase", "value": 10, "recommendation_id": "\#(firstResponse[user]!)"}"#) }
        // Not attributed: no recommendation id, or an id of no impression.
        events.append(#"{"user_id": "\#(inA[0])", "item_id": "g2", "kind": "click"}"#)
        events.append(#"{"user_id": "\#(inA[0])", "item_id": "g2", "kind": "click", "recommendation_id": "nope"}"#)
        let posted = try await server.post("/v1/events", #"{"events": [\#(events.joined(separator: ","))]}"#)
        #expect(posted.status == 200)

        let report = try await server.get("/v1/experiments/hero/report")
        #expect(report.status == 200)
        #expect(report.json["experiment"] as? String == "hero")
        let variants = try #require(report.json["variants"] as? [[String: Any]])
        let byName = Dictionary(uniqueKeysWithValues: variants.map { ($0["name"] as! String, $0) })
        #expect(byName["a"]?["users"] as? Int == inA.count)
        #expect(byName["a"]?["impressions"] as? Int == 2 * inA.count)
        #expect(byName["a"]?["clicks"] as? Int == 0)
        #expect(byName["a"]?["purchases"] as? Int == inA.count)
        #expect(byName["a"]?["revenue"] as? Double == 10 * Double(inA.count))
        #expect(byName["b"]?["users"] as? Int == inB.count)
        #expect(byName["b"]?["impressions"] as? Int == 2 * inB.count)
        #expect(byName["b"]?["clicks"] as? Int == inB.count)
        #expect(byName["b"]?["clicked_impressions"] as? Int == inB.count)
        #expect(byName["b"]?["purchases"] as? Int == 0)
        #expect((report.json["comparisons"] as? [[String: Any]])?.first?["variant"] as? String == "b")
        // Everything happened today (UTC): one cumulative point per variant, the variant's totals.
        let daily = try #require(byName["a"]?["daily"] as? [[String: Any]])
        #expect(daily.count == 1)
        #expect(daily.first?["users"] as? Int == inA.count)
        #expect(daily.first?["converted_users"] as? Int == inA.count)
        #expect(daily.first?["conversion"] as? Double == 1)
        #expect((byName["b"]?["daily"] as? [[String: Any]])?.first?["ctr"] as? Double == 0.5)

        let listed = try await server.get("/v1/experiments")
        let experiments = try #require(listed.json["experiments"] as? [[String: Any]])
        #expect(experiments.count == 1)
        #expect(experiments[0]["running"] as? Bool == true)
        #expect((experiments[0]["definition"] as? [String: Any])?["id"] as? String == "hero")
        #expect((experiments[0]["definition"] as? [String: Any])?["scene"] as? String == "home")

        // ?alpha= sets the level: 0.10 gives narrower intervals than the default 0.05.
        let wide = try #require((byName["b"]?["conversion"] as? [String: Any])?["upper"] as? Double)
        let atTen = try await server.get("/v1/experiments/hero/report?alpha=0.1")
        #expect(atTen.json["alpha"] as? Double == 0.1)
        let narrow = try #require(((atTen.json["variants"] as? [[String: Any]])?.first { $0["name"] as? String == "b" }?["conversion"] as? [String: Any])?["upper"] as? Double)
        #expect(narrow < wide)
        let badAlpha = try await server.get("/v1/experiments/hero/report?alpha=2")
        #expect(badAlpha.status == 400 && badAlpha.error.contains("alpha"))

        let unknown = try await server.get("/v1/experiments/nope/report")
        #expect(unknown.status == 404)
        #expect(unknown.error.contains("experiment 'nope' not found"))
    }

    @Test("a variant's model ranks its users' responses, is listed with the models and readiness, and retrains with the main model")
    func variantModel() async throws {
        let definition = ExperimentDefinition(
            id: "ranker", variants: [.init(name: "control"), .init(name: "treatment", model: "ease")], scene: "home")
        var configuration = ServiceFixture.configuration
        configuration.experiments = [definition]
        let server = try await LiveServer.start(configuration: configuration)
        defer { Task { await server.stop() } }
        await server.service.waitForTraining()
        let assigner = try ExperimentAssigner(definition)
        // Trained users of the fixture get personal items, so every response names its model.
        let users = (0..<6).flatMap { ["a\($0)", "b\($0)"] }
        var seen: Set<String> = []
        for user in users {
            let reply = try await server.get("/v1/users/\(user)/recommendations?count=3")
            let variant = try #require(reply.json["variant"] as? String)
            seen.insert(variant)
            #expect(variant == assigner.assign(user: user)?.variant)
            #expect(reply.json["model"] as? String == (variant == "treatment" ? "ease v1" : "itemknn v1"), "\(user)")
        }
        #expect(seen == ["control", "treatment"], "the fixture's 12 users fill both arms")

        let models = try await server.get("/v1/models")
        #expect((models.json["serving"] as? [String: Any])?["model"] as? String == "itemknn")
        let variants = try #require(models.json["variant_models"] as? [[String: Any]])
        #expect(variants.count == 1 && variants[0]["model"] as? String == "ease")
        #expect((variants[0]["serving"] as? [String: Any])?["version"] as? Int == 1)
        #expect((variants[0]["training"] as? [String: Any])?["in_progress"] as? Bool == false)
        let versions = try #require(models.json["versions"] as? [[String: Any]])
        #expect(Set(versions.map { "\($0["model"] as! String) v\($0["version"] as! Int) \($0["serving"] as! Bool)" })
                == ["itemknn v1 true", "ease v1 true"])
        let ready = try await server.get("/readyz")
        #expect(ready.json["model"] as? String == "itemknn v1")
        #expect((ready.json["variant_models"] as? [[String: Any]])?.first?["serving"] as? String == "ease v1")

        let train = try await server.post("/v1/models/train", "")
        #expect(train.status == 202)
        #expect(train.json["version"] as? Int == 2)
        let started = try #require(train.json["models"] as? [[String: Any]])
        #expect(started.map { "\($0["model"] as! String) v\($0["version"] as! Int)" } == ["itemknn v2", "ease v2"])
        await server.service.waitForTraining()
        let after = try await server.get("/v1/models")
        #expect(((after.json["variant_models"] as? [[String: Any]])?.first?["serving"] as? [String: Any])?["version"] as? Int == 2)
        #expect((after.json["versions"] as? [[String: Any]])?.count == 4)
        let metrics = try await server.get("/metrics")
        #expect(metrics.text.contains("tacit_model_version 2\n"))
        #expect(metrics.text.contains("tacit_variant_model_version{model=\"ease\"} 2\n"))
    }

    @Test("other scenes are served outside the experiment")
    func otherScene() async throws {
        let server = try await LiveServer.start(configuration: Self.configuration)
        defer { Task { await server.stop() } }
        let reply = try await server.get("/v1/users/visitor-1/recommendations?scene=cart&count=3")
        #expect(reply.status == 200)
        #expect(reply.json["experiment"] is NSNull)
        #expect(reply.json["variant"] is NSNull)
    }
}
