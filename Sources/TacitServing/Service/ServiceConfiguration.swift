import TacitCore
import TacitExperiments
import TacitModels
import TacitStore

/// Everything `tacit serve` can be configured with (the `--config` JSON file), with defaults.
///
/// ```json
/// {
///   "model": { "name": "als", "parameters": { "factors": "64" } },
///   "weighting": { "kind_weights": { "view": 1, "purchase": 8 }, "half_life_days": 30 },
///   "training": { "retrain_interval_seconds": 3600, "min_new_events": 1000, "evaluate": true },
///   "serving": { "history_limit": 500, "trending_half_life_hours": 72, "public_reads": true },
///   "storage": { "connect_timeout_seconds": 3, "query_timeout_seconds": 10, "durability": "full" },
///   "strategy": { "scenes": { "home": { ... } } },
///   "experiments": [ { "id": "home-ranker", "scene": "home",
///                      "variants": [ { "name": "als", "model": "als" }, { "name": "ease", "model": "ease" } ] } ]
/// }
/// ```
public struct ServiceConfiguration: Sendable {
    /// The model to train and serve.
    public struct ModelChoice: Sendable, Equatable {
        /// A catalog name (`als`, `itemknn`, `ease`, `bpr`, `popular`, `trending`). Default `als`.
        public var name: String = "als"
        /// Parameters as `name → value` text (as `--param name=value`). Default: the model's defaults.
        public var parameters: [String: String] = [:]
        public init(name: String = "als", parameters: [String: String] = [:]) {
            self.name = name
            self.parameters = parameters
        }
    }

    /// When and how models are retrained.
    public struct Training: Sendable, Equatable {
        /// Retrain in the background this often (seconds); `nil` = only on demand. Default `nil`.
        public var retrainInterval: Double?
        /// A scheduled retrain is skipped unless at least this many events arrived since the
        /// current model's data. Default 1.
        public var minNewEvents: Int = 1
        /// Hold out each user's last event, fit, and record offline metrics with the version
        /// (costs a second fit). Default `true`.
        public var evaluate: Bool = true
        /// Where model files go; `nil` = `<store>.models` next to a SQLite file, else `./models`.
        public var modelDirectory: String?
        /// Worker threads for training. Default: all cores but one (at least one), so a background
        /// retrain leaves a core to the requests being served.
        public var threads: Int = max(1, Parallel.defaultThreads - 1)
        /// Keep this many newest model files (older files are deleted; their records stay). Default 5.
        public var keepFiles: Int = 5
        /// The background search for the main model's parameters; `nil` (default) = off.
        public var search: Search?
        public init() {}
    }

    /// `training.search`: tune the main model's parameters (and optionally choose among several
    /// models) in the background on a holdout of the store's own events (each user's last
    /// event), one trial at a time between retrains, and serve the best model and parameters
    /// found once the budget is spent.
    public struct Search: Sendable, Equatable {
        /// Which models the search tries.
        public enum Models: Sendable, Equatable {
            /// The configured model's parameters only (default).
            case configured
            /// The configured model and these catalog models (`"models": ["ease", "popular"]`).
            case list([String])
            /// The configured model and those `tacit tune --auto` searches for the store's data
            /// (`"models": "auto"`): als, bpr, ease (up to 20,000 items), itemknn, popular,
            /// content and hybrid when items have attributes, and sasrec. Models of experiment
            /// variants are left out.
            case automatic
        }

        /// Which models the search tries besides the configured one. Default: none.
        public var models: Models = .configured
        /// Seconds the search may spend in all (across restarts). Default 300.
        public var budgetSeconds: Double = 300
        /// At most this many trials; `nil` (default) = only the seconds limit.
        public var maxTrials: Int?
        /// The metric to maximise. Default `NDCG@10`.
        public var metric: String = "NDCG@10"
        /// The seed of the proposals. Default 42.
        public var seed: UInt64 = 42
        public init(budgetSeconds: Double = 300, maxTrials: Int? = nil, metric: String = "NDCG@10", seed: UInt64 = 42) {
            self.budgetSeconds = budgetSeconds
            self.maxTrials = maxTrials
            self.metric = metric
            self.seed = seed
        }
    }

    /// Request handling.
    public struct Serving: Sendable, Equatable {
        /// Events kept in memory per user for real-time scoring. Default 500.
        public var historyLimit: Int = 500
        /// Half-life of the trending counters, in hours. Default 72.
        public var trendingHalfLifeHours: Double = 72
        /// Whether reads (recommendations, items, popular ...) are allowed without the API key. Default `true`.
        public var publicReads: Bool = true
        /// The largest request body accepted, in bytes. Default 1 MiB.
        public var maxBodyBytes: Int = 1 << 20
        /// The most events in one `POST /v1/events`. Default 1000.
        public var maxEventsPerRequest: Int = 1_000
        /// Record one impression per response (its id, user, scene, model and items in order) for
        /// experiments; written in the background about once a second. Default `true`.
        public var recordImpressions: Bool = true
        /// Trained users whose personal candidates are cached per model version (precomputed in
        /// the background after each swap, about 0.7 KB a user); 0 disables the cache. Default 400 000.
        public var cacheUsers: Int = 400_000
        /// Bandit updates (served responses plus successes) between recomputations of a bandit
        /// experiment's traffic allocation. Default 100.
        public var banditRefreshUpdates: Int = 100
        /// How far in the future (seconds past the receive time) an event's timestamp may be;
        /// later ones are refused, so no single event can move the trending clock. Default 86 400 (a day).
        public var maxFutureSeconds: Int = 86_400
        /// The earliest event timestamp accepted, in seconds since 1970. Default 0.
        public var earliestEventTime: Int = 0
        /// What happens to items that have events but no catalogue record. Default ``UnknownItems/hide``.
        public var unknownItems: UnknownItems = .hide
        public init() {}
    }

    /// `serving.unknown_items`: items known only from events (no `PUT /v1/items` record yet).
    public enum UnknownItems: String, Sendable, Equatable, CaseIterable {
        /// Events are stored and count; the item may be recommended like any other.
        case accept
        /// Events are stored and count for the user (history, training, popularity), but the item
        /// is never recommended, listed as popular or trending, until a record is upserted.
        case hide
        /// Events for an item without a record are refused (400 naming the field).
        case reject
    }

    public var model = ModelChoice()
    public var weighting = WeightingPolicy()
    public var training = Training()
    public var serving = Serving()
    /// How the store is opened (`storage`): PostgreSQL's connect and query timeouts, SQLite's
    /// durability. Default ``StoreOptions/init(connectTimeout:queryTimeout:durability:)``'s.
    public var storage = StoreOptions()
    public var strategy = StrategyConfig.standard
    /// A/B tests and bandits (see `docs/experiments.md`): each names the request `scene` it
    /// applies to; each variant's `scene` names the strategy scene that serves it and its `model`
    /// the catalog model that ranks it (see ``variantModels(at:)``). Default none.
    public var experiments: [ExperimentDefinition] = []
    /// The configuration of models named by variants, by name: a variant's
    /// `"model": {"name": "ease", "parameters": {...}}` puts one here. A variant model without an
    /// entry trains with the model's defaults. Default none.
    public var experimentModels: [String: ModelChoice] = [:]
    /// Retention and pseudonymous user ids. Default: events kept forever, ids as sent.
    public var privacy = Privacy()
    /// How inner-product models retrieve each user's items (`retrieval`): exactly, or through a
    /// maximum-inner-product index built when a version is loaded. Default: the index from 50,000
    /// items on.
    public var retrieval = RetrievalSettings()

    public init() {}
}
