/*
 * test_xbar.c - the crossbar unit (include/pim_xbar.h) against the profile's "Matrix
 * instruction: mvmul": hand-worked small groups, then pim_xbar_mvmul against the literal
 * oracle pim_xbar_mvmul_literal on many random groups and configs.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <check.h>

#include "pim_config.h"
#include "pim_xbar.h"
#include "testutil.h"

static pim_config xcfg(uint32_t p, uint32_t d, uint32_t a, uint32_t clip)
{
    pim_config cfg;
    pim_config_default(&cfg);
    cfg.cell_precision = p;
    cfg.dac_resolution = d;
    cfg.adc_resolution = a;
    cfg.adc_clip = clip;
    return cfg;
}

/* ------------------------------------------------------------------ hand-worked groups */

typedef struct xcase {
    const char *what;
    uint32_t p, d, a, clip;
    uint32_t mbiw, ibiw, obiw, relu;
    uint32_t rows, cols;
    int32_t w[6];  /* row-major, rows x cols */
    int64_t x[3];
    int64_t y[2];
    uint64_t clips;
} xcase;

/*
 * Case "2x2": W = [[3, -2], [-8, 7]] (mbiw 4), x = [5, -3] (ibiw 4), p = 2, d = 1.
 *   Exact: y0 = 5*3 + (-3)(-8) = 39, y1 = 5(-2) + (-3)7 = -31.
 *   x' = x + 8: 13 = 0b1101, 5 = 0b0101 -> bits (k = 0..3): row0 1,0,1,1; row1 1,0,1,0.
 *   w' = w + 8: 11 (cells t0 = 3, t1 = 2), 6 (2, 1); 0 (0, 0), 15 (3, 3).
 *   Column 0: s = u0*c00 + u1*c10 = u0*(3, 2): at most 3, never clipped at a = 2.
 *     P0 = (3 + 2*4)*1 + 0 + (3 + 8)*4 + (3 + 8)*8 = 11 + 44 + 88 = 143 (= 13*11 + 5*0).
 *     y0 = 143 - 8*(13 + 5) - 8*(3 - 8) = 143 - 144 + 40 = 39.
 *   Column 1, a = 2 (ADC max 3): cells row0 (2, 1), row1 (3, 3)
 *     k0 (u 1,1): t0 2+3 = 5 -> 3, t1 1+3 = 4 -> 3   (2 clips)
 *     k1 (0,0):   0, 0
 *     k2 (1,1):   5 -> 3, 4 -> 3                     (2 clips)
 *     k3 (1,0):   2, 1
 *     P1 = (3 + 3*4)*1 + (3 + 3*4)*4 + (2 + 1*4)*8 = 15 + 60 + 48 = 123 (unclipped 153).
 *     y1 = 123 - 144 - 8*(-2 + 7) = 123 - 144 - 40 = -61; 4 clips.
 *
 * Case "3x2": W = [[1, 2], [3, 4], [5, 6]], x = [-1, 2, -3], mbiw = ibiw = 4, p = 2.
 *   Exact: y0 = -1 + 6 - 15 = -10, y1 = -2 + 8 - 18 = -12.
 *   x' = 7, 10, 5; sum x' = 22, 8*22 = 176. Column sums of w: 9 and 12 (8*: 72, 96).
 *   w' col0: 9 (1, 2), 11 (3, 2), 13 (1, 3); col1: 10 (2, 2), 12 (0, 3), 14 (2, 3).
 *   d = 1: bits x'0 = 0111, x'1 = 1010, x'2 = 0101: active rows k0 {0,2}, k1 {0,1},
 *   k2 {0,2}, k3 {1}.
 *   a = 2 (max 3):
 *     col0: k0 t0 1+1=2, t1 2+3=5->3 | k1 t0 1+3=4->3, t1 2+2=4->3 | k2 2, 5->3 | k3 3, 2
 *       P0 = (2+12) + (3+12)*2 + (2+12)*4 + (3+8)*8 = 14 + 30 + 56 + 88 = 188 (4 clips)
 *       y0 = 188 - 176 - 72 = -60
 *     col1: k0 t0 2+2=4->3, t1 2+3=5->3 | k1 2+0=2, 2+3=5->3 | k2 4->3, 5->3 | k3 0, 3
 *       P1 = (3+12) + (2+12)*2 + (3+12)*4 + (0+12)*8 = 15 + 28 + 60 + 96 = 199 (5 clips)
 *       y1 = 199 - 176 - 96 = -73
 *   d = 2, a = 3 (max 7): digits base 4 of x': 7 = (3, 1), 10 = (2, 2), 5 = (1, 1).
 *     col0: k0 t0 3*1+2*3+1*1 = 10 -> 7, t1 3*2+2*2+1*3 = 13 -> 7;
 *           k1 t0 1+6+1 = 8 -> 7, t1 2+4+3 = 9 -> 7                  (4 clips)
 *       P0 = 7*1 + 7*4 + 7*4 + 7*16 = 175; y0 = 175 - 176 - 72 = -73
 *     col1: k0 t0 3*2+0+1*2 = 8 -> 7, t1 3*2+2*3+1*3 = 15 -> 7;
 *           k1 t0 2+0+2 = 4, t1 2+6+3 = 11 -> 7                      (3 clips)
 *       P1 = 7 + 7*4 + 4*4 + 7*16 = 163; y1 = 163 - 176 - 96 = -109
 *
 * Case "p8": W = [[127], [127]], x = [-1, -1], mbiw = ibiw = 8, p = 8, d = 1.
 *   x' = 127 = 0b01111111, w' = 255 (one cell). Steps k0..k6: s = 255 + 255 = 510,
 *   k7: 0. a = 8: ADC 255 for k0..k6 (7 clips): P = 255 * 127 = 32385,
 *   y = 32385 - 128*254 - 128*254 = -32639. a = 9 (max 511): no clip, y = -254.
 *
 * Case "wide": mbiw = ibiw = 32, p = d = 16, a = 32. W = [[-2^31], [-2^31]],
 *   x = [-2^31, -2^31]: x' = w' = 0, all sums 0, P = 0,
 *   y = 0 - 2^31*0 - 2^31*(-2^32) = 2^63 -> saturated to obiw 32: 2^31 - 1.
 *   W = [[2^31-1], [2^31-1]], same x: w' = 2^32-1, u = 0, P = 0,
 *   y = -2^31 * 2*(2^31-1) = -2^63 + 2^32 -> -2^31.
 */
