import Foundation

/// A value behind a lock, for state that request handlers read and write synchronously.
///
/// `@unchecked Sendable`: `value` is only touched inside `withLock`, under `lock`.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    /// Runs `body` with exclusive access to the value.
    @inline(__always)
    func withLock<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }

    /// A copy of the value (cheap for copy-on-write values).
    var current: Value { withLock { $0 } }
}
