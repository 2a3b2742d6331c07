#include "CTacitKernels.h"

// The full-softmax output layer's three products in bfloat16 with float accumulation
// (AVX-512 BF16 `vdpbf16ps`: 32 products per instruction, twice the float FMA rate), for CPUs
// that have it. Every operand is rounded to bf16 (nearest even) first; sums stay in float.
//
// Layouts (elements are bf16 as uint16_t; a "pair" is two bf16 in one 32-bit lane, the unit
// `vdpbf16ps` multiplies and adds):
//   table, part 1  [n16/16][k2/2][16][2]  E by 16-item tiles, pairs along the dimension (logits)
//   table, part 2  [n2/2][k16][2]          E pairs along items, every dimension (∂Z = G E)
//   scratch: zb [m][k2] (Z rows), gb [m][n2] (G rows), gp [m2/2][n16][2] (pairs of G rows),
//            zt [k16][m2/2] pairs of Z down its columns; floats: one k16 x n16 block of ∂Eᵀ.
// with x2, x16 = x rounded up to a multiple of 2, 16; padding is zero.

#include <string.h>

#define ROUND_UP(x, a) (((x) + (a) - 1) / (a) * (a))

static inline uint16_t to_bf16(float x) {
    uint32_t bits;
    memcpy(&bits, &x, 4);
    if ((bits & 0x7fffffffu) > 0x7f800000u) return (uint16_t)((bits >> 16) | 0x40); // NaN stays NaN
    return (uint16_t)((bits + 0x7fffu + ((bits >> 16) & 1u)) >> 16);
}

long tacit_bf16_table_count(long n, long k) {
    return ROUND_UP(n, 16) * ROUND_UP(k, 2) + ROUND_UP(n, 2) * ROUND_UP(k, 16);
}

long tacit_bf16_scratch_count(long m, long n, long k) {
    long m2 = ROUND_UP(m, 2);
    return m * ROUND_UP(k, 2) + m * ROUND_UP(n, 2) + m2 * ROUND_UP(n, 16) + ROUND_UP(k, 16) * m2;
}

long tacit_bf16_float_scratch_count(long n, long k) { return ROUND_UP(k, 16) * ROUND_UP(n, 16); }

void tacit_bf16_prepare_table(const float *e, long n, long k, uint16_t *table) {
    long n16 = ROUND_UP(n, 16), k2 = ROUND_UP(k, 2), k16 = ROUND_UP(k, 16), n2 = ROUND_UP(n, 2);
    uint16_t *t1 = table, *t2 = table + n16 * k2;
    for (long jt = 0; jt < n16 / 16; jt++)
        for (long p = 0; p < k2 / 2; p++)
            for (long l = 0; l < 16; l++) {
                long j = jt * 16 + l, o = ((jt * (k2 / 2) + p) * 16 + l) * 2;
                t1[o] = (j < n && 2 * p < k) ? to_bf16(e[j * k + 2 * p]) : 0;
                t1[o + 1] = (j < n && 2 * p + 1 < k) ? to_bf16(e[j * k + 2 * p + 1]) : 0;
            }
    for (long jp = 0; jp < n2 / 2; jp++)
        for (long c = 0; c < k16; c++)
            for (long h = 0; h < 2; h++) {
                long j = 2 * jp + h;
                t2[(jp * k16 + c) * 2 + h] = (j < n && c < k) ? to_bf16(e[j * k + c]) : 0;
            }
}

#if defined(__x86_64__)
#include <immintrin.h>

#define BF16_TARGET __attribute__((target("avx512f,avx512bw,avx512vl,avx512bf16")))

static inline BF16_TARGET __m512bh pair_broadcast(const uint16_t *p) {
    int32_t v;
    memcpy(&v, p, 4);
    return (__m512bh)_mm512_set1_epi32(v);
}

static inline BF16_TARGET __m512bh load_pairs(const uint16_t *p) { return (__m512bh)_mm512_loadu_si512((const void *)p); }

static inline BF16_TARGET __mmask16 tail_mask(long remaining) {
    return remaining >= 16 ? (__mmask16)0xffff : (__mmask16)((1u << remaining) - 1);
}

