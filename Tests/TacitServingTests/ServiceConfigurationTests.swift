import Foundation
import Testing
import TacitCore
import TacitServing
import TacitStore
import TacitTestSupport

@Suite("Service configuration")
struct ServiceConfigurationTests {
    static func decode(_ json: String) throws(TacitError) -> ServiceConfiguration {
        try ServiceConfiguration.decode(Data(json.utf8), file: "tacit.json")
    }

    @Test("a full file sets every section")
    func fullFile() throws {
        let c = try Self.decode("""
        {"model": {"name": "itemknn", "parameters": {"neighbors": 30}},
         "weighting": {"kind_weights": {"view": 1, "purchase": 10}, "kind_scale": "absolute", "aggregation": "log", "half_life_days": 7},
         "training": {"retrain_interval_seconds": 600, "min_new_events": 50, "evaluate": false, "threads": 1, "keep_files": 2},
         "serving": {"history_limit": 100, "trending_half_life_hours": 24, "public_reads": false, "max_body_bytes": 4096,
                     "max_events_per_request": 10, "record_impressions": false, "cache_users": 0,
                     "bandit_refresh_updates": 7, "max_future_seconds": 60, "earliest_event_time": 946684800},
         "strategy": {"scenes": {"home": {"count": 6}, "deals": {"sources": [{"source": "trending", "weight": 1}]}}},
         "retrieval": {"mode": "index", "threshold": 10, "leaves": 40, "probes": 6, "rescore": 50}}
        """)
        #expect(c.retrieval.mode == .index && c.retrieval.threshold == 10 && c.retrieval.index.leaves == 40)
        #expect(c.retrieval.index.probes == 6 && c.retrieval.index.rescore == 50)
        #expect(c.model == .init(name: "itemknn", parameters: ["neighbors": "30"]))
        #expect(c.weighting.kindWeights == ["view": 1, "purchase": 10])
        #expect(c.weighting.aggregation == .log && c.weighting.halfLife == 7 * 86_400 && c.weighting.kindScale == .absolute)
        #expect(try Self.decode("{}").weighting.kindScale == .relative)
        #expect(try Self.decode("{}").training.search == nil)
        let searching = try Self.decode(#"{"training": {"search": {"budget_seconds": 120, "max_trials": 30, "metric": "HR@10", "seed": 3}}}"#)
        #expect(searching.training.search == .init(budgetSeconds: 120, maxTrials: 30, metric: "HR@10", seed: 3))
        #expect(try Self.decode(#"{"training": {"search": {}}}"#).training.search == .init())
        #expect(try Self.decode(#"{"training": {"search": {"enabled": false, "budget_seconds": 60}}}"#).training.search == nil)
        #expect(try Self.decode(#"{"training": {"search": {"models": "auto"}}}"#).training.search?.models == .automatic)
        #expect(try Self.decode(#"{"training": {"search": {"models": ["ease", "popular"]}}}"#).training.search?.models == .list(["ease", "popular"]))
        #expect(try Self.decode(#"{"training": {"search": {}}}"#).training.search?.models == .configured)
        // A variant may name another model than the ones searched, and the main model while the search only tunes it.
        let scene = #""strategy": {"scenes": {"home": {"sources": [{"source": "personal"}]}}}"#
        let variants = #""experiments": [{"id": "x", "scene": "home", "variants": [{"name": "a"}, {"name": "b", "model": "itemknn"}]}]"#
        #expect(try Self.decode(#"{"training": {"search": {"models": ["ease"]}}, \#(scene), \#(variants)}"#).training.search?.models == .list(["ease"]))
        let main = #""experiments": [{"id": "x", "scene": "home", "variants": [{"name": "a", "model": "als"}, {"name": "b"}]}]"#
        #expect(try Self.decode(#"{"training": {"search": {}}, \#(scene), \#(main)}"#).training.search?.models == .configured)
        #expect(c.training.retrainInterval == 600 && c.training.minNewEvents == 50 && !c.training.evaluate)
        #expect(c.training.threads == 1 && c.training.keepFiles == 2)
        #expect(c.serving.historyLimit == 100 && c.serving.trendingHalfLifeHours == 24 && !c.serving.publicReads)
        #expect(c.serving.maxBodyBytes == 4096 && c.serving.maxEventsPerRequest == 10 && !c.serving.recordImpressions)
        #expect(c.serving.cacheUsers == 0 && c.serving.banditRefreshUpdates == 7)
        #expect(c.serving.maxFutureSeconds == 60 && c.serving.earliestEventTime == 946_684_800)
        #expect(c.strategy.scenes["home"]?.count == 6)
        #expect(c.strategy.scenes["deals"]?.sources.map(\.source) == [.trending])
        #expect(c.strategy.scenes["cart"] != nil)
    }

    @Test("a bad file fails at load with the exact field", arguments: [
        (#"{"modle": {}}"#, "tacit.json: modle: unknown key"),
        (#"{"model": {"name": "neural"}}"#, "tacit.json: model.name: unknown model 'neural'"),
        (#"{"model": {"name": "als", "parameters": {"factorz": 8}}}"#, "tacit.json: model.parameters:"),
        (#"{"serving": {"history_limit": 0}}"#, "tacit.json: serving.history_limit: must be >= 1, got 0"),
        (#"{"serving": {"public_reads": "yes"}}"#, "tacit.json: serving.public_reads: must be true or false"),
        (#"{"serving": {"bandit_refresh_updates": 0}}"#, "tacit.json: serving.bandit_refresh_updates: must be >= 1, got 0"),
        (#"{"serving": {"max_future_seconds": -1}}"#, "tacit.json: serving.max_future_seconds: must be >= 0, got -1"),
        (#"{"training": {"threads": 1.5}}"#, "tacit.json: training.threads: must be a whole number"),
        (#"{"strategy": {"scenes": {"home": {"sources": [{"source": "personal", "weight": -1}]}}}}"#,
         "strategy.scenes.home.sources[0].weight"),
        (#"{"model": "#, "tacit.json: invalid JSON"),
        (#"{"weighting": {"aggregation": "mean"}}"#, "tacit.json: weighting.aggregation: unknown aggregation 'mean'"),
        (#"{"training": {"search": {"budget_seconds": 0}}}"#, "tacit.json: training.search.budget_seconds: must be >= 1, got 0"),
        (#"{"training": {"search": {"metric": "NDCG"}}}"#, "tacit.json: training.search.metric:"),
        (#"{"training": {"search": {"trials": 5}}}"#, "tacit.json: training.search.trials: unknown key"),
        (#"{"training": {"search": {"max_trials": 2.5}}}"#, "tacit.json: training.search.max_trials: must be a whole number"),
        (#"{"training": {"search": {"models": "all"}}}"#, #"tacit.json: training.search.models: must be "auto" or a list of model names, got 'all'"#),
        (#"{"training": {"search": {"models": {"als": 1}}}}"#, #"tacit.json: training.search.models: must be "auto" or a list of model names"#),
        (#"{"training": {"search": {"models": ["ease", 3]}}}"#, "tacit.json: training.search.models[1]: must be a model name (a string)"),
        (#"{"training": {"search": {"models": ["ease", "neural"]}}}"#, "tacit.json: training.search.models[1]: unknown model 'neural'"),
        (#"{"training": {"search": {"models": ["ease", "ease"]}}}"#, "tacit.json: training.search.models[1]: 'ease' is listed twice"),
        (#"{"training": {"search": {"models": ["als\u0000", "ease"]}}}"#, "tacit.json: training.search.models[0]: unknown model 'als\u{0}'"),
        (#"{"training": {"search": {"models": [""]}}}"#, "tacit.json: training.search.models[0]: unknown model ''"),
        (#"{"training": {"search": {"models": [1e400]}}}"#, "tacit.json: invalid JSON"),
        (#"{"training": {"search": {"models": [null]}}}"#, "tacit.json: training.search.models[0]: must be a model name (a string)"),
        (#"{"training": {"search": {"models": "../../etc/passwd"}}}"#, #"tacit.json: training.search.models: must be "auto" or a list of model names"#),
        (#"{"training": {"search": {"models": ["popular", "itemknn"]}}, "strategy": {"scenes": {"home": {"sources": [{"source": "personal"}]}}}, "experiments": [{"id": "x", "scene": "home", "variants": [{"name": "a"}, {"name": "b", "model": "itemknn"}]}]}"#,
         "tacit.json: training.search.models[1]: 'itemknn' is the model of an experiment variant; the main model may not become it"),
        (#"{"training": {"search": {"models": "auto"}}, "strategy": {"scenes": {"home": {"sources": [{"source": "personal"}]}}}, "experiments": [{"id": "x", "scene": "home", "variants": [{"name": "a", "model": "als"}, {"name": "b"}]}]}"#,
         "tacit.json: training.search.models: an experiment variant names the main model 'als', which serves it"),
        (#"{"weighting": {"kind_scale": "ratio"}}"#, "tacit.json: weighting.kind_scale: unknown kind scale 'ratio'; valid: relative, absolute"),
        (#"{"weighting": {"default_kind_weight": -1}}"#, "tacit.json: weighting.default_kind_weight: must be >= 0, got -1"),
        (#"{"weighting": {"kind_weights": {"view": -1}}}"#, "tacit.json: weighting.kind_weights.view: must be >= 0, got -1"),
        (#"{"retrieval": {"mode": "fast"}}"#, "tacit.json: retrieval.mode: unknown mode 'fast'; valid: auto, exact, index"),
        (#"{"retrieval": {"rescore": 0}}"#, "tacit.json: retrieval.rescore: must be >= 1, got 0"),
        (#"{"retrieval": {"probes": 2000000}}"#, "tacit.json: retrieval.probes: must be <= 1000000"),
        (#"{"retrieval": {"exact": true}}"#, "tacit.json: retrieval.exact: unknown key"),
    ])
    func badFiles(json: String, message: String) {
        do {
            _ = try Self.decode(json)
            Issue.record("\(json) was accepted")
        } catch {
            #expect(error.description.contains(message), "\(error.description)")
        }
    }

    @Test("the schedule retrains when new events arrived, not otherwise")
    func scheduledRetrain() async throws {
        var configuration = ServiceFixture.configuration
        configuration.training.retrainInterval = 0.2
        configuration.training.minNewEvents = 1
        let service = try await ServiceFixture.service(configuration: configuration)
        defer { Task { await service.shutdown() } }
        try await Task.sleep(nanoseconds: 600_000_000)
        #expect(service.registry.current?.info.version == 1, "no new events: no retrain")
        _ = try await service.ingest([StoredEvent(user: "new", item: "k1", kind: .view, timestamp: 1_800_000_000)])
        var version = 1
        for _ in 0..<100 where version == 1 {
            try await Task.sleep(nanoseconds: 50_000_000)
            version = service.registry.current?.info.version ?? 0
        }
        #expect(version == 2)
        #expect(service.registry.current?.info.lastSequence == (try await service.store.lastSequence()))
    }
}
