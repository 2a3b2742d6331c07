import Foundation
import Testing
import TacitCore
import TacitModels
import TacitTestSupport
@testable import TacitEvaluation

/// The search engine of `tacit tune --models/--auto` and the service's background search, with
/// a measurement given by the test: which model gets each trial, the budget, resuming.
@Suite struct ModelSearchTests {
    /// A fixed score per model: `popular` 0.5, `itemknn` 0.1, anything else 0.3; each trial 1 s.
    static func score(_ descriptor: ModelDescriptor, _ parameters: Parameters, _ index: Int) -> ModelSearch.Measurement {
        let value = descriptor.name == "popular" ? 0.5 : descriptor.name == "itemknn" ? 0.1 : 0.3
        return (["NDCG@10": value], 1)
    }

    @Test func aTrialBudgetGoesRoundTheModelsFewestTrialsFirst() async throws {
        let search = ModelSearch(models: [ImplicitALS.descriptor, Popularity.descriptor], budget: .init(trials: 8))
        let trials = try await search.run { d, p, i in Self.score(d, p, i) }
        #expect(trials.map(\.model) == ["als", "popular", "als", "popular", "als", "popular", "als", "popular"])
        #expect(trials[0].parameters == ImplicitALS.descriptor.defaults)     // every model starts from its defaults
        #expect(trials[1].parameters == Popularity.descriptor.defaults)
        #expect(search.best(of: trials)?.model == "popular")
        #expect(Set(trials.filter { $0.model == "als" }.map(\.parameters)).count == 4)   // no assignment twice
    }

    /// After its exploration trials, a model whose best is below 90% of the leader's gets no more.
    @Test func aModelFarBehindLeavesTheRaceAfterItsExploration() async throws {
        let search = ModelSearch(models: [ItemKNN.descriptor, ImplicitALS.descriptor, Popularity.descriptor], budget: .init(trials: 12),
                                 exploration: 2)
        let trials = try await search.run { d, p, i in Self.score(d, p, i) }
        let counts = Dictionary(grouping: trials, by: \.model).mapValues(\.count)
        // Two each (6 trials); then only popular (0.5) races: als 0.3 < 0.45 and itemknn 0.1 are out.
        #expect(counts == ["itemknn": 2, "als": 2, "popular": 8])
    }

    /// A search resumed from its first trials proposes exactly what the uninterrupted one did.
    @Test func aResumedSearchGoesOnWhereItStopped() async throws {
        let measure: @Sendable (ModelDescriptor, Parameters, Int) async throws -> ModelSearch.Measurement = { d, p, _ in
            guard d.name == "als" else { return (["NDCG@10": 0.2], 1) }
            return (["NDCG@10": 1 / (1 + abs(Double(p.integer("factors")) - 40))], 1)
        }
        let full = ModelSearch(models: [ImplicitALS.descriptor, Popularity.descriptor], seed: 7, budget: .init(trials: 16), exploration: 3)
        let all = try await full.run(measure: measure)
        var first = full
        first.budget = .init(trials: 5)
        let head = try await first.run(measure: measure)
        #expect(head.map(\.parameters) == all.prefix(5).map(\.parameters))
        let resumed = try await full.run(previous: head, measure: measure)
        #expect(resumed.count == 16)
        #expect(resumed.map(\.parameters) == all.map(\.parameters))
        #expect(resumed.map(\.model) == all.map(\.model))
    }

    /// Seconds: the trials already run count; the next trial runs only when the model's mean
    /// trial time still fits in what is left.
    @Test func theSecondsBudgetCountsEarlierTrialsAndEstimatesTheNext() async throws {
        // Hundreds of seconds, so that a loaded machine's scheduling delays (seconds) cannot change the decisions.
        let search = ModelSearch(models: [Popularity.descriptor], budget: .init(seconds: 1000))
        let earlier = SearchTrial(model: "popular", parameters: Popularity.descriptor.defaults, metrics: ["NDCG@10": 0.1],
                                  fitSeconds: 500, seconds: 600, finishedAt: 0)
        // 600 s spent, 600 s expected for the next: 1200 > 1000, so nothing more runs.
        let trials = try await search.run(previous: [earlier], measure: { d, p, i in Self.score(d, p, i) })
        #expect(trials == [earlier])
        // With 1300 s, 600 + 600 fits: a trial of a few seconds at most runs, the mean falls to about
        // 300 s, another runs; the trial cap (3, the earlier one included) ends it.
        let roomy = ModelSearch(models: [Popularity.descriptor], budget: .init(seconds: 1300, trials: 3))
        #expect(try await roomy.run(previous: [earlier], measure: { d, p, i in Self.score(d, p, i) }).count == 3)
    }

