import ArgumentParser
import Foundation
import TacitCore
import TacitEvaluation
import TacitModels
import TacitSynthetic

/// `tacit bench`: speed, memory and quality of the data path and the baselines.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure import, matrix build, item-kNN fit and evaluation on generated data (and MovieLens).",
        discussion: HelpText.format("""
        For each --events size, generates (once, cached in --data-dir) a synthetic shop with seed
        42, then times: CSV import, weighting + matrix build, a leave-last-out split, the
        popular and itemknn fits, and full-ranking evaluation; it reports NDCG@10 and the peak
        resident memory after each stage. With --movielens DIR (default ../shared/data/ml-100k
        when present) it adds the fixed LOO split. scripts/bench.sh runs this and the pandas +
        scipy comparison on the same files.

        Example:
          tacit bench --events 1000000 --events 10000000 --json bench.json
        """)
    )

    @Option(help: "Event counts to generate and measure (repeatable).")
    var events: [Int] = [1_000_000]
    @Option(name: .customLong("data-dir"), help: "Where generated files are cached.")
    var dataDirectory = "bench-data"
    @Option(help: "MovieLens 100K directory (skipped when absent).")
    var movielens = "../shared/data/ml-100k"
    @Option(help: "Item-kNN parameters, key=value (repeatable); the default is what `tacit tune` found on the 200k demo shop.")
    var param: [String] = ["similarity=tfidf", "neighbors=50", "recency=2", "alpha=1", "shrinkage=50"]
    @Option(help: "Write the results as JSON to this file.")
    var json: String?
    @OptionGroup var threading: ThreadOptions

    func run() async throws {
        threading.apply()
        var rows: [BenchRow] = []
        for count in events {
            let directory = (dataDirectory as NSString).appendingPathComponent("shop-\(count)")
            let file = (directory as NSString).appendingPathComponent("events.csv")
            if !FileManager.default.fileExists(atPath: file) {
                Console.error("generating \(count) events into \(directory) ...")
                var configuration = ShopSimulator.Configuration(events: count)
                configuration.seed = 42
                _ = try ShopSimulator(configuration).write(to: directory, format: .csv)
            }
            rows.append(try await measure(name: "generated \(count / 1000)k", files: [file], test: nil))
        }
        let loo = (movielens as NSString).appendingPathComponent("splits/loo")
        if FileManager.default.fileExists(atPath: (loo as NSString).appendingPathComponent("train.csv")) {
            rows.append(try await measure(
                name: "ml-100k loo", files: ["train.csv", "valid.csv"].map { (loo as NSString).appendingPathComponent($0) },
                test: (loo as NSString).appendingPathComponent("test.csv")))
        } else {
            Console.error("MovieLens not found at \(movielens): skipped")
        }
        print(BenchRow.table(rows))
        print("threads: \(threading.threads); machine: \(ProcessInfo.processInfo.processorCount) cores, \(ProcessInfo.processInfo.physicalMemory >> 30) GiB")
        if let json { try Console.writeJSON(rows, to: json) }
    }

    /// Runs every stage on `files`; with `test` nil the data is split leave-last-out.
    func measure(name: String, files: [String], test: String?) async throws -> BenchRow {
        var row = BenchRow(name: name)
        var clock = Stopwatch()
        let (log, _) = try EventImporter().read(paths: files)
        row.events = log.count
        row.importSeconds = clock.lap()
        row.importBytes = files.reduce(0) { $0 + ((try? FileManager.default.attributesOfItem(atPath: $1)[.size] as? Int) ?? 0) }
        row.peakMiBAfterImport = PeakMemory.mebibytes()
        let full = try WeightingPolicy().matrix(from: log)
        row.matrixSeconds = clock.lap()
        row.users = full.userCount
        row.items = full.itemCount
        row.nnz = full.nnz
        row.peakMiBAfterMatrix = PeakMemory.mebibytes()

        let trainLog: EventLog, testLog: EventLog
        if let test {
            trainLog = log
            testLog = try EventImporter().read(paths: [test]).0
        } else {
            let split = LeaveLastOut().split(log)
            var train = split.train
            if let validation = split.validation { train.append(contentsOf: validation) }
            trainLog = train
            testLog = split.test
        }
        let training = try WeightingPolicy().matrix(from: trainLog)
        let testSet = TestSet(test: testLog, training: training)
        row.splitSeconds = clock.lap()

        let run = ModelRun(evaluator: Evaluator(cutoffs: [10], threads: threading.threads), threads: threading.threads)
        let popular = try await run.run(Popularity.descriptor, parameters: Popularity.descriptor.defaults, training: training, testSet: testSet)
        row.popularNDCG = popular.report[.ndcg, at: 10] ?? 0
        let parameters = try ItemKNN.descriptor.parameters(from: param)
        let knn = try await run.run(ItemKNN.descriptor, parameters: parameters, training: training, testSet: testSet)
        row.itemknnFitSeconds = knn.fitSeconds
        row.itemknnEvaluateSeconds = knn.evaluateSeconds
        row.itemknnNDCG = knn.report[.ndcg, at: 10] ?? 0
        row.evaluatedUsers = knn.report.users
        row.peakMiB = PeakMemory.mebibytes()
        return row
    }
}

/// Wall-clock laps.
struct Stopwatch {
    private var last = DispatchTime.now()
    mutating func lap() -> Double {
        let now = DispatchTime.now()
        defer { last = now }
        return Double(now.uptimeNanoseconds - last.uptimeNanoseconds) / 1e9
    }
}

/// Peak resident memory of this process (getrusage).
enum PeakMemory {
    static func mebibytes() -> Double {
        var usage = rusage()
        #if os(Linux)
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        #if os(Linux)
        return Double(usage.ru_maxrss) / 1024      // kilobytes on Linux
        #else
        return Double(usage.ru_maxrss) / 1_048_576 // bytes on macOS
        #endif
    }
}

/// One benchmark data set's measurements.
struct BenchRow: Encodable {
    var name: String
    var events = 0, users = 0, items = 0, nnz = 0, evaluatedUsers = 0, importBytes = 0
    var importSeconds = 0.0, matrixSeconds = 0.0, splitSeconds = 0.0
    var itemknnFitSeconds = 0.0, itemknnEvaluateSeconds = 0.0
    var popularNDCG = 0.0, itemknnNDCG = 0.0
    var peakMiBAfterImport = 0.0, peakMiBAfterMatrix = 0.0, peakMiB = 0.0

    static func table(_ rows: [BenchRow]) -> String {
        let header = ["data", "events", "users", "items", "import s", "Mev/s", "matrix s", "split s", "knn fit s",
                      "eval s", "popular NDCG@10", "itemknn NDCG@10", "peak MiB"]
        let body = rows.map { r in
            [r.name, String(r.events), String(r.users), String(r.items), f(r.importSeconds),
             f(Double(r.events) / max(r.importSeconds, 1e-9) / 1e6), f(r.matrixSeconds), f(r.splitSeconds),
             f(r.itemknnFitSeconds), f(r.itemknnEvaluateSeconds), String(format: "%.4f", r.popularNDCG),
             String(format: "%.4f", r.itemknnNDCG), String(format: "%.0f", r.peakMiB)]
        }
        return Console.table(header: header, rows: body)
    }

    private static func f(_ x: Double) -> String { String(format: "%.2f", x) }
}
