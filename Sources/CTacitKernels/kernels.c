#include <string.h>
#include "CTacitKernels.h"

#include <math.h>

// Each kernel body is written once as a macro over a fixed-width vector type and instantiated
// for every target; `acc += a * b` contracts to FMA where the target has it.

typedef float v16 __attribute__((vector_size(64), aligned(4)));
typedef float v8 __attribute__((vector_size(32), aligned(4)));
typedef float v4 __attribute__((vector_size(16), aligned(4)));
typedef int32_t i16v __attribute__((vector_size(64), aligned(4)));
typedef int32_t i8v __attribute__((vector_size(32), aligned(4)));
typedef int32_t i4v __attribute__((vector_size(16), aligned(4)));

// Horizontal sums as shuffle trees (a plain loop is a serial chain of W dependent adds).
#define HSUM4(a) ({ v4 _a = (a); _a[0] + _a[1] + (_a[2] + _a[3]); })
#define HSUM8(a) ({ v8 _b = (a); HSUM4(__builtin_shufflevector(_b, _b, 0, 1, 2, 3) + __builtin_shufflevector(_b, _b, 4, 5, 6, 7)); })
#define HSUM16(a) ({ v16 _c = (a); HSUM8(__builtin_shufflevector(_c, _c, 0, 1, 2, 3, 4, 5, 6, 7) \
                                        + __builtin_shufflevector(_c, _c, 8, 9, 10, 11, 12, 13, 14, 15)); })

#define DOT_BODY(V, W)                                                     \
    V acc0 = {0}, acc1 = {0};                                              \
    long i = 0;                                                            \
    for (; i + 2 * W <= n; i += 2 * W) {                                   \
        acc0 += *(const V *)(x + i) * *(const V *)(y + i);                 \
        acc1 += *(const V *)(x + i + W) * *(const V *)(y + i + W);         \
    }                                                                      \
    for (; i + W <= n; i += W) acc0 += *(const V *)(x + i) * *(const V *)(y + i); \
    acc0 += acc1;                                                          \
    float sum = HSUM##W(acc0);                                             \
    for (; i < n; i++) sum += x[i] * y[i];                                 \
    return sum;

#define AXPY_BODY(V, W)                                                    \
    V va = a - (V){0};                                                     \
    long i = 0;                                                            \
    for (; i + W <= n; i += W) *(V *)(y + i) += va * *(const V *)(x + i);  \
    for (; i < n; i++) y[i] += a * x[i];

// e^x per lane (Cephes expf: x = n ln 2 + r, a degree-6 polynomial for e^r, 2^n through the
// exponent bits); inputs below -87.34 (-inf included) give exactly 0. Relative error < 2e-7.
#define EXP_BODY(V, VI, x)                                                                         \
    ({                                                                                             \
        V _x = (x), _lo = -87.33654f - (V){0};                                                     \
        V _c = __builtin_elementwise_min(__builtin_elementwise_max(_x, _lo), 88.37626f - (V){0});  \
        V _b = _c * 1.44269504f + 12582912.0f;                                                     \
        V _n = _b - 12582912.0f;                                                                   \
        V _r = _c - _n * 0.693359375f;                                                             \
        _r = _r + _n * 2.1219444e-4f;                                                              \
        V _p = 1.98756915e-4f * _r + 1.3981999507e-3f;                                             \
        _p = _p * _r + 8.3334519073e-3f;                                                           \
        _p = _p * _r + 4.1665795894e-2f;                                                           \
        _p = _p * _r + 1.6666665459e-1f;                                                           \
        _p = _p * _r + 5.0000001201e-1f;                                                           \
        V _e = _p * (_r * _r) + _r + 1.0f;                                                         \
        VI _k = (((VI)_b - 0x4B400000) + 127) << 23;                                               \
        V _y = _e * (V)_k;                                                                         \
        (V)((VI)_y & ~(VI)(_x < _lo));                                                             \
    })

