import Foundation
import TacitTestSupport

/// Runs the built `tacit` executable and captures its output.
enum CLI {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// The `tacit` binary next to the test bundle (SwiftPM builds it with the tests).
    static let binary: URL = {
        if let override = ProcessInfo.processInfo.environment["TACIT_BINARY"] { return URL(fileURLWithPath: override) }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("tacit")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory.deleteLastPathComponent()
        }
        return Fixtures.packageRoot.appendingPathComponent(".build/debug/tacit")
    }()

    @discardableResult
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Result {
        let running = try start(arguments, environment: environment)
        running.process.waitUntilExit()
        return try running.finish()
    }

    /// ``run(_:environment:)`` waiting on a thread of its own. A synchronous test that waits
    /// for a process holds one of the few threads of Swift's cooperative pool (two on two cores)
    /// all the while; the store and service tests running beside it need that pool, and their
    /// deadlines (60 s to open a PostgreSQL store, 2 s per query in the outage tests) ran out
    /// while CLI tests held it. Every CLI test is async and uses this.
    static func runOffPool(_ arguments: [String], environment: [String: String] = [:]) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Swift.Result { try run(arguments, environment: environment) })
            }
        }
    }

    /// A started `tacit` process whose output goes to files (readable while it runs).
    struct Running {
        let process: Process
        let outURL: URL
        let errURL: URL
        private let out: FileHandle
        private let err: FileHandle

        init(process: Process, outURL: URL, errURL: URL, out: FileHandle, err: FileHandle) {
            self.process = process
            self.outURL = outURL
            self.errURL = errURL
            self.out = out
            self.err = err
        }

        /// Standard output so far.
        var stdoutSoFar: String { (try? String(contentsOf: outURL, encoding: .utf8)) ?? "" }

        /// Closes the files and reads the output (after the process exited).
        func finish() throws -> Result {
            try out.close()
            try err.close()
            let outData = try Data(contentsOf: outURL), errData = try Data(contentsOf: errURL)
            return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                          stderr: String(decoding: errData, as: UTF8.self))
        }
    }

    /// Starts `tacit` with `arguments` and extra `environment` variables.
    static func start(_ arguments: [String], environment: [String: String] = [:]) throws -> Running {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        }
        // Output goes to temporary files, so a chatty command can never block on a full pipe.
        let directory = Fixtures.temporaryDirectory()
        let outURL = directory.appendingPathComponent("stdout"), errURL = directory.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        process.standardOutput = out
        process.standardError = err
        try process.run()
        return Running(process: process, outURL: outURL, errURL: errURL, out: out, err: err)
    }

    static func json(_ path: URL) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: path)) as! [String: Any]
    }
}
