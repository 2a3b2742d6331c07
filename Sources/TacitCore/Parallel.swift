import Dispatch
import Foundation

/// Data-parallel loops over index ranges, on a fixed number of threads.
public enum Parallel {
    /// The number of cores (the default for every `--threads` option).
    public static var defaultThreads: Int {
        max(1, ProcessInfo.processInfo.activeProcessorCount)
    }

    /// Runs `body(i)` for every `i` in `range` on up to `threads` threads, in dynamically claimed
    /// chunks so uneven work (long user histories) balances. Returns when all are done.
    public static func forEach(_ range: Range<Int>, threads: Int, chunk: Int? = nil, _ body: @Sendable (Int) -> Void) {
        let n = range.count
        guard n > 0 else { return }
        let workers = max(1, min(threads, n))
        if workers == 1 {
            for i in range { body(i) }
            return
        }
        let chunkSize = chunk ?? max(1, min(256, n / (workers * 8)))
        let counter = AtomicCounter()
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while true {
                let start = counter.add(chunkSize)
                if start >= n { break }
                for i in (range.lowerBound + start)..<(range.lowerBound + min(start + chunkSize, n)) { body(i) }
            }
        }
    }

    /// Splits `range` into `threads` contiguous blocks and runs `body(worker, block)` on each in
    /// parallel; use it when each worker keeps its own scratch state.
    public static func forEachBlock(_ range: Range<Int>, threads: Int, _ body: @Sendable (Int, Range<Int>) -> Void) {
        let n = range.count
        guard n > 0 else { return }
        let workers = max(1, min(threads, n))
        if workers == 1 { body(0, range); return }
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            let lo = range.lowerBound + n * w / workers, hi = range.lowerBound + n * (w + 1) / workers
            if lo < hi { body(w, lo..<hi) }
        }
    }

    /// Like ``forEach(_:threads:chunk:_:)`` but each worker gets its own state from `makeState`,
    /// created once per worker and passed `inout` to every call on that worker.
    public static func forEach<State>(
        _ range: Range<Int>, threads: Int, chunk: Int? = nil, makeState: @Sendable () -> State,
        _ body: @Sendable (inout State, Int) -> Void
    ) {
        let n = range.count
        guard n > 0 else { return }
        let workers = max(1, min(threads, n))
        let chunkSize = chunk ?? max(1, min(256, n / (workers * 8)))
        let counter = AtomicCounter()
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            var state = makeState()
            while true {
                let start = counter.add(chunkSize)
                if start >= n { break }
                for i in (range.lowerBound + start)..<(range.lowerBound + min(start + chunkSize, n)) { body(&state, i) }
            }
        }
    }
}

/// A counter shared by worker threads, guarded by a mutex.
final class AtomicCounter: @unchecked Sendable {
    private var value = 0
    private var mutex = pthread_mutex_t()

    init() { pthread_mutex_init(&mutex, nil) }
    deinit { pthread_mutex_destroy(&mutex) }

    /// Adds `amount` and returns the value before the addition.
    func add(_ amount: Int) -> Int {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        let old = value
        value += amount
        return old
    }
}

/// Fixed slots that parallel workers fill, each index written by exactly one worker.
///
/// `@unchecked Sendable`: writers touch disjoint indices (the loop's contract) and readers read
/// only after the loop has returned, which `concurrentPerform` orders.
public final class ResultSlots<Value>: @unchecked Sendable {
    private var storage: [Value]

    public init(count: Int, initial: Value) { storage = Array(repeating: initial, count: count) }

    public subscript(index: Int) -> Value {
        get { storage[index] }
        set { storage.withUnsafeMutableBufferPointer { $0[index] = newValue } }
    }

    /// All values, once the parallel loop is done.
    public var values: [Value] { storage }
}

/// A raw mutable buffer that parallel workers write at disjoint positions.
///
/// `@unchecked Sendable` under the same contract as ``ResultSlots``.
public struct SharedMutableBuffer<Element>: @unchecked Sendable {
    public let base: UnsafeMutableBufferPointer<Element>
    public init(_ base: UnsafeMutableBufferPointer<Element>) { self.base = base }
    @inlinable public subscript(index: Int) -> Element {
        get { base[index] }
        nonmutating set { base[index] = newValue }
    }
}
