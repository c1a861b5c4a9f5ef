/*
 * xbar.c - the crossbar matrix unit (pim_xbar.h), bit-exact to the profile's mvmul.
 *
 * Why the fast path is exact. Write x'_i = x_i + 2^(ibiw-1) and w'_ij = w_ij + 2^(mbiw-1).
 * Without clipping, shift-and-add of the column sums gives P_j = sum_i x'_i w'_ij, and the
 * digital correction leaves y_j = sum_i x_i w_ij, the plain dot product. With clipping,
 * every (step k, slice t) whose sum s_jkt exceeds the ADC's full scale FS loses exactly
 * (s_jkt - FS) * 2^(k*d + t*p). So y_j = dot_j - sum over clipped (k, t) of that excess.
 *
 * s_jkt <= min((2^p - 1) * R_k, (2^d - 1) * C_jt), where R_k = sum_i u_ik (the step's input
 * digits) and C_jt = sum_i c_ijt (the slice's cells, known at programming time). A slice t
 * with (2^d - 1) * C_jt <= FS for every column can never clip ("safe"); a step with
 * (2^p - 1) * R_k <= FS cannot clip either. Only the remaining (k, t) are computed, for all
 * columns at once, from bit-planes with popcounts: s_j = sum_e sum_b 2^(e+b)
 * popcount(U_ke & C_jtb), the planes laid out column-fastest ([t][b][word][j]) so that the
 * loop over columns runs in vector registers. For one slice the excesses of its steps are
 * summed in 64 bits, E_jt = sum_k max(s_jkt - FS, 0) * 2^(k*d) (< 2^(SumW + ibiw) <= 2^60),
 * and y_j loses E_jt * 2^(t*p). A column of a risky slice that cannot clip computes
 * s <= FS, which subtracts nothing: the result is the same as skipping it.
 *
 * The column loop is compiled three times (AVX-512 with its vector popcount, the scalar
 * popcount instruction, plain C) and the one this processor runs is chosen when the group
 * is made.
 */
#include "pim_xbar.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "pim_arith.h"
#include "pim_isa.h"

#define MAX_ROWS PIM_MAX_XBAR_DIM
#define MAX_WORDS (MAX_ROWS / 64)

struct pim_xbar_group {
    uint32_t rows, cols, mbiw;
    uint32_t p, d, a, clip;   /* knobs copied from the config */
    uint32_t slices;          /* T = ceil(mbiw / p) */
    uint32_t words;           /* 64-bit words per bit-plane column: ceil(rows / 64) */
    uint32_t rows_pad;        /* rows rounded up to 16 (SIMD-friendly, zero padded) */
    int32_t *w;               /* rows x cols, row-major */
    int16_t *wt16;            /* cols x rows_pad, column-major, when mbiw <= 16 */
    int32_t *wt32;            /* cols x rows_pad, column-major, when mbiw > 16 */
    uint32_t risky;           /* bit t set when slice t may clip in some column */
    uint32_t *slice_at;       /* per slice: its index among the risky ones */
    uint64_t *planes;         /* per risky slice: [b][word][j], p * words * cols words */
    void (*kernel)(const uint64_t *, size_t, const uint64_t *, uint32_t, uint32_t, uint32_t,
                   uint32_t, uint64_t, uint32_t, uint32_t *, uint64_t *, uint64_t *);
};

uint32_t pim_xbar_group_rows(const pim_xbar_group *g) { return g->rows; }
uint32_t pim_xbar_group_cols(const pim_xbar_group *g) { return g->cols; }
uint32_t pim_xbar_group_mbiw(const pim_xbar_group *g) { return g->mbiw; }
const int32_t *pim_xbar_group_weights(const pim_xbar_group *g) { return g->w; }
int32_t pim_xbar_group_weight(const pim_xbar_group *g, uint32_t i, uint32_t j)
{
    return g->w[(size_t)i * g->cols + j];
}

void pim_xbar_group_free(pim_xbar_group *g)
{
    if (!g)
        return;
    free(g->w);
    free(g->wt16);
    free(g->wt32);
    free(g->slice_at);
    free(g->planes);
    free(g);
}

