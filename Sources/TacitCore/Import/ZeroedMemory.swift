#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Zero-filled raw memory for large hash tables that are probed at random.
///
/// On Linux, blocks of 2 MiB and more are mapped 2 MiB-aligned and advised to use transparent
/// huge pages: a table probed at random touches a new 4 KiB page on almost every lookup, and
/// the resulting TLB misses (page walks are dearer still under virtualisation) cost more than the
/// cache misses themselves. Elsewhere, or when mapping fails, it is an ordinary zeroed allocation.
struct ZeroedMemory {
    private static let hugePage = 2 << 20

    /// The usable, zero-filled bytes.
    let base: UnsafeMutableRawPointer
    private let mapping: UnsafeMutableRawPointer?
    private let mappedBytes: Int

    init(byteCount: Int) {
        #if os(Linux)
        if byteCount >= Self.hugePage {
            let size = (byteCount + Self.hugePage - 1) / Self.hugePage * Self.hugePage + Self.hugePage
            if let raw = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
               raw != MAP_FAILED {
                let aligned = (Int(bitPattern: raw) + Self.hugePage - 1) / Self.hugePage * Self.hugePage
                base = raw + (aligned - Int(bitPattern: raw))
                _ = madvise(base, size - Self.hugePage, MADV_HUGEPAGE)
                mapping = raw
                mappedBytes = size
                return
            }
        }
        #endif
        base = .allocate(byteCount: max(byteCount, 1), alignment: 64)
        base.initializeMemory(as: UInt8.self, repeating: 0, count: byteCount)
        mapping = nil
        mappedBytes = 0
    }

    /// Returns the memory; the value must not be used afterwards.
    func free() {
        if let mapping {
            #if os(Linux)
            munmap(mapping, mappedBytes)
            #endif
        } else {
            base.deallocate()
        }
    }
}