#define M31 (-2147483647 - 1)
static const xcase hand[] = {
    {"2x2 exact", 2, 1, 8, 1, 4, 4, 16, 0, 2, 2, {3, -2, -8, 7}, {5, -3}, {39, -31}, 0},
    {"2x2 relu", 2, 1, 8, 1, 4, 4, 16, 1, 2, 2, {3, -2, -8, 7}, {5, -3}, {39, 0}, 0},
    {"2x2 obiw 6", 2, 1, 8, 1, 4, 4, 6, 0, 2, 2, {3, -2, -8, 7}, {5, -3}, {31, -31}, 0},
    {"2x2 a=3 no clip", 2, 1, 3, 1, 4, 4, 16, 0, 2, 2, {3, -2, -8, 7}, {5, -3}, {39, -31}, 0},
    {"2x2 a=2 clip", 2, 1, 2, 1, 4, 4, 16, 0, 2, 2, {3, -2, -8, 7}, {5, -3}, {39, -61}, 4},
    {"2x2 a=2 ideal ADC", 2, 1, 2, 0, 4, 4, 16, 0, 2, 2, {3, -2, -8, 7}, {5, -3}, {39, -31}, 0},
    {"3x2 exact", 2, 1, 8, 1, 4, 4, 16, 0, 3, 2, {1, 2, 3, 4, 5, 6}, {-1, 2, -3}, {-10, -12}, 0},
    {"3x2 a=2", 2, 1, 2, 1, 4, 4, 16, 0, 3, 2, {1, 2, 3, 4, 5, 6}, {-1, 2, -3}, {-60, -73}, 9},
    {"3x2 d=2 a=3", 2, 2, 3, 1, 4, 4, 16, 0, 3, 2, {1, 2, 3, 4, 5, 6}, {-1, 2, -3}, {-73, -109}, 7},
    {"3x2 d=2 a=3 obiw 6", 2, 2, 3, 1, 4, 4, 6, 0, 3, 2, {1, 2, 3, 4, 5, 6}, {-1, 2, -3},
     {-32, -32}, 7},
    {"3x2 d=2 a=3 relu", 2, 2, 3, 1, 4, 4, 16, 1, 3, 2, {1, 2, 3, 4, 5, 6}, {-1, 2, -3}, {0, 0}, 7},
    {"3x2 d=2 a=3 ideal", 2, 2, 3, 0, 4, 4, 16, 0, 3, 2, {1, 2, 3, 4, 5, 6}, {-1, 2, -3},
     {-10, -12}, 0},
    {"p8 a=8 clip", 8, 1, 8, 1, 8, 8, 16, 0, 2, 1, {127, 127}, {-1, -1}, {-32639}, 7},
    {"p8 a=9", 8, 1, 9, 1, 8, 8, 16, 0, 2, 1, {127, 127}, {-1, -1}, {-254}, 0},
    {"wide saturate high", 16, 16, 32, 1, 32, 32, 32, 0, 2, 1, {M31, M31}, {M31, M31},
     {2147483647}, 0},
    {"wide saturate low", 16, 16, 32, 1, 32, 32, 32, 0, 2, 1, {2147483647, 2147483647},
     {M31, M31}, {M31}, 0},
};
#define N_HAND ((int)(sizeof hand / sizeof hand[0]))