// One register tile: R x T accumulators of 16 floats, summed over `count` pairs; B(t, p) is the
// address of the 32 bf16 of tile t at pair p, A(r, p) that of row r's pair p (broadcast), and
// STORE(r, t, v) writes the finished accumulator.
#define BF16_TILE(R, T, count, B, A, STORE)                                                                   \
    do {                                                                                                      \
        __m512 acc[R][T];                                                                                     \
        for (int r = 0; r < R; r++)                                                                           \
            for (int t = 0; t < T; t++) acc[r][t] = _mm512_setzero_ps();                                      \
        for (long p = 0; p < (count); p++) {                                                                  \
            __m512bh b[T];                                                                                    \
            for (int t = 0; t < T; t++) b[t] = load_pairs(B(t, p));                                           \
            for (int r = 0; r < R; r++) {                                                                     \
                __m512bh a = pair_broadcast(A(r, p));                                                         \
                for (int t = 0; t < T; t++) acc[r][t] = _mm512_dpbf16_ps(acc[r][t], a, b[t]);                 \
            }                                                                                                 \
        }                                                                                                     \
        for (int r = 0; r < R; r++)                                                                           \
            for (int t = 0; t < T; t++) STORE(r, t, acc[r][t]);                                               \
    } while (0)

// Every tile of a ROWS x COLS grid (rows by R, column tiles by T; the tails by 1) through TILE.
#define TILE_GRID(TILE, R, T, row, ROWS, col, COLS)                                                           \
    do {                                                                                                      \
        long row = 0;                                                                                         \
        for (; row + R <= (ROWS); row += R) {                                                                 \
            long col = 0;                                                                                     \
            for (; col + T <= (COLS); col += T) TILE(R, T);                                                   \
            for (; col < (COLS); col++) TILE(R, 1);                                                           \
        }                                                                                                     \
        for (; row < (ROWS); row++) {                                                                         \
            long col = 0;                                                                                     \
            for (; col + T <= (COLS); col += T) TILE(1, T);                                                   \
            for (; col < (COLS); col++) TILE(1, 1);                                                           \
        }                                                                                                     \
    } while (0)

// Logits c[i, j]: rows of Z from i, 16-item tiles from jt, pairs along the dimension.
#define LOGITS_B(t, p) (t1 + (((jt + (t)) * kp + (p)) * 32))
#define LOGITS_A(r, p) (zb + (i + (r)) * k2 + 2 * (p))
#define LOGITS_STORE(r, t, v) _mm512_mask_storeu_ps(c + (i + (r)) * n + (jt + (t)) * 16, tail_mask(n - (jt + (t)) * 16), v)
#define LOGITS_TILE(R, T) BF16_TILE(R, T, kp, LOGITS_B, LOGITS_A, LOGITS_STORE)

static BF16_TARGET void logits_avx512bf16(const float *z, long m, long k, const uint16_t *table, long n, float *c,
                                          uint16_t *scratch) {
    long k2 = ROUND_UP(k, 2), kp = k2 / 2, tiles = ROUND_UP(n, 16) / 16;
    const uint16_t *t1 = table;
    uint16_t *zb = scratch;
    for (long i = 0; i < m; i++)
        for (long q = 0; q < k2; q++) zb[i * k2 + q] = q < k ? to_bf16(z[i * k + q]) : 0;
    TILE_GRID(LOGITS_TILE, 8, 3, i, m, jt, tiles);
}

// ∂Z = G E: rows from i, dimension tiles from ct, pairs along the items.
#define DZ_B(t, p) (t2 + ((p) * k16 + (ct + (t)) * 16) * 2)
#define DZ_A(r, p) (gb + (i + (r)) * n2 + 2 * (p))
#define DZ_STORE(r, t, v) _mm512_mask_storeu_ps(dz + (i + (r)) * k + (ct + (t)) * 16, tail_mask(k - (ct + (t)) * 16), v)
#define DZ_TILE(R, T) BF16_TILE(R, T, np, DZ_B, DZ_A, DZ_STORE)

// ∂Eᵀ = Zᵀ G: dimensions from c0, 16-item tiles from jt, pairs along the batch.
#define DE_B(t, p) (gp + ((p) * n16 + (jt + (t)) * 16) * 2)
#define DE_A(r, p) (zt + ((c0 + (r)) * mp + (p)) * 2)
#define DE_STORE(r, t, v) _mm512_storeu_ps(det + (c0 + (r)) * n16 + (jt + (t)) * 16, v)
#define DE_TILE(R, T) BF16_TILE(R, T, mp, DE_B, DE_A, DE_STORE)

