import ArgumentParser
import Foundation
import TacitCore
import TacitStore

/// `tacit bench-ingest`: events per second a store acknowledges, per durability and batch size.
struct IngestBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-ingest",
        abstract: "Measure store ingest (events/s and latency per call) for each SQLite durability and batch size.",
        discussion: HelpText.format("""
        For each --durability and --batch, opens a fresh SQLite file in --directory (or the \
        --store given: a postgres:// URL measures PostgreSQL, where durability does not apply) \
        and inserts events through the store API (EventStore.insert, what POST /v1/events calls), \
        one call per batch, from --concurrency callers each making one call at a time, each event \
        with a unique event_id. Prints a Markdown table: events/s (over the wall time of the \
        calls), and the mean, median and 99th-percentile time of one call.

        Example (the table in docs/benchmarks.md):
          tacit bench-ingest --batch 1 --batch 100 --batch 1000 --concurrency 1 --concurrency 16
        """)
    )

    @Option(help: "SQLite durability to measure (repeatable): full or normal. Default both.")
    var durability: [StoreOptions.Durability] = [.full, .normal]
    @Option(help: "Events per insert call (repeatable).")
    var batch: [Int] = [1, 100, 1000]
    @Option(help: "Events inserted per run with batches of 1 (single-event calls).")
    var singleEvents = 2_000
    @Option(help: "Events inserted per run with larger batches.")
    var events = 50_000
    @Option(help: "Concurrent callers (repeatable): each makes its calls one after another, like clients of POST /v1/events.")
    var concurrency: [Int] = [1]
    @Option(help: "Where the SQLite files go (deleted afterwards). Default: a temporary directory.")
    var directory: String?
    @Option(help: "A postgres:// URL to measure instead of SQLite (its tables get the events; use a scratch schema).")
    var store: String?

    func validate() throws {
        guard ArgumentChecks.enabled else { return }
        guard batch.allSatisfy({ $0 >= 1 }) else { throw ValidationError("--batch must be >= 1") }
        guard concurrency.allSatisfy({ $0 >= 1 }) else { throw ValidationError("--concurrency must be >= 1") }
        guard singleEvents >= 1, events >= 1 else { throw ValidationError("--events and --single-events must be >= 1") }
    }

    struct Row {
        var store: String
        var durability: String
        var batch: Int
        var callers: Int
        var events: Int
        /// The wall time of the insert calls (generating the events is not counted).
        var seconds: Double
        var callMilliseconds: [Double]

        var eventsPerSecond: Double { Double(events) / seconds }
        func percentile(_ p: Double) -> Double {
            let sorted = callMilliseconds.sorted()
            return sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
        }
    }

    func run() async throws {
        var rows: [Row] = []
        let root = directory ?? FileManager.default.temporaryDirectory.appendingPathComponent("tacit-bench-ingest-\(UUID().uuidString)").path
        defer { if directory == nil { try? FileManager.default.removeItem(atPath: root) } }
        let modes: [StoreOptions.Durability?] = store == nil ? durability : [nil]
        for mode in modes {
            for callers in concurrency {
                for size in batch {
                    let location = store ?? (root as NSString).appendingPathComponent("\(mode?.rawValue ?? "pg")-\(size)-\(callers).sqlite")
                    let opened = try await Stores.open(location, options: StoreOptions(durability: mode ?? .full))
                    let row = try await measure(opened, durability: mode?.rawValue ?? "server", batch: size, callers: callers,
                                                count: size == 1 ? singleEvents : events, tag: UUID().uuidString.prefix(8))
                    try await opened.close()
                    if store == nil { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: location + suffix) } }
                    Console.error(String(format: "%@ batch %d x %d callers: %.0f events/s", row.durability, row.batch, callers, row.eventsPerSecond))
                    rows.append(row)
                }
            }
        }
        print("| store | durability | events per call | concurrent callers | events | events/s | mean ms/call | p50 ms/call | p99 ms/call |")
        print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
        for row in rows {
            let mean = row.callMilliseconds.reduce(0, +) / Double(row.callMilliseconds.count)
            print(String(format: "| %@ | %@ | %d | %d | %d | %.0f | %.2f | %.2f | %.2f |", row.store, row.durability, row.batch, row.callers, row.events,
                         row.eventsPerSecond, mean, row.percentile(0.5), row.percentile(0.99)))
        }
        print("machine: \(ProcessInfo.processInfo.processorCount) cores, \(ProcessInfo.processInfo.physicalMemory >> 30) GiB")
    }

    /// Inserts `count` events in calls of `batch`: `callers` tasks, each one call at a time.
    func measure(_ store: any EventStore, durability: String, batch: Int, callers: Int, count: Int, tag: Substring) async throws -> Row {
        var generator = SeededGenerator(seed: 42)
        var calls: [[StoredEvent]] = []
        var made = 0
        while made < count {
            let size = min(batch, count - made)
            calls.append((0..<size).map { k -> StoredEvent in
                let n = made + k
                return StoredEvent(eventID: "\(tag)-\(n)", user: "u\(generator.next(below: 5_000))", item: "i\(generator.next(below: 20_000))",
                                   kind: n % 10 == 0 ? .purchase : .view, timestamp: 1_800_000_000 + Int64(n))
            })
            made += size
        }
        let work = calls
        let start = DispatchTime.now()
        let times = try await withThrowingTaskGroup(of: [Double].self) { group in
            for caller in 0..<callers {
                group.addTask {
                    var times: [Double] = []
                    for index in stride(from: caller, to: work.count, by: callers) {
                        let before = DispatchTime.now()
                        _ = try await store.insert(work[index])
                        times.append(Double(DispatchTime.now().uptimeNanoseconds - before.uptimeNanoseconds) / 1e6)
                    }
                    return times
                }
            }
            var all: [Double] = []
            for try await part in group { all += part }
            return all
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        let kind = store.description.hasPrefix("postgres") ? "postgres" : "sqlite"
        return Row(store: kind, durability: durability, batch: batch, callers: callers, events: count, seconds: seconds, callMilliseconds: times)
    }
}
