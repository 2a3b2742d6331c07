#include "CTacitKernels.h"

// Integer dot products of one int8 query with a table of int8 item codes, 16 items at a time.
//
// Layout of a prepared table: tiles of 16 items; within a tile, for each group of 4 dimensions,
// 16 items x 4 bytes (item-major within the group): [n16/16][k4/4][16][4], zero padded. A group
// is one 64-byte row that AVX-512 VNNI's `vpdpbusd` multiplies with 4 query bytes broadcast to
// every lane, accumulating one int32 per item: 16 sums without a horizontal reduction.
//
// Every path computes the exact sum Σ q_d x_d in int32 (codes are in [-127, 127], so no path
// saturates), so every instruction set returns the same numbers.

#define ROUND_UP(x, a) (((x) + (a) - 1) / (a) * (a))

long tacit_i8_table_count(long n, long k) { return ROUND_UP(n, 16) * ROUND_UP(k, 4); }

void tacit_i8_prepare_table(const int8_t *codes, long n, long k, int8_t *table) {
    long k4 = ROUND_UP(k, 4), tiles = ROUND_UP(n, 16) / 16;
    for (long t = 0; t < tiles; t++)
        for (long g = 0; g < k4 / 4; g++)
            for (long l = 0; l < 16; l++)
                for (long b = 0; b < 4; b++) {
                    long item = t * 16 + l, d = g * 4 + b;
                    table[((t * (k4 / 4) + g) * 16 + l) * 4 + b] = (item < n && d < k) ? codes[item * k + d] : 0;
                }
}

static void i8_scores_base(const int8_t *query, const int8_t *table, long tiles, long k, int32_t *out) {
    long groups = ROUND_UP(k, 4) / 4;
    for (long t = 0; t < tiles; t++) {
        int32_t acc[16] = {0};
        const int8_t *tile = table + t * groups * 64;
        for (long g = 0; g < groups; g++) {
            const int8_t *row = tile + g * 64, *q = query + g * 4;
            for (int l = 0; l < 16; l++)
                acc[l] += row[l * 4] * q[0] + row[l * 4 + 1] * q[1] + row[l * 4 + 2] * q[2] + row[l * 4 + 3] * q[3];
        }
        for (int l = 0; l < 16; l++) out[t * 16 + l] = acc[l];
    }
}

#if defined(__x86_64__)
#include <immintrin.h>

// AVX-512 VNNI: vpdpbusd multiplies unsigned by signed bytes, so the query is offset by 128 to be
// unsigned and each item's sum of codes times 128 taken back: Σ (q + 128) x = Σ q x + 128 Σ x.
__attribute__((target("avx512f,avx512bw,avx512vnni")))
static void i8_scores_vnni(const int8_t *query, const int8_t *table, long tiles, long k, int32_t *out) {
    long groups = ROUND_UP(k, 4) / 4;
    const __m512i ones = _mm512_set1_epi8(1);
    for (long t = 0; t < tiles; t++) {
        const int8_t *tile = table + t * groups * 64;
        __m512i acc = _mm512_setzero_si512(), sums = _mm512_setzero_si512();
        for (long g = 0; g < groups; g++) {
            __m512i x = _mm512_loadu_si512((const void *)(tile + g * 64));
            int32_t four;
            __builtin_memcpy(&four, query + g * 4, 4);
            __m512i q = _mm512_xor_si512(_mm512_set1_epi32(four), _mm512_set1_epi8((char)0x80));
            acc = _mm512_dpbusd_epi32(acc, q, x);
            sums = _mm512_dpbusd_epi32(sums, ones, x);
        }
        acc = _mm512_sub_epi32(acc, _mm512_slli_epi32(sums, 7));
        _mm512_storeu_si512((void *)(out + t * 16), acc);
    }
}

// AVX2: vpmaddubsw of |x| (unsigned) and q with x's sign (signed): each pair sum is at most
// 2 · 127 · 127, inside int16, then vpmaddwd by 1 to int32. Two 32-byte halves per group.
__attribute__((target("avx2")))
static void i8_scores_avx2(const int8_t *query, const int8_t *table, long tiles, long k, int32_t *out) {
    long groups = ROUND_UP(k, 4) / 4;
    const __m256i ones = _mm256_set1_epi16(1);
    for (long t = 0; t < tiles; t++) {
        const int8_t *tile = table + t * groups * 64;
        __m256i lo = _mm256_setzero_si256(), hi = _mm256_setzero_si256();
        for (long g = 0; g < groups; g++) {
            int32_t four;
            __builtin_memcpy(&four, query + g * 4, 4);
            __m256i q = _mm256_set1_epi32(four);
            __m256i x0 = _mm256_loadu_si256((const __m256i *)(tile + g * 64));
            __m256i x1 = _mm256_loadu_si256((const __m256i *)(tile + g * 64 + 32));
            lo = _mm256_add_epi32(lo, _mm256_madd_epi16(_mm256_maddubs_epi16(_mm256_abs_epi8(x0), _mm256_sign_epi8(q, x0)), ones));
            hi = _mm256_add_epi32(hi, _mm256_madd_epi16(_mm256_maddubs_epi16(_mm256_abs_epi8(x1), _mm256_sign_epi8(q, x1)), ones));
        }
        _mm256_storeu_si256((__m256i *)(out + t * 16), lo);
        _mm256_storeu_si256((__m256i *)(out + t * 16 + 8), hi);
    }
}
#endif

typedef void (*i8_kernel)(const int8_t *, const int8_t *, long, long, int32_t *);

static i8_kernel i8_choose(int isa, const char **name) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    int vnni = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vnni");
    int avx2 = __builtin_cpu_supports("avx2");
    if ((isa < 0 || isa == 2) && vnni) { *name = "avx512vnni"; return i8_scores_vnni; }
    if ((isa < 0 || isa == 1) && avx2) { *name = "avx2"; return i8_scores_avx2; }
#endif
    if (isa > 0) return 0;
    *name = "baseline";
    return i8_scores_base;
}

static i8_kernel i8_best;
static const char *i8_best_name;

__attribute__((constructor)) static void tacit_i8_init(void) { i8_best = i8_choose(-1, &i8_best_name); }

void tacit_i8_scores(const int8_t *query, const int8_t *table, long tiles, long k, int32_t *out) {
    if (__builtin_expect(i8_best == 0, 0)) tacit_i8_init();
    i8_best(query, table, tiles, k, out);
}

int tacit_i8_scores_with(int isa, const int8_t *query, const int8_t *table, long tiles, long k, int32_t *out) {
    const char *name;
    i8_kernel kernel = i8_choose(isa, &name);
    if (kernel == 0) return 0;
    kernel(query, table, tiles, k, out);
    return 1;
}

const char *tacit_i8_isa(void) {
    if (__builtin_expect(i8_best == 0, 0)) tacit_i8_init();
    return i8_best_name;
}