static BF16_TARGET void output_gradients_avx512bf16(const float *g, long m, long n, const uint16_t *table, const float *z,
                                                    long k, float *dz, float *de, uint16_t *scratch, float *floats) {
    long n16 = ROUND_UP(n, 16), k2 = ROUND_UP(k, 2), k16 = ROUND_UP(k, 16), n2 = ROUND_UP(n, 2), m2 = ROUND_UP(m, 2);
    long np = n2 / 2, mp = m2 / 2, ktiles = k16 / 16, ntiles = n16 / 16;
    const uint16_t *t2 = table + n16 * k2;
    uint16_t *gb = scratch + m * k2, *gp = gb + m * n2, *zt = gp + m2 * n16;
    float *det = floats;
    // G as rows (pairs along items) and as pairs of rows (pairs along the batch), Z down its columns.
    const __m512i interleave = _mm512_set_epi16(31, 15, 30, 14, 29, 13, 28, 12, 27, 11, 26, 10, 25, 9, 24, 8,
                                                23, 7, 22, 6, 21, 5, 20, 4, 19, 3, 18, 2, 17, 1, 16, 0);
    for (long i = 0; i < m; i++) {
        const float *row = g + i * n;
        uint16_t *out = gb + i * n2;
        long j = 0;
        for (; j + 16 <= n; j += 16) _mm256_storeu_si256((__m256i *)(out + j), (__m256i)_mm512_cvtneps_pbh(_mm512_loadu_ps(row + j)));
        for (; j < n; j++) out[j] = to_bf16(row[j]);
        if (n2 > n) out[n] = 0;
    }
    for (long ip = 0; ip < mp; ip++) {
        const float *r0 = g + 2 * ip * n, *r1 = r0 + n;
        int second = 2 * ip + 1 < m;
        uint16_t *out = gp + ip * n16 * 2;
        long j = 0;
        if (second)
            for (; j + 16 <= n; j += 16) {
                __m512i both = (__m512i)_mm512_cvtne2ps_pbh(_mm512_loadu_ps(r1 + j), _mm512_loadu_ps(r0 + j));
                _mm512_storeu_si512((void *)(out + 2 * j), _mm512_permutexvar_epi16(interleave, both));
            }
        for (; j < n; j++) {
            out[2 * j] = to_bf16(r0[j]);
            out[2 * j + 1] = second ? to_bf16(r1[j]) : 0;
        }
        for (long q = n; q < n16; q++) out[2 * q] = out[2 * q + 1] = 0;
    }
    for (long c = 0; c < k16; c++)
        for (long ip = 0; ip < mp; ip++) {
            long i0 = 2 * ip, i1 = i0 + 1;
            zt[(c * mp + ip) * 2] = c < k ? to_bf16(z[i0 * k + c]) : 0;
            zt[(c * mp + ip) * 2 + 1] = (c < k && i1 < m) ? to_bf16(z[i1 * k + c]) : 0;
        }
    // ∂Z = G E.
    TILE_GRID(DZ_TILE, 6, 4, i, m, ct, ktiles);
    // ∂Eᵀ = Zᵀ G into det (k16 x n16), then ∂E += its transpose.
    TILE_GRID(DE_TILE, 6, 4, c0, k, jt, ntiles);
    for (long j = 0; j < n; j++)
        for (long c = 0; c < k; c++) de[j * k + c] += det[c * n16 + j];
}

static int detect(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl")
        && __builtin_cpu_supports("avx512bf16");
}
#else
static int detect(void) { return 0; }
#endif

static int has_bf16;

// Set before main (a constructor, as kernels.c's table), so calls never race on first use.
__attribute__((constructor)) static void tacit_bf16_init(void) { has_bf16 = detect(); }

int tacit_has_bf16(void) { return has_bf16; }

int tacit_bf16_logits(const float *z, long m, long k, const uint16_t *table, long n, float *c, uint16_t *scratch) {
#if defined(__x86_64__)
    if (tacit_has_bf16()) {
        logits_avx512bf16(z, m, k, table, n, c, scratch);
        return 1;
    }
#endif
    (void)z, (void)m, (void)k, (void)table, (void)n, (void)c, (void)scratch;
    return 0;
}

int tacit_bf16_output_gradients(const float *g, long m, long n, const uint16_t *table, const float *z, long k, float *dz,
                                float *de, uint16_t *scratch, float *floats) {
#if defined(__x86_64__)
    if (tacit_has_bf16()) {
        output_gradients_avx512bf16(g, m, n, table, z, k, dz, de, scratch, floats);
        return 1;
    }
#endif
    (void)g, (void)m, (void)n, (void)table, (void)z, (void)k, (void)dz, (void)de, (void)scratch, (void)floats;
    return 0;
}
