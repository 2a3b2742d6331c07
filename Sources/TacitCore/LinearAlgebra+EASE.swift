#if canImport(Accelerate)
import Accelerate
#elseif canImport(CTacitBLAS)
import CTacitBLAS
#endif
import Foundation

/// Kernels for closed-form item × item models (EASE): accumulating a Gram matrix over blocks of
/// rows, mirroring a triangle, and running one large BLAS/LAPACK call on several threads.
extension LinearAlgebra {
    /// `C += Aᵀ A` on the upper triangle only (row-major: entries `C[i, j]` with `j >= i`) for a
    /// row-major `rows x columns` matrix `A` with leading dimension `columns`; `C` is
    /// `columns x columns`. Call it once per block of rows, then ``mirrorUpperTriangle(n:a:threads:)``.
    /// - Complexity: O(rows · columns²) (BLAS `ssyrk`).
    public static func accumulateGram(rows: Int, columns: Int, a: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>) {
        guard rows > 0, columns > 0 else { return }
        cblas_ssyrk(CblasRowMajor, CblasUpper, CblasTrans, Int32(columns), Int32(rows), 1, a, Int32(columns),
                    1, c, Int32(columns))
    }

    /// Copies the upper triangle of the row-major `n x n` matrix `a` into its lower triangle, in
    /// cache-sized tiles spread over `threads` threads.
    /// - Complexity: O(n²).
    public static func mirrorUpperTriangle(n: Int, a: UnsafeMutablePointer<Float>, threads: Int) {
        let tile = 64
        let tiles = (n + tile - 1) / tile
        let matrix = SharedMutableBuffer(UnsafeMutableBufferPointer(start: a, count: n * n))
        // Tile row `ti` writes the lower-triangle rows ti·tile ..< (ti+1)·tile: disjoint per task.
        Parallel.forEach(0..<tiles, threads: threads, chunk: 1) { ti in
            let rows = (ti * tile)..<min(n, (ti + 1) * tile)
            for tj in 0...ti {
                let columns = (tj * tile)..<min(n, (tj + 1) * tile)
                for i in rows {
                    for j in columns where j < i { matrix[i * n + j] = matrix[j * n + i] }
                }
            }
        }
    }

    /// Runs `body` with BLAS allowed `count` threads inside each call, then restores the setting
    /// found on entry.
    ///
    /// For phases made of a few large BLAS/LAPACK calls (a Cholesky factorisation), where Tacit
    /// runs no threads of its own. Overlapping scopes share one saved setting: the first to
    /// enter saves it and the last to leave restores it. No effect with Accelerate.
    public static func withThreads<T>(_ count: Int, _ body: () throws -> T) rethrows -> T {
        BLASThreadScope.shared.enter(max(1, count))
        defer { BLASThreadScope.shared.leave() }
        return try body()
    }
}

/// The process-wide BLAS thread setting of nested ``LinearAlgebra/withThreads(_:_:)`` scopes.
///
/// `@unchecked Sendable`: `active` and `saved` are only touched under `mutex`.
final class BLASThreadScope: @unchecked Sendable {
    static let shared = BLASThreadScope()
    private var mutex = pthread_mutex_t()
    private var active = 0
    private var saved: Int32 = 1

    private init() { pthread_mutex_init(&mutex, nil) }

    func enter(_ count: Int) {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        #if canImport(CTacitBLAS) && !canImport(Accelerate)
        if active == 0 { saved = openblas_get_num_threads() }
        openblas_set_num_threads(Int32(count))
        #endif
        active += 1
    }

    func leave() {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        active -= 1
        #if canImport(CTacitBLAS) && !canImport(Accelerate)
        if active == 0 { openblas_set_num_threads(saved) }
        #endif
    }
}
