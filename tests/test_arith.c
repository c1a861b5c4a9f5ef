/*
 * test_arith.c - element arithmetic of the profile (include/pim_arith.h): saturation, sign
 * extension, element load/store, rounding shifts and divisions, and PLAN sigmoid/tanh.
 * Every expected value is worked out by hand in the tables' comments.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <check.h>

#include "pim_arith.h"
#include "testutil.h"

/* ------------------------------------------------------------------ pim_sat */

static const struct {
    int64_t v;
    uint32_t w;
    int64_t want;
} sat_cases[] = {
    {127, 8, 127},   {128, 8, 127},     {-128, 8, -128}, {-129, 8, -128}, {0, 8, 0},
    {0, 1, 0},       {1, 1, 0},         {-1, 1, -1},     {-2, 1, -1},     /* 1 bit: [-1, 0] */
    {5, 3, 3},       {-5, 3, -4},       {3, 3, 3},       {-4, 3, -4},     /* 3 bits: [-4, 3] */
    {1000, 10, 511}, {-1000, 10, -512}, {511, 10, 511},  {-512, 10, -512},
    {70000, 17, 65535}, {-70000, 17, -65536}, {65535, 17, 65535},
    {INT64_MAX, 32, 2147483647}, {INT64_MIN, 32, -2147483647 - 1},
    {2147483648LL, 32, 2147483647}, {-2147483649LL, 32, -2147483647 - 1},
    {-2147483648LL, 32, -2147483648LL}, {32768, 16, 32767}, {-32769, 16, -32768},
};

START_TEST(test_sat)
{
    ck_assert_int_eq(pim_sat(sat_cases[_i].v, sat_cases[_i].w), sat_cases[_i].want);
    ck_assert_int_eq(pim_sat128((pim_i128)sat_cases[_i].v, sat_cases[_i].w), sat_cases[_i].want);
}
END_TEST

START_TEST(test_sat128_wide)
{
    const pim_i128 big = (pim_i128)INT64_MAX * 1000;
    ck_assert_int_eq(pim_sat128(big, 32), 2147483647);
    ck_assert_int_eq(pim_sat128(-big, 32), -2147483647 - 1);
    ck_assert_int_eq(pim_sat128(-big, 8), -128);
    ck_assert_int_eq(pim_min_of(1), -1);
    ck_assert_int_eq(pim_max_of(1), 0);
    ck_assert_int_eq(pim_min_of(32), -2147483647 - 1);
    ck_assert_int_eq(pim_max_of(32), 2147483647);
    ck_assert_uint_eq(pim_byw(1), 1);
    ck_assert_uint_eq(pim_byw(8), 1);
    ck_assert_uint_eq(pim_byw(9), 2);
    ck_assert_uint_eq(pim_byw(17), 3);
    ck_assert_uint_eq(pim_byw(24), 3);
    ck_assert_uint_eq(pim_byw(25), 4);
    ck_assert_uint_eq(pim_byw(32), 4);
}
END_TEST

/* ------------------------------------------------------------------ pim_sext */

static const struct {
    uint64_t v;
    uint32_t w;
    int64_t want;
} sext_cases[] = {
    {0xFF, 8, -1},      {0x7F, 8, 127},      {0x80, 8, -128},     {0x1FF, 8, -1}, /* bits above ignored */
    {0x100, 8, 0},      {0x4, 3, -4},        {0x3, 3, 3},         {0xF, 3, -1},   /* 0b111 */
    {0x8, 3, 0},        {0x200, 10, -512},   {0x3FF, 10, -1},     {0x1FF, 10, 511},
    {0xFE00, 10, -512}, /* low 10 bits 0b10_0000_0000 */
    {0x10000, 17, -65536}, {0xFFFF, 17, 65535}, {0x1FFFF, 17, -1}, {0x20000, 17, 0},
    {0xFFFFFFFF, 32, -1}, {0x80000000, 32, -2147483648LL}, {0x7FFFFFFF, 32, 2147483647},
    {0x123456789ull, 32, 0x23456789}, {1, 1, -1}, {0, 1, 0}, {2, 1, 0},
    {0xFFFFFFFFFFFFFFFFull, 64, -1},
};

START_TEST(test_sext)
{
    ck_assert_int_eq(pim_sext(sext_cases[_i].v, sext_cases[_i].w), sext_cases[_i].want);
}
END_TEST

/* ------------------------------------------------------------------ element load/store */