    /// A slow model whose next trial no longer fits leaves the turn to a fast one that does.
    @Test func aSlowModelThatNoLongerFitsLeavesTheTurnToFasterOnes() async throws {
        // Hundreds of seconds, so that a loaded machine's scheduling delays (seconds) cannot change the decisions.
        let search = ModelSearch(models: [ImplicitALS.descriptor, Popularity.descriptor], budget: .init(seconds: 1000, trials: 5))
        let slow = SearchTrial(model: "als", parameters: ImplicitALS.descriptor.defaults, metrics: ["NDCG@10": 0.3],
                               fitSeconds: 800, seconds: 800, finishedAt: 0)
        let fast = SearchTrial(model: "popular", parameters: Popularity.descriptor.defaults, metrics: ["NDCG@10": 0.5],
                               fitSeconds: 0, seconds: 10, finishedAt: 0)
        // als has as few trials as popular, but 810 s spent + 800 s expected > 1000: popular goes on.
        let trials = try await search.run(previous: [slow, fast], measure: { d, p, i in Self.score(d, p, i) })
        #expect(trials.map(\.model) == ["als", "popular", "popular", "popular", "popular"])
    }

    /// Recorded trials come from a file: a negative time does not buy the search more seconds.
    @Test func aNegativeRecordedTimeCountsAsNothing() async throws {
        let search = ModelSearch(models: [Popularity.descriptor], budget: .init(seconds: 1000, trials: 4))
        let forged = SearchTrial(model: "popular", parameters: Popularity.descriptor.defaults, metrics: ["NDCG@10": 0.1],
                                 fitSeconds: 0, seconds: -1e300, finishedAt: 0)
        let trials = try await search.run(previous: [forged], measure: { d, p, i in Self.score(d, p, i) })
        // Counted as 0 s: the trial budget ends it (the few seconds at most per trial fit in 1000 s).
        #expect(trials.count == 4)
        let costly = SearchTrial(model: "popular", parameters: Popularity.descriptor.defaults, metrics: ["NDCG@10": 0.1],
                                 fitSeconds: 0, seconds: 1100, finishedAt: 0)
        #expect(try await search.run(previous: [forged, costly], measure: { d, p, i in Self.score(d, p, i) }).count == 2)
    }

    @Test func theServiceStartsFromItsConfiguredParameters() async throws {
        var start = ImplicitALS.descriptor.defaults
        start["factors"] = .integer(24)
        var search = ModelSearch(models: [ImplicitALS.descriptor], budget: .init(trials: 3))
        search.starts = ["als": start]
        let trials = try await search.run { d, p, i in Self.score(d, p, i) }
        #expect(trials.first?.parameters == start)
    }

    /// A trial still running when the budget and its overrun are spent is stopped and recorded
    /// as failed; the search ends there.
    @Test func aTrialRunningPastTheBudgetIsStopped() async throws {
        var search = ModelSearch(models: [Popularity.descriptor, ImplicitALS.descriptor], budget: .init(seconds: 1))
        search.overrun = 0.2
        // popular's trial is recorded as taking no time (a measured one could take half the budget on a loaded machine).
        let popular = SearchTrial(model: "popular", parameters: Popularity.descriptor.defaults, metrics: ["NDCG@10": 0.5],
                                  fitSeconds: 0, seconds: 0, finishedAt: 0)
        let trials = try await search.run(previous: [popular]) { d, p, i in
            guard d.name == "als" else { return Self.score(d, p, i) }
            while true { try await Task.sleep(nanoseconds: 10_000_000) }     // ends only when cancelled
        }
        #expect(trials.map(\.model) == ["popular", "als"])
        #expect(trials[1].error == "stopped: the search's budget ran out during this trial" && trials[1].metrics.isEmpty)
        #expect(search.best(of: trials)?.model == "popular")
    }

