/*
 * test_rtl.c - the Verilated RTL units (harness/cosim/rtl.c) driven directly, against the
 * golden model, across parameter sets. (The lockstep runner catching injected RTL faults:
 * test_lockstep.c.)
 *
 * The models are shared objects under build/rtl, built by `make rtl-models test-models`
 * before this test runs (the test itself never builds: a missing model fails the test).
 * Each test creates its models inside the test function, after Check's fork.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pim_arith.h"
#include "pim_load.h"
#include "pim_rtl.h"
#include "pim_xbar.h"

/* Parameter sets: the tile's (p, d, a, clip) and the vector unit's (lanes, F). */
typedef struct pset {
    uint32_t p, d, a, clip, lanes, frac;
} pset;

static const pset k_sets[] = {
    {2, 1, 8, 1, 32, 4}, /* the reference architecture */
    {1, 1, 3, 1, 32, 0}, /* 1-bit cells, a 3-bit ADC that clips often, F = 0 */
    {4, 4, 6, 1, 7, 8},  /* 4-bit cells and DAC steps, 7 lanes (partial beats), F = 8 */
    {8, 4, 8, 1, 32, 4}, /* 8-bit cells */
    {2, 1, 2, 0, 32, 4}, /* an ideal ADC */
    /* cells and DAC steps that divide no element width: the top cell and the top input
     * digit hold fewer bits than the others */
    {3, 3, 5, 1, 32, 4},
    {5, 5, 7, 1, 7, 8},
    {3, 5, 9, 0, 32, 0},
    {12, 9, 13, 1, 32, 4}, /* beyond 8-bit knobs: a model with 16-bit bounds */
};
#define NSETS (int)(sizeof k_sets / sizeof k_sets[0])

static pim_config set_config(const pset *s)
{
    pim_config c;
    pim_config_default(&c);
    c.cell_precision = s->p;
    c.dac_resolution = s->d;
    c.adc_resolution = s->a;
    c.adc_clip = s->clip;
    c.vector_width = s->lanes;
    c.activation_frac_bits = s->frac;
    c.local_mem_size = 4096;
    c.global_mem_size = 65536;
    return c;
}

static pim_rtl *open_rtl_cols(const pim_config *c, const char *fault, uint32_t tile_cols)
{
    pim_rtl_opts o;
    pim_rtl_opts_default(&o, ".");
    o.fault = fault;
    o.build = 0;
    o.tile_cols = tile_cols;
    pim_rtl *r = NULL;
    pim_error err;
    pim_error_clear(&err);
    pim_status st = pim_rtl_open(c, &o, &r, &err);
    ck_assert_msg(st == PIM_OK, "cannot open the RTL models (run `make rtl-models test-models`): %s",
                  err.msg);
    return r;
}

static pim_rtl *open_rtl(const pim_config *c, const char *fault)
{
    return open_rtl_cols(c, fault, 0);
}

static uint64_t rng(uint64_t *s) { return pim_splitmix64(s); }

/* A random value of a w-bit signed type; every fourth draw is an extreme. */
static int64_t rand_val(uint64_t *s, uint32_t w)
{
    const uint64_t r = rng(s);
    switch (r % 8) {
    case 0: return pim_max_of(w);
    case 1: return pim_min_of(w);
    default: return pim_sext(r >> 3, w);
    }
}

/* ------------------------------------------------------------------ tile */

/* Runs one mvmul on the RTL tile and on the golden model, asserting equal outputs and equal
 * ADC clip counts. */