/* Cell t of the offset-binary weight w (p bits per cell). */
static inline uint32_t cell_of(int64_t w, uint32_t mbiw, uint32_t p, uint32_t t)
{
    const uint64_t wu = (uint64_t)(w + ((int64_t)1 << (mbiw - 1)));
    return (uint32_t)((wu >> (t * p)) & (((uint64_t)1 << p) - 1u));
}

static inline uint64_t full_scale(uint32_t a) { return ((uint64_t)1 << a) - 1u; }

/* The group's shape and weights against the crossbar knobs: PIM_E_INPUT naming the field. */
static pim_status check_group(const pim_config *cfg, uint32_t mbiw, uint32_t rows, uint32_t cols,
                              const int32_t *w, pim_error *err)
{
    if (mbiw < 1 || mbiw > PIM_MAX_WIDTH)
        return pim_error_set(err, PIM_E_INPUT, -1, -1, PIM_KEY(MBIW), "%u is outside 1..32", mbiw);
    if (rows < 1 || rows > cfg->xbar_rows)
        return pim_error_set(err, PIM_E_INPUT, -1, -1, "weights",
                             "%u rows: a group has 1..xbar_size[0] = %u rows", rows,
                             cfg->xbar_rows);
    if (cols < 1)
        return pim_error_set(err, PIM_E_INPUT, -1, -1, "weights", "a group needs a column");
    const uint32_t xbars = pim_config_xbars_for_group(cfg, mbiw, cols);
    if (xbars == 0 || xbars > cfg->xbar_array_count)
        return pim_error_set(err, PIM_E_INPUT, -1, -1, "weights",
                             "%u columns of %u-bit weights need %u crossbars, a core has %u",
                             cols, mbiw, xbars, cfg->xbar_array_count);
    const int64_t lo = pim_min_of(mbiw), hi = pim_max_of(mbiw);
    for (size_t k = 0; k < (size_t)rows * cols; k++)
        if (w[k] < lo || w[k] > hi)
            return pim_error_set(err, PIM_E_INPUT, -1, -1, "weights",
                                 "weight [%zu][%zu] = %d does not fit %u bits", k / cols,
                                 k % cols, w[k], mbiw);
    return PIM_OK;
}

/* The column-major copy of the weights (for the dot products), and the slices that can clip
 * in some column (their cell sum times the largest input digit passes the ADC's full scale).
 * Returns how many slices can clip. */
static uint32_t transpose_and_mark(pim_xbar_group *g, const int32_t *w)
{
    const uint64_t fs = full_scale(g->a), umax = ((uint64_t)1 << g->d) - 1u;
    for (uint32_t j = 0; j < g->cols; j++) {
        for (uint32_t i = 0; i < g->rows; i++) {
            const int32_t v = w[(size_t)i * g->cols + j];
            if (g->wt16)
                g->wt16[(size_t)j * g->rows_pad + i] = (int16_t)v;
            else
                g->wt32[(size_t)j * g->rows_pad + i] = v;
        }
        if (!g->clip)
            continue;
        for (uint32_t t = 0; t < g->slices; t++) {
            if (g->risky >> t & 1u)
                continue;
            uint64_t cs = 0;
            for (uint32_t i = 0; i < g->rows; i++)
                cs += cell_of(w[(size_t)i * g->cols + j], g->mbiw, g->p, t);
            if (umax * cs > fs)
                g->risky |= 1u << t;
        }
    }
    uint32_t n = 0;
    for (uint32_t t = 0; t < g->slices; t++)
        if (g->risky >> t & 1u)
            g->slice_at[t] = n++;
    return n;
}

/* The bit-planes of the slices that can clip (g->planes, n_risky of them): plane b of slice
 * t, word wd, column j at [slice_at[t]][b][wd][j]. 0, or -1 when out of memory. */
