import ArgumentParser
import Foundation
import TacitCore
import TacitModels
import CTacitKernels

/// `tacit bench-ann`: exact scoring against the int8 scan and the maximum-inner-product index,
/// on one thread, on the item vectors and user vectors of a saved model.
struct BenchANNCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-ann",
        abstract: "Measure approximate retrieval (int8 codes, the MIPS index) against exact scoring on a saved model's vectors.",
        discussion: HelpText.format("""
        Loads a model file of an inner-product model (als, bpr, twotower, sasrec), draws --queries trained users
        with a fixed seed and, on one thread, times each user's top --count over every item
        (no filter) by: the exact float scan, the int8 scan (per-vector scales, no re-scoring),
        and the index at each --probes setting (leaves scored, then the best --rescore re-scored
        exactly). Reports recall@count against the exact lists, the mean time per query, the
        speed-up over the exact scan, the build time and the memory of each representation.

        Example:
          tacit train --train events.csv --model als --output als.tacit
          tacit bench-ann --model-file als.tacit --probes 8,16,24,32
        """)
    )

    @Option(help: "The model file (als, bpr, twotower or sasrec).")
    var modelFile: String
    @Option(help: "Queries (trained users drawn with --seed).")
    var queries = 2_000
    @Option(help: "Items per query.")
    var count = 10
    @Option(help: "Comma-separated numbers of leaves to score per query.")
    var probes = "8,16,24,32,48"
    @Option(help: "Items re-scored exactly per query.")
    var rescore = 100
    @Option(help: "Leaves of the index (default: √items).")
    var leaves: Int?
    @Option(help: "Seed of the users drawn.")
    var seed: UInt64 = 42
    @Option(help: ArgumentHelp("Also write the index's vectors and the queries (raw little-endian float32, with meta.json) into this directory, for scripts/bench/ann_reference.py.", valueName: "directory"))
    var export: String?

    func validate() throws {
        guard ArgumentChecks.enabled else { return }
        guard (1...1_000_000).contains(queries) else { throw ValidationError("--queries must be in 1...1000000") }
        guard (1...10_000).contains(count) else { throw ValidationError("--count must be in 1...10000") }
        guard (1...1_000_000).contains(rescore) else { throw ValidationError("--rescore must be in 1...1000000") }
        guard let settings = Self.parse(probes), !settings.isEmpty else { throw ValidationError("--probes must be comma-separated numbers from 1") }
        _ = settings
        if let leaves { guard (1...10_000_000).contains(leaves) else { throw ValidationError("--leaves must be in 1...10000000") } }
    }

    static func parse(_ list: String) -> [Int]? {
        let values = list.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard values.allSatisfy({ ($0 ?? 0) >= 1 }) else { return nil }
        return values.compactMap { $0 }
    }

    func run() async throws {
        LinearAlgebra.configureThreads(1)
        let contents = try ModelFile.load(from: modelFile)
        guard let model = contents.model as? any InnerProductModel else {
            throw TacitError.invalidArgument("\(contents.descriptor.name) does not rank by an inner product of vectors (als, bpr, twotower and sasrec do)")
        }
        let scorer = model.scorer, users = model.trainingData.userCount
        guard users > 0, scorer.itemCount > 0 else { throw TacitError.invalidArgument("the model has no users or no items") }
        var random = SeededGenerator(seed: seed)
        let drawn = (0..<queries).map { _ in UserIndex(Int(random.next() % UInt64(users))) }
        Console.error("\(scorer.itemCount) items × \(scorer.factors) factors\(scorer.itemBias == nil ? "" : " + bias"), \(drawn.count) queries, one thread")

        func timed(_ body: (UserIndex) -> [ScoredItem]) -> (lists: [[ScoredItem]], milliseconds: Double) {
            let start = DispatchTime.now().uptimeNanoseconds
            let lists = drawn.map(body)
            return (lists, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6 / Double(drawn.count))
        }
        if let export { try write(scorer: scorer, queries: drawn.map { Array(model.vector(of: $0)) }, to: export) }
        let empty = UnsafeBufferPointer<Int32>(start: nil, count: 0)
        let exact = timed { scorer.recommend(user: model.vector(of: $0).baseAddress!, history: empty, count: count, filter: .none) }
        func recall(_ lists: [[ScoredItem]]) -> Double {
            var hits = 0, total = 0
            for (found, truth) in zip(lists, exact.lists) {
                let expected = Set(truth.map(\.item))
                hits += found.prefix(count).filter { expected.contains($0.item) }.count
                total += truth.count
            }
            return Double(hits) / Double(max(1, total))
        }
        let floatBytes = scorer.itemCount * scorer.factors * 4
        var rows: [[String]] = [["exact float scan", "1.0000", format(exact.milliseconds), "1.0×", "-", mebibytes(floatBytes)]]

        // The int8 scan: every item's approximate score, no re-scoring.
        let start = DispatchTime.now().uptimeNanoseconds
        let codes = scorer.itemFactors.buffer.withMemoryRebound(to: Float.self) { Int8Vectors($0, dimension: scorer.factors) }
        let codeSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        var scratch = [Float](repeating: 0, count: scorer.itemCount)
        let int8 = timed { user in
            let query = Int8Vectors.Query(model.vector(of: user).baseAddress!, dimension: scorer.factors)
            return scratch.withUnsafeMutableBufferPointer { scores in
                codes.scores(of: query, into: scores.baseAddress!)
                if let bias = scorer.itemBias { for i in 0..<scorer.itemCount { scores[i] += bias[i] } }
                var top = TopK(count)
                for i in 0..<scorer.itemCount { top.insert(ItemIndex(i), score: scores[i]) }
                return top.sorted()
            }
        }
        rows.append(["int8 scan (\(String(cString: tacit_i8_isa())))", String(format: "%.4f", recall(int8.lists)), format(int8.milliseconds),
                     ratio(exact.milliseconds, int8.milliseconds), String(format: "%.2f s", codeSeconds), mebibytes(codes.bytes)])

        var configuration = MIPSIndex.Configuration()
        configuration.leaves = leaves
        configuration.rescore = rescore
        let index = scorer.makeIndex(configuration)
        for setting in Self.parse(probes) ?? [] {
            let found = timed { scorer.recommend(user: model.vector(of: $0).baseAddress!, history: empty, count: count, filter: .none, index: index, probes: setting) }
            rows.append(["index, \(index.leaves) leaves, \(setting) probed, \(max(count, rescore)) re-scored", String(format: "%.4f", recall(found.lists)),
                         format(found.milliseconds), ratio(exact.milliseconds, found.milliseconds), String(format: "%.2f s", index.buildSeconds),
                         mebibytes(index.bytes)])
        }
        print(Console.table(header: ["method", "recall@\(count)", "ms/query", "speed-up", "build", "memory"], rows: rows))
    }

    /// The vectors the index holds (factors, and the bias as one more dimension) and the queries
    /// (user vectors, and 1 for the bias), as the reference libraries read them.
    private func write(scorer: FactorScorer, queries: [[Float]], to directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let d = scorer.indexDimension, bias = scorer.itemBias
        var items = [Float](repeating: 0, count: scorer.itemCount * d)
        for i in 0..<scorer.itemCount {
            for (j, value) in scorer.vector(of: i).enumerated() { items[i * d + j] = value }
            if let bias { items[i * d + scorer.factors] = bias[i] }
        }
        let rows: [Float] = queries.flatMap { (query: [Float]) -> [Float] in bias == nil ? query : query + [1] }
        for (name, values) in [("items.f32", items), ("queries.f32", rows)] {
            let data = values.withUnsafeBufferPointer { Data(buffer: $0) }
            try data.write(to: URL(fileURLWithPath: (directory as NSString).appendingPathComponent(name)))
        }
        let meta = "{\"dimension\": \(d), \"items\": \(scorer.itemCount), \"queries\": \(queries.count)}\n"
        try meta.write(toFile: (directory as NSString).appendingPathComponent("meta.json"), atomically: true, encoding: .utf8)
        Console.error("wrote \(scorer.itemCount) item vectors and \(queries.count) queries of \(d) floats to \(directory)")
    }

    private func format(_ milliseconds: Double) -> String { String(format: "%.4f", milliseconds) }
    private func ratio(_ base: Double, _ other: Double) -> String { String(format: "%.1f×", base / max(other, 1e-12)) }
    private func mebibytes(_ bytes: Int) -> String { String(format: "%.1f MiB", Double(bytes) / 1_048_576) }
}