static void check_mvmul(pim_rtl *r, const pim_config *c, uint32_t mbiw, uint32_t rows,
                        uint32_t cols, const int32_t *w, uint32_t ibiw, const int64_t *x,
                        uint32_t relu, uint32_t obiw)
{
    pim_xbar_group *g;
    pim_error err;
    ck_assert_int_eq(pim_xbar_group_new(c, mbiw, rows, cols, w, &g, &err), PIM_OK);
    int64_t *want = calloc(cols, sizeof *want), *got = calloc(cols, sizeof *got);
    const uint64_t want_clips = pim_xbar_mvmul_literal(g, c, ibiw, x, relu, obiw, want);
    uint64_t got_clips = 0;
    const pim_units *u = pim_rtl_units(r);
    pim_rtl_forget(r);
    ck_assert_int_eq(u->mvmul(u->ud, 0, 0, g, ibiw, x, relu, obiw, got, &got_clips, &err), PIM_OK);
    for (uint32_t j = 0; j < cols; j++)
        ck_assert_msg(got[j] == want[j],
                      "p=%u d=%u a=%u: %ux%u mbiw %u ibiw %u obiw %u relu %u: column %u: "
                      "RTL %lld, golden %lld",
                      c->cell_precision, c->dac_resolution, c->adc_resolution, rows, cols, mbiw,
                      ibiw, obiw, relu, j, (long long)got[j], (long long)want[j]);
    ck_assert_uint_eq(got_clips, want_clips);
    free(want);
    free(got);
    pim_xbar_group_free(g);
}

/* Directed: all inputs and weights at one extreme (the ADC clips hardest), zero inputs, and for
 * the 2-bit ADC set a hand-worked 2x2: W = [[1, -2], [-1, 1]], x = [1, 1], ibiw = mbiw = 2.
 *  - The ideal ADC gives the exact product: y0 = 1*1 + 1*(-1) = 0, y1 = 1*(-2) + 1*1 = -1.
 *  - The same tile with a clipping 2-bit ADC gives [-3, -1]: x' = [3, 3], w' = W + 2 =
 *    [[3, 0], [1, 3]]; column 0's cells (p = 2: one slice) are [3, 1], and each of the two DAC
 *    steps (d = 1, input digits [1, 1]) sums 3 + 1 = 4, read as 3; P = 3 + 3*2 = 9; the
 *    correction subtracts 2^(mbiw-1) * sum(x') = 2 * 6 and 2^(ibiw-1) * sum(w) = 2 * 0, so
 *    y0 = 9 - 12 - 0 = -3. Column 1's cells [0, 3] sum to 3 in each step (no clip): P = 9,
 *    sum(w) = -1, y1 = 9 - 12 + 2 = -1. */
START_TEST(tile_directed)
{
    const pset *s = &k_sets[_i];
    pim_config c = set_config(s);
    pim_rtl *r = open_rtl(&c, NULL);
    static int32_t w[128 * 128];
    static int64_t x[128];
    for (int e = 0; e < 3; e++) {
        for (int k = 0; k < 128 * 128; k++)
            w[k] = e == 1 ? -128 : 127;
        for (int i = 0; i < 128; i++)
            x[i] = e == 0 ? 127 : (e == 1 ? -128 : 0);
        check_mvmul(r, &c, 8, 128, 128, w, 8, x, 0, 16);
        check_mvmul(r, &c, 8, 128, 128, w, 8, x, 1, 8);
    }
    if (s->p == 2 && s->d == 1 && s->a == 2 && !s->clip) {
        /* ideal ADC: the exact product, [0, -1] */
        const int32_t w2[4] = {1, -2, -1, 1};
        const int64_t x2[2] = {1, 1};
        int64_t y[2];
        pim_xbar_group *g;
        pim_error err;
        ck_assert_int_eq(pim_xbar_group_new(&c, 2, 2, 2, w2, &g, &err), PIM_OK);
        const pim_units *u = pim_rtl_units(r);
        uint64_t clips;
        pim_rtl_forget(r);
        ck_assert_int_eq(u->mvmul(u->ud, 0, 0, g, 2, x2, 0, 8, y, &clips, &err), PIM_OK);
        ck_assert_int_eq(y[0], 0);
        ck_assert_int_eq(y[1], -1);
        /* the clipping twin (the model of vectors/matrix/matrix.mvmul.hand-2x2-clip.json);
         * its vector unit is the same model as r's, and Verilator 5.006 deadlocks freeing
         * one of two live instances of a model: r goes first */
        pim_rtl_close(r);
        r = NULL;
        pim_config cc = c;
        cc.adc_clip = 1;
        pim_rtl *rc = open_rtl(&cc, NULL);
        const pim_units *uc = pim_rtl_units(rc);
        ck_assert_int_eq(uc->mvmul(uc->ud, 0, 0, g, 2, x2, 0, 8, y, &clips, &err), PIM_OK);
        ck_assert_int_eq(y[0], -3);
        ck_assert_int_eq(y[1], -1);
        ck_assert_uint_eq(clips, 2); /* column 0, both steps */
        pim_rtl_close(rc);
        pim_xbar_group_free(g);
    }
    pim_rtl_close(r);
}
END_TEST

