import Foundation
import Testing
import TacitCore
import TacitExperiments
@testable import TacitModels
@testable import TacitServing
import TacitStore
import TacitTestSupport

/// The learned ranker served: trained by the service from its store, ranking from features that
/// the service keeps up to date as events arrive — the same numbers as the offline definition.
@Suite("The ranker in the service")
struct RankerServingTests {
    static var configuration: ServiceConfiguration {
        var c = ServiceFixture.configuration
        c.model = .init(name: "ranker", parameters: ["per_source": "6", "rounds": "10", "cuts": "2"])
        return c
    }

    /// The fixture's views with clicks, carts and purchases mixed in.
    static var events: [StoredEvent] {
        ServiceFixture.events(usersPerBlock: 6).enumerated().map { k, event in
            var event = event
            if k % 4 == 1 { event.kind = .addToCart }
            if k % 7 == 3 { event.kind = .purchase }
            if k % 9 == 5 { event.kind = .click }
            return event
        }
    }

    /// Posted after training: new events of trained users (a repeat purchase, an exact
    /// duplicate, two users in one second) and a new user's first events.
    static func posted(after start: Int64) -> [[StoredEvent]] {
        [[StoredEvent(user: "a0", item: "g1", kind: .view, timestamp: start + 60),
          StoredEvent(user: "a0", item: "g1", kind: .purchase, timestamp: start + 120),
          StoredEvent(user: "a1", item: "k1", kind: .click, timestamp: start + 180)],
         [StoredEvent(user: "a0", item: "g1", kind: .purchase, timestamp: start + 120),
          StoredEvent(user: "newcomer", item: "k2", kind: .view, timestamp: start + 240),
          StoredEvent(user: "newcomer", item: "k3", kind: .addToCart, timestamp: start + 300),
          StoredEvent(user: "b2", item: "k3", kind: .view, timestamp: start + 300),
          StoredEvent(user: "a0", item: "k4", kind: .addToCart, timestamp: start + 330)]]
    }

