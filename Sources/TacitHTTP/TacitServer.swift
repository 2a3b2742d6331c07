import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import TacitServing

/// Runs the HTTP service until SIGTERM or SIGINT, then shuts down gracefully: the listener
/// closes, requests in flight finish, pending impressions are written, a running training ends.
public struct TacitServer: Sendable {
    public var host: String
    public var port: Int
    public var apiKey: String?
    public let service: RecommendationService
    public var logger: Logger
    /// The largest request head (request line and headers) the decoder accepts, in bytes. Above
    /// ``URILimit/limit`` a request target is answered 414 with a JSON message; a head beyond this
    /// closes the connection after a bare 400.
    public static let maxHeadBytes = 256 * 1024

    public init(service: RecommendationService, host: String = "127.0.0.1", port: Int = 8080, apiKey: String? = nil,
                logger: Logger = Logger(label: "tacit.http")) {
        self.service = service
        self.host = host
        self.port = port
        self.apiKey = apiKey
        self.logger = logger
    }

    /// Serves until a termination signal. `onListening` gets the bound port (useful with port 0).
    public func run(onListening: @escaping @Sendable (Int) -> Void = { _ in }) async throws {
        let routes = ServiceRoutes(service: service, apiKey: apiKey)
        let decoder = HTTP1Channel.Configuration.DecoderConfiguration(
            maxHeaderFieldSize: Self.maxHeadBytes, maxHeaderListSize: Self.maxHeadBytes)
        let app = Application(
            router: routes.router(),
            server: .http1(configuration: .init(httpDecoderConfiguration: decoder)),
            configuration: .init(address: .hostname(host, port: port), serverName: "tacit"),
            onServerRunning: { channel in onListening(channel.localAddress?.port ?? 0) },
            logger: logger)
        let outcome: Result<Void, any Error>
        do { try await app.runService(); outcome = .success(()) } catch { outcome = .failure(error) }
        // Whatever ended the server, flush impressions, finish training and close the store.
        await service.shutdown()
        try? await service.store.close()
        try outcome.get()
    }
}