/* Seeded random groups, widths and inputs, including groups wider than the tile (two passes). */
START_TEST(tile_random)
{
    const pset *s = &k_sets[_i];
    pim_config c = set_config(s);
    pim_rtl *r = open_rtl(&c, NULL);
    uint64_t seed = 1000 + (uint64_t)_i;
    static int32_t w[128 * 300];
    static int64_t x[128];
    for (int it = 0; it < 24; it++) {
        const uint32_t rows = 1 + (uint32_t)(rng(&seed) % 128);
        const uint32_t mbiw = 1 + (uint32_t)(rng(&seed) % 16);
        const uint32_t per = pim_config_cols_per_xbar(&c, mbiw);
        uint32_t cols = 1 + (uint32_t)(rng(&seed) % (it % 6 == 0 ? 300 : 40));
        if (pim_config_xbars_for_group(&c, mbiw, cols) > c.xbar_array_count)
            cols = per;
        const uint32_t ibiw = 1 + (uint32_t)(rng(&seed) % (it % 4 == 0 ? 32 : 12));
        const uint32_t obiw = 1 + (uint32_t)(rng(&seed) % 32);
        for (uint32_t k = 0; k < rows * cols; k++)
            w[k] = (int32_t)rand_val(&seed, mbiw);
        for (uint32_t i = 0; i < rows; i++)
            x[i] = rand_val(&seed, ibiw);
        /* every stress level: the same results (the driver only uses what the contract
         * allows) */
        pim_rtl_reset(r, (unsigned)(it % 3), seed);
        check_mvmul(r, &c, mbiw, rows, cols, w, ibiw, x, (uint32_t)(rng(&seed) & 1), obiw);
    }
    /* widest weights: 32-bit, few rows */
    for (int it = 0; it < 4; it++) {
        const uint32_t rows = 1 + (uint32_t)(rng(&seed) % 8), cols = 3;
        for (uint32_t k = 0; k < rows * cols; k++)
            w[k] = (int32_t)rand_val(&seed, 32);
        for (uint32_t i = 0; i < rows; i++)
            x[i] = rand_val(&seed, 32);
        check_mvmul(r, &c, 32, rows, cols, w, 32, x, 0, 32);
    }
    pim_rtl_close(r);
}
END_TEST

/* ------------------------------------------------------------------ vector unit */

static const unsigned k_vops[] = {PIM_OP_VVADD, PIM_OP_VVSUB, PIM_OP_VVMUL, PIM_OP_VVDMUL,
                                  PIM_OP_VVMAX, PIM_OP_VVSLL, PIM_OP_VVSRA, PIM_OP_VAVG,
                                  PIM_OP_VRELU, PIM_OP_VTANH, PIM_OP_VSIGM, PIM_OP_VMV,
                                  PIM_OP_VRSU, PIM_OP_VRSL};

static void check_vec(pim_rtl *r, const pim_config *c, unsigned op, uint32_t ibiw, uint32_t obiw,
                      int64_t scalar, const int64_t *a, const int64_t *b, uint64_t n)
{
    int64_t *want = calloc(n + 1, sizeof *want), *got = calloc(n + 1, sizeof *got);
    const uint64_t nout = (op == PIM_OP_VVDMUL || op == PIM_OP_VAVG) ? 1 : n;
    pim_vec_compute(op, ibiw, obiw, c->activation_frac_bits, scalar, a, b, n, want);
    const pim_units *u = pim_rtl_units(r);
    pim_error err;
    ck_assert_int_eq(u->vector(u->ud, 0, op, ibiw, obiw, scalar, a, b, n, got, &err), PIM_OK);
    for (uint64_t i = 0; i < nout; i++)
        ck_assert_msg(got[i] == want[i],
                      "%s lanes %u F %u: ibiw %u obiw %u n %llu: element %llu (a %lld b %lld): "
                      "RTL %lld, golden %lld",
                      pim_op_name(op), c->vector_width, c->activation_frac_bits, ibiw, obiw,
                      (unsigned long long)n, (unsigned long long)i, (long long)a[i],
                      (long long)(b ? b[i] : 0), (long long)got[i], (long long)want[i]);
    free(want);
    free(got);
}