static int build_planes(pim_xbar_group *g, const int32_t *w, uint32_t n_risky)
{
    const size_t per_slice = (size_t)g->p * g->words * g->cols;
    g->planes = calloc((size_t)n_risky * per_slice, sizeof *g->planes);
    if (!g->planes)
        return -1;
    for (uint32_t t = 0; t < g->slices; t++) {
        if (!(g->risky >> t & 1u))
            continue;
        uint64_t *pl = g->planes + (size_t)g->slice_at[t] * per_slice;
        for (uint32_t j = 0; j < g->cols; j++)
            for (uint32_t i = 0; i < g->rows; i++) {
                const uint32_t c = cell_of(w[(size_t)i * g->cols + j], g->mbiw, g->p, t);
                for (uint32_t b = 0; b < g->p; b++)
                    if (c >> b & 1u)
                        pl[((size_t)b * g->words + i / 64) * g->cols + j] |= (uint64_t)1 << (i % 64);
            }
    }
    return 0;
}

/* One (step, slice) of the clipping ADC for columns [0, n) of a chunk: pl the slice's planes
 * ([b][word][j], rows of stride `stride` columns, already offset to the chunk), u the step's
 * d input digit planes of `words` words. s[j] the column sums; corr[j] += max(s - fs, 0)
 * * 2^kd; *clips += the sums above fs. The same C for each instruction set. */
#define PIM_CLIP_KERNEL(name)                                                                  \
    static void name(const uint64_t *pl, size_t stride, const uint64_t *u, uint32_t p,        \
                     uint32_t d, uint32_t words, uint32_t n, uint64_t fs, uint32_t kd,        \
                     uint32_t *s, uint64_t *corr, uint64_t *clips)                            \
    {                                                                                          \
        for (uint32_t j = 0; j < n; j++)                                                       \
            s[j] = 0;                                                                          \
        for (uint32_t e = 0; e < d; e++)                                                       \
            for (uint32_t b = 0; b < p; b++)                                                   \
                for (uint32_t wd = 0; wd < words; wd++) {                                      \
                    const uint64_t uw = u[(size_t)e * words + wd];                             \
                    if (!uw)                                                                   \
                        continue;                                                              \
                    const uint64_t *c = pl + ((size_t)b * words + wd) * stride;                \
                    const uint32_t sh = e + b;                                                 \
                    for (uint32_t j = 0; j < n; j++)                                           \
                        s[j] += (uint32_t)__builtin_popcountll(uw & c[j]) << sh;               \
                }                                                                              \
        uint64_t nc = 0;                                                                       \
        for (uint32_t j = 0; j < n; j++) {                                                     \
            const uint64_t v = s[j], over = v > fs;                                            \
            corr[j] += (over ? v - fs : 0) << kd;                                              \
            nc += over;                                                                        \
        }                                                                                      \
        *clips += nc;                                                                          \
    }

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define PIM_CLIP_DISPATCH 1
__attribute__((target("avx512f,avx512vpopcntdq"))) PIM_CLIP_KERNEL(clip_kernel_avx512)
__attribute__((target("popcnt"))) PIM_CLIP_KERNEL(clip_kernel_popcnt)
#endif
PIM_CLIP_KERNEL(clip_kernel_c)

int pim_xbar_group_set_kernel(pim_xbar_group *g, pim_xbar_kernel kernel)
{
#ifdef PIM_CLIP_DISPATCH
    __builtin_cpu_init();
    const int avx512 = __builtin_cpu_supports("avx512vpopcntdq") != 0;
    const int popcnt = __builtin_cpu_supports("popcnt") != 0;
#else
    const int avx512 = 0, popcnt = 0;
#endif
    switch (kernel) {
    case PIM_XBAR_KERNEL_BEST:
        return pim_xbar_group_set_kernel(g, avx512   ? PIM_XBAR_KERNEL_AVX512
                                            : popcnt ? PIM_XBAR_KERNEL_POPCNT
                                                     : PIM_XBAR_KERNEL_C);
#ifdef PIM_CLIP_DISPATCH
    case PIM_XBAR_KERNEL_AVX512:
        if (!avx512)
            return -1;
        g->kernel = clip_kernel_avx512;
        return 0;
    case PIM_XBAR_KERNEL_POPCNT:
        if (!popcnt)
            return -1;
        g->kernel = clip_kernel_popcnt;
        return 0;
#endif
    case PIM_XBAR_KERNEL_C:
        g->kernel = clip_kernel_c;
        return 0;
    default:
        return -1;
    }
}

