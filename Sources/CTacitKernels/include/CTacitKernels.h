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

/// The name of the instruction set the kernels use on this CPU ("avx512", "avx2", "baseline").
const char *tacit_kernel_isa(void);

#endif