/* Directed: the saturation edges at ibiw = obiw = 8 and the profile's worked cases. */
START_TEST(vu_directed)
{
    pim_config c = set_config(&k_sets[_i]);
    pim_rtl *r = open_rtl(&c, NULL);
    const pim_units *u = pim_rtl_units(r);
    pim_error err;
    int64_t y[4];
    /* vvadd saturates both ways: 100 + 100 -> 127, -100 + -100 -> -128 */
    const int64_t a1[2] = {100, -100}, b1[2] = {100, -100};
    ck_assert_int_eq(u->vector(u->ud, 0, PIM_OP_VVADD, 8, 8, 0, a1, b1, 2, y, &err), PIM_OK);
    ck_assert_int_eq(y[0], 127);
    ck_assert_int_eq(y[1], -128);
    /* vvsra rounds toward minus infinity: -5 >> 1 = -3, 5 >> 1 = 2 */
    const int64_t a2[2] = {-5, 5}, b2[2] = {1, 1};
    ck_assert_int_eq(u->vector(u->ud, 0, PIM_OP_VVSRA, 8, 8, 0, a2, b2, 2, y, &err), PIM_OK);
    ck_assert_int_eq(y[0], -3);
    ck_assert_int_eq(y[1], 2);
    /* vavg floors: (-3 + -4) / 2 = -3.5 -> -4 */
    const int64_t a3[2] = {-3, -4};
    ck_assert_int_eq(u->vector(u->ud, 0, PIM_OP_VAVG, 8, 8, 2, a3, NULL, 2, y, &err), PIM_OK);
    ck_assert_int_eq(y[0], -4);
    /* vrsu with bound 5: min(x, 5) -> [5, -7] */
    const int64_t a4[2] = {9, -7};
    ck_assert_int_eq(u->vector(u->ud, 0, PIM_OP_VRSU, 8, 8, 5, a4, NULL, 2, y, &err), PIM_OK);
    ck_assert_int_eq(y[0], 5);
    ck_assert_int_eq(y[1], -7);
    /* vvmul with F = 8 (docs/dialects.md rule 9): round(a * 64 / 256), ties away from zero:
     * 10 -10 -2 127 -> 2.5 -2.5 -0.5 31.75 -> 3 -3 -1 32; F = 0 is the plain product */
    const int64_t a6[4] = {10, -10, -2, 127}, b6[4] = {64, 64, 64, 64};
    ck_assert_int_eq(u->vector(u->ud, 0, PIM_OP_VVMUL, 8, 8, 8, a6, b6, 4, y, &err), PIM_OK);
    ck_assert_int_eq(y[0], 3);
    ck_assert_int_eq(y[1], -3);
    ck_assert_int_eq(y[2], -1);
    ck_assert_int_eq(y[3], 32);
    ck_assert_int_eq(u->vector(u->ud, 0, PIM_OP_VVMUL, 8, 16, 0, a6, b6, 4, y, &err), PIM_OK);
    ck_assert_int_eq(y[0], 640);
    ck_assert_int_eq(y[3], 8128);
    /* F = 12, q = 84 (1/49): 100 -127 24 25 -> 2.05 -2.60 0.49 0.51 -> 2 -3 0 1 */
    const int64_t a7[4] = {100, -127, 24, 25}, b7[4] = {84, 84, 84, 84};
    ck_assert_int_eq(u->vector(u->ud, 0, PIM_OP_VVMUL, 8, 8, 12, a7, b7, 4, y, &err), PIM_OK);
    ck_assert_int_eq(y[0], 2);
    ck_assert_int_eq(y[1], -3);
    ck_assert_int_eq(y[2], 0);
    ck_assert_int_eq(y[3], 1);
    if (c.activation_frac_bits == 4) {
        /* vsigm at F = 4: x = 0 -> 0.5 = 8; x = 16 (1.0) -> 0.75 = 12; x = 80 (5.0) -> 16 */
        const int64_t a5[3] = {0, 16, 80};
        ck_assert_int_eq(u->vector(u->ud, 0, PIM_OP_VSIGM, 8, 8, 0, a5, NULL, 3, y, &err), PIM_OK);
        ck_assert_int_eq(y[0], 8);
        ck_assert_int_eq(y[1], 12);
        ck_assert_int_eq(y[2], 16);
    }
    pim_rtl_close(r);
}
END_TEST

