// Small dense kernels for Tacit's per-row solvers, compiled for several instruction sets
// (AVX-512, AVX2+FMA, baseline) and chosen once at run time from the CPU's features.
//
// Swift cannot compile one function for several targets, and a baseline x86-64 build has no
// AVX or FMA; these few hot loops are where that costs the most (the iALS row solves).
#ifndef TACIT_KERNELS_H
#define TACIT_KERNELS_H

#include <stdint.h>

/// The dot product of two vectors of length n.
float tacit_dot(const float *x, const float *y, long n);

/// y += a * x for vectors of length n.
void tacit_axpy(float a, const float *x, float *y, long n);

/// y = A x for a symmetric n x n matrix A (row-major; computed as the sum of x_j times row j).
void tacit_matvec(const float *a, const float *x, float *y, long n);

/// For each k < count, with row r_k = rows + index[k] * f:
///   out += (offset[k] + slope[k] * dot(r_k, v)) * r_k
/// (the data term of an iALS row's residual and of its matrix-vector product).
void tacit_rank_update(const float *rows, const int32_t *index, const float *offset, const float *slope,
                       long count, long f, const float *v, float *out);

/// Softmax cross-entropy of `rows` rows of `columns` logits (row-major, in place): returns the summed
/// loss `log Σ_j e^z_j − z_label` over the rows and leaves each row as `scale · (softmax(z) − onehot(label))`,
/// the scaled gradient. Logits of -inf get probability 0 (masked columns); a row's label must be finite.
double tacit_softmax_xent(float *z, long rows, long columns, const int32_t *labels, float scale);

/// Whether this CPU has AVX-512 BF16 (`vdpbf16ps`), which the `tacit_bf16_*` products need.
int tacit_has_bf16(void);

/// bf16 elements of a prepared item table `E` (`n x k`) and of the scratch for a block of `m` rows
/// (see bf16.c for the layouts), and the floats of the float scratch.
long tacit_bf16_table_count(long n, long k);
long tacit_bf16_scratch_count(long m, long n, long k);
long tacit_bf16_float_scratch_count(long n, long k);

/// Rounds `E` (`n x k`, row-major) to bf16 in the two layouts the products below read.
void tacit_bf16_prepare_table(const float *e, long n, long k, uint16_t *table);

/// `c = Z Eᵀ` (`m x n`, row-major, ldc = n) for `Z` (`m x k`) in bf16 products with float sums.
/// Returns 0 (and does nothing) where the CPU lacks AVX-512 BF16.
int tacit_bf16_logits(const float *z, long m, long k, const uint16_t *table, long n, float *c, uint16_t *scratch);

/// `dz = G E` (`m x k`, overwritten) and `de += Gᵀ Z` (`n x k`) for `G` (`m x n`) and `Z`
/// (`m x k`), in bf16 products with float sums. Returns 0 (and does nothing) without AVX-512 BF16.
int tacit_bf16_output_gradients(const float *g, long m, long n, const uint16_t *table, const float *z, long k, float *dz,
                                float *de, uint16_t *scratch, float *floats);

/// int8 elements of a prepared item code table for `n` items of `k` dimensions (see int8.c).
long tacit_i8_table_count(long n, long k);

/// Lays out int8 item codes (`n x k`, row-major, each in [-127, 127]) in tiles of 16 items.
void tacit_i8_prepare_table(const int8_t *codes, long n, long k, int8_t *table);

/// `out[i] = Σ_d query[d] · code[i][d]` (exact, int32) for the `16 · tiles` items of `tiles`
/// consecutive tiles of a prepared table; `query` holds `k` rounded up to 4 codes in [-127, 127]
/// (zero padded). The fastest path of the CPU (AVX-512 VNNI, AVX2, baseline).
void tacit_i8_scores(const int8_t *query, const int8_t *table, long tiles, long k, int32_t *out);

/// The same through one path (0 baseline, 1 AVX2, 2 AVX-512 VNNI); returns 0 when the CPU lacks it.
int tacit_i8_scores_with(int isa, const int8_t *query, const int8_t *table, long tiles, long k, int32_t *out);

/// The path `tacit_i8_scores` takes on this CPU ("avx512vnni", "avx2", "baseline").
const char *tacit_i8_isa(void);

/// The name of the instruction set the kernels use on this CPU ("avx512", "avx2", "baseline").
const char *tacit_kernel_isa(void);

/// The OpenBLAS core type (`OPENBLAS_CORETYPE`) that fits this CPU when OpenBLAS `detected` a
/// generic pre-AVX core ("Prescott", "Core2", "Nehalem") on a CPU with AVX-512 ("SkylakeX") or
/// AVX2 + FMA ("Haswell"): OpenBLAS 0.3.21 falls back to Prescott on CPU models it does not know
/// (some virtual Xeons), where sgemm runs at half speed. NULL when the detection is fine.
const char *tacit_blas_coretype(const char *detected);

#endif
