#include "CTacitKernels.h"

// Each kernel body is written once as a macro over a fixed-width vector type and instantiated
// for every target; `acc += a * b` contracts to FMA where the target has it.

typedef float v16 __attribute__((vector_size(64), aligned(4)));
typedef float v8 __attribute__((vector_size(32), aligned(4)));
typedef float v4 __attribute__((vector_size(16), aligned(4)));

#define DOT_BODY(V, W)                                                     \
    V acc0 = {0}, acc1 = {0};                                              \
    long i = 0;                                                            \
    for (; i + 2 * W <= n; i += 2 * W) {                                   \
        acc0 += *(const V *)(x + i) * *(const V *)(y + i);                 \
        acc1 += *(const V *)(x + i + W) * *(const V *)(y + i + W);         \
    }                                                                      \
    for (; i + W <= n; i += W) acc0 += *(const V *)(x + i) * *(const V *)(y + i); \
    acc0 += acc1;                                                          \
    float sum = 0;                                                         \
    for (int k = 0; k < W; k++) sum += acc0[k];                            \
    for (; i < n; i++) sum += x[i] * y[i];                                 \
    return sum;

#define AXPY_BODY(V, W)                                                    \
    V va = a - (V){0};                                                     \
    long i = 0;                                                            \
    for (; i + W <= n; i += W) *(V *)(y + i) += va * *(const V *)(x + i);  \
    for (; i < n; i++) y[i] += a * x[i];

#define DEFINE_KERNELS(SUFFIX, TARGET, V, W)                                                        \
    TARGET static float dot_##SUFFIX(const float *x, const float *y, long n) { DOT_BODY(V, W) }    \
    TARGET static void axpy_##SUFFIX(float a, const float *x, float *y, long n) { AXPY_BODY(V, W) } \
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
    TARGET static void rank_update_##SUFFIX(const float *rows, const int32_t *index, const float *offset, \
                                            const float *slope, long count, long f, const float *v,  \
                                            float *out) {                                            \
        for (long k = 0; k < count; k++) {                                                          \
            const float *row = rows + (long)index[k] * f;                                           \
            float s = dot_##SUFFIX(row, v, f);                                                      \
            axpy_##SUFFIX(offset[k] + slope[k] * s, row, out, f);                                   \
        }                                                                                           \
    }

#if defined(__x86_64__)
DEFINE_KERNELS(avx512, __attribute__((target("avx512f,avx512vl,fma"))), v16, 16)
DEFINE_KERNELS(avx2, __attribute__((target("avx2,fma"))), v8, 8)
#endif
DEFINE_KERNELS(base, , v4, 4)

typedef struct {
    float (*dot)(const float *, const float *, long);
    void (*axpy)(float, const float *, float *, long);
    void (*matvec)(const float *, const float *, float *, long);
    void (*rank_update)(const float *, const int32_t *, const float *, const float *, long, long, const float *, float *);
    const char *name;
} kernel_table;

static kernel_table choose(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("fma"))
        return (kernel_table){dot_avx512, axpy_avx512, matvec_avx512, rank_update_avx512, "avx512"};
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
        return (kernel_table){dot_avx2, axpy_avx2, matvec_avx2, rank_update_avx2, "avx2"};
#endif
    return (kernel_table){dot_base, axpy_base, matvec_base, rank_update_base, "baseline"};
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
const char *tacit_kernel_isa(void) { return kernels()->name; }
