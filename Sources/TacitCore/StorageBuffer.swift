#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An immutable, contiguous buffer of plain values, owned in memory or mapped from a file.
///
/// The large arrays of an ``InteractionMatrix`` and of model files live in these, so a saved
/// matrix can be memory-mapped instead of read and copied.
///
/// `@unchecked Sendable`: the elements are never mutated after `init` returns, and the memory
/// (allocation or mapping) lives exactly as long as the buffer object.
public final class StorageBuffer<Element: BitwiseCopyable>: @unchecked Sendable {
    /// The elements.
    public let buffer: UnsafeBufferPointer<Element>
    private let release: @Sendable () -> Void

    /// Copies `array` into a new buffer.
    public init(_ array: [Element]) {
        let memory = UnsafeMutableBufferPointer<Element>.allocate(capacity: max(array.count, 1))
        _ = memory.initialize(from: array)
        buffer = UnsafeBufferPointer(start: memory.baseAddress, count: array.count)
        nonisolated(unsafe) let owned = memory
        release = { owned.deallocate() }
    }

    /// Allocates `count` elements and lets `fill` write every one of them.
    public init(count: Int, fill: (UnsafeMutableBufferPointer<Element>) throws -> Void) rethrows {
        let memory = UnsafeMutableBufferPointer<Element>.allocate(capacity: max(count, 1))
        let slice = UnsafeMutableBufferPointer(start: memory.baseAddress, count: count)
        do { try fill(slice) } catch { memory.deallocate(); throw error }
        buffer = UnsafeBufferPointer(slice)
        nonisolated(unsafe) let owned = memory
        release = { owned.deallocate() }
    }

    /// Takes ownership of memory allocated with `UnsafeMutableBufferPointer.allocate` and filled.
    public init(adopting memory: UnsafeMutableBufferPointer<Element>) {
        buffer = UnsafeBufferPointer(memory)
        nonisolated(unsafe) let owned = memory
        release = { owned.deallocate() }
    }

    /// Wraps memory owned by `owner` (for example a file mapping); `owner` is kept alive.
    init(borrowing pointer: UnsafePointer<Element>?, count: Int, owner: AnyObject & Sendable) {
        buffer = UnsafeBufferPointer(start: pointer, count: count)
        release = { _ = owner }
    }

    deinit { release() }

    /// The number of elements.
    @inlinable public var count: Int { buffer.count }

    @inlinable public subscript(index: Int) -> Element { buffer[index] }

    /// The elements as a new array.
    public var array: [Element] { Array(buffer) }
}

/// A read-only memory mapping of a whole file. Unmapped when the last reference goes away.
final class FileMapping: @unchecked Sendable {
    let base: UnsafeRawPointer
    let length: Int

    init(path: String) throws(TacitError) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw .io(path: path, reason: "cannot open (errno \(errno))") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .io(path: path, reason: "cannot stat") }
        length = Int(info.st_size)
        guard length > 0 else { throw .format(path: path, reason: "the file is empty") }
        guard let mapped = mmap(nil, length, PROT_READ, MAP_PRIVATE, fd, 0), mapped != MAP_FAILED else {
            throw .io(path: path, reason: "mmap failed (errno \(errno))")
        }
        base = UnsafeRawPointer(mapped)
    }

    deinit { munmap(UnsafeMutableRawPointer(mutating: base), length) }
}