static void run_case(const xcase *c)
{
    const pim_config cfg = xcfg(c->p, c->d, c->a, c->clip);
    pim_xbar_group *g = NULL;
    pim_error err;
    pim_error_clear(&err);
    ck_assert_msg(pim_xbar_group_new(&cfg, c->mbiw, c->rows, c->cols, c->w, &g, &err) == PIM_OK,
                  "%s: %s", c->what, err.msg);
    int64_t y[2] = {0x5555, 0x5555}, yl[2] = {0x5555, 0x5555};
    const uint64_t n = pim_xbar_mvmul(g, &cfg, c->ibiw, c->x, c->relu, c->obiw, y);
    const uint64_t nl = pim_xbar_mvmul_literal(g, &cfg, c->ibiw, c->x, c->relu, c->obiw, yl);
    for (uint32_t j = 0; j < c->cols; j++) {
        ck_assert_msg(y[j] == c->y[j], "%s: y[%u] = %lld, expected %lld", c->what, (unsigned)j,
                      (long long)y[j], (long long)c->y[j]);
        ck_assert_msg(yl[j] == c->y[j], "%s: literal y[%u] = %lld, expected %lld", c->what,
                      (unsigned)j, (long long)yl[j], (long long)c->y[j]);
    }
    ck_assert_msg(n == c->clips, "%s: %llu clips, expected %llu", c->what, (unsigned long long)n,
                  (unsigned long long)c->clips);
    ck_assert_msg(nl == c->clips, "%s: literal %llu clips, expected %llu", c->what,
                  (unsigned long long)nl, (unsigned long long)c->clips);
    pim_xbar_group_free(g);
}

START_TEST(test_hand)
{
    run_case(&hand[_i]);
}
END_TEST

/* Without clipping every cell precision and DAC resolution gives the exact dot product.
 * W = [[127, -128], [-1, 0], [64, -65]] (mbiw 8), x = [-128, 127, 3] (ibiw 8):
 *   y0 = -128*127 + 127*(-1) + 3*64 = -16256 - 127 + 192 = -16191
 *   y1 = -128*(-128) + 0 + 3*(-65) = 16384 - 195 = 16189
 * a = 20: the largest column sum is 3 * 255 * 15 = 11475 < 2^20, so nothing clips. */
static const uint32_t precisions[] = {1, 2, 3, 4, 8};
static const uint32_t dacs[] = {1, 2, 3, 4};

START_TEST(test_precisions)
{
    xcase c = {"precision", precisions[_i / 4], dacs[_i % 4], 20, 1, 8, 8, 16, 0, 3, 2,
               {127, -128, -1, 0, 64, -65}, {-128, 127, 3}, {-16191, 16189}, 0};
    run_case(&c);
    /* obiw 8 saturates both */
    c.obiw = 8;
    c.y[0] = -128;
    c.y[1] = 127;
    run_case(&c);
    /* relu */
    c.obiw = 16;
    c.relu = 1;
    c.y[0] = 0;
    c.y[1] = 16189;
    run_case(&c);
}
END_TEST

START_TEST(test_group_accessors)
{
    const pim_config cfg = xcfg(2, 1, 8, 1);
    const int32_t w[6] = {1, -2, 3, -4, 5, -6};
    pim_xbar_group *g = NULL;
    pim_error err;
    ck_assert_int_eq(pim_xbar_group_new(&cfg, 4, 3, 2, w, &g, &err), PIM_OK);
    ck_assert_uint_eq(pim_xbar_group_rows(g), 3);
    ck_assert_uint_eq(pim_xbar_group_cols(g), 2);
    ck_assert_uint_eq(pim_xbar_group_mbiw(g), 4);
    ck_assert_int_eq(pim_xbar_group_weight(g, 0, 1), -2);
    ck_assert_int_eq(pim_xbar_group_weight(g, 2, 0), 5);
    ck_assert_int_eq(pim_xbar_group_weight(g, 2, 1), -6);
    pim_xbar_group_free(g);
    pim_xbar_group_free(NULL);
}
END_TEST

