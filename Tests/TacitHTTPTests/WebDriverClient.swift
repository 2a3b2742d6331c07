import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A minimal W3C WebDriver client: starts `chromedriver` on a free port as a child process and
/// drives a headless Chromium over the WebDriver HTTP protocol (no package dependency).
/// Debian: `apt-get install chromium chromium-driver` (scripts/test.sh does).
final class WebDriverClient {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// A found element, by its WebDriver reference.
    struct Element {
        let id: String
    }

    static let chromedriverPath = executable(named: ["chromedriver"])
    static let browserPath = executable(named: ["chromium", "chromium-browser", "google-chrome"])
    /// Whether chromedriver and a Chromium are installed, so browser tests can run.
    static var isAvailable: Bool { chromedriverPath != nil && browserPath != nil }

    static let chromeArguments = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1000"]

    private let process: Process
    private let output: OutputBuffer
    private let port: Int
    private var sessionID: String?

    private init(process: Process, output: OutputBuffer, port: Int) {
        self.process = process
        self.output = output
        self.port = port
    }

    /// Starts chromedriver and a browser session, runs `body`, and always deletes the session and
    /// terminates chromedriver afterwards, whether `body` returned or threw.
    static func withSession<T>(_ body: (WebDriverClient) async throws -> T) async throws -> T {
        let client = try await start()
        let result: Result<T, any Error>
        do {
            try await client.createSession()
            result = .success(try await body(client))
        } catch {
            result = .failure(error)
        }
        await client.deleteSession()
        await client.stopDriver()
        return try result.get()
    }

    // MARK: chromedriver

    /// Starts chromedriver; a driver that exits at once without a word (seen once under a full
    /// test run on two cores) is started again, up to three times.
    private static func start() async throws -> WebDriverClient {
        var failure: (any Error)?
        for _ in 0..<3 {
            do {
                return try await startOnce()
            } catch let error as Failure where error.description.contains("exited early") {
                failure = error
            }
        }
        throw failure ?? Failure(description: "chromedriver did not start")
    }

    private static func startOnce() async throws -> WebDriverClient {
        guard let driver = chromedriverPath else { throw Failure(description: "chromedriver is not installed") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: driver)
        process.arguments = ["--port=0"]   // chromedriver picks a free port and prints it
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        let output = OutputBuffer()
        pipe.fileHandleForReading.readabilityHandler = { handle in output.append(handle.availableData) }
        try process.run()
        // Generous: with every suite running in parallel on two cores, a start has taken over 20 s.
        let deadline = Date().addingTimeInterval(60)
        var lastError: (any Error)?
        while Date() < deadline {
            if let port = output.port {
                let client = WebDriverClient(process: process, output: output, port: port)
                do {
                    try await client.send("GET", "/status")
                    return client
                } catch {
                    lastError = error
                }
            }
            if !process.isRunning { break }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        pipe.fileHandleForReading.readabilityHandler = nil
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        } else if output.port == nil {
            throw Failure(description: "chromedriver exited early (status \(process.terminationStatus)); its output:\n\(output.text)")
        }
        throw Failure(description: "chromedriver did not start within 60 s (\(lastError.map { "\($0)" } ?? "no port")); its output:\n\(output.text)")
    }