    /// The same with a real fit: ALS stops between iterations when its trial is stopped.
    @Test func aRealFitIsStoppedAtTheBudget() async throws {
        var events: [Event] = []
        for u in 0..<3_000 {
            for k in 0..<12 { events.append(Event(user: "u\(u)", item: "i\((u * 7 + k * 13) % 800)", timestamp: Int64(k))) }
        }
        let split = LeaveLastOut(validation: false).split(EventLog(events))
        let training = try WeightingPolicy().matrix(from: split.train)
        let validation = TestSet(test: split.test, training: training)
        var start = ImplicitALS.descriptor.defaults
        start["factors"] = .integer(256)
        start["iterations"] = .integer(1000)                 // minutes of work on two cores
        var search = ModelSearch(models: [Popularity.descriptor, ImplicitALS.descriptor], budget: .init(seconds: 1))
        search.starts = ["als": start]
        // popular succeeds first (a trial is only stopped once one has); als is stopped.
        let trials = try await search.run(training: training, validation: validation, run: ModelRun(threads: 1))
        #expect(trials.map(\.model) == ["popular", "als"] && trials[1].error?.hasPrefix("stopped") == true)
    }

    @Test func aFailedTrialIsRecordedAndTheSearchGoesOn() async throws {
        let search = ModelSearch(models: [ImplicitALS.descriptor, Popularity.descriptor], budget: .init(trials: 4))
        let trials = try await search.run { d, p, i in
            guard d.name == "popular" else { throw TacitError.invalidArgument("diverged") }
            return Self.score(d, p, i)
        }
        #expect(trials.count == 4 && trials.filter { $0.error != nil }.map(\.model) == ["als", "als"])
        #expect(trials[0].error?.contains("diverged") == true && trials[0].metrics.isEmpty)
        #expect(search.best(of: trials)?.model == "popular")
        let hopeless = ModelSearch(models: [ImplicitALS.descriptor], budget: .init(trials: 2))
        await #expect(throws: TacitError.self) { try await hopeless.run { _, _, _ in throw TacitError.invalidArgument("diverged") } }
    }

    @Test func badSettingsAreRefusedNamingTheField() {
        let cases: [(ModelSearch, String)] = [
            (ModelSearch(models: [], budget: .init(trials: 1)), "at least one model"),
            (ModelSearch(models: [Popularity.descriptor, Popularity.descriptor], budget: .init(trials: 1)), "twice"),
            (ModelSearch(models: [Popularity.descriptor], budget: .init()), "seconds or trials"),
            (ModelSearch(models: [Popularity.descriptor], budget: .init(seconds: -1)), "budget seconds"),
            (ModelSearch(models: [Popularity.descriptor], budget: .init(trials: 0)), "budget trials"),
        ]
        for (search, message) in cases {
            do {
                try search.validate()
                Issue.record("accepted: \(message)")
            } catch { #expect(error.description.contains(message), "\(error)") }
        }
    }

    /// The real measurement: two models on a small block-structured log, every trial evaluated.
    @Test func searchesRealModelsOnValidationData() async throws {
        var events: [Event] = []
        for u in 0..<30 {
            for k in 0..<6 { events.append(Event(user: "u\(u)", item: "i\((u % 3) * 10 + (u + k) % 10)", timestamp: Int64(u * 10 + k))) }
        }
        let split = LeaveLastOut(validation: false).split(EventLog(events))
        let training = try WeightingPolicy().matrix(from: split.train)
        let validation = TestSet(test: split.test, training: training)
        #expect(validation.users.count == 30)
        let search = ModelSearch(models: [Popularity.descriptor, ItemKNN.descriptor], budget: .init(trials: 4))
        let trials = try await search.run(training: training, validation: validation, run: ModelRun(threads: 1))
        #expect(trials.count == 4 && trials.allSatisfy { $0.error == nil && ($0.metrics["NDCG@10"] ?? -1) >= 0 })
        let single = try await ModelRun(threads: 1).run(ItemKNN.descriptor, parameters: ItemKNN.descriptor.defaults,
                                                         training: training, testSet: validation)
        #expect(trials[1].metrics["NDCG@10"] == single.report[.ndcg, at: 10])
    }
}
