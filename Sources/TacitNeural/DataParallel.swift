import TacitCore

/// Splits a batch's rows across worker threads, each with its own ``Gradients``, then sums the
/// workers' gradients in worker order.
///
/// Rows go to workers in fixed contiguous blocks (``Parallel/forEachBlock(_:threads:_:)``), and the
/// reduction order is fixed, so the same seed and the same thread count give bitwise identical
/// parameters. Different thread counts sum in a different order (different rounding).
public final class DataParallel: @unchecked Sendable {
    // `@unchecked`: worker `w` writes only `workers[w]` during ``run(rows:_:)``.
    /// The number of workers.
    public let threads: Int
    /// One gradient set per worker; after ``reduce()`` the sum is in `workers[0]`.
    public let workers: [Gradients]

    public init(_ parameters: ParameterSet, threads: Int) {
        self.threads = max(1, threads)
        workers = (0..<max(1, threads)).map { _ in Gradients(parameters) }
    }

    /// Runs `body(worker, rows)` over contiguous blocks of `0..<rows`, one per worker, in parallel.
    public func run(rows: Int, _ body: @Sendable (_ worker: Int, _ rows: Range<Int>) -> Void) {
        Parallel.forEachBlock(0..<rows, threads: threads, body)
    }

    /// Runs `body(worker)` once per worker, in parallel; a worker takes its rows of any
    /// batch-sized array with ``rows(_:worker:)``, so one parallel region can cover several arrays.
    public func runWorkers(_ body: @Sendable (_ worker: Int) -> Void) {
        Parallel.forEachBlock(0..<threads, threads: threads) { _, workers in for w in workers { body(w) } }
    }

    /// Worker `worker`'s contiguous block of `0..<count` (the split ``run(rows:_:)`` uses).
    public func rows(_ count: Int, worker: Int) -> Range<Int> {
        (count * worker / threads)..<(count * (worker + 1) / threads)
    }

    /// Sums the workers' gradients into `workers[0]` (in worker order) and returns it.
    /// - Complexity: O(threads · (dense values + touched rows · columns)).
    public func reduce() -> Gradients {
        for w in 1..<threads { workers[0].add(workers[w]) }
        return workers[0]
    }

    /// Zeroes every worker's gradients.
    public func zero() { for w in workers { w.zero() } }
}