// Softmax cross-entropy of each row in place: the row becomes scale * (softmax - onehot(label)).
#define SOFTMAX_XENT_BODY(V, VI, W)                                                                \
    double total = 0;                                                                              \
    for (long r = 0; r < rows; r++) {                                                              \
        float *row = z + r * columns;                                                              \
        long label = labels[r];                                                                    \
        float labelLogit = row[label];                                                             \
        V vmax = -__builtin_inff() - (V){0};                                                       \
        long j = 0;                                                                                \
        for (; j + W <= columns; j += W) vmax = __builtin_elementwise_max(vmax, *(const V *)(row + j)); \
        float maximum = vmax[0];                                                                   \
        for (int l = 1; l < W; l++) maximum = vmax[l] > maximum ? vmax[l] : maximum;               \
        for (; j < columns; j++) maximum = row[j] > maximum ? row[j] : maximum;                    \
        V shift = maximum - (V){0}, vsum = {0};                                                    \
        for (j = 0; j + W <= columns; j += W) {                                                    \
            V e = EXP_BODY(V, VI, *(const V *)(row + j) - shift);                                  \
            *(V *)(row + j) = e;                                                                   \
            vsum += e;                                                                             \
        }                                                                                          \
        float sum = HSUM##W(vsum);                                                                 \
        for (; j < columns; j++) {                                                                 \
            V e = EXP_BODY(V, VI, (row[j] - maximum) - (V){0});                                    \
            row[j] = e[0];                                                                         \
            sum += e[0];                                                                           \
        }                                                                                          \
        total += (double)logf(sum) + (double)maximum - (double)labelLogit;                        \
        V inverse = scale / sum - (V){0};                                                          \
        for (j = 0; j + W <= columns; j += W) *(V *)(row + j) *= inverse;                          \
        for (; j < columns; j++) row[j] *= inverse[0];                                             \
        row[label] -= scale;                                                                       \
    }                                                                                              \
    return total;

#define DEFINE_KERNELS(SUFFIX, TARGET, V, VI, W)                                                        \
    TARGET static float dot_##SUFFIX(const float *x, const float *y, long n) { DOT_BODY(V, W) }    \
    TARGET static void axpy_##SUFFIX(float a, const float *x, float *y, long n) { AXPY_BODY(V, W) } \
    TARGET static double softmax_xent_##SUFFIX(float *z, long rows, long columns, const int32_t *labels, \
                                               float scale) { SOFTMAX_XENT_BODY(V, VI, W) }          \
    /* y = A x for symmetric A as Σ_j x_j A[j, :]: broadcasts and FMAs, no horizontal sums. */     \
    TARGET static void matvec_##SUFFIX(const float *a, const float *x, float *y, long n) {          \
        long c = 0;                                                                                 \
        for (; c + 4 * W <= n; c += 4 * W) {                                                        \
            V y0 = {0}, y1 = {0}, y2 = {0}, y3 = {0};                                               \
            for (long j = 0; j < n; j++) {                                                          \
                const float *row = a + j * n + c;                                                   \
                V xj = x[j] - (V){0};                                                               \
                y0 += xj * *(const V *)(row);                                                       \
                y1 += xj * *(const V *)(row + W);                                                   \
                y2 += xj * *(const V *)(row + 2 * W);                                               \
                y3 += xj * *(const V *)(row + 3 * W);                                               \
            }                                                                                       \
            *(V *)(y + c) = y0; *(V *)(y + c + W) = y1;                                             \
            *(V *)(y + c + 2 * W) = y2; *(V *)(y + c + 3 * W) = y3;                                 \
        }                                                                                           \
        for (; c + W <= n; c += W) {                                                                \
            V y0 = {0};                                                                             \
            for (long j = 0; j < n; j++) y0 += (x[j] - (V){0}) * *(const V *)(a + j * n + c);       \
            *(V *)(y + c) = y0;                                                                     \
        }                                                                                           \
        for (; c < n; c++) {                                                                        \
            float s = 0;                                                                            \
            for (long j = 0; j < n; j++) s += x[j] * a[j * n + c];                                  \
            y[c] = s;                                                                               \
        }                                                                                           \
    }                                                                                               \
    /* Four rows at a time: four independent dot products, then one pass over out. */             \
    TARGET static void rank_update_##SUFFIX(const float *rows, const int32_t *index, const float *offset, \
                                            const float *slope, long count, long f, const float *v,  \
                                            float *out) {                                            \
        long k = 0;                                                                                 \
        for (; k + 4 <= count; k += 4) {                                                            \
            const float *r0 = rows + (long)index[k] * f, *r1 = rows + (long)index[k + 1] * f;       \
            const float *r2 = rows + (long)index[k + 2] * f, *r3 = rows + (long)index[k + 3] * f;   \
            V a0 = {0}, a1 = {0}, a2 = {0}, a3 = {0};                                               \
            long i = 0;                                                                             \
            for (; i + W <= f; i += W) {                                                            \
                V vv = *(const V *)(v + i);                                                         \
                a0 += *(const V *)(r0 + i) * vv; a1 += *(const V *)(r1 + i) * vv;                   \
                a2 += *(const V *)(r2 + i) * vv; a3 += *(const V *)(r3 + i) * vv;                   \
            }                                                                                       \
            float s0 = HSUM##W(a0), s1 = HSUM##W(a1), s2 = HSUM##W(a2), s3 = HSUM##W(a3);           \
            for (long t = i; t < f; t++) {                                                          \
                s0 += r0[t] * v[t]; s1 += r1[t] * v[t]; s2 += r2[t] * v[t]; s3 += r3[t] * v[t];     \
            }                                                                                       \
            float c0 = offset[k] + slope[k] * s0, c1 = offset[k + 1] + slope[k + 1] * s1;           \
            float c2 = offset[k + 2] + slope[k + 2] * s2, c3 = offset[k + 3] + slope[k + 3] * s3;   \
            V b0 = c0 - (V){0}, b1 = c1 - (V){0}, b2 = c2 - (V){0}, b3 = c3 - (V){0};               \
            for (i = 0; i + W <= f; i += W) {                                                       \
                *(V *)(out + i) += b0 * *(const V *)(r0 + i) + b1 * *(const V *)(r1 + i)            \
                                 + b2 * *(const V *)(r2 + i) + b3 * *(const V *)(r3 + i);           \
            }                                                                                       \
            for (; i < f; i++) out[i] += c0 * r0[i] + c1 * r1[i] + c2 * r2[i] + c3 * r3[i];         \
        }                                                                                           \
        for (; k < count; k++) {                                                                    \
            const float *row = rows + (long)index[k] * f;                                           \
            float s = dot_##SUFFIX(row, v, f);                                                      \
            axpy_##SUFFIX(offset[k] + slope[k] * s, row, out, f);                                   \
        }                                                                                           \
    }

