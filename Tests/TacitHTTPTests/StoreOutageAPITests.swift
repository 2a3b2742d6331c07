import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import Testing
import TacitHTTP
import TacitServing
@testable import TacitStore
import TacitTestSupport

/// The HTTP service while its PostgreSQL store is unreachable: writes answer 503 with
/// `Retry-After` and a JSON error, `/readyz` answers 503 at once, and both work again when the
/// database is back, with every acknowledged event stored. The database sits behind an
/// ``OutageProxy`` (the shared test server keeps running for other tests).
@Suite("HTTP API during a store outage",
       .enabled(if: ProcessInfo.processInfo.environment["TACIT_TEST_POSTGRES_URL"] != nil,
                "TACIT_TEST_POSTGRES_URL is unset: run scripts/test.sh, which starts PostgreSQL"))
struct StoreOutageAPITests {
    struct Reply {
        let status: Int
        let headers: [String: String]
        let json: [String: Any]
    }

    static func request(_ method: String, _ url: String, body: String? = nil) async throws -> Reply {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        request.timeoutInterval = 60
        if let body {
            request.httpBody = Data(body.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as! HTTPURLResponse
        var headers: [String: String] = [:]
        for (key, value) in http.allHeaderFields { headers["\(key)".lowercased()] = "\(value)" }
        return Reply(status: http.statusCode, headers: headers,
                     json: (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:])
    }

    static func event(_ id: String) -> String {
        #"{"user_id": "outage-user", "item_id": "k1", "kind": "view", "event_id": "\#(id)"}"#
    }

    @Test("503 with Retry-After while PostgreSQL hangs, then recovery with nothing acknowledged lost")
    func writesAndReadinessDuringAnOutage() async throws {
        let base = ProcessInfo.processInfo.environment["TACIT_TEST_POSTGRES_URL"]!
        var components = URLComponents(string: base)!
        let proxy = try OutageProxy(targetPort: components.port!)
        defer { proxy.stop() }
        components.port = proxy.port
        let schema = "http_outage_\(UInt32.random(in: 0...UInt32.max))"
        let location = components.string! + (components.string!.contains("?") ? "&" : "?") + "schema=\(schema)"

        let store = try await Stores.open(location, options: StoreOptions(connectTimeout: .seconds(1), queryTimeout: .seconds(2)))
        try await store.upsert(ServiceFixture.items)
        _ = try await store.insert(ServiceFixture.events)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let directory = Fixtures.temporaryDirectory()
        let service = try await RecommendationService.start(
            store: store, configuration: ServiceFixture.configuration,
            modelDirectory: directory.appendingPathComponent("models").path, logger: logger)
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let serverLog = LogCapture()
        let server = Task { try await TacitServer(service: service, port: 0, logger: serverLog.logger(level: .error)).run { continuation.yield($0) } }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())
        let root = "http://127.0.0.1:\(port)"

        #expect(try await Self.request("POST", root + "/v1/events", body: Self.event("before")).status == 200)
        #expect(try await Self.request("GET", root + "/readyz").status == 200)

        proxy.set(.hanging)
        let clock = ContinuousClock()
        // Not speed checks: guards that the answers come at all (the bug was a 67 s hang).
        var start = clock.now
        let write = try await Self.request("POST", root + "/v1/events", body: Self.event("during"))
        #expect(write.status == 503)
        #expect(write.headers["retry-after"] == "5", "\(write.headers)")
        #expect(write.json["status"] as? Int == 503)
        #expect((write.json["error"] as? String)?.contains("unavailable") == true, "\(write.json)")
        #expect(clock.now - start < .seconds(30))
        start = clock.now
        let ready = try await Self.request("GET", root + "/readyz")
        #expect(ready.status == 503)
        #expect(ready.json["status"] as? String == "unavailable")
        #expect(clock.now - start < .seconds(10), "readyz took \(clock.now - start)")
        // The 503 is logged with the route's pattern, never the path: it carries the user's id.
        #expect(try await Self.request("GET", root + "/v1/users/private%40person/events").status == 503)
        let logged = serverLog.messages.joined(separator: "\n")
        #expect(logged.contains("GET /v1/users/{id}/events"), "\(logged)")
        #expect(!logged.contains("private"), "\(logged)")

        proxy.set(.forwarding)
        let deadline = clock.now + .seconds(60)
        var retried = try await Self.request("POST", root + "/v1/events", body: Self.event("during"))
        while retried.status == 503 && clock.now < deadline {
            try await Task.sleep(for: .milliseconds(200))
            retried = try await Self.request("POST", root + "/v1/events", body: Self.event("during"))
        }
        #expect(retried.status == 200)
        #expect(try await Self.request("GET", root + "/readyz").status == 200)
        let history = try await Self.request("GET", root + "/v1/users/outage-user/events")
        let ids = (history.json["events"] as? [[String: Any]])?.compactMap { $0["event_id"] as? String }
        #expect(ids == ["before", "during"], "\(history.json)")

        server.cancel()
        _ = try? await server.value
        let cleanup = try await PostgresStore(url: base + (base.contains("?") ? "&" : "?") + "schema=\(schema)")
        try? await cleanup.dropSchema()
        try? await cleanup.close()
    }
}