static const struct {
    uint8_t bytes[4];
    uint32_t byw, biw;
    int64_t want;
} load_cases[] = {
    {{0x7F}, 1, 8, 127},
    {{0x80}, 1, 8, -128},
    {{0x05}, 1, 3, -3},                    /* 0b101 -> -3 */
    {{0x0B}, 1, 3, 3},                     /* 0b1011: low 3 bits 011 */
    {{0xFC}, 1, 3, -4},                    /* low 3 bits 100 */
    {{0x34, 0x12}, 2, 16, 0x1234},
    {{0xFE, 0xFF}, 2, 16, -2},
    {{0xFF, 0x03}, 2, 10, -1},             /* 0x3FF */
    {{0xFF, 0x01}, 2, 10, 511},            /* 0x1FF */
    {{0x00, 0x02}, 2, 10, -512},           /* 0x200 */
    {{0x00, 0xFE}, 2, 10, -512},           /* 0xFE00 -> low 10 bits 0x200 */
    {{0xFF, 0xFD}, 2, 10, 511},            /* 0xFDFF -> low 10 bits 0x1FF */
    {{0x00, 0x00, 0x01}, 3, 17, -65536},   /* 0x10000 */
    {{0xFF, 0xFF, 0x00}, 3, 17, 65535},
    {{0xFF, 0xFF, 0xFE}, 3, 17, 65535},    /* 0xFEFFFF -> low 17 bits 0x0FFFF (bit 16 = 0) */
    {{0xFF, 0xFF, 0x03}, 3, 17, -1},       /* 0x03FFFF -> low 17 bits 0x1FFFF */
    {{0x00, 0x00, 0xFF}, 3, 17, -65536},   /* 0xFF0000 -> low 17 bits 0x10000 */
    {{0x00, 0x00, 0xFE}, 3, 17, 0},        /* low 17 bits 0 */
    {{0x00, 0x00, 0x80}, 3, 24, -8388608},
    {{0x78, 0x56, 0x34, 0x12}, 4, 32, 0x12345678},
    {{0x00, 0x00, 0x00, 0x80}, 4, 32, -2147483648LL},
    {{0xFF, 0xFF, 0xFF, 0x7F}, 4, 32, 2147483647},
    {{0xFF, 0xFF, 0xFF, 0xFF}, 4, 25, -1},
    {{0x00, 0x00, 0x00, 0xFF}, 4, 25, -16777216}, /* low 25 bits: bit 24 set only */
};

START_TEST(test_load_elem)
{
    ck_assert_int_eq(pim_load_elem(load_cases[_i].bytes, load_cases[_i].byw, load_cases[_i].biw),
                     load_cases[_i].want);
}
END_TEST

static const struct {
    int64_t v;
    uint32_t byw;
    uint8_t want[4];
} store_cases[] = {
    {-1, 1, {0xFF}},
    {127, 1, {0x7F}},
    {-3, 1, {0xFD}},                          /* a 3-bit value, sign-extended to the byte */
    {-2, 2, {0xFE, 0xFF}},
    {-512, 2, {0x00, 0xFE}},                  /* 10-bit -512 sign-extended to 16 bits */
    {511, 2, {0xFF, 0x01}},
    {0x1234, 2, {0x34, 0x12}},
    {-65536, 3, {0x00, 0x00, 0xFF}},          /* 17-bit -65536 */
    {65535, 3, {0xFF, 0xFF, 0x00}},
    {0x12345678, 4, {0x78, 0x56, 0x34, 0x12}},
    {-2147483648LL, 4, {0x00, 0x00, 0x00, 0x80}},
    {-16777216, 4, {0x00, 0x00, 0x00, 0xFF}}, /* 25-bit minimum */
};

START_TEST(test_store_elem)
{
    /* 64 bytes: gcc -O2's vectorised copy of the inline loop warns on smaller buffers */
    uint8_t buf[64];
    memset(buf, 0xAA, sizeof buf);
    pim_store_elem(buf + 1, store_cases[_i].byw, store_cases[_i].v);
    ck_assert_uint_eq(buf[0], 0xAA);
    ck_assert_mem_eq(buf + 1, store_cases[_i].want, store_cases[_i].byw);
    for (uint32_t k = 1 + store_cases[_i].byw; k < sizeof buf; k++)
        ck_assert_uint_eq(buf[k], 0xAA); /* exactly byw bytes written */
}
END_TEST