    /// Ends chromedriver: its `/shutdown` command first, then SIGKILL. (SIGTERM is not enough:
    /// the child inherits the test process's blocked-signal mask, and a blocked SIGTERM would
    /// leave `waitUntilExit` waiting forever.)
    private func stopDriver() async {
        (process.standardOutput as? Pipe)?.fileHandleForReading.readabilityHandler = nil
        guard process.isRunning else { return }
        _ = try? await LoopbackHTTP.exchange(port: port, method: "GET", path: "/shutdown", body: nil, timeout: 5)
        for _ in 0..<30 where process.isRunning { try? await Task.sleep(nanoseconds: 100_000_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    // MARK: session

    private func createSession() async throws {
        var options: [String: Any] = ["args": Self.chromeArguments]
        if let browser = Self.browserPath { options["binary"] = browser }
        // The browser's console (errors included) is kept for ``browserLog()``.
        let alwaysMatch: [String: Any] = ["browserName": "chrome", "goog:chromeOptions": options, "goog:loggingPrefs": ["browser": "ALL"]]
        let capabilities: [String: Any] = ["alwaysMatch": alwaysMatch]
        let value = try await send("POST", "/session", ["capabilities": capabilities])
        guard let id = (value as? [String: Any])?["sessionId"] as? String else {
            throw Failure(description: "no sessionId in the new-session reply: \(String(describing: value))")
        }
        sessionID = id
    }

    private func deleteSession() async {
        guard let id = sessionID else { return }
        sessionID = nil
        _ = try? await send("DELETE", "/session/\(id)")
    }

    private func session(_ path: String) throws -> String {
        guard let id = sessionID else { throw Failure(description: "no WebDriver session") }
        return "/session/\(id)\(path)"
    }

    func navigate(to url: String) async throws {
        _ = try await send("POST", try session("/url"), ["url": url])
    }

    func title() async throws -> String {
        try await send("GET", try session("/title")) as? String ?? ""
    }

    func find(_ css: String) async throws -> Element {
        let value = try await send("POST", try session("/element"), ["using": "css selector", "value": css])
        guard let reference = (value as? [String: Any])?.first(where: { $0.key.hasPrefix("element-") })?.value as? String else {
            throw Failure(description: "no element reference for '\(css)': \(String(describing: value))")
        }
        return Element(id: reference)
    }

    func click(_ element: Element) async throws {
        _ = try await send("POST", try session("/element/\(element.id)/click"), [:])
    }

    /// Finds the element matching `css` and clicks it. A page that redraws a list between the
    /// find and the click leaves a stale reference (WebDriver 404 "stale element reference"); a
    /// person would click the redrawn element, so the find and click are tried again, up to
    /// `attempts` times.
    func click(_ css: String, attempts: Int = 5) async throws {
        var attempt = 1
        while true {
            do {
                try await click(try await find(css))
                return
            } catch let failure as Failure where failure.description.contains("stale element") && attempt < attempts {
                attempt += 1
                try await Task.sleep(nanoseconds: 100_000_000)
            }
        }
    }

    func clear(_ element: Element) async throws {
        _ = try await send("POST", try session("/element/\(element.id)/clear"), [:])
    }

    /// Types text into an element; "\u{E007}" is the Enter key.
    func type(_ text: String, into element: Element) async throws {
        _ = try await send("POST", try session("/element/\(element.id)/value"), ["text": text])
    }

    /// Runs JavaScript in the page (`return …` gives the value back).
    func execute(_ script: String, _ arguments: [Any] = []) async throws -> Any? {
        try await send("POST", try session("/execute/sync"), ["script": script, "args": arguments])
    }

    /// The `data-item-id` of every element matching `css`, in document order.
    func itemIDs(_ css: String) async throws -> [String] {
        let value = try await execute("return Array.from(document.querySelectorAll(arguments[0])).map(e => e.getAttribute('data-item-id'));", [css])
        return (value as? [Any])?.compactMap { $0 as? String } ?? []
    }

    /// The trimmed text of every element matching `css`.
    func texts(_ css: String) async throws -> [String] {
        let value = try await execute("return Array.from(document.querySelectorAll(arguments[0])).map(e => e.textContent.trim());", [css])
        return (value as? [Any])?.compactMap { $0 as? String } ?? []
    }

    /// The console messages since the last call (`level`, `message`): chromedriver's log of
    /// type `browser`, which holds `console.error`, uncaught exceptions and failed loads (a
    /// missing favicon too).
    func browserLog() async throws -> [(level: String, message: String)] {
        let value = try await send("POST", try session("/se/log"), ["type": "browser"])
        return (value as? [[String: Any]] ?? []).map { ($0["level"] as? String ?? "", $0["message"] as? String ?? "") }
    }

    /// The console errors (level `SEVERE`) since the last ``browserLog()``.
    func consoleErrors() async throws -> [String] {
        try await browserLog().filter { $0.level == "SEVERE" }.map(\.message)
    }

    /// Resizes the browser window (the viewport follows in headless Chromium).
    func setWindowSize(width: Int, height: Int) async throws {
        _ = try await send("POST", try session("/window/rect"), ["width": width, "height": height])
    }

    /// A PNG of the viewport.
    func screenshot() async throws -> Data {
        guard let base64 = try await send("GET", try session("/screenshot")) as? String, let data = Data(base64Encoded: base64) else {
            throw Failure(description: "the screenshot reply is not base64")
        }
        return data
    }

    /// Polls `check` every 100 ms until it gives a value; throws after `timeout` seconds, naming what it waited for.
    func waitFor<T>(_ what: String, timeout: Double = 15, _ check: () async throws -> T?) async throws -> T {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let value = try await check() { return value }
            if Date() >= deadline { throw Failure(description: "timed out after \(timeout) s waiting for \(what)") }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
    }

    // MARK: the protocol

    /// Sends one WebDriver command and returns its `value`; a WebDriver error becomes a `Failure`.
    @discardableResult
    func send(_ method: String, _ path: String, _ body: [String: Any]? = nil) async throws -> Any? {
        let payload = try body.map { try JSONSerialization.data(withJSONObject: $0) }
        let (status, data) = try await LoopbackHTTP.exchange(port: port, method: method, path: path, body: payload)
        let json = (try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])) as? [String: Any]
        let value = json?["value"]
        if status != 200 {
            let detail = value as? [String: Any]
            throw Failure(description: "WebDriver \(method) \(path): \(status) \(detail?["error"] ?? "") \(detail?["message"] ?? String(decoding: data, as: UTF8.self))")
        }
        return value is NSNull ? nil : value
    }

    private static func executable(named names: [String]) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for name in names {
            for directory in path.split(separator: ":") {
                let candidate = "\(directory)/\(name)"
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
        }
        return nil
    }
}

/// chromedriver's output, collected from its pipe on another thread.
private final class OutputBuffer: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()