/* Weights at the mbiw range ends are accepted: mbiw 1 holds -1 and 0, mbiw 32 the full
 * int32 range. */
START_TEST(test_weight_range_ends)
{
    const pim_config cfg = xcfg(2, 1, 8, 1);
    pim_xbar_group *g = NULL;
    pim_error err;
    const int32_t w1[2] = {-1, 0};
    ck_assert_int_eq(pim_xbar_group_new(&cfg, 1, 2, 1, w1, &g, &err), PIM_OK);
    /* x = [1 bit: -1, 0] . w = -1*-1 + 0 = 1 */
    const int64_t x[2] = {-1, 0};
    int64_t y[1];
    pim_xbar_mvmul(g, &cfg, 1, x, 0, 8, y);
    ck_assert_int_eq(y[0], 1);
    pim_xbar_group_free(g);
    const int32_t w32[2] = {M31, 2147483647};
    ck_assert_int_eq(pim_xbar_group_new(&cfg, 32, 1, 2, w32, &g, &err), PIM_OK);
    pim_xbar_group_free(g);
}
END_TEST

START_TEST(test_config_geometry)
{
    pim_config cfg = xcfg(2, 1, 8, 1); /* 128 x 128, 64 crossbars */
    ck_assert_uint_eq(pim_config_cells_per_weight(&cfg, 8), 4);
    ck_assert_uint_eq(pim_config_cells_per_weight(&cfg, 1), 1);
    ck_assert_uint_eq(pim_config_cells_per_weight(&cfg, 9), 5);
    ck_assert_uint_eq(pim_config_cells_per_weight(&cfg, 32), 16);
    ck_assert_uint_eq(pim_config_cols_per_xbar(&cfg, 8), 32);
    ck_assert_uint_eq(pim_config_cols_per_xbar(&cfg, 32), 8);
    ck_assert_uint_eq(pim_config_xbars_for_group(&cfg, 8, 32), 1);
    ck_assert_uint_eq(pim_config_xbars_for_group(&cfg, 8, 33), 2);
    ck_assert_uint_eq(pim_config_xbars_for_group(&cfg, 8, 2048), 64);
    cfg.cell_precision = 3;
    ck_assert_uint_eq(pim_config_cells_per_weight(&cfg, 8), 3);
    ck_assert_uint_eq(pim_config_cols_per_xbar(&cfg, 8), 42); /* floor(128/3) */
    ck_assert_uint_eq(pim_config_xbars_for_group(&cfg, 8, 43), 2);
    cfg.cell_precision = 1;
    cfg.xbar_cols = 4;
    ck_assert_uint_eq(pim_config_cols_per_xbar(&cfg, 8), 0); /* 8 cells > 4 columns */
    ck_assert_uint_eq(pim_config_xbars_for_group(&cfg, 8, 1), 0);
}
END_TEST

/* ------------------------------------------------------------------ random differential */

static uint64_t rng_state;
static uint64_t rnd(void) /* splitmix64 */
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
static uint32_t rnd_in(uint32_t lo, uint32_t hi) { return lo + (uint32_t)(rnd() % (hi - lo + 1u)); }

/* A value of a w-bit signed range: mostly uniform, sometimes an end of the range (extremes
 * make the column sums large, hence clipped). */
static int64_t rnd_val(uint32_t w, int mode)
{
    const int64_t lo = -((int64_t)1 << (w - 1)), hi = ((int64_t)1 << (w - 1)) - 1;
    if (mode == 1)
        return (rnd() & 1) ? hi : lo;
    if (mode == 2)
        return (rnd() % 4 == 0) ? lo + (int64_t)(rnd() % 2) : hi - (int64_t)(rnd() % 2);
    const uint64_t span = (uint64_t)(hi - lo) + 1u;
    return lo + (int64_t)(rnd() % span);
}

