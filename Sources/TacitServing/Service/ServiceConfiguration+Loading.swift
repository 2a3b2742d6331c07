import Foundation
import TacitCore
import TacitEvaluation
import TacitExperiments
import TacitModels
import TacitStore

extension ServiceConfiguration {
    /// Reads a configuration file (JSON). Every key is checked: an unknown key, a wrong type or
    /// an out-of-range value fails with the file and the field's path
    /// (`tacit.json: serving.history_limit: must be >= 1, got 0`).
    public static func load(path: String) throws(TacitError) -> ServiceConfiguration {
        guard let data = FileManager.default.contents(atPath: path) else { throw .io(path: path, reason: "cannot read the configuration file") }
        return try decode(data, file: path)
    }

    /// Parses a configuration from JSON (see ``load(path:)``).
    public static func decode(_ data: Data, file: String = "configuration") throws(TacitError) -> ServiceConfiguration {
        let json: Any
        do { json = try JSONSerialization.jsonObject(with: data) } catch {
            throw .format(path: file, reason: "invalid JSON: \((error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)")")
        }
        do {
            return try ConfigurationReader(root: json).read()
        } catch let error as ConfigurationReader.Failure {
            throw .format(path: file, reason: "\(error.path): \(error.reason)")
        } catch let error as ConfigError {
            throw .format(path: file, reason: error.description)
        } catch {
            throw .format(path: file, reason: "\(error)")
        }
    }
}

/// Walks the configuration JSON with strict keys and typed values.
struct ConfigurationReader {
    struct Failure: Error {
        let path: String
        let reason: String
    }

    let root: Any