    func append(_ chunk: Data) {
        lock.lock()
        data.append(chunk)
        lock.unlock()
    }

    var text: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: data, as: UTF8.self)
    }

    /// The port from "ChromeDriver was started successfully on port 44837."
    var port: Int? {
        guard let range = text.range(of: "started successfully on port ") else { return nil }
        let digits = text[range.upperBound...].prefix { $0.isNumber }
        return Int(digits)
    }
}

/// One HTTP/1.1 request to `127.0.0.1:port` over a POSIX socket, on its own thread.
///
/// Not URLSession: chromedriver writes its headers without a space after the colon
/// (`Content-Length:249`), which swift-corelibs-foundation's header parser rejects, so every
/// URLSession request to it fails with "Failed writing header" on Linux.
enum LoopbackHTTP {
    static func exchange(port: Int, method: String, path: String, body: Data?, timeout: Int = 60) async throws -> (status: Int, body: Data) {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result { try blockingExchange(port: port, method: method, path: path, body: body, timeout: timeout) })
            }.start()
        }
    }

    private static func failure(_ what: String) -> WebDriverClient.Failure {
        WebDriverClient.Failure(description: "\(what) (127.0.0.1): errno \(errno) \(String(cString: strerror(errno)))")
    }

    private static func blockingExchange(port: Int, method: String, path: String, body: Data?, timeout: Int) throws -> (status: Int, body: Data) {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        let sendFlags = Int32(MSG_NOSIGNAL)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        let sendFlags: Int32 = 0
        #endif
        guard fd >= 0 else { throw failure("socket") }
        defer { close(fd) }
        var limit = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw failure("connect to port \(port)") }

        var request = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\nContent-Length: \(body?.count ?? 0)\r\n"
        if body != nil { request += "Content-Type: application/json; charset=utf-8\r\n" }
        let bytes = [UInt8](request.utf8) + [UInt8]("\r\n".utf8) + [UInt8](body ?? Data())
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, sendFlags) }
            guard n > 0 else { throw failure("send \(method) \(path)") }
            sent += n
        }

        var received = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var headerEnd: Int?
        var contentLength: Int?
        var status = 0
        while true {
            if let end = headerEnd, let length = contentLength, received.count >= end + length { break }
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n == 0 { break }
            guard n > 0 else { throw failure("no complete answer to \(method) \(path) within \(timeout) s") }
            received.append(contentsOf: buffer[0..<n])
            if headerEnd == nil, let range = received.firstRange(of: [13, 10, 13, 10]) {
                headerEnd = range.upperBound
                let lines = String(decoding: received[..<range.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
                status = Int(lines.first?.split(separator: " ").dropFirst().first ?? "") ?? 0
                for line in lines.dropFirst() {
                    let parts = line.split(separator: ":", maxSplits: 1)
                    if parts.count == 2, parts[0].lowercased() == "content-length" {
                        contentLength = Int(parts[1].trimmingCharacters(in: .whitespaces))
                    }
                }
            }
        }
        guard let end = headerEnd, status > 0 else { throw WebDriverClient.Failure(description: "no HTTP answer to \(method) \(path)") }
        return (status, Data(received[end...]))
    }
}