static void differential(const pim_config *cfg, uint32_t mbiw, uint32_t ibiw, uint32_t obiw,
                         uint32_t rows, uint32_t cols, int mode, const char *what)
{
    int32_t *w = malloc(sizeof *w * rows * cols);
    int64_t *x = malloc(sizeof *x * rows);
    int64_t *y = malloc(sizeof *y * cols), *yl = malloc(sizeof *yl * cols);
    ck_assert(w && x && y && yl);
    for (uint32_t i = 0; i < rows * cols; i++)
        w[i] = (int32_t)rnd_val(mbiw, mode);
    for (uint32_t i = 0; i < rows; i++)
        x[i] = rnd_val(ibiw, mode);
    pim_xbar_group *g = NULL;
    pim_error err;
    pim_error_clear(&err);
    ck_assert_msg(pim_xbar_group_new(cfg, mbiw, rows, cols, w, &g, &err) == PIM_OK, "%s: %s",
                  what, err.msg);
    /* every build of the clipping kernel this processor runs (plain C always) */
    for (int kern = PIM_XBAR_KERNEL_AVX512; kern < PIM_XBAR_KERNEL_COUNT; kern++) {
        if (pim_xbar_group_set_kernel(g, (pim_xbar_kernel)kern) != 0)
            continue;
        for (uint32_t relu = 0; relu < 2; relu++) {
            const uint64_t n = pim_xbar_mvmul(g, cfg, ibiw, x, relu, obiw, y);
            const uint64_t nl = pim_xbar_mvmul_literal(g, cfg, ibiw, x, relu, obiw, yl);
            ck_assert_msg(n == nl, "%s kernel %d relu %u: %llu clips vs literal %llu", what, kern,
                          (unsigned)relu, (unsigned long long)n, (unsigned long long)nl);
            for (uint32_t j = 0; j < cols; j++)
                ck_assert_msg(y[j] == yl[j], "%s kernel %d relu %u: y[%u] = %lld, literal %lld",
                              what, kern, (unsigned)relu, (unsigned)j, (long long)y[j],
                              (long long)yl[j]);
            if (!cfg->adc_clip)
                ck_assert_uint_eq(n, 0);
        }
    }
    pim_xbar_group_free(g);
    free(w);
    free(x);
    free(y);
    free(yl);
}

START_TEST(test_random_differential)
{
    /* _i is the seed; each seed runs 25 random groups */
    rng_state = 0x1234u + (uint64_t)_i * 7919u;
    for (int it = 0; it < 25; it++) {
        pim_config cfg;
        pim_config_default(&cfg);
        cfg.xbar_rows = rnd_in(1, 4) * 32;
        cfg.xbar_cols = 128;
        cfg.cell_precision = (rnd() % 8 == 0) ? rnd_in(9, 16) : rnd_in(1, 8);
        cfg.dac_resolution = (rnd() % 8 == 0) ? rnd_in(9, 16) : rnd_in(1, 8);
        cfg.adc_resolution = (rnd() % 4 == 0) ? rnd_in(13, 32) : rnd_in(1, 12);
        cfg.adc_clip = (rnd() % 5) != 0;
        const uint32_t mbiw = (rnd() % 3 == 0) ? rnd_in(1, 32) : rnd_in(1, 9);
        const uint32_t ibiw = (rnd() % 3 == 0) ? rnd_in(1, 32) : rnd_in(1, 9);
        const uint32_t obiw = rnd_in(1, 32);
        const uint32_t cpw = (mbiw + cfg.cell_precision - 1) / cfg.cell_precision;
        const uint32_t steps = (ibiw + cfg.dac_resolution - 1) / cfg.dac_resolution;
        const uint32_t rows = rnd_in(1, cfg.xbar_rows);
        uint32_t max_cols = (cfg.xbar_cols / cpw) * cfg.xbar_array_count;
        const uint64_t budget = (uint64_t)1 << 19; /* literal work: rows*cols*slices*steps */
        const uint64_t per_col = (uint64_t)rows * cpw * steps;
        if (per_col * max_cols > budget)
            max_cols = (uint32_t)(budget / per_col > 0 ? budget / per_col : 1);
        const uint32_t cols = rnd_in(1, max_cols < 96 ? max_cols : 96);
        char what[160];
        snprintf(what, sizeof what,
                 "seed %d it %d: p%u d%u a%u clip%u mbiw%u ibiw%u obiw%u %ux%u", _i, it,
                 (unsigned)cfg.cell_precision, (unsigned)cfg.dac_resolution,
                 (unsigned)cfg.adc_resolution, (unsigned)cfg.adc_clip, (unsigned)mbiw,
                 (unsigned)ibiw, (unsigned)obiw, (unsigned)rows, (unsigned)cols);
        differential(&cfg, mbiw, ibiw, obiw, rows, cols, (int)(rnd() % 3), what);
    }
}
END_TEST