    func read() throws -> ServiceConfiguration {
        var c = ServiceConfiguration()
        let top = try Self.object(root, "", known: ["model", "weighting", "training", "serving", "storage", "strategy", "experiments", "privacy",
                                                          "retrieval"])
        if let model = try top.map("model", known: Self.modelKeys) {
            c.model = try Self.modelChoice(model, base: c.model)
        }
        if let weighting = try top.map("weighting", known: ["kind_weights", "default_kind_weight", "kind_scale", "aggregation", "half_life_days",
                                                            "min_user_count", "min_item_count", "drop_duplicates"]) {
            if let weights = try weighting.map("kind_weights", known: Optional<Set<String>>.none) {
                var kindWeights: [String: Float] = [:]
                for key in weights.fields.keys.sorted() {
                    guard let w = try weights.number(key, min: 0) else { continue }
                    kindWeights[EventKind(key).name] = Float(w)
                }
                c.weighting.kindWeights = kindWeights
            }
            c.weighting.defaultKindWeight = try weighting.number("default_kind_weight", min: 0).map(Float.init) ?? c.weighting.defaultKindWeight
            if let name = try weighting.string("kind_scale") {
                guard let scale = WeightingPolicy.KindScale(rawValue: name) else {
                    throw Failure(path: "weighting.kind_scale", reason: "unknown kind scale '\(name)'; valid: relative, absolute")
                }
                c.weighting.kindScale = scale
            }
            if let name = try weighting.string("aggregation") {
                guard let aggregation = WeightingPolicy.Aggregation(rawValue: name) else {
                    throw Failure(path: "weighting.aggregation", reason: "unknown aggregation '\(name)'; valid: sum, max, log")
                }
                c.weighting.aggregation = aggregation
            }
            c.weighting.halfLife = try weighting.number("half_life_days", min: 0.0001).map { $0 * 86_400 } ?? c.weighting.halfLife
            c.weighting.minUserCount = try weighting.integer("min_user_count", min: 1) ?? c.weighting.minUserCount
            c.weighting.minItemCount = try weighting.integer("min_item_count", min: 1) ?? c.weighting.minItemCount
            c.weighting.dropDuplicates = try weighting.bool("drop_duplicates") ?? c.weighting.dropDuplicates
        }
        if let training = try top.map("training", known: ["retrain_interval_seconds", "min_new_events", "evaluate", "model_directory", "threads", "keep_files",
                                                          "search"]) {
            c.training.retrainInterval = try training.number("retrain_interval_seconds", min: 1)
            c.training.minNewEvents = try training.integer("min_new_events", min: 1) ?? c.training.minNewEvents
            c.training.evaluate = try training.bool("evaluate") ?? c.training.evaluate
            c.training.modelDirectory = try training.string("model_directory")
            c.training.threads = try training.integer("threads", min: 1) ?? c.training.threads
            c.training.keepFiles = try training.integer("keep_files", min: 1) ?? c.training.keepFiles
            if let search = try training.map("search", known: ["enabled", "budget_seconds", "max_trials", "metric", "seed", "models"]) {
                var s = ServiceConfiguration.Search()
                s.models = try Self.searchModels(search)
                s.budgetSeconds = try search.number("budget_seconds", min: 1) ?? s.budgetSeconds
                s.maxTrials = try search.integer("max_trials", min: 1)
                if let metric = try search.string("metric") {
                    do { _ = try Metric(parsing: metric) } catch {
                        throw Failure(path: "training.search.metric", reason: "\(error)")
                    }
                    s.metric = metric
                }
                s.seed = try search.integer("seed", min: 0).map(UInt64.init) ?? s.seed
                c.training.search = try search.bool("enabled") ?? true ? s : nil
            }
        }
        if let serving = try top.map("serving", known: ["history_limit", "trending_half_life_hours", "public_reads", "max_body_bytes",
                                                       "max_events_per_request", "record_impressions", "cache_users",
                                                       "bandit_refresh_updates", "max_future_seconds", "earliest_event_time",
                                                       "unknown_items"]) {
            c.serving.historyLimit = try serving.integer("history_limit", min: 1) ?? c.serving.historyLimit
            c.serving.trendingHalfLifeHours = try serving.number("trending_half_life_hours", min: 0.001) ?? c.serving.trendingHalfLifeHours
            c.serving.publicReads = try serving.bool("public_reads") ?? c.serving.publicReads
            c.serving.maxBodyBytes = try serving.integer("max_body_bytes", min: 1024) ?? c.serving.maxBodyBytes
            c.serving.maxEventsPerRequest = try serving.integer("max_events_per_request", min: 1) ?? c.serving.maxEventsPerRequest
            c.serving.recordImpressions = try serving.bool("record_impressions") ?? c.serving.recordImpressions
            c.serving.cacheUsers = try serving.integer("cache_users", min: 0) ?? c.serving.cacheUsers
            c.serving.banditRefreshUpdates = try serving.integer("bandit_refresh_updates", min: 1) ?? c.serving.banditRefreshUpdates
            c.serving.maxFutureSeconds = try serving.integer("max_future_seconds", min: 0, max: 315_360_000) ?? c.serving.maxFutureSeconds
            c.serving.earliestEventTime = try serving.integer("earliest_event_time", min: 0, max: 253_402_300_799) ?? c.serving.earliestEventTime
            if let name = try serving.string("unknown_items") {
                guard let policy = ServiceConfiguration.UnknownItems(rawValue: name) else {
                    let valid = ServiceConfiguration.UnknownItems.allCases.map(\.rawValue).joined(separator: ", ")
                    throw Failure(path: serving.name("unknown_items"), reason: "unknown policy '\(name)'; valid: \(valid)")
                }
                c.serving.unknownItems = policy
            }
        }
        if let storage = try top.map("storage", known: ["connect_timeout_seconds", "query_timeout_seconds", "durability"]) {
            c.storage = try Self.storage(storage, base: c.storage)
        }
        c.privacy = try Self.privacy(top, base: c.privacy)
        if let retrieval = try top.map("retrieval", known: ["mode", "threshold", "leaves", "probes", "rescore"]) {
            if let name = try retrieval.string("mode") {
                guard let mode = RetrievalSettings.Mode(rawValue: name) else {
                    let valid = RetrievalSettings.Mode.allCases.map(\.rawValue).joined(separator: ", ")
                    throw Failure(path: retrieval.name("mode"), reason: "unknown mode '\(name)'; valid: \(valid)")
                }
                c.retrieval.mode = mode
            }
            c.retrieval.threshold = try retrieval.integer("threshold", min: 0) ?? c.retrieval.threshold
            c.retrieval.index.leaves = try retrieval.integer("leaves", min: 1, max: 1_000_000) ?? c.retrieval.index.leaves
            c.retrieval.index.probes = try retrieval.integer("probes", min: 1, max: 1_000_000) ?? c.retrieval.index.probes
            c.retrieval.index.rescore = try retrieval.integer("rescore", min: 1, max: 1_000_000) ?? c.retrieval.index.rescore
        }
        if let strategy = top.fields["strategy"] {
            do {
                c.strategy = try StrategyConfig.decode(try JSONSerialization.data(withJSONObject: strategy))
            } catch let error as ConfigError {
                throw error.nested(under: "strategy")
            }
        }
        if let experiments = top.fields["experiments"] {
            let (named, models) = try Self.variantModels(in: experiments, main: c.model)
            let document = try JSONSerialization.data(withJSONObject: ["experiments": named])
            c.experiments = try ExperimentSet.decode(document).experiments
            c.experimentModels = models
            try Self.checkVariants(c.experiments, strategy: c.strategy)
        }
        try Self.checkSearchModels(c)
        return c
    }