uint64_t pim_xbar_group_bytes(const pim_config *cfg, uint32_t mbiw, uint32_t rows, uint32_t cols)
{
    const uint64_t p = cfg->cell_precision ? cfg->cell_precision : 1;
    const uint64_t slices = (mbiw + p - 1) / p, words = (rows + 63u) / 64u;
    const uint64_t nw = (uint64_t)rows * cols, nt = (uint64_t)cols * ((rows + 15u) & ~15u);
    /* the caller's weights and the group's copy (int32), the transposed table (int16 or
     * int32), the slices' index, every slice's bit-planes (all may clip) */
    return sizeof(pim_xbar_group) + 2 * nw * sizeof(int32_t) +
           nt * (mbiw <= 16 ? sizeof(int16_t) : sizeof(int32_t)) +
           (uint64_t)slices * sizeof(uint32_t) + (uint64_t)cols * slices * p * words * 8u;
}

pim_status pim_xbar_group_new(const pim_config *cfg, uint32_t mbiw, uint32_t rows, uint32_t cols,
                              const int32_t *w, pim_xbar_group **out, pim_error *err)
{
    *out = NULL;
    pim_status st = check_group(cfg, mbiw, rows, cols, w, err);
    if (st != PIM_OK)
        return st;
    pim_xbar_group *g = calloc(1, sizeof *g);
    if (!g)
        return pim_error_set(err, PIM_E_NOMEM, -1, -1, "", "out of memory");
    g->rows = rows;
    g->cols = cols;
    g->mbiw = mbiw;
    g->p = cfg->cell_precision;
    g->d = cfg->dac_resolution;
    g->a = cfg->adc_resolution;
    g->clip = cfg->adc_clip;
    g->slices = (mbiw + g->p - 1) / g->p;
    g->words = (rows + 63) / 64;
    g->rows_pad = (rows + 15) & ~15u;
    const size_t nw = (size_t)rows * cols, nt = (size_t)cols * g->rows_pad;
    g->w = malloc(nw * sizeof *g->w);
    g->slice_at = calloc(g->slices, sizeof *g->slice_at);
    if (mbiw <= 16)
        g->wt16 = calloc(nt, sizeof *g->wt16);
    else
        g->wt32 = calloc(nt, sizeof *g->wt32);
    if (!g->w || !g->slice_at || (!g->wt16 && !g->wt32))
        goto nomem;
    pim_xbar_group_set_kernel(g, PIM_XBAR_KERNEL_BEST);
    memcpy(g->w, w, nw * sizeof *g->w);
    const uint32_t n_risky = transpose_and_mark(g, w);
    if (n_risky && build_planes(g, w, n_risky) != 0)
        goto nomem;
    *out = g;
    return PIM_OK;
nomem:
    pim_xbar_group_free(g);
    return pim_error_set(err, PIM_E_NOMEM, -1, -1, "", "out of memory");
}

static inline int64_t finish(pim_i128 y, uint32_t relu, uint32_t obiw)
{
    if (relu && y < 0)
        y = 0;
    return pim_sat128(y, obiw);
}

/* Exact dot products of x with columns j0 .. j0+n-1, into acc[0 .. n-1]. The narrowest
 * accumulator that cannot overflow is chosen from the widths: int32 (vectorizes well),
 * int64, or int128. */