/* Store then load gives the value back for every width 1..32 at both range ends. */
START_TEST(test_store_load_widths)
{
    const uint32_t w = (uint32_t)_i; /* 1..32 */
    const uint32_t byw = (w + 7) / 8;
    const int64_t lo = -((int64_t)1 << (w - 1)), hi = ((int64_t)1 << (w - 1)) - 1;
    uint8_t buf[64];
    pim_store_elem(buf, byw, lo);
    ck_assert_int_eq(pim_load_elem(buf, byw, w), lo);
    /* the stored bytes are the value sign-extended: the top byte of a negative value has its
     * bit 7 set */
    ck_assert_uint_eq(buf[byw - 1] >> 7, 1);
    pim_store_elem(buf, byw, hi);
    ck_assert_int_eq(pim_load_elem(buf, byw, w), hi);
    pim_store_elem(buf, byw, -1);
    for (uint32_t k = 0; k < byw; k++)
        ck_assert_uint_eq(buf[k], 0xFF);
}
END_TEST

/* ------------------------------------------------------------------ shifts and division */

static const struct {
    int64_t x;
    uint32_t s;
    int64_t want;
} asr_cases[] = {
    {-1, 1, -1},  /* floor(-0.5) */
    {-3, 1, -2},  /* floor(-1.5) */
    {-4, 1, -2},
    {-5, 2, -2},  /* floor(-1.25) */
    {-8, 3, -1},
    {-9, 3, -2},  /* floor(-1.125) */
    {5, 1, 2},
    {7, 2, 1},
    {0, 5, 0},
    {100, 0, 100},
    {-100, 0, -100},
    {-1, 63, -1},
    {INT64_MIN, 63, -1},
    {INT64_MIN, 1, -4611686018427387904LL},
    {INT64_MAX, 62, 1},
    {-2147483648LL, 31, -1},
    {-2147483648LL, 30, -2},
    {2147483647LL, 31, 0},
};

START_TEST(test_asr)
{
    ck_assert_int_eq(pim_asr(asr_cases[_i].x, asr_cases[_i].s), asr_cases[_i].want);
}
END_TEST

static const struct {
    int64_t a, b, want;
} div_cases[] = {
    {7, 2, 3},   {-7, 2, -4}, {-8, 2, -4}, {0, 3, 0},   {-1, 3, -1},
    {1, 3, 0},   {-6, 3, -2}, {-7, 3, -3}, {5, 1, 5},   {-13, 3, -5}, /* -4.33 -> -5 */
    {-2147483648LL * 2048, 2047, -2148532737LL}, /* 2^42 = 2047*(2^31+2^20+2^9) + 512 */
    {2147483647LL * 2048, 2048, 2147483647LL},
};

START_TEST(test_floor_div)
{
    ck_assert_int_eq(pim_floor_div(div_cases[_i].a, div_cases[_i].b), div_cases[_i].want);
}
END_TEST

/* ------------------------------------------------------------------ PLAN */

/*
 * Scaled form (choices 24): A = |x|, S = sigm(|x|) * 2^(F+5):
 *   A >= 5*2^F: S = 2^(F+5); 8A >= 19*2^F: S = A + 27*2^F; A >= 2^F: S = 4A + 20*2^F;
 *   else S = 8A + 16*2^F; x < 0: S = 2^(F+5) - S. result = round(S/32), ties away from 0.
 *
 * F = 4 (2^F = 16, 2^(F+5) = 512; breakpoints 1.0 = 16, 2.375 = 38, 5.0 = 80):
 *   x=0:   S = 256            -> 8      (0.5)
 *   x=2:   S = 16+256 = 272   -> 8.5    -> 9 (tie, away from zero)
 *   x=6:   S = 48+256 = 304   -> 9.5    -> 10
 *   x=8:   S = 64+256 = 320   -> 10     (0.625)
 *   x=15:  S = 120+256 = 376  -> 11.75  -> 12
 *   x=16:  S = 64+320 = 384   -> 12     (0.75, segment 2 starts)
 *   x=20:  S = 80+320 = 400   -> 12.5   -> 13
 *   x=37:  8*37 = 296 < 304: S = 148+320 = 468 -> 14.625 -> 15
 *   x=38:  8*38 = 304 >= 304: S = 38+432 = 470 -> 14.6875 -> 15
 *   x=48:  S = 48+432 = 480   -> 15
 *   x=79:  S = 79+432 = 511   -> 15.96875 -> 16
 *   x=80:  S = 512            -> 16
 *   x=1000: 16
 *   x=-2:  S = 512-272 = 240  -> 7.5    -> 8 (tie, away from zero)
 *   x=-8:  S = 512-320 = 192  -> 6
 *   x=-16: S = 512-384 = 128  -> 4      (0.25)
 *   x=-38: S = 512-470 = 42   -> 1.3125 -> 1
 *   x=-80: S = 0              -> 0
 * F = 0 (2^F = 1, 2^(F+5) = 32; breakpoints 1, 19/8, 5):
 *   x=0: S = 16 -> 0.5 -> 1 (tie); x=1: S = 4+20 = 24 -> 0.75 -> 1;
 *   x=2: 16 < 19: S = 8+20 = 28 -> 0.875 -> 1; x=3: 24 >= 19: S = 3+27 = 30 -> 1;
 *   x=5: S = 32 -> 1; x=-1: S = 32-24 = 8 -> 0.25 -> 0; x=-3: S = 2 -> 0; x=-5: 0.
 * F = 8: x = 5*256 = 1280: S = 2^13 -> 256 (not saturated: 256 does not fit 8 bits).
 * F = 30: x = 2^30 (1.0): S = 24*2^30 -> 0.75*2^30 = 805306368;
 *   x = 0: 2^29 = 536870912;
 *   x = 2^31-1: 8A = 2^34-8 < 19*2^30, so S = 4A + 20*2^30 = 28*2^30 - 4,
 *   S/32 = 939524096 - 0.125 -> 939524096.
 *   x = -2^31: A = 2^31 >= 2^30, 8A = 2^34 < 19*2^30: S = 4*2^31 + 20*2^30 = 28*2^30,
 *   x < 0: S = 32*2^30 - 28*2^30 = 4*2^30 -> 2^27 = 134217728.
 */