/* Seeded random operands for every op, widths 1..32, lengths across beat boundaries. */
START_TEST(vu_random)
{
    pim_config c = set_config(&k_sets[_i]);
    pim_rtl *r = open_rtl(&c, NULL);
    uint64_t seed = 77 + (uint64_t)_i;
    static int64_t a[200], b[200];
    for (size_t k = 0; k < sizeof k_vops / sizeof k_vops[0]; k++) {
        const unsigned op = k_vops[k];
        for (int it = 0; it < 12; it++) {
            const uint32_t ibiw = 1 + (uint32_t)(rng(&seed) % 32);
            const uint32_t obiw = 1 + (uint32_t)(rng(&seed) % 32);
            const uint64_t n = 1 + rng(&seed) % (it < 4 ? 3 : 200);
            for (uint64_t i = 0; i < n; i++) {
                a[i] = rand_val(&seed, ibiw);
                /* shift amounts cover negative, in-range and over-31 counts */
                b[i] = (op == PIM_OP_VVSLL || op == PIM_OP_VVSRA) && ibiw > 6
                           ? pim_sext(rng(&seed) % 40 - 4, ibiw)
                           : rand_val(&seed, ibiw);
            }
            /* vvmul: the fixed-point F of rule 9 (0..31), every other op a random bound */
            const int64_t scalar = op == PIM_OP_VAVG    ? (int64_t)n
                                   : op == PIM_OP_VVMUL ? (int64_t)(rng(&seed) % 32)
                                                        : (int64_t)(int32_t)rng(&seed) >> (rng(&seed) % 32);
            pim_rtl_reset(r, (unsigned)(it % 3), seed);
            check_vec(r, &c, op, ibiw, obiw, scalar, a, b, n);
        }
    }
    pim_rtl_close(r);
}
END_TEST

/* An odd machine (tests/data/config_odd.json): 45-row crossbars, a tile of 7 output columns
 * (groups wider than it take several passes, the last one partial), 3-bit cells, a 5-bit
 * DAC, a 7-bit ADC, 5 lanes, F = 3; heavy stress throughout. */
START_TEST(odd_shapes)
{
    pim_config c;
    pim_error err;
    ck_assert_int_eq(pim_load_config_file("tests/data/config_odd.json", &c, &err), PIM_OK);
    c.local_mem_size = 4096;
    pim_rtl *r = open_rtl_cols(&c, NULL, 7);
    uint64_t seed = 4242;
    static int32_t w[45 * 64];
    static int64_t x[45], a[64], b[64];
    for (int it = 0; it < 30; it++) {
        const uint32_t rows = 1 + (uint32_t)(rng(&seed) % 45);
        const uint32_t mbiw = 1 + (uint32_t)(rng(&seed) % 16);
        uint32_t cols = 1 + (uint32_t)(rng(&seed) % 30);
        if (pim_config_xbars_for_group(&c, mbiw, cols) > c.xbar_array_count)
            cols = pim_config_cols_per_xbar(&c, mbiw);
        const uint32_t ibiw = 1 + (uint32_t)(rng(&seed) % 16);
        for (uint32_t k = 0; k < rows * cols; k++)
            w[k] = (int32_t)rand_val(&seed, mbiw);
        for (uint32_t i = 0; i < rows; i++)
            x[i] = rand_val(&seed, ibiw);
        pim_rtl_reset(r, 2, seed);
        check_mvmul(r, &c, mbiw, rows, cols, w, ibiw, x, (uint32_t)(it & 1),
                    1 + (uint32_t)(rng(&seed) % 32));
        const uint64_t n = 1 + rng(&seed) % 23;
        for (uint64_t i = 0; i < n; i++) {
            a[i] = rand_val(&seed, ibiw);
            b[i] = rand_val(&seed, ibiw);
        }
        const unsigned op = k_vops[(unsigned)it % (sizeof k_vops / sizeof k_vops[0])];
        check_vec(r, &c, op, ibiw, 1 + (uint32_t)(rng(&seed) % 32), op == PIM_OP_VAVG ? (int64_t)n : 3,
                  a, b, n);
    }
    pim_rtl_close(r);
}
END_TEST

