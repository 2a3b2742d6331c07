/// An owned, zero-initialised, fixed-size `Float` buffer: the storage of parameters, optimizer
/// moments and the activations of a batch.
///
/// `@unchecked Sendable`: a reference to raw memory. The training loop's contract is that parallel
/// workers write disjoint rows of a buffer within one phase and read what other workers wrote only
/// after the phase has returned (``Parallel`` orders them); the optimizer writes parameters only
/// between phases.
public final class FloatBuffer: @unchecked Sendable {
    /// The memory, `count` floats.
    public let buffer: UnsafeMutableBufferPointer<Float>

    /// A buffer of `count` zeros.
    public init(count: Int) {
        buffer = .allocate(capacity: max(1, count))
        buffer.initialize(repeating: 0)
        self.count = count
    }

    /// A buffer holding a copy of `values`.
    public convenience init(_ values: some Collection<Float>) {
        self.init(count: values.count)
        _ = UnsafeMutableBufferPointer(rebasing: buffer[0..<values.count]).initialize(from: values)
    }

    deinit { buffer.deallocate() }

    /// The number of floats (the allocation holds at least one, for empty buffers).
    public let count: Int

    /// The first float.
    @inlinable public var pointer: UnsafeMutablePointer<Float> { buffer.baseAddress! }

    /// Sets every float to zero. - Complexity: O(count).
    public func zero() { buffer.update(repeating: 0) }

    /// The contents as an array (for tests and persistence).
    public var array: [Float] { Array(buffer[0..<count]) }
}
