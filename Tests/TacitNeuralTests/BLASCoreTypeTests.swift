import CTacitKernels
import Testing

/// `tacit_blas_coretype`: which OpenBLAS core type `tacit` sets before re-executing itself.
@Suite struct BLASCoreTypeTests {
    static func coretype(_ detected: String?) -> String? {
        guard let detected else { return tacit_blas_coretype(nil).map { String(cString: $0) } }
        return detected.withCString { tacit_blas_coretype($0) }.map { String(cString: $0) }
    }

    @Test func aProperDetectionIsLeftAlone() {
        for name in ["SkylakeX", "Haswell", "Zen", "Cooperlake", "SapphireRapids", "Sandybridge"] { #expect(Self.coretype(name) == nil, "\(name)") }
        #expect(Self.coretype(nil) == nil)
    }

    @Test func aGenericFallbackGetsWhatTheCPUHas() {
        // What this CPU supports decides: AVX-512 → SkylakeX, AVX2 + FMA → Haswell, else none.
        let isa = String(cString: tacit_kernel_isa())
        for name in ["Prescott", "Core2", "Nehalem"] {
            let core = Self.coretype(name)
            if isa == "avx512" { #expect(core == "SkylakeX" || core == "Haswell", "\(name): \(core ?? "nil")") }
            if isa == "baseline" { #expect(core == nil) }
            if isa == "avx2" { #expect(core == "Haswell") }
        }
    }
}
