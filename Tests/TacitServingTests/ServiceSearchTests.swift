import Foundation
import Testing
import TacitCore
import TacitEvaluation
import TacitModels
import TacitServing
import TacitStore
import TacitTestSupport

/// `training.search`: the service tunes its model in the background on a holdout of its own
/// events, keeps every trial in a file, resumes after a restart and serves the winner.
@Suite(.serialized) struct ServiceSearchTests {
    /// als configured badly (2 factors, λ 1000, one iteration) on the MovieLens-like fixture (40
    /// users, 60 items): the search finds better parameters.
    static func configuration(maxTrials: Int) -> ServiceConfiguration {
        var c = ServiceFixture.configuration
        c.model = .init(name: "als", parameters: ["factors": "2", "regularization": "1000", "iterations": "1"])
        c.training.search = .init(budgetSeconds: 600, maxTrials: maxTrials)
        return c
    }

    /// A service on `directory`'s store; `seed` fills it first (a restart does not).
    static func service(maxTrials: Int, directory: URL, seed: Bool = true) async throws -> RecommendationService {
        try await ServiceFixture.service(configuration: configuration(maxTrials: maxTrials), seed: seed, items: MovieLensLikeFixture.items,
                                         events: MovieLensLikeFixture.events, directory: directory)
    }