static const struct {
    int64_t x;
    uint32_t f;
    int64_t want;
} sigm_cases[] = {
    {0, 4, 8},     {2, 4, 9},     {6, 4, 10},    {8, 4, 10},   {15, 4, 12},  {16, 4, 12},
    {20, 4, 13},   {37, 4, 15},   {38, 4, 15},   {48, 4, 15},  {79, 4, 16},  {80, 4, 16},
    {1000, 4, 16}, {-2, 4, 8},    {-8, 4, 6},    {-16, 4, 4},  {-38, 4, 1},  {-80, 4, 0},
    {-1000, 4, 0}, {2147483647LL, 4, 16}, {-2147483648LL, 4, 0},
    {0, 0, 1},     {1, 0, 1},     {2, 0, 1},     {3, 0, 1},    {5, 0, 1},    {-1, 0, 0},
    {-3, 0, 0},    {-5, 0, 0},
    {1280, 8, 256},
    {1LL << 30, 30, 805306368},   {0, 30, 536870912},
    {2147483647LL, 30, 939524096}, {-2147483648LL, 30, 134217728},
};

START_TEST(test_plan_sigm)
{
    ck_assert_msg(pim_plan_sigm(sigm_cases[_i].x, sigm_cases[_i].f) == sigm_cases[_i].want,
                  "sigm(%lld, F=%u) = %lld, expected %lld", (long long)sigm_cases[_i].x,
                  (unsigned)sigm_cases[_i].f,
                  (long long)pim_plan_sigm(sigm_cases[_i].x, sigm_cases[_i].f),
                  (long long)sigm_cases[_i].want);
}
END_TEST

/*
 * tanh(x) = 2*sigm(2x) - 1: T = 2*S(2x) - 2^(F+5), result round(T/32), ties away from 0.
 * F = 4:
 *   x=0:   S(0) = 256, T = 0                       -> 0
 *   x=4:   2x=8:  S = 320, T = 640-512 = 128       -> 4      (0.25)
 *   x=8:   2x=16: S = 384, T = 768-512 = 256       -> 8      (0.5)
 *   x=9:   2x=18: S = 72+320 = 392, T = 272        -> 8.5    -> 9 (tie)
 *   x=11:  2x=22: S = 88+320 = 408, T = 304        -> 9.5    -> 10
 *   x=19:  2x=38: S = 470, T = 940-512 = 428       -> 13.375 -> 13
 *   x=40:  2x=80: S = 512, T = 512                 -> 16
 *   x=-8:  2x=-16: S = 128, T = 256-512 = -256     -> -8
 *   x=-9:  S = 512-392 = 120, T = 240-512 = -272   -> -8.5   -> -9 (tie, away from zero)
 *   x=-19: S = 42, T = 84-512 = -428               -> -13.375 -> -13
 *   x=-40: S = 0, T = -512                         -> -16
 * F = 0:
 *   x=0: S = 16, T = 0 -> 0; x=1: 2x=2: S = 28, T = 24 -> 0.75 -> 1;
 *   x=-1: S = 4, T = 8-32 = -24 -> -0.75 -> -1; x=3: 2x=6: S = 32, T = 32 -> 1; x=-3: -1.
 * F = 30 (5*2^30 = 5368709120 > 2^32, so a doubled 32-bit input never reaches segment 4):
 *   x = -2^31: A = |2x| = 2^32 = 4*2^30, 8A >= 19*2^30: S = 4*2^30 + 27*2^30 = 31*2^30,
 *   x < 0: S = 2^30, T = 2*2^30 - 32*2^30 = -30*2^30 -> -30*2^25 = -1006632960.
 *   x = 2^31-1: A = 2^32-2: S = 31*2^30 - 2, T = 30*2^30 - 4 -> 1006632960 - 0.125
 *   -> 1006632960.
 */