static void dot_cols(const pim_xbar_group *g, uint32_t j0, uint32_t n, uint32_t ibiw,
                     const int64_t *x, pim_i128 *acc)
{
    uint32_t lg = 0;
    while ((1u << lg) < g->rows)
        lg++;
    const uint32_t bits = (ibiw - 1) + (g->mbiw - 1) + lg; /* |y| <= 2^bits */
    if (g->wt16 && ibiw <= 16 && bits <= 30) {
        int16_t x16[MAX_ROWS];
        for (uint32_t i = 0; i < g->rows; i++)
            x16[i] = (int16_t)x[i];
        for (uint32_t i = g->rows; i < g->rows_pad; i++)
            x16[i] = 0;
        for (uint32_t j = 0; j < n; j++) {
            const int16_t *wc = g->wt16 + (size_t)(j0 + j) * g->rows_pad;
            int32_t s = 0;
            for (uint32_t i = 0; i < g->rows_pad; i++)
                s += (int32_t)x16[i] * wc[i];
            acc[j] = s;
        }
    } else if (bits <= 62) {
        for (uint32_t j = 0; j < n; j++) {
            int64_t s = 0;
            if (g->wt16) {
                const int16_t *wc = g->wt16 + (size_t)(j0 + j) * g->rows_pad;
                for (uint32_t i = 0; i < g->rows; i++)
                    s += x[i] * wc[i];
            } else {
                const int32_t *wc = g->wt32 + (size_t)(j0 + j) * g->rows_pad;
                for (uint32_t i = 0; i < g->rows; i++)
                    s += x[i] * wc[i];
            }
            acc[j] = s;
        }
    } else {
        for (uint32_t j = 0; j < n; j++) {
            const int32_t *wc = g->wt32 + (size_t)(j0 + j) * g->rows_pad;
            pim_i128 s = 0;
            for (uint32_t i = 0; i < g->rows; i++)
                s += (pim_i128)x[i] * wc[i];
            acc[j] = s;
        }
    }
}

uint64_t pim_xbar_mvmul(const pim_xbar_group *g, const pim_config *cfg, uint32_t ibiw,
                        const int64_t *x, uint32_t relu, uint32_t obiw, int64_t *y)
{
    assert(cfg->cell_precision == g->p && cfg->dac_resolution == g->d);
    (void)cfg;
    uint64_t clips = 0;
    const uint32_t cols = g->cols;
    /* Column results in chunks so the 128-bit accumulators stay on the stack. */
    enum { CHUNK = 512 };
    pim_i128 acc[CHUNK];

    /* Which steps can clip at all, and their input bit-planes. */
    const uint32_t d = g->d, p = g->p, steps = (ibiw + d - 1) / d;
    const uint64_t fs = full_scale(g->a);
    uint32_t risky_steps = 0; /* bit k: step k may clip */
    uint64_t U[64 * MAX_WORDS];   /* input bit-planes: [k*d + e][word] */
    if (g->planes) {
        /* plane q = bit q of x'_i for every row: digit e of step k is plane k*d + e */
        const uint64_t off = (uint64_t)1 << (ibiw - 1);
        const uint64_t mask = ibiw >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << ibiw) - 1u;
        memset(U, 0, sizeof(uint64_t) * (size_t)steps * d * g->words);
        for (uint32_t i = 0; i < g->rows; i++) {
            const uint64_t bit = (uint64_t)1 << (i % 64);
            for (uint64_t m = ((uint64_t)x[i] + off) & mask; m; m &= m - 1)
                U[(size_t)__builtin_ctzll(m) * g->words + i / 64] |= bit;
        }
        /* R_k = sum_e 2^e popcount(digit plane e of step k) */
        const uint64_t cmax = ((uint64_t)1 << p) - 1u;
        for (uint32_t k = 0; k < steps; k++) {
            uint64_t r = 0;
            for (uint32_t e = 0; e < d; e++)
                for (uint32_t wd = 0; wd < g->words; wd++)
                    r += (uint64_t)__builtin_popcountll(U[((size_t)k * d + e) * g->words + wd]) << e;
            if (cmax * r > fs)
                risky_steps |= 1u << k;
        }
    }

    const size_t per_slice = (size_t)p * g->words * cols;
    for (uint32_t j0 = 0; j0 < cols; j0 += CHUNK) {
        const uint32_t n = cols - j0 < CHUNK ? cols - j0 : CHUNK;
        dot_cols(g, j0, n, ibiw, x, acc);
        if (risky_steps) {
            uint32_t sum[CHUNK];
            uint64_t corr[CHUNK];
            for (uint32_t t = 0; t < g->slices; t++) {
                if (!(g->risky >> t & 1u))
                    continue;
                const uint64_t *pl = g->planes + (size_t)g->slice_at[t] * per_slice + j0;
                memset(corr, 0, n * sizeof *corr);
                for (uint32_t k = 0; k < steps; k++)
                    if (risky_steps >> k & 1u)
                        g->kernel(pl, cols, U + (size_t)k * d * g->words, p, d, g->words, n,
                                  fs, k * d, sum, corr, &clips);
                for (uint32_t j = 0; j < n; j++)
                    acc[j] -= (pim_i128)corr[j] << (t * p);
            }
        }
        for (uint32_t j = 0; j < n; j++)
            y[j0 + j] = finish(acc[j], relu, obiw);
    }
    return clips;
}