    /// The `storage` section: timeouts in seconds (at least 0.1 s, at most an hour) and
    /// `durability` (`full` or `normal`).
    static func storage(_ storage: Object, base: StoreOptions) throws -> StoreOptions {
        var options = base
        func seconds(_ key: String) throws -> Duration? {
            guard let value = try storage.number(key, min: 0.1) else { return nil }
            guard value <= 3600 else { throw Failure(path: storage.name(key), reason: "must be <= 3600, got \(format(value))") }
            return .milliseconds(Int64((value * 1000).rounded()))
        }
        options.connectTimeout = try seconds("connect_timeout_seconds") ?? options.connectTimeout
        options.queryTimeout = try seconds("query_timeout_seconds") ?? options.queryTimeout
        if let name = try storage.string("durability") {
            guard let durability = StoreOptions.Durability(rawValue: name) else {
                let valid = StoreOptions.Durability.allCases.map(\.rawValue).joined(separator: ", ")
                throw Failure(path: storage.name("durability"), reason: "unknown durability '\(name)'; valid: \(valid)")
            }
            options.durability = durability
        }
        return options
    }

    /// Every experiment names an existing request scene, every variant a scene that exists (a
    /// variant without one is served by the experiment's scene) and a catalog model, if any.
    static func checkVariants(_ experiments: [ExperimentDefinition], strategy: StrategyConfig) throws {
        let valid = strategy.scenes.keys.sorted().joined(separator: ", ")
        for (index, experiment) in experiments.enumerated() {
            let path = "experiments[\(index)]"
            guard let scene = experiment.scene else {
                throw Failure(path: path + ".scene", reason: "required key is missing (the request scene the experiment applies to)")
            }
            guard strategy.scenes[scene] != nil else {
                throw Failure(path: path + ".scene", reason: "unknown scene '\(scene)'; valid: \(valid)")
            }
            for (v, variant) in experiment.variants.enumerated() {
                if let name = variant.scene, strategy.scenes[name] == nil {
                    throw Failure(path: path + ".variants[\(v)].scene", reason: "unknown scene '\(name)'; valid: \(valid)")
                }
                if let model = variant.model { try checkModelName(model, path: path + ".variants[\(v)].model") }
            }
        }
    }

    struct Object {
        let fields: [String: Any]
        let path: String

        func name(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

        func map(_ key: String, known: Set<String>?) throws -> Object? {
            guard let value = fields[key] else { return nil }
            return try ConfigurationReader.object(value, name(key), known: known)
        }

        func string(_ key: String) throws -> String? {
            guard let value = fields[key] else { return nil }
            guard let s = value as? String else { throw Failure(path: name(key), reason: "must be a string") }
            return s
        }

        func bool(_ key: String) throws -> Bool? {
            guard let value = fields[key] else { return nil }
            // JSONSerialization gives booleans the type code "c"; numbers are "i" or "d".
            guard let n = value as? NSNumber, String(cString: n.objCType) == "c" else {
                throw Failure(path: name(key), reason: "must be true or false")
            }
            return n.boolValue
        }

        func number(_ key: String, min: Double) throws -> Double? {
            guard let value = fields[key] else { return nil }
            guard let n = value as? NSNumber, String(cString: n.objCType) != "c", n.doubleValue.isFinite else {
                throw Failure(path: name(key), reason: "must be a number")
            }
            guard n.doubleValue >= min else {
                throw Failure(path: name(key), reason: "must be >= \(ConfigurationReader.format(min)), got \(ConfigurationReader.format(n.doubleValue))")
            }
            return n.doubleValue
        }

        /// A whole number in `min...max` (by default at most 2^53, where doubles stop being exact).
        func integer(_ key: String, min: Int, max: Int = 1 << 53) throws -> Int? {
            guard let d = try number(key, min: Double(min)) else { return nil }
            guard d == d.rounded() else { throw Failure(path: name(key), reason: "must be a whole number, got \(ConfigurationReader.format(d))") }
            guard d <= Double(max) else { throw Failure(path: name(key), reason: "must be <= \(max), got \(ConfigurationReader.format(d))") }
            return Int(d)
        }
    }

    /// `1` for 1.0, `2.5` for 2.5.
    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    static func object(_ value: Any, _ path: String, known: Set<String>?) throws -> Object {
        guard let fields = value as? [String: Any] else { throw Failure(path: path.isEmpty ? "(top level)" : path, reason: "must be an object") }
        if let known, let unknown = fields.keys.filter({ !known.contains($0) }).min() {
            let at = path.isEmpty ? unknown : "\(path).\(unknown)"
            throw Failure(path: at, reason: "unknown key; valid: \(known.sorted().joined(separator: ", "))")
        }
        return Object(fields: fields, path: path)
    }
}
