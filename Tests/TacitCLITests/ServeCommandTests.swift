import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TacitStore
import TacitTestSupport

/// `tacit serve` as a user runs it: a real process, real sockets.
@Suite("tacit serve", .serialized)
struct ServeCommandTests {
    /// A running `tacit serve` process and the port it printed.
    ///
    /// `@unchecked Sendable`: `port` is written only in `init`; `Process` is thread-safe to signal and wait on.
    final class ServeProcess: @unchecked Sendable {
        let process = Process()
        let output: URL
        var port = 0

        init(_ arguments: [String], directory: URL, environment: [String: String] = [:]) throws {
            output = directory.appendingPathComponent("serve.log")
            _ = FileManager.default.createFile(atPath: output.path, contents: nil)
            let handle = try FileHandle(forWritingTo: output)
            process.executableURL = CLI.binary
            if !environment.isEmpty {
                process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
            }
            process.arguments = ["serve", "--port", "0", "--log-level", "warning"] + arguments
            process.standardOutput = handle
            process.standardError = handle
            try process.run()
            let deadline = Date().addingTimeInterval(120)
            while Date() < deadline, process.isRunning {
                let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
                if let range = text.range(of: "http://127.0.0.1:") {
                    let digits = text[range.upperBound...].prefix { $0.isNumber }
                    if let port = Int(digits) { self.port = port; return }
                }
                Thread.sleep(forTimeInterval: 0.05)
            }
            throw URLError(.cannotConnectToHost, userInfo: [NSLocalizedDescriptionKey: (try? String(contentsOf: output, encoding: .utf8)) ?? ""])
        }

        var log: String { (try? String(contentsOf: output, encoding: .utf8)) ?? "" }

        func request(_ method: String, _ path: String, body: String? = nil) async throws -> (Int, [String: Any]) {
            var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
            request.httpMethod = method
            request.httpBody = body.map { Data($0.utf8) }
            let (data, response) = try await URLSession.shared.data(for: request)
            return ((response as! HTTPURLResponse).statusCode, (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:])
        }

        func signal(_ signal: Int32) {
            kill(process.processIdentifier, signal)
            process.waitUntilExit()
        }
    }

    @Test("--sample shop starts a trained service with the page; SIGTERM stops it cleanly")
    func sampleShop() async throws {
        let directory = Fixtures.temporaryDirectory()
        let store = directory.appendingPathComponent("shop.sqlite").path
        let serve = try ServeProcess(["--store", store, "--sample", "shop", "--sample-events", "5000"], directory: directory)
        let (status, ready) = try await serve.request("GET", "/readyz")
        #expect(status == 200)
        #expect(ready["events"] as? Int == 5000)
        #expect((ready["model"] as? String)?.hasPrefix("als v1") == true)
        let (_, recs) = try await serve.request("GET", "/v1/users/u1/recommendations?count=5")
        #expect((recs["items"] as? [Any])?.count == 5)
        // The sample ends today, so a live click joins it instead of outweighing all of it:
        // trending keeps the sample's recent items, every one with a real score.
        let (clicked, _) = try await serve.request("POST", "/v1/events", body: #"{"user_id": "u1", "item_id": "i3", "kind": "view"}"#)
        #expect(clicked == 200)
        let (_, trending) = try await serve.request("GET", "/v1/trending?count=20")
        let items = trending["items"] as? [[String: Any]] ?? []
        #expect(items.count == 20, "\(items.count) trending items")
        #expect(items.allSatisfy { ($0["score"] as? Double ?? 0) >= 1.0 / 1024 }, "\(items)")
        serve.signal(SIGTERM)
        #expect(serve.process.terminationStatus == 0, "\(serve.log)")
        let reopened = try await Stores.open(store)
        let newest = try await reopened.events(after: 0, limit: 10_000).map(\.timestamp).max() ?? 0
        try await reopened.close()
        #expect(Double(newest) > Date().timeIntervalSince1970 - 2 * 86_400, "the sample's newest event is from \(newest)")
    }

    @Test("--sample movielens-1m loads the ML-1M cache directory (${TACIT_DATA}/ml-1m) without fetching when it is there")
    func sampleMovieLens1M() async throws {
        let directory = Fixtures.temporaryDirectory()
        let cache = directory.appendingPathComponent("data/ml-1m")
        try FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true)
        // A tiny stand-in with ML-1M's columns: 30 users rate 6 of 12 films each.
        var ratings = "user_id,item_id,rating,timestamp\n"
        for u in 1...30 { for k in 0..<6 { ratings += "\(u),\((u + k) % 12 + 1),\(1 + (u + k) % 5),\(978_300_000 + u * 100 + k)\n" } }
        try ratings.write(to: cache.appendingPathComponent("ratings.csv"), atomically: true, encoding: .utf8)
        let films = (1...12).map { "\($0),Film \($0),1995,Drama|Comedy" }.joined(separator: "\n")
        try ("item_id,title,year,genres\n" + films + "\n").write(to: cache.appendingPathComponent("items.csv"), atomically: true, encoding: .utf8)
        let store = directory.appendingPathComponent("ml1m.sqlite").path
        let serve = try ServeProcess(["--store", store, "--sample", "movielens-1m"], directory: directory,
                                     environment: ["TACIT_DATA": directory.appendingPathComponent("data").path])
        let (status, ready) = try await serve.request("GET", "/readyz")
        #expect(status == 200)
        #expect(ready["events"] as? Int == 180, "\(ready)")
        let (_, item) = try await serve.request("GET", "/v1/items/3")
        #expect(item["title"] as? String == "Film 3")
        serve.signal(SIGTERM)
        #expect(serve.process.terminationStatus == 0, "\(serve.log)")
    }

    @Test("kill -9 during ingestion loses no acknowledged event")
    func killDuringIngestion() async throws {
        let directory = Fixtures.temporaryDirectory()
        let store = directory.appendingPathComponent("durable.sqlite").path
        let serve = try ServeProcess(["--store", store], directory: directory)
        let acknowledged = AcknowledgedCounter()
        // Four writers post batches of 20 events until the process dies under them.
        await withTaskGroup(of: Void.self) { group in
            for writer in 0..<4 {
                group.addTask {
                    for batch in 0..<10_000 {
                        let events = (0..<20).map { k in
                            "{\"user_id\": \"w\(writer)\", \"item_id\": \"i\(k)\", \"kind\": \"view\", \"event_id\": \"w\(writer)-\(batch)-\(k)\"}"
                        }
                        guard let (status, _) = try? await serve.request("POST", "/v1/events", body: "{\"events\": [\(events.joined(separator: ","))]}"),
                              status == 200 else { return }
                        await acknowledged.add(20)
                    }
                }
            }
            group.addTask {
                try? await Task.sleep(nanoseconds: 1_500_000_000)
                serve.signal(SIGKILL)
            }
        }
        let acked = await acknowledged.value
        #expect(acked > 0)
        let reopened = try await Stores.open(store)
        let stored = try await reopened.eventCount()
        try await reopened.close()
        #expect(stored >= acked, "stored \(stored) < acknowledged \(acked)")
    }
}

actor AcknowledgedCounter {
    private(set) var value = 0
    func add(_ n: Int) { value += n }
}