/* The literal walk: every (column, step, slice) sum read by the ADC; y (when not NULL) the
 * results, st (when not NULL) where the sums sat against the full scale. */
static uint64_t literal(const pim_xbar_group *g, const pim_config *cfg, uint32_t ibiw,
                        const int64_t *x, uint32_t relu, uint32_t obiw, int64_t *y,
                        pim_xbar_sums *st)
{
    const uint32_t p = cfg->cell_precision, d = cfg->dac_resolution;
    const uint32_t steps = (ibiw + d - 1) / d, slices = (g->mbiw + p - 1) / p;
    const uint64_t fs = full_scale(cfg->adc_resolution);
    const uint64_t off = (uint64_t)1 << (ibiw - 1);
    uint64_t clips = 0;
    pim_i128 sum_xu = 0;
    for (uint32_t i = 0; i < g->rows; i++)
        sum_xu += (pim_i128)((uint64_t)x[i] + off);
    for (uint32_t j = 0; j < g->cols; j++) {
        pim_i128 P = 0, sum_w = 0;
        for (uint32_t k = 0; k < steps; k++) {
            for (uint32_t t = 0; t < slices; t++) {
                uint64_t s = 0;
                for (uint32_t i = 0; i < g->rows; i++) {
                    const uint64_t u = (((uint64_t)x[i] + off) >> (k * d)) & (((uint64_t)1 << d) - 1u);
                    s += u * cell_of(pim_xbar_group_weight(g, i, j), g->mbiw, p, t);
                }
                if (st) {
                    st->sums++;
                    st->at_full_scale += s == fs;
                    st->one_over += s == fs + 1;
                    st->max_sum = s > st->max_sum ? s : st->max_sum;
                }
                if (cfg->adc_clip && s > fs) {
                    s = fs;
                    clips++;
                }
                P += (pim_i128)s << (k * d + t * p);
            }
        }
        for (uint32_t i = 0; i < g->rows; i++)
            sum_w += pim_xbar_group_weight(g, i, j);
        const pim_i128 yj = P - ((pim_i128)1 << (g->mbiw - 1)) * sum_xu - (pim_i128)off * sum_w;
        if (y)
            y[j] = finish(yj, relu, obiw);
    }
    return clips;
}

uint64_t pim_xbar_mvmul_literal(const pim_xbar_group *g, const pim_config *cfg, uint32_t ibiw,
                                const int64_t *x, uint32_t relu, uint32_t obiw, int64_t *y)
{
    return literal(g, cfg, ibiw, x, relu, obiw, y, NULL);
}

void pim_xbar_sum_stats(const pim_xbar_group *g, const pim_config *cfg, uint32_t ibiw,
                        const int64_t *x, pim_xbar_sums *st)
{
    memset(st, 0, sizeof *st);
    literal(g, cfg, ibiw, x, 0, 64, NULL, st);
    const uint32_t p = cfg->cell_precision < g->mbiw ? cfg->cell_precision : g->mbiw;
    const uint32_t d = cfg->dac_resolution < ibiw ? cfg->dac_resolution : ibiw;
    st->sum_bound = (uint64_t)g->rows * (((uint64_t)1 << d) - 1u) * (((uint64_t)1 << p) - 1u);
}
