import CTacitKernels
#if canImport(Accelerate)
import Accelerate
#elseif canImport(CTacitBLAS)
import CTacitBLAS
#endif

/// Dense kernels over row-major `Float` matrices, backed by BLAS and LAPACK.
///
/// OpenBLAS + LAPACKE on Linux, Accelerate on macOS. Tacit parallelises over users and items
/// itself, so ``configureThreads(_:)`` keeps BLAS single-threaded by default (oversubscription
/// costs far more than it gains).
public enum LinearAlgebra {
    /// Sets the number of threads BLAS may use inside one call (1 when Tacit's own loops run threads).
    public static func configureThreads(_ count: Int) {
        #if canImport(CTacitBLAS) && !canImport(Accelerate)
        openblas_set_num_threads(Int32(max(1, count)))
        #endif
    }

    /// `C = alpha * op(A) * op(B) + beta * C` for row-major matrices.
    /// - Parameters: `A` is `m x k` (or `k x m` when `transposeA`), `B` is `k x n` (or `n x k`), `C` is `m x n`.
    /// - Complexity: O(m n k).
    public static func gemm(
        transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int,
        alpha: Float = 1, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// The Gram matrix `C = alpha * Aᵀ A + beta * C` (upper and lower triangles filled) for a
    /// row-major `rows x columns` matrix `A`; `C` is `columns x columns`.
    /// - Complexity: O(rows · columns²).
    public static func gram(rows: Int, columns: Int, alpha: Float = 1, a: UnsafePointer<Float>,
                            beta: Float = 0, c: UnsafeMutablePointer<Float>) {
        cblas_ssyrk(CblasRowMajor, CblasUpper, CblasTrans, Int32(columns), Int32(rows), alpha, a, Int32(columns),
                    beta, c, Int32(columns))
        for i in 0..<columns { for j in 0..<i { c[i * columns + j] = c[j * columns + i] } }
    }

    /// Solves `A X = B` in place for a symmetric positive-definite `n x n` row-major `A` (Cholesky,
    /// LAPACK `spotrf` + `spotrs`); `B` (`n x nrhs`) becomes `X` and `A` its Cholesky factor.
    /// - Returns: `false` when `A` is not positive definite.
    /// - Complexity: O(n³ + n² nrhs).
    @discardableResult
    public static func choleskySolve(n: Int, a: UnsafeMutablePointer<Float>, b: UnsafeMutablePointer<Float>, nrhs: Int = 1) -> Bool {
        #if canImport(CTacitBLAS) && !canImport(Accelerate)
        guard LAPACKE_spotrf(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "U")), Int32(n), a, Int32(n)) == 0 else { return false }
        return LAPACKE_spotrs(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "U")), Int32(n), Int32(nrhs), a, Int32(n), b, Int32(nrhs)) == 0
        #else
        // Accelerate's LAPACK is column-major; a symmetric matrix is its own transpose.
        var uplo = Int8(UInt8(ascii: "U")), order = __CLPK_integer(n), lda = __CLPK_integer(n), info = __CLPK_integer(0)
        spotrf_(&uplo, &order, a, &lda, &info)
        guard info == 0 else { return false }
        var bt = [Float](repeating: 0, count: n * nrhs)
        for i in 0..<n { for j in 0..<nrhs { bt[j * n + i] = b[i * nrhs + j] } }
        var count = __CLPK_integer(nrhs), ldb = __CLPK_integer(n)
        spotrs_(&uplo, &order, &count, a, &lda, &bt, &ldb, &info)
        for i in 0..<n { for j in 0..<nrhs { b[i * nrhs + j] = bt[j * n + i] } }
        return info == 0
        #endif
    }

    /// The dot product of two vectors of length `n`.
    /// - Complexity: O(n), with the widest SIMD the CPU has (`CTacitKernels`).
    @inline(__always)
    public static func dot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, count n: Int) -> Float {
        tacit_dot(x, y, n)
    }

    /// The instruction set of the vector kernels on this machine (`avx512`, `avx2` or `baseline`).
    public static var kernelInstructionSet: String { String(cString: tacit_kernel_isa()) }
}

extension LinearAlgebra {
    /// `y += a * x` for vectors of length `n`. - Complexity: O(n), SIMD (`CTacitKernels`).
    @inline(__always)
    public static func axpy(_ a: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count n: Int) {
        tacit_axpy(a, x, y, n)
    }

    /// `y = A x` for a **symmetric** `n x n` matrix `A`. - Complexity: O(n²), SIMD (`CTacitKernels`).
    @inline(__always)
    public static func matvec(_ a: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count n: Int) {
        tacit_matvec(a, x, y, n)
    }

    /// For each `k < count`, with `r_k` the row `index[k]` of the row-major `rows x f` matrix `rows`:
    /// `out += (offset[k] + slope[k] · r_kᵀ v) · r_k`. The data term of an iALS row's residual
    /// and matrix-vector product, fused so each row is read once per pass.
    /// - Complexity: O(count · f), SIMD (`CTacitKernels`).
    @inline(__always)
    public static func rankUpdate(rows: UnsafePointer<Float>, index: UnsafePointer<Int32>, offset: UnsafePointer<Float>,
                                  slope: UnsafePointer<Float>, count: Int, factors f: Int, v: UnsafePointer<Float>,
                                  out: UnsafeMutablePointer<Float>) {
        tacit_rank_update(rows, index, offset, slope, count, f, v, out)
    }

    /// Inverts a symmetric positive-definite `n x n` row-major matrix in place (Cholesky,
    /// LAPACK `spotrf` + `spotri`; both triangles are filled on return).
    /// - Returns: `false` when `A` is not positive definite.
    /// - Complexity: O(n³).
    public static func invertSymmetricPositiveDefinite(n: Int, a: UnsafeMutablePointer<Float>) -> Bool {
        #if canImport(CTacitBLAS) && !canImport(Accelerate)
        guard LAPACKE_spotrf(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "U")), Int32(n), a, Int32(n)) == 0,
              LAPACKE_spotri(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "U")), Int32(n), a, Int32(n)) == 0 else { return false }
        #else
        // Column-major LAPACK on the row-major buffer: "L" there is "U" here.
        var uplo = Int8(UInt8(ascii: "L")), order = __CLPK_integer(n), lda = __CLPK_integer(n), info = __CLPK_integer(0)
        spotrf_(&uplo, &order, a, &lda, &info)
        guard info == 0 else { return false }
        spotri_(&uplo, &order, a, &lda, &info)
        guard info == 0 else { return false }
        #endif
        // Mirror the upper triangle (row-major) into the lower one.
        for i in 0..<n { for j in 0..<i { a[i * n + j] = a[j * n + i] } }
        return true
    }
}