#if defined(__x86_64__)
DEFINE_KERNELS(avx512, __attribute__((target("avx512f,avx512vl,fma"))), v16, i16v, 16)
DEFINE_KERNELS(avx2, __attribute__((target("avx2,fma"))), v8, i8v, 8)
#endif
DEFINE_KERNELS(base, , v4, i4v, 4)

typedef struct {
    float (*dot)(const float *, const float *, long);
    void (*axpy)(float, const float *, float *, long);
    void (*matvec)(const float *, const float *, float *, long);
    void (*rank_update)(const float *, const int32_t *, const float *, const float *, long, long, const float *, float *);
    double (*softmax_xent)(float *, long, long, const int32_t *, float);
    const char *name;
} kernel_table;

static kernel_table choose(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("fma"))
        return (kernel_table){dot_avx512, axpy_avx512, matvec_avx512, rank_update_avx512, softmax_xent_avx512, "avx512"};
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
        return (kernel_table){dot_avx2, axpy_avx2, matvec_avx2, rank_update_avx2, softmax_xent_avx2, "avx2"};
#endif
    return (kernel_table){dot_base, axpy_base, matvec_base, rank_update_base, softmax_xent_base, "baseline"};
}

static kernel_table table;
static int ready;

// Filled before main (a constructor), so calls never race on first use.
__attribute__((constructor)) static void tacit_kernels_init(void) {
    table = choose();
    ready = 1;
}

static inline const kernel_table *kernels(void) {
    if (__builtin_expect(!ready, 0)) tacit_kernels_init();
    return &table;
}

float tacit_dot(const float *x, const float *y, long n) { return kernels()->dot(x, y, n); }
void tacit_axpy(float a, const float *x, float *y, long n) { kernels()->axpy(a, x, y, n); }
void tacit_matvec(const float *a, const float *x, float *y, long n) { kernels()->matvec(a, x, y, n); }
void tacit_rank_update(const float *rows, const int32_t *index, const float *offset, const float *slope,
                       long count, long f, const float *v, float *out) {
    kernels()->rank_update(rows, index, offset, slope, count, f, v, out);
}
double tacit_softmax_xent(float *z, long rows, long columns, const int32_t *labels, float scale) {
    return kernels()->softmax_xent(z, rows, columns, labels, scale);
}
const char *tacit_kernel_isa(void) { return kernels()->name; }

const char *tacit_blas_coretype(const char *detected) {
    if (detected == NULL) return NULL;
    if (strcmp(detected, "Prescott") != 0 && strcmp(detected, "Core2") != 0 && strcmp(detected, "Nehalem") != 0) return NULL;
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq")
        && __builtin_cpu_supports("avx512vl"))
        return "SkylakeX";
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return "Haswell";
#endif
    return NULL;
}