    static func same(_ x: ArraySlice<Float>, _ y: ArraySlice<Float>) -> Bool {
        x.count == y.count && zip(x, y).allSatisfy { $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN) }
    }

    @Test("every feature the service computes after events were posted equals the offline value for the same user, item and time")
    func offlineEqualsOnline() async throws {
        let service = try await ServiceFixture.service(configuration: Self.configuration, events: Self.events)
        defer { Task { await service.shutdown() } }
        let served = try #require(service.registry.current)
        let ranker = try #require(served.recommender as? RankerModel)
        let start = try #require(Self.events.map(\.timestamp).max())
        for batch in Self.posted(after: start) { _ = try await service.ingest(batch) }

        // Offline: the same events as one log, the served model's sources and feature settings.
        var log = EventLog()
        for event in Self.events + Self.posted(after: start).flatMap({ $0 }) { log.append(event.event) }
        let data = try Self.configuration.weighting.matrix(from: log)
        let trained = ranker.trainingData
        #expect((0..<Int32(data.items.count)).map(data.items.id(at:)) == (0..<Int32(trained.items.count)).map(trained.items.id(at:)))
        let f = ranker.features
        let offline = RankerFeatures(data: data, sources: f.sources, similarity: f.similarity, similaritySource: f.similaritySource,
                                     perSource: f.perSource, prior: f.prior, kinds: f.kinds, attributes: f.attributes)
        #expect(f.kinds == [.view, .click, .addToCart, .purchase])
        let sourceColumns = RankerFeatures.perSourceColumns * f.sources.count + 1
        for time in [start + 331, start + 4_000, start + 200_000] {
            for user in ["a0", "a1", "a2", "b2", "b5", "newcomer"] {
                let (model, online) = try #require(service.rankerCandidates(for: user, at: time))
                #expect(model === served && !online.items.isEmpty, "\(user)")
                let u = Int(try #require(data.users.index(of: user)))
                let changed = Self.posted(after: start).joined().contains { $0.user == user }
                var expected: [(items: [Int32], rows: [Float])]
                if changed {
                    // Folded in by the service: the same candidates, every feature after the sources' own.
                    var rows = offline.rows(for: online.items, lists: [])
                    offline.fillUser(&rows, items: online.items, events: offline.events(of: u, through: time), time: time)
                    expected = [(online.items, rows)]
                    offline.replayActivity(into: &expected, times: [time])
                } else {
                    // A trained user without new events: the same lists, so every feature.
                    #expect(trained.users.index(of: user) == Int32(u))
                    expected = offline.candidates(for: [.init(user: u, time: time)], filter: .excludingHistory, threads: 1)
                    #expect(expected[0].items == online.items, "\(user)")
                }
                let width = f.names.count
                for k in online.items.indices {
                    let from = k * width + (changed ? sourceColumns : 0), to = (k + 1) * width
                    #expect(Self.same(online.rows[from..<to], expected[0].rows[from..<to]),
                            "\(user) at \(time), item \(online.items[k]): \(ranker.features(of: online, at: k)) vs \(Array(expected[0].rows[from..<to]))")
                }
            }
        }
        // The posted events reached the features: a0's repeat purchase of g1, the session, k3's activity.
        let (_, a0) = try #require(service.rankerCandidates(for: "a0", at: start + 331))
        let row = ranker.features(of: a0, at: 0)
        // g1 viewed and bought (the repeated purchase is an exact duplicate), k4 carted a second ago.
        #expect(row["session.events"] == 3 && abs((row["user.hours_since_last"] ?? 0) - 1 / 3_600) < 1e-9)
        let (_, b5) = try #require(service.rankerCandidates(for: "b5", at: start + 331))
        let k3 = try #require(service.catalog.snapshot.index(of: "k3").flatMap(served.modelItem))
        if let k = b5.items.firstIndex(of: k3) {
            #expect(ranker.features(of: b5, at: k)["item.add_to_cart.1h"].map { $0 > 0 } == true)
        }
    }

    @Test("a served ranker recommends from its candidates, never what the user has seen, and follows new events")
    func servesRecommendations() async throws {
        let service = try await ServiceFixture.service(configuration: Self.configuration, events: Self.events)
        defer { Task { await service.shutdown() } }
        let response = try service.recommend(RecommendationRequest(user: "a2", count: 3))
        #expect(response.model == "ranker v1" && response.items.first?.source == .personal)
        let seen = Set(Self.events.filter { $0.user == "a2" }.map(\.item))
        #expect(response.items.allSatisfy { !seen.contains($0.id) })
        let start = try #require(Self.events.map(\.timestamp).max())
        _ = try await service.ingest([StoredEvent(user: "newcomer", item: "g0", kind: .view, timestamp: start + 10)])
        let newcomer = try service.recommend(RecommendationRequest(user: "newcomer", count: 3))
        #expect(newcomer.model == "ranker v1" && newcomer.items.contains { $0.source == .personal } && !newcomer.items.contains { $0.id == "g0" })
        // The personalized-ranking call orders given items by the same trees, for a new user too.
        let given = ["k0", "g3", "g4", "k1"]
        for user in ["a2", "newcomer"] {
            let ranking = try service.personalRanking(of: given, for: user)
            #expect(ranking.basis == .model && ranking.model == "ranker v1" && Set(ranking.items.map(\.id)) == Set(given), "\(user)")
            #expect(ranking.items.allSatisfy { $0.score != nil }, "\(user): \(ranking.items)")
        }
    }

    @Test("an experiment compares a scene with and without the ranker: treatment users get the ranker's order, control the main model's")
    func experimentWithAndWithoutTheRanker() async throws {
        var c = ServiceFixture.configuration
        let definition = ExperimentDefinition(id: "ranker-or-not", variants: [.init(name: "control"), .init(name: "treatment", model: "ranker")],
                                              scene: "home")
        c.experiments = [definition]
        c.experimentModels = ["ranker": .init(name: "ranker", parameters: ["per_source": "6", "rounds": "10", "cuts": "2"])]
        let service = try await ServiceFixture.service(configuration: c, events: Self.events)
        defer { Task { await service.shutdown() } }
        await service.waitForTraining()
        #expect(service.registry.current?.label == "itemknn v1" && service.currentModel(named: "ranker")?.label == "ranker v1")
        let assigner = try ExperimentAssigner(definition)
        var variants: Set<String> = []
        for k in 0..<24 {
            let user = "visitor-\(k)"
            _ = try await service.ingest([StoredEvent(user: user, item: ServiceFixture.garden[k % 5], kind: .view, timestamp: 1_800_000_000 + Int64(k))])
            let variant = try #require(assigner.assign(user: user)?.variant)
            variants.insert(variant)
            let response = try service.recommend(RecommendationRequest(user: user, count: 4))
            #expect(response.experiment == "ranker-or-not" && response.variant == variant)
            #expect(response.model == (variant == "treatment" ? "ranker v1" : "itemknn v1"), "\(user): \(response.model ?? "nil")")
            #expect(response.items.contains { $0.source == .personal } && !response.items.contains { $0.id == ServiceFixture.garden[k % 5] })
        }
        #expect(variants == ["control", "treatment"])
    }

    @Test("a scene's ranking stage orders the blended candidates by the ranker's scores; with another model the blend stands")
    func sceneRankingStage() async throws {
        var c = Self.configuration
        var scene = SceneConfig(sources: [SourceWeight(.personal), SourceWeight(.trending, weight: 0.5), SourceWeight(.popular, weight: 0.3)],
                                fallback: [], count: 6)
        scene.ranker = true
        c.strategy.scenes["ranked"] = scene
        let service = try await ServiceFixture.service(configuration: c, events: Self.events)
        defer { Task { await service.shutdown() } }
        var checked = false
        for _ in 0..<5 where !checked {
            let before = Int64(Date().timeIntervalSince1970)
            let response = try service.recommend(RecommendationRequest(user: "a2", scene: "ranked", count: 6))
            let scores = try #require(service.rankerScores(of: response.items.map(\.id), for: "a2", at: before))
            guard Int64(Date().timeIntervalSince1970) == before else { continue }  // the same second: the same features
            checked = true
            #expect(!response.items.isEmpty && scores.allSatisfy { !$0.isNaN })
            #expect(zip(scores, scores.dropFirst()).allSatisfy { $0 >= $1 }, "\(response.items.map(\.id)): \(scores)")
            #expect(zip(response.items, response.items.dropFirst()).allSatisfy { $0.score > $1.score })
        }
        #expect(checked)
        // The same scene served by another model: the stage has nothing to rank with, the blend stands.
        var plain = c
        plain.model = ServiceFixture.configuration.model
        let other = try await ServiceFixture.service(configuration: plain, events: Self.events)
        defer { Task { await other.shutdown() } }
        let blended = try other.recommend(RecommendationRequest(user: "a2", scene: "ranked", count: 6))
        #expect(blended.model == "itemknn v1" && !blended.items.isEmpty)
    }

    @Test("once enough shown lists have attributed events, retraining learns from them: the user's own events on shown items, at or after the showing, of kinds the weighting counts")
    func learnsFromLoggedImpressions() async throws {
        var c = Self.configuration
        c.model.parameters["min_shown_lists"] = "20"
        c.weighting.kindWeights["dislike"] = 0
        let service = try await ServiceFixture.service(configuration: c, events: Self.events)
        defer { Task { await service.shutdown() } }
        #expect((service.registry.current?.recommender as? RankerModel)?.summary.shownLists == 0)
        let users = ["a0", "a1", "a2", "a3", "a4", "a5", "b0", "b1", "b2", "b3", "b4", "b5"]
        var clicks: [StoredEvent] = []
        for k in 0..<30 {
            let user = users[k % users.count]
            let response = try service.recommend(RecommendationRequest(user: user, count: 4))
            let now = Int64(Date().timeIntervalSince1970)
            let last = try #require(response.items.last?.id)
            // The user's click on the last item shown counts; another user's event carrying the same id,
            // an event on an item that was not shown and one dated before the showing count for nothing.
            clicks.append(StoredEvent(user: user, item: last, kind: .click, timestamp: now + 1, recommendationID: response.recommendationID))
            guard k < 3 else { continue }  // (few: the sources train on the events before the median one)
            clicks.append(StoredEvent(user: users[(k + 1) % users.count], item: response.items[0].id, kind: .purchase, timestamp: now + 1,
                                      recommendationID: response.recommendationID))
            let unshown = (ServiceFixture.kitchen + ServiceFixture.garden).first { id in !response.items.contains { $0.id == id } }
            clicks.append(StoredEvent(user: user, item: try #require(unshown), kind: .purchase, timestamp: now + 1,
                                      recommendationID: response.recommendationID))
            clicks.append(StoredEvent(user: user, item: response.items[0].id, kind: .purchase, timestamp: now - 3_600,
                                      recommendationID: response.recommendationID))
        }
        // Three more lists whose only attributed event is of a kind the weighting ignores: not learned from.
        for user in ["a0", "b0", "a1"] {
            let response = try service.recommend(RecommendationRequest(user: user, count: 4))
            clicks.append(StoredEvent(user: user, item: response.items[0].id, kind: EventKind("dislike"), timestamp: Int64(Date().timeIntervalSince1970) + 1,
                                      recommendationID: response.recommendationID))
        }
        await service.impressions.flush()
        _ = try await service.ingest(clicks)
        _ = try await service.retrain()
        await service.waitForTraining()
        let retrained = try #require(service.registry.current)
        let ranker = try #require(retrained.recommender as? RankerModel)
        #expect(retrained.label == "ranker v2" && ranker.summary.shownLists == 30 && ranker.summary.labeledUsers == 30)
        // The lists' groups: each user's click on the last item shown, graded as a click.
        #expect(ranker.summary.meanCandidates == 4, "every shown item is a candidate of its list")
        #expect(Self.events.count > 30 + 3 * 3 + 3, "the lists come after the log's median event")
        #expect(!(try service.recommend(RecommendationRequest(user: "a2", count: 4))).items.isEmpty)
    }
}