    /// Waits (up to two minutes) for the search to finish or fail.
    static func finished(_ service: RecommendationService) async throws -> ModelSearchRunner.Status {
        let search = try #require(service.search)
        for _ in 0..<1_200 {
            let status = search.status
            if status.phase == .finished || status.phase == .failed { return status }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        Issue.record("the search did not finish: \(search.status.phase), \(search.status.trials.count) trials")
        return search.status
    }

    @Test func theServiceSearchesAndServesTheBestParameters() async throws {
        let directory = Fixtures.temporaryDirectory()
        let service = try await Self.service(maxTrials: 5, directory: directory)
        let status = try await Self.finished(service)
        #expect(status.phase == .finished, "\(status.error ?? "")")
        #expect(status.trials.count == 5 && status.trials.allSatisfy { $0.error == nil && $0.model == "als" })
        #expect(status.baseline?.parameters.integer("factors") == 2)          // the configured parameters come first
        #expect(status.holdoutUsers == MovieLensLikeFixture.userCount)
        let best = try #require(status.best)
        #expect((best.metrics["NDCG@10"] ?? 0) > (status.baseline?.metrics["NDCG@10"] ?? 1), "\(status.trials.map(\.metrics))")
        // The winner is adopted and serves: a new version trained with its parameters.
        let adopted = try #require(status.adopted)
        #expect(adopted == best.parameters.values.mapValues(\.description))
        #expect(await service.lifecycle.choice.parameters == adopted)
        let serving = try #require(service.registry.current)
        #expect(serving.info.version == status.appliedVersion && serving.info.version == 2)
        #expect(serving.info.parameters == adopted)
        // Every trial is in the file.
        let saved = try JSONDecoder().decode(ModelSearchRunner.Status.self, from: Data(contentsOf: URL(fileURLWithPath: service.search!.path)))
        #expect(saved == status)
        await service.shutdown()

        // A restart keeps serving the winner and trains with its parameters; the search does not run again.
        let again = try await Self.service(maxTrials: 5, directory: directory, seed: false)
        #expect(again.search?.status.phase == .finished)
        #expect(again.registry.current?.info.version == 2)
        #expect(await again.lifecycle.choice.parameters == adopted)
        let retrained = try await again.lifecycle.trainAndWait()
        #expect(retrained.parameters == adopted)
        await again.shutdown()
    }

    /// With `models`, the search tries the other models too (the configured one first, then in
    /// turn), and a winner that is another model replaces the main model: its versions are that
    /// model's (v1 …), and a restart loads them, not the configured model's.
    @Test func theServiceChoosesAmongModels() async throws {
        var configuration = Self.configuration(maxTrials: 3)
        configuration.training.search?.models = .list(["popular", "als", "itemknn"])
        let directory = Fixtures.temporaryDirectory()
        let service = try await ServiceFixture.service(configuration: configuration, items: MovieLensLikeFixture.items,
                                                       events: MovieLensLikeFixture.events, directory: directory)
        let status = try await Self.finished(service)
        #expect(status.phase == .finished, "\(status.error ?? "")")
        #expect(status.models == ["als", "popular", "itemknn"])
        #expect(status.trials.map(\.model) == ["als", "popular", "itemknn"])
        let best = try #require(status.best)
        #expect(best.model != "als", "\(status.trials.map { ($0.model, $0.metrics["NDCG@10"] ?? 0) })")
        #expect(status.adoptedModel == best.model && status.adopted == best.parameters.values.mapValues(\.description))
        #expect(await service.lifecycle.choice == .init(name: best.model, parameters: best.parameters.values.mapValues(\.description)))
        let serving = try #require(service.registry.current)
        #expect(serving.info.model == best.model && serving.info.version == 1 && status.appliedVersion == 1)
        #expect(service.currentModel(named: best.model)?.info.version == 1)
        #expect(service.currentModel(named: "als") == nil)
        #expect(try await service.store.modelVersions(of: "als").map(\.version) == [1])
        await service.shutdown()

        // A restart serves the winner's newest version, and retrains the winner.
        let again = try await ServiceFixture.service(configuration: configuration, seed: false, items: MovieLensLikeFixture.items,
                                                     events: MovieLensLikeFixture.events, directory: directory)
        #expect(again.search?.status.phase == .finished)
        #expect(again.registry.current?.info.model == best.model && again.registry.current?.info.version == 1)
        let retrained = try await again.lifecycle.trainAndWait()
        #expect(retrained.model == best.model && retrained.version == 2)
        #expect(try await again.retrain().first?.model == best.model)
        await again.waitForTraining()
        await again.shutdown()

        // A search asked for other models starts over; without `models`, the configured model serves again.
        var plain = configuration
        plain.training.search?.models = .configured
        plain.training.search?.maxTrials = 1
        let back = try await ServiceFixture.service(configuration: plain, seed: false, items: MovieLensLikeFixture.items,
                                                    events: MovieLensLikeFixture.events, directory: directory)
        #expect(back.registry.current?.info.model == "als" && back.registry.current?.info.version == 1)
        #expect(try await Self.finished(back).trials.map(\.model) == ["als"])
        await back.shutdown()
    }

    /// A finished search file edited to adopt what the service could not train is set aside.
    @Test func anAdoptedChoiceFromTheFileIsChecked() async throws {
        for (model, parameters, models) in [("als", ["factors": "-3"], nil), ("ease", [:], nil), ("nonsense", [:], nil),
                                            ("als", [:], ["als", "nonsense"]), ("als", [:], ["popular", "als"]), ("als", [:], ["als", "als"])]
                as [(String, [String: String], [String]?)] {
            let directory = Fixtures.temporaryDirectory()
            let folder = directory.appendingPathComponent("models")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            var forged = ModelSearchRunner.Status(model: "als", metric: "NDCG@10", budgetSeconds: 600, maxTrials: 2)
            forged.phase = .finished
            forged.adopted = parameters
            forged.adoptedModel = model
            forged.models = models
            try JSONEncoder().encode(forged).write(to: folder.appendingPathComponent("search-als.json"))
            let service = try await Self.service(maxTrials: 2, directory: directory)
            let status = try await Self.finished(service)
            #expect(status.trials.count == 2 && status.trials.allSatisfy { $0.model == "als" }, "\(model) \(models ?? [])")
            #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("models/search-als.json.bad").path), "\(model) \(models ?? [])")
            await service.shutdown()
        }
    }

    /// A search that fails for want of data starts over once a new version (trained on more
    /// events) serves.
    @Test func aFailedSearchStartsOverWithTheNextVersion() async throws {
        var seen: Set<UserID> = []
        let all = MovieLensLikeFixture.events
        let first = all.filter { seen.insert($0.user).inserted }     // one event per user: nothing to hold out
        let service = try await ServiceFixture.service(configuration: Self.configuration(maxTrials: 2), items: MovieLensLikeFixture.items,
                                                       events: first, directory: Fixtures.temporaryDirectory())
        let failed = try await Self.finished(service)
        #expect(failed.phase == .failed && failed.trials.isEmpty)
        #expect(failed.error?.contains("no user has a last event to hold out") == true, "\(failed.error ?? "")")
        let rest = all.filter { event in !first.contains { $0.user == event.user && $0.item == event.item && $0.timestamp == event.timestamp } }
        _ = try await service.ingest(rest)
        try await service.lifecycle.trainAndWait()
        var status = service.search!.status
        for _ in 0..<1_200 where status.phase != .finished {
            try await Task.sleep(nanoseconds: 100_000_000)
            status = service.search!.status
        }
        #expect(status.phase == .finished && status.error == nil && status.trials.count == 2, "\(status.phase) \(status.error ?? "")")
        #expect(status.holdoutUsers == MovieLensLikeFixture.userCount)
        await service.shutdown()
    }

    /// An interrupted search resumes with the trials it had: the same proposals as a search that ran through.
    @Test func aRestartedServiceResumesItsSearch() async throws {
        let through = Fixtures.temporaryDirectory()
        let reference = try await Self.service(maxTrials: 4, directory: through)
        let uninterrupted = try await Self.finished(reference)
        await reference.shutdown()

        let directory = Fixtures.temporaryDirectory()
        let first = try await Self.service(maxTrials: 2, directory: directory)
        var interrupted = try await Self.finished(first)
        let path = first.search!.path
        await first.shutdown()
        // As if the service had stopped after two trials of a four-trial search.
        interrupted.phase = .running
        interrupted.adopted = nil
        interrupted.appliedVersion = nil
        try JSONEncoder().encode(interrupted).write(to: URL(fileURLWithPath: path))
        let second = try await Self.service(maxTrials: 4, directory: directory, seed: false)
        let resumed = try await Self.finished(second)
        #expect(resumed.phase == .finished, "\(resumed.error ?? "")")
        #expect(resumed.trials.count == 4)
        #expect(Array(resumed.trials.prefix(2)) == interrupted.trials)
        #expect(resumed.trials.map(\.parameters) == uninterrupted.trials.map(\.parameters))
        await second.shutdown()
    }

    /// A search file that does not read is set aside and a new search starts.
    @Test func anUnreadableSearchFileIsSetAside() async throws {
        let directory = Fixtures.temporaryDirectory()
        let models = directory.appendingPathComponent("models")
        try FileManager.default.createDirectory(at: models, withIntermediateDirectories: true)
        try Data("{\"phase\": 12, \u{0}".utf8).write(to: models.appendingPathComponent("search-als.json"))
        let service = try await Self.service(maxTrials: 2, directory: directory)
        let status = try await Self.finished(service)
        #expect(status.phase == .finished && status.trials.count == 2)
        #expect(FileManager.default.fileExists(atPath: models.appendingPathComponent("search-als.json.bad").path))
        await service.shutdown()
    }
}