/* A reset restarts the cycle counters at 0 and forgets the tile's group, and a run after it
 * takes the same cycles as on a new model: nothing of what ran before shows. */
START_TEST(reset_restarts)
{
    pim_config c = set_config(&k_sets[0]);
    pim_rtl *r = open_rtl(&c, NULL);
    const int32_t w[4] = {1, -2, -1, 1};
    const int64_t x[2] = {1, 1};
    pim_xbar_group *g;
    pim_error err;
    ck_assert_int_eq(pim_xbar_group_new(&c, 2, 2, 2, w, &g, &err), PIM_OK);
    const pim_units *u = pim_rtl_units(r);
    int64_t y[2];
    uint64_t clips;
    pim_rtl_begin(r, "first");
    ck_assert_int_eq(u->mvmul(u->ud, 0, 0, g, 2, x, 0, 8, y, &clips, &err), PIM_OK);
    const uint64_t first = pim_rtl_tile_cycles_total(r);
    ck_assert_uint_gt(first, 0);
    /* the same group again: no programming, fewer cycles */
    ck_assert_int_eq(u->mvmul(u->ud, 0, 0, g, 2, x, 0, 8, y, &clips, &err), PIM_OK);
    ck_assert_uint_lt(pim_rtl_tile_cycles_total(r) - first, first);
    const int64_t a[3] = {1, 2, 3};
    ck_assert_int_eq(u->vector(u->ud, 0, PIM_OP_VVDMUL, 8, 16, 0, a, a, 3, y, &err), PIM_OK);
    ck_assert_int_eq(y[0], 14);
    ck_assert_uint_gt(pim_rtl_vu_cycles_total(r), 0);
    pim_rtl_begin(r, "second");
    ck_assert_uint_eq(pim_rtl_tile_cycles_total(r), 0);
    ck_assert_uint_eq(pim_rtl_vu_cycles_total(r), 0);
    /* the group is programmed again after the reset: the first run's cycles exactly */
    ck_assert_int_eq(u->mvmul(u->ud, 0, 0, g, 2, x, 0, 8, y, &clips, &err), PIM_OK);
    ck_assert_uint_eq(pim_rtl_tile_cycles_total(r), first);
    ck_assert_int_eq(y[0], 0);
    ck_assert_int_eq(y[1], -1);
    pim_xbar_group_free(g);
    pim_rtl_close(r);
}
END_TEST

static Suite *rtl_suite(void)
{
    Suite *s = suite_create("rtl");
    TCase *tile = tcase_create("tile");
    tcase_set_timeout(tile, 300);
    tcase_add_loop_test(tile, tile_directed, 0, NSETS);
    tcase_add_loop_test(tile, tile_random, 0, NSETS);
    suite_add_tcase(s, tile);
    TCase *vu = tcase_create("vector_unit");
    tcase_set_timeout(vu, 300);
    tcase_add_loop_test(vu, vu_directed, 0, NSETS);
    tcase_add_loop_test(vu, vu_random, 0, NSETS);
    suite_add_tcase(s, vu);
    TCase *odd = tcase_create("odd");
    tcase_set_timeout(odd, 300);
    tcase_add_test(odd, odd_shapes);
    tcase_add_test(odd, reset_restarts);
    suite_add_tcase(s, odd);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(rtl_suite());
    srunner_run_all(sr, CK_NORMAL);
    const int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