/* Full 128x128 8-bit groups on the reference config (p 2, d 1, a 8) and with a small ADC. */
START_TEST(test_random_full_size)
{
    rng_state = 0xABCDEFu + (uint64_t)_i;
    static const uint32_t adcs[] = {8, 4, 2, 1, 12};
    pim_config cfg = xcfg(2, 1, adcs[_i % 5], 1);
    differential(&cfg, 8, 8, 16, 128, 128, _i % 3, "128x128 8-bit");
    differential(&cfg, 8, 8, 8, 128, 128, _i % 3, "128x128 8-bit obiw 8");
    /* widest: 32-bit weights and inputs, 1-bit cells and DAC steps */
    pim_config wide = xcfg(1, 1, adcs[_i % 5], 1);
    differential(&wide, 32, 32, 32, 128, 4, _i % 3, "128x4 32-bit p1 d1");
    pim_config wide2 = xcfg(8, 4, 6 + adcs[_i % 5], 1);
    differential(&wide2, 32, 32, 32, 128, 16, _i % 3, "128x16 32-bit p8 d4");
}
END_TEST

/* ------------------------------------------------------------------ errors */

START_TEST(test_errors)
{
    pim_config cfg = xcfg(2, 1, 8, 1);
    pim_xbar_group *g = NULL;
    pim_error err;
    static int32_t zeros[129 * 2];

    /* rows > xbar_rows */
    ck_assert_int_eq(pim_xbar_group_new(&cfg, 8, 129, 1, zeros, &g, &err), PIM_E_INPUT);
    ck_assert_int_eq(err.status, PIM_E_INPUT);
    /* weight out of the mbiw range: 4 bits hold -8..7 */
    const int32_t hi[2] = {7, 8}, lo[2] = {-8, -9}, one[1] = {1};
    ck_assert_int_eq(pim_xbar_group_new(&cfg, 4, 1, 2, hi, &g, &err), PIM_E_INPUT);
    ck_assert_int_eq(pim_xbar_group_new(&cfg, 4, 2, 1, lo, &g, &err), PIM_E_INPUT);
    ck_assert_int_eq(pim_xbar_group_new(&cfg, 1, 1, 1, one, &g, &err), PIM_E_INPUT);
    /* mbiw outside 1..32 */
    ck_assert_int_eq(pim_xbar_group_new(&cfg, 0, 1, 1, zeros, &g, &err), PIM_E_INPUT);
    ck_assert_int_eq(pim_xbar_group_new(&cfg, 33, 1, 1, zeros, &g, &err), PIM_E_INPUT);
    /* too many crossbars: 8 columns per crossbar, 4 cells per 8-bit weight -> 2 outputs per
     * crossbar; 2 crossbars hold 4 outputs, 5 do not fit */
    cfg.xbar_cols = 8;
    cfg.xbar_array_count = 2;
    ck_assert_int_eq(pim_xbar_group_new(&cfg, 8, 2, 4, zeros, &g, &err), PIM_OK);
    pim_xbar_group_free(g);
    g = NULL;
    ck_assert_int_eq(pim_xbar_group_new(&cfg, 8, 2, 5, zeros, &g, &err), PIM_E_INPUT);
    /* a weight wider than a crossbar row: 1-bit cells, 8-bit weights, 4 columns */
    cfg.cell_precision = 1;
    cfg.xbar_cols = 4;
    ck_assert_int_eq(pim_xbar_group_new(&cfg, 8, 1, 1, zeros, &g, &err), PIM_E_INPUT);
}
END_TEST

static Suite *xbar_suite(void)
{
    Suite *s = suite_create("xbar");
    TCase *core = tcase_create("core");
    tcase_add_loop_test(core, test_hand, 0, N_HAND);
    tcase_add_loop_test(core, test_precisions, 0, 20);
    tcase_add_test(core, test_group_accessors);
    tcase_add_test(core, test_config_geometry);
    suite_add_tcase(s, core);

    TCase *limits = tcase_create("limits");
    tcase_set_timeout(limits, 300);
    tcase_add_test(limits, test_weight_range_ends);
    tcase_add_loop_test(limits, test_random_differential, 0, 16);
    tcase_add_loop_test(limits, test_random_full_size, 0, 10);
    suite_add_tcase(s, limits);

    TCase *errors = tcase_create("errors");
    tcase_add_test(errors, test_errors);
    suite_add_tcase(s, errors);
    return s;
}

int main(void)
{
    return tu_run_suite(xbar_suite());
}
