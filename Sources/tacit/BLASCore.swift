import CTacitKernels
import Foundation
#if canImport(CTacitBLAS)
import CTacitBLAS
#endif

/// OpenBLAS picks its kernels from the CPU model when it is loaded, before `main`. Debian 12's
/// OpenBLAS 0.3.21 does not know some virtual Intel Xeons and falls back to its generic
/// "Prescott" (SSE3) kernels even where the CPU has AVX-512: sgemm then runs at about half speed
/// (ML-1M SASRec, d 128, 2 epochs: 106.5 s against 56.4 s with `OPENBLAS_CORETYPE=SkylakeX`).
/// Only `OPENBLAS_CORETYPE` at load time changes that choice, so on such a CPU `tacit` sets it
/// and re-executes itself once. A core type set by the user is never overridden.
enum BLASCore {
    static func useTheCPUsKernels() {
        #if canImport(CTacitBLAS) && os(Linux)
        guard getenv("OPENBLAS_CORETYPE") == nil, let detected = openblas_get_corename(),
              let core = tacit_blas_coretype(detected) else { return }
        setenv("OPENBLAS_CORETYPE", core, 1)
        execv("/proc/self/exe", CommandLine.unsafeArgv)
        // execv returns only when it failed: carry on with the generic kernels.
        #endif
    }
}
