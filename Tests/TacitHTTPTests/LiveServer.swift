import Foundation
import Logging
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import TacitCore
import TacitHTTP
import TacitServing
import TacitStore
import TacitTestSupport

/// A `TacitServer` on a free loopback port in this process, and a tiny HTTP client for it.
final class LiveServer: Sendable {
    let service: RecommendationService
    let port: Int
    private let task: Task<Void, any Error>

    private init(service: RecommendationService, port: Int, task: Task<Void, any Error>) {
        self.service = service
        self.port = port
        self.task = task
    }

    /// A server over a fresh store with the fixture shop: SQLite by default, or the store at
    /// `location` (a PostgreSQL URL with its own schema).
    static func start(apiKey: String? = nil, configuration: ServiceConfiguration = ServiceFixture.configuration,
                      location: String? = nil, items: [ItemRecord] = ServiceFixture.items,
                      events: [StoredEvent] = ServiceFixture.events) async throws -> LiveServer {
        let service = try await ServiceFixture.service(configuration: configuration, items: items, events: events, location: location)
        let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
        // Stopping cancels the server, which Hummingbird logs as errors ("Already closed",
        // "Waiting on child channel: CancellationError()"): expected here, so test servers log
        // only critical messages and a passing run's output holds no error lines. Tests that
        // check what the server logs give it a LogCapture logger instead.
        var logger = Logger(label: "tacit.http.test")
        logger.logLevel = .critical
        let server = TacitServer(service: service, host: "127.0.0.1", port: 0, apiKey: apiKey, logger: logger)
        let task = Task { try await server.run { continuation.yield($0) } }
        var iterator = stream.makeAsyncIterator()
        guard let port = await iterator.next() else { throw URLError(.cannotConnectToHost) }
        return LiveServer(service: service, port: port, task: task)
    }

    func stop() async {
        task.cancel()
        _ = try? await task.value
    }

    struct Reply {
        let status: Int
        let data: Data
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:] }
        var text: String { String(decoding: data, as: UTF8.self) }
        var error: String { json["error"] as? String ?? "" }
        var items: [[String: Any]] { json["items"] as? [[String: Any]] ?? [] }
        var itemIDs: [String] { items.compactMap { $0["item_id"] as? String } }
    }

    func request(_ method: String, _ path: String, body: String? = nil, headers: [String: String] = [:]) async throws -> Reply {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = method
        if let body {
            request.httpBody = Data(body.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        for (k, v) in headers { request.setValue(v, forHTTPHeaderField: k) }
        let (data, response) = try await URLSession.shared.data(for: request)
        return Reply(status: (response as! HTTPURLResponse).statusCode, data: data)
    }

    /// A request sent byte for byte (see ``RawHTTP``). Its blocking socket calls run on a thread
    /// of their own: on the cooperative pool (two threads on two cores) they could starve the very
    /// handlers they wait for.
    func raw(_ method: String, _ target: String, body: String? = nil, headers: [String: String] = [:]) async throws -> RawHTTP.Reply {
        let port = port
        return try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try RawHTTP(port: port).send(method, target, body: body, headers: headers) })
            }
        }
    }

    func get(_ path: String, headers: [String: String] = [:]) async throws -> Reply { try await request("GET", path, headers: headers) }
    func post(_ path: String, _ body: String, headers: [String: String] = [:]) async throws -> Reply {
        try await request("POST", path, body: body, headers: headers)
    }
}