static const struct {
    int64_t x;
    uint32_t f;
    int64_t want;
} tanh_cases[] = {
    {0, 4, 0},     {4, 4, 4},     {8, 4, 8},     {9, 4, 9},     {11, 4, 10},  {19, 4, 13},
    {40, 4, 16},   {-8, 4, -8},   {-9, 4, -9},   {-19, 4, -13}, {-40, 4, -16},
    {2147483647LL, 4, 16}, {-2147483648LL, 4, -16},
    {0, 0, 0},     {1, 0, 1},     {-1, 0, -1},   {3, 0, 1},     {-3, 0, -1},
    {-2147483648LL, 30, -1006632960}, {2147483647LL, 30, 1006632960},
    {1LL << 30, 30, 805306368}, /* 2x = 2*2^30: S = 28*2^30, T = 24*2^30 -> 0.75*2^30 */
};

START_TEST(test_plan_tanh)
{
    ck_assert_msg(pim_plan_tanh(tanh_cases[_i].x, tanh_cases[_i].f) == tanh_cases[_i].want,
                  "tanh(%lld, F=%u) = %lld, expected %lld", (long long)tanh_cases[_i].x,
                  (unsigned)tanh_cases[_i].f,
                  (long long)pim_plan_tanh(tanh_cases[_i].x, tanh_cases[_i].f),
                  (long long)tanh_cases[_i].want);
}
END_TEST

/* Symmetries that follow from the definitions: sigm(-x) = 2^F - sigm(x) up to the rounding
 * of ties (exact when S is not a tie), tanh odd: tanh(-x) = -tanh(x) (ties away from zero
 * are symmetric). Monotonic over the whole F = 4 input range of 8 bits. */
START_TEST(test_plan_shape)
{
    int64_t prev_s = -1, prev_t = -100;
    for (int64_t x = -128; x <= 127; x++) {
        const int64_t s = pim_plan_sigm(x, 4), t = pim_plan_tanh(x, 4);
        ck_assert_int_ge(s, prev_s);
        ck_assert_int_ge(t, prev_t);
        ck_assert_int_ge(s, 0);
        ck_assert_int_le(s, 16);
        ck_assert_int_eq(pim_plan_tanh(-x, 4), -t);
        prev_s = s;
        prev_t = t;
    }
}
END_TEST

static Suite *arith_suite(void)
{
    Suite *s = suite_create("arith");
    TCase *core = tcase_create("core");
    tcase_add_loop_test(core, test_sext, 0, (int)(sizeof sext_cases / sizeof sext_cases[0]));
    tcase_add_loop_test(core, test_load_elem, 0, (int)(sizeof load_cases / sizeof load_cases[0]));
    tcase_add_loop_test(core, test_store_elem, 0, (int)(sizeof store_cases / sizeof store_cases[0]));
    tcase_add_loop_test(core, test_asr, 0, (int)(sizeof asr_cases / sizeof asr_cases[0]));
    tcase_add_loop_test(core, test_floor_div, 0, (int)(sizeof div_cases / sizeof div_cases[0]));
    tcase_add_loop_test(core, test_plan_sigm, 0, (int)(sizeof sigm_cases / sizeof sigm_cases[0]));
    tcase_add_loop_test(core, test_plan_tanh, 0, (int)(sizeof tanh_cases / sizeof tanh_cases[0]));
    tcase_add_test(core, test_plan_shape);
    suite_add_tcase(s, core);

    TCase *limits = tcase_create("limits");
    tcase_add_loop_test(limits, test_sat, 0, (int)(sizeof sat_cases / sizeof sat_cases[0]));
    tcase_add_test(limits, test_sat128_wide);
    tcase_add_loop_test(limits, test_store_load_widths, 1, 33);
    suite_add_tcase(s, limits);
    return s;
}

int main(void)
{
    return tu_run_suite(arith_suite());
}
