/*
 * test_vec.c - the vector instructions of the golden machine (golden/vec.c): the element-wise
 * ops at 8 bits and other widths, the activation's fraction bits, vvdmul, offsets and in-place
 * use, vavg, vmv and vrsu/vrsl.
 *
 * Expected values are worked out by hand from ../shared/spec/profile.md and docs/isa.md
 * (section 8, "Choices the profile leaves to us"). Register conventions: r1 = destination
 * (TU_DST), r2 = first source (TU_SRCA), r3 = second source (TU_SRCB) or the scalar operand
 * ($rs2). Machines have 4 KiB of local and 64 KiB of global memory (testutil.h).
 */
#include <stdint.h>
#include <check.h>

#include "pim_arith.h"
#include "pim_config.h"
#include "pim_golden.h"
#include "pim_isa.h"
#include "pim_program.h"
#include "testutil.h"

/* rs2 register of a vector op: 0 for the ops without an rs2 field. */
static unsigned rs2_of(unsigned op)
{
    return (op == PIM_OP_VRELU || op == PIM_OP_VSIGM || op == PIM_OP_VTANH) ? 0u : 3u;
}

/* ------------------------------------------------------------------ vector ops, 8 bits */

typedef struct vcase {
    const char *what;
    unsigned op;
    int64_t a[6], b[6], want[6];
} vcase;

static const vcase vcases[] = {
    /* 100+28 = 128 -> 127; -100-29 = -129 -> -128; 5-7 = -2; -1-128 = -129 -> -128 */
    {"vvadd", PIM_OP_VVADD, {100, -100, 5, -1, 0, 127}, {28, -29, -7, -128, 0, -127},
     {127, -128, -2, -128, 0, 0}},
    /* 100+28 -> 127; -100-29 -> -128; 0+128 -> 127; 0; -128-1 -> -128; 127+1 -> 127 */
    {"vvsub", PIM_OP_VVSUB, {100, -100, 0, 5, -128, 127}, {-28, 29, -128, 5, 1, -1},
     {127, -128, 127, 0, -128, 127}},
    /* 132 -> 127; -132 -> -128; 16384 -> 127; 0; 1; -128 */
    {"vvmul", PIM_OP_VVMUL, {12, -12, -128, 3, -1, -128}, {11, 11, -128, 0, -1, 1},
     {127, -128, 127, 0, 1, -128}},
    {"vvmax", PIM_OP_VVMAX, {-5, 3, -128, 127, 0, -1}, {-6, 4, -128, -1, 0, -2},
     {-5, 4, -128, 127, 0, -1}},
    /* shift = b clamped to [0, 31]: 1<<3 = 8; -1<<2 = -4; 3<<7 = 384 -> 127; 5<<0 (b -1 -> 0);
     * 1<<31 (b 40 -> 31) = 2^31 -> 127; -3<<6 = -192 -> -128 */
    {"vvsll", PIM_OP_VVSLL, {1, -1, 3, 5, 1, -3}, {3, 2, 7, -1, 40, 6}, {8, -4, 127, 5, 127, -128}},
    /* floor(-7/2) = -4; 7>>1 = 3; -1>>5 = -1; -128>>7 = -1; 100>>0 (b -3 -> 0); -128>>31 = -1 */
    {"vvsra", PIM_OP_VVSRA, {-7, 7, -1, -128, 100, -128}, {1, 1, 5, 7, -3, 100},
     {-4, 3, -1, -1, 100, -1}},
    {"vrelu", PIM_OP_VRELU, {-1, 0, 5, -128, 127, -2}, {0}, {0, 0, 5, 0, 127, 0}},
    /* F = 4, see test_arith.c: sigm(0) = 8, sigm(2) = 9 (8.5), sigm(-2) = 8 (7.5),
     * sigm(16) = 12, sigm(-80) = 0, sigm(127) = 16 */
    {"vsigm", PIM_OP_VSIGM, {0, 2, -2, 16, -80, 127}, {0}, {8, 9, 8, 12, 0, 16}},
    /* tanh(8) = 8, tanh(-8) = -8, tanh(9) = 9 (8.5), tanh(-9) = -9, tanh(40) = 16,
     * tanh(-128) = -16 */
    {"vtanh", PIM_OP_VTANH, {8, -8, 9, -9, 40, -128}, {0}, {8, -8, 9, -9, 16, -16}},
};
#define N_VCASES ((int)(sizeof vcases / sizeof vcases[0]))

START_TEST(test_vector_ops_8bit)
{
    const vcase *c = &vcases[_i];
    tu_machine m;
    pim_config cfg = tu_config(1);
    tu_begin(&m, &cfg);
    tu_emit(&m, 0, tu_vec(c->op, 1, 2, rs2_of(c->op), 6, 0, 0));
    tu_load(&m);
    tu_reg(&m, 0, 1, TU_DST);
    tu_reg(&m, 0, 2, TU_SRCA);
    tu_reg(&m, 0, 3, TU_SRCB);
    tu_lmem_elems(&m, 0, TU_SRCA, 1, c->a, 6);
    tu_lmem_elems(&m, 0, TU_SRCB, 1, c->b, 6);
    tu_fill_bytes(&m, 0, TU_DST, 0x5A, 8);
    tu_run_ok(&m);
    tu_expect_elems(&m, 0, TU_DST, 1, c->want, 6);
    ck_assert_uint_eq(pim_golden_lmem(m.g, 0)[TU_DST + 6], 0x5A); /* nothing written past len */
    ck_assert_uint_eq(pim_golden_lmem(m.g, 0)[TU_DST - 1], 0);
    tu_end(&m);
}
END_TEST

/* ------------------------------------------------------------------ other widths */

typedef struct wcase {
    const char *what;
    unsigned op, ibiw, obiw;
    uint32_t len;
    uint8_t a[8], b[8]; /* raw input bytes */
    uint8_t want[8];    /* output bytes */
    uint32_t want_len;
} wcase;

static const wcase wcases[] = {
    /* 16/16: 32767+1 -> 32767; -32768-1 -> -32768; 1000-3000 = -2000 = 0xF830 */
    {"vvadd 16", PIM_OP_VVADD, 16, 16, 3, {0xFF, 0x7F, 0x00, 0x80, 0xE8, 0x03},
     {0x01, 0x00, 0xFF, 0xFF, 0x48, 0xF4}, {0xFF, 0x7F, 0x00, 0x80, 0x30, 0xF8}, 6},
    /* 10/10: a0 = 0xFDFF -> low 10 bits 0x1FF = 511, +1 = 512 -> 511 (stored 0x01FF);
     * a1 = -512 (0x0200) - 1 -> -512 (stored sign-extended 0xFE00); 300 + 300 -> 511 */
    {"vvadd 10", PIM_OP_VVADD, 10, 10, 3, {0xFF, 0xFD, 0x00, 0x02, 0x2C, 0x01},
     {0x01, 0x00, 0xFF, 0x03, 0x2C, 0x01}, {0xFF, 0x01, 0x00, 0xFE, 0xFF, 0x01}, 6},
    /* 8 -> 16: 12*11 = 132 = 0x0084; -12*11 = -132 = 0xFF7C; -128*-128 = 16384 = 0x4000 */
    {"vvmul 8->16", PIM_OP_VVMUL, 8, 16, 4, {12, 0xF4, 0x80, 3}, {11, 11, 0x80, 0},
     {0x84, 0x00, 0x7C, 0xFF, 0x00, 0x40, 0x00, 0x00}, 8},
    /* 8 -> 12 (obyw 2): 16384 -> 2047 = 0x07FF; -128*127 = -16256 -> -2048 = 0xF800 */
    {"vvmul 8->12", PIM_OP_VVMUL, 8, 12, 2, {0x80, 0x80}, {0x80, 0x7F},
     {0xFF, 0x07, 0x00, 0xF8}, 4},
    /* 3-bit inputs (low 3 bits of each byte): a = 0x0B -> 3, 0xFC -> -4; b = 3, 3;
     * vvadd 3+3 = 6 -> 3; -4+3 = -1 (stored 0xFF) */
    {"vvadd 3", PIM_OP_VVADD, 3, 3, 2, {0x0B, 0xFC}, {0x03, 0x03}, {0x03, 0xFF}, 2},
    /* vrelu at 16 bits: -1 -> 0, 0x7FFF stays */
    {"vrelu 16", PIM_OP_VRELU, 16, 16, 2, {0xFF, 0xFF, 0xFF, 0x7F}, {0}, {0, 0, 0xFF, 0x7F}, 4},
    /* vsigm 8 -> 4 (F = 4): sigm(0) = 8 -> 7 (4 bits hold -8..7); sigm(-80) = 0 */
    {"vsigm 8->4", PIM_OP_VSIGM, 8, 4, 2, {0x00, 0xB0}, {0}, {0x07, 0x00}, 2},
    /* vtanh 8 -> 4: tanh(40) = 16 -> 7; tanh(-40) = -16 -> -8 = 0xF8 */
    {"vtanh 8->4", PIM_OP_VTANH, 8, 4, 2, {40, 0xD8}, {0}, {0x07, 0xF8}, 2},
    /* vvsll 8 -> 32: 1 << 31 = 2^31 -> 2^31-1 (32-bit max); -1 << 31 = -2^31 fits */
    {"vvsll 8->32", PIM_OP_VVSLL, 8, 32, 2, {1, 0xFF}, {31, 31},
     {0xFF, 0xFF, 0xFF, 0x7F, 0x00, 0x00, 0x00, 0x80}, 8},
    /* vvsra 16 -> 8: -32768 >> 4 = -2048 -> -128; 32767 >> 8 = 127 */
    {"vvsra 16->8", PIM_OP_VVSRA, 16, 8, 2, {0x00, 0x80, 0xFF, 0x7F}, {4, 0, 8, 0}, {0x80, 0x7F}, 2},
};
#define N_WCASES ((int)(sizeof wcases / sizeof wcases[0]))

START_TEST(test_vector_widths)
{
    const wcase *c = &wcases[_i];
    tu_machine m;
    pim_config cfg = tu_config(1);
    tu_begin(&m, &cfg);
    tu_emit(&m, 0, tu_setbw(c->ibiw, c->obiw));
    tu_emit(&m, 0, tu_vec(c->op, 1, 2, rs2_of(c->op), c->len, 0, 0));
    tu_load(&m);
    tu_reg(&m, 0, 1, TU_DST);
    tu_reg(&m, 0, 2, TU_SRCA);
    tu_reg(&m, 0, 3, TU_SRCB);
    tu_lmem(&m, 0, TU_SRCA, c->a, 8);
    tu_lmem(&m, 0, TU_SRCB, c->b, 8);
    tu_fill_bytes(&m, 0, TU_DST, 0x5A, 16);
    tu_run_ok(&m);
    tu_check_lmem(&m, 0, TU_DST, c->want, c->want_len);
    ck_assert_uint_eq(pim_golden_lmem(m.g, 0)[TU_DST + c->want_len], 0x5A);
    tu_end(&m);
}
END_TEST

/* F = 0 (activation_frac_bits from the config): sigm(x) is 1 for x >= 0 and 0 below
 * (0.5 rounds away from zero to 1, 0.25 to 0); tanh(1) = round(0.75) = 1, tanh(-1) = -1. */
START_TEST(test_activation_frac_bits)
{
    tu_machine m;
    pim_config cfg = tu_config(1);
    cfg.activation_frac_bits = 0;
    tu_begin(&m, &cfg);
    tu_emit(&m, 0, tu_vec(PIM_OP_VSIGM, 1, 2, 0, 4, 0, 0));
    tu_emit(&m, 0, tu_vec(PIM_OP_VTANH, 4, 2, 0, 4, 0, 0));
    tu_load(&m);
    tu_reg(&m, 0, 1, TU_DST);
    tu_reg(&m, 0, 2, TU_SRCA);
    tu_reg(&m, 0, 4, TU_DST + 16);
    const int64_t x[4] = {0, -1, 3, -128};
    tu_lmem_elems(&m, 0, TU_SRCA, 1, x, 4);
    tu_run_ok(&m);
    static const int64_t ws[4] = {1, 0, 1, 0}, wt[4] = {0, -1, 1, -1};
    tu_expect_elems(&m, 0, TU_DST, 1, ws, 4);
    tu_expect_elems(&m, 0, TU_DST + 16, 1, wt, 4);
    tu_end(&m);
}
END_TEST

/* ------------------------------------------------------------------ vvdmul */

/* vvmul's fixed-point rescale (docs/dialects.md rule 9; pim_arith.h): each product divided
 * by 2^F, rounded to nearest with ties away from zero, then saturated to obiw. Worked by hand:
 * F = 3: 12*1 = 12 -> 1.5 -> 2; -12 -> -2; 4 -> 0.5 -> 1; -4 -> -1; 3 -> 0.375 -> 0;
 * 1000*127 = 127000 -> 15875 -> 127 at obiw 8; F = 31: 2^30 * 1 -> 0.5 -> 1. */
START_TEST(test_vvmul_fixed)
{
    const int64_t a[6] = {12, -12, 4, -4, 3, 1000}, b[6] = {1, 1, 1, 1, 1, 127};
    int64_t y[6];
    pim_vec_compute(PIM_OP_VVMUL, 16, 8, 4, 3, a, b, 6, y);
    const int64_t want[6] = {2, -2, 1, -1, 0, 127};
    for (int i = 0; i < 6; i++)
        ck_assert_int_eq(y[i], want[i]);
    pim_vec_compute(PIM_OP_VVMUL, 16, 16, 4, 0, a, b, 6, y);
    ck_assert_int_eq(y[0], 12);
    ck_assert_int_eq(y[5], 32767);
    const int64_t c[2] = {(int64_t)1 << 30, -((int64_t)1 << 30)}, d[2] = {1, 1};
    pim_vec_compute(PIM_OP_VVMUL, 32, 32, 4, 31, c, d, 2, y);
    ck_assert_int_eq(y[0], 1);
    ck_assert_int_eq(y[1], -1);
}
END_TEST

START_TEST(test_vvdmul)
{
    tu_machine m;
    pim_config cfg = tu_config(1);
    tu_begin(&m, &cfg);
    /* r1 -> 0x300: [1,2,3,4].[5,6,7,8] = 5+12+21+32 = 70 */
    tu_emit(&m, 0, tu_vec(PIM_OP_VVDMUL, 1, 2, 3, 4, 0, 0));
    /* r4 -> 0x310: a = [127,127] at 0x110, b = [127,127] at 0x210: 32258 -> 127 */
    tu_emit(&m, 0, tu_vec(PIM_OP_VVDMUL, 4, 5, 6, 2, 0, 0));
    /* r7 -> 0x320: a = [-128,-128] at 0x120, b = [127,127] at 0x220: -32512 -> -128 */
    tu_emit(&m, 0, tu_vec(PIM_OP_VVDMUL, 7, 8, 9, 2, 0, 0));
    /* r10 -> 0x330: len 0 writes 0 (the empty sum) */
    tu_emit(&m, 0, tu_vec(PIM_OP_VVDMUL, 10, 2, 3, 0, 0, 0));
    /* r11 -> 0x340: sel 7, offset 1: rd takes no offset, rs1/rs2 + 1 element:
     * [2,3].[6,7] = 12 + 21 = 33 */
    tu_emit(&m, 0, tu_vec(PIM_OP_VVDMUL, 11, 2, 3, 2, 7, 1));
    /* obiw 32: r12 -> 0x350: [-128,-128].[-128,-128] (at 0x120, 0x120) = 32768 = 0x00008000 */
    tu_emit(&m, 0, tu_setbw(8, 32));
    tu_emit(&m, 0, tu_vec(PIM_OP_VVDMUL, 12, 8, 8, 2, 0, 0));
    tu_load(&m);
    static const uint32_t regs[13] = {0,     0x300, 0x100, 0x200, 0x310, 0x110, 0x210,
                                      0x320, 0x120, 0x220, 0x330, 0x340, 0x350};
    for (uint32_t r = 1; r < 13; r++)
        tu_reg(&m, 0, r, regs[r]);
    const int64_t a[4] = {1, 2, 3, 4}, b[4] = {5, 6, 7, 8}, p[2] = {127, 127}, n[2] = {-128, -128};
    tu_lmem_elems(&m, 0, 0x100, 1, a, 4);
    tu_lmem_elems(&m, 0, 0x200, 1, b, 4);
    tu_lmem_elems(&m, 0, 0x110, 1, p, 2);
    tu_lmem_elems(&m, 0, 0x210, 1, p, 2);
    tu_lmem_elems(&m, 0, 0x120, 1, n, 2);
    tu_lmem_elems(&m, 0, 0x220, 1, p, 2);
    tu_fill_bytes(&m, 0, 0x300, 0x5A, 0x60);
    tu_run_ok(&m);
    static const uint8_t w0[2] = {70, 0x5A}, w1[2] = {127, 0x5A}, w2[2] = {0x80, 0x5A},
                         w3[2] = {0, 0x5A}, w4[2] = {33, 0x5A},
                         w5[5] = {0x00, 0x80, 0x00, 0x00, 0x5A};
    tu_check_lmem(&m, 0, 0x300, w0, 2);
    tu_check_lmem(&m, 0, 0x310, w1, 2);
    tu_check_lmem(&m, 0, 0x320, w2, 2);
    tu_check_lmem(&m, 0, 0x330, w3, 2);
    tu_check_lmem(&m, 0, 0x340, w4, 2);
    tu_check_lmem(&m, 0, 0x350, w5, 5);
    ck_assert_uint_eq(pim_golden_lmem(m.g, 0)[0x33F], 0x5A);
    tu_end(&m);
}
END_TEST

/* ------------------------------------------------------------------ offsets */

/* vvadd at 16 bits, len 2, offset_value 1 (= 2 bytes): A = [1,2,3,4], B = [10,20,30,40],
 * D prefilled 0x5A5A. sel bit 0 moves rd, bit 1 rs1, bit 2 rs2. */
static const struct {
    unsigned sel;
    int64_t want[4]; /* D[0..3]; 0x5A5A = 23130 untouched */
} offcases[] = {
    {0, {11, 22, 23130, 23130}},
    {1, {23130, 11, 22, 23130}},
    {2, {12, 23, 23130, 23130}},  /* A[1..2] + B[0..1] */
    {4, {21, 32, 23130, 23130}},  /* A[0..1] + B[1..2] */
    {3, {23130, 12, 23, 23130}},
    {6, {22, 33, 23130, 23130}},
    {7, {23130, 22, 33, 23130}},
};

START_TEST(test_offset_select)
{
    tu_machine m;
    pim_config cfg = tu_config(1);
    tu_begin(&m, &cfg);
    tu_emit(&m, 0, tu_setbw(16, 16));
    tu_emit(&m, 0, tu_vec(PIM_OP_VVADD, 1, 2, 3, 2, offcases[_i].sel, 1));
    tu_load(&m);
    tu_reg(&m, 0, 1, TU_DST);
    tu_reg(&m, 0, 2, TU_SRCA);
    tu_reg(&m, 0, 3, TU_SRCB);
    const int64_t a[4] = {1, 2, 3, 4}, b[4] = {10, 20, 30, 40};
    tu_lmem_elems(&m, 0, TU_SRCA, 2, a, 4);
    tu_lmem_elems(&m, 0, TU_SRCB, 2, b, 4);
    tu_fill_bytes(&m, 0, TU_DST, 0x5A, 8);
    tu_run_ok(&m);
    tu_expect_elems(&m, 0, TU_DST, 2, offcases[_i].want, 4);
    tu_end(&m);
}
END_TEST

START_TEST(test_offset_scaling)
{
    tu_machine m;
    pim_config cfg = tu_config(1);
    tu_begin(&m, &cfg);
    /* 16 bits, negative offset: r1 = 0x304, r2 = 0x104, r3 = 0x204, sel 7, offset -2
     * (-4 bytes): D[0..1] = A[0..1] + B[0..1] = [11, 22] */
    tu_emit(&m, 0, tu_setbw(16, 16));
    tu_emit(&m, 0, tu_vec(PIM_OP_VVADD, 1, 2, 3, 2, 7, -2));
    /* vvmul 8 -> 16, sel 7, offset 1: rs1/rs2 + 1 byte (ibyw), rd + 2 bytes (obyw):
     * r4 = 0x320: D16[1..2] = [2*5, 3*6] = [10, 18] from a8 = [1,2,3] at 0x140,
     * b8 = [4,5,6] at 0x240 */
    tu_emit(&m, 0, tu_setbw(8, 16));
    tu_emit(&m, 0, tu_vec(PIM_OP_VVMUL, 4, 5, 6, 2, 7, 1));
    /* vrelu (rd offset in ibyw), sel 6 offset 1: bit 2 does not apply (no rs2 vector),
     * rs1 + 1, rd unchanged: r7 = 0x340 gets relu([2, 3]) */
    tu_emit(&m, 0, tu_vec(PIM_OP_VRELU, 7, 5, 0, 2, 6, 1));
    /* vrsu: bit 2 does not apply ($rs2 is a bound, not an address): r8 = 0x350,
     * r9 = bound 2 in r9; sel 4 offset 100 changes nothing: min([1,2,3], 2) = [1,2,2] at
     * obiw 16 */
    tu_emit(&m, 0, tu_vec(PIM_OP_VRSU, 8, 5, 9, 3, 4, 100));
    tu_load(&m);
    tu_reg(&m, 0, 1, 0x304);
    tu_reg(&m, 0, 2, 0x104);
    tu_reg(&m, 0, 3, 0x204);
    tu_reg(&m, 0, 4, 0x320);
    tu_reg(&m, 0, 5, 0x140);
    tu_reg(&m, 0, 6, 0x240);
    tu_reg(&m, 0, 7, 0x340);
    tu_reg(&m, 0, 8, 0x350);
    tu_reg(&m, 0, 9, 2);
    const int64_t a[4] = {1, 2, 3, 4}, b[4] = {10, 20, 30, 40}, a8[3] = {1, 2, 3},
                  b8[3] = {4, 5, 6};
    tu_lmem_elems(&m, 0, TU_SRCA, 2, a, 4);
    tu_lmem_elems(&m, 0, TU_SRCB, 2, b, 4);
    tu_lmem_elems(&m, 0, 0x140, 1, a8, 3);
    tu_lmem_elems(&m, 0, 0x240, 1, b8, 3);
    tu_fill_bytes(&m, 0, 0x300, 0x5A, 0x60);
    tu_run_ok(&m);
    static const int64_t d0[3] = {11, 22, 0x5A5A}, d1[4] = {0x5A5A, 10, 18, 0x5A5A},
                         d3[4] = {1, 2, 2, 0x5A5A};
    static const uint8_t d2[3] = {2, 3, 0x5A};
    tu_expect_elems(&m, 0, 0x300, 2, d0, 3);
    tu_expect_elems(&m, 0, 0x320, 2, d1, 4);
    tu_check_lmem(&m, 0, 0x340, d2, 3);
    tu_expect_elems(&m, 0, 0x350, 2, d3, 4);
    tu_end(&m);
}
END_TEST

/* Every operand is read before the result is written: in place (rd == rs1) and shifted by
 * one byte (rd = rs1 + 1) give the results of the original inputs. */
START_TEST(test_in_place)
{
    tu_machine m;
    pim_config cfg = tu_config(1);
    tu_begin(&m, &cfg);
    tu_emit(&m, 0, tu_vec(PIM_OP_VVADD, 2, 2, 3, 3, 0, 0)); /* A[0..2] += B */
    tu_emit(&m, 0, tu_vec(PIM_OP_VVADD, 4, 5, 3, 3, 0, 0)); /* 0x181..0x183 = C[0..2] + B */
    tu_load(&m);
    tu_reg(&m, 0, 2, TU_SRCA);
    tu_reg(&m, 0, 3, TU_SRCB);
    tu_reg(&m, 0, 4, 0x181);
    tu_reg(&m, 0, 5, 0x180);
    const int64_t a[3] = {1, 2, 3}, b[3] = {10, 20, 30}, c[4] = {1, 2, 3, 4};
    tu_lmem_elems(&m, 0, TU_SRCA, 1, a, 3);
    tu_lmem_elems(&m, 0, TU_SRCB, 1, b, 3);
    tu_lmem_elems(&m, 0, 0x180, 1, c, 4);
    tu_run_ok(&m);
    static const int64_t wa[3] = {11, 22, 33}, wc[4] = {1, 11, 22, 33};
    tu_expect_elems(&m, 0, TU_SRCA, 1, wa, 3);
    tu_expect_elems(&m, 0, 0x180, 1, wc, 4);
    tu_end(&m);
}
END_TEST

/* ------------------------------------------------------------------ vavg, vmv, vrsu/vrsl */

START_TEST(test_vavg)
{
    tu_machine m;
    pim_config cfg = tu_config(1);
    tu_begin(&m, &cfg);
    /* A = [-3, 9, -4, 9, -6, 9] at 0x100 (8 bits) */
    tu_emit(&m, 0, tu_vec(PIM_OP_VAVG, 1, 2, 3, 3, 0, 0));  /* stride 2: (-3-4-6)/3 = -4.33 -> -5 */
    tu_emit(&m, 0, tu_vec(PIM_OP_VAVG, 4, 2, 3, 3, 0, 1));  /* + 1 element: 9,9,9 -> 9 */
    tu_emit(&m, 0, tu_vec(PIM_OP_VAVG, 5, 6, 7, 3, 0, 0));  /* from 0x104, stride -2: -6,-4,-3 -> -5 */
    tu_emit(&m, 0, tu_vec(PIM_OP_VAVG, 8, 9, 10, 2, 0, 0)); /* 0x101, stride 1: (9-4)/2 = 2.5 -> 2 */
    tu_emit(&m, 0, tu_vec(PIM_OP_VAVG, 11, 2, 0, 4, 0, 0)); /* stride 0 (r0): -3 four times -> -3 */
    tu_emit(&m, 0, tu_vec(PIM_OP_VAVG, 12, 13, 10, 2, 0, 0)); /* [-4,-3] at 0x110: -3.5 -> -4 */
    tu_emit(&m, 0, tu_setbw(16, 8));
    tu_emit(&m, 0, tu_vec(PIM_OP_VAVG, 14, 15, 10, 2, 0, 0)); /* [1000, 1001] -> 1000 -> 127 */
    tu_load(&m);
    tu_reg(&m, 0, 1, 0x300);
    tu_reg(&m, 0, 2, 0x100);
    tu_reg(&m, 0, 3, 2);
    tu_reg(&m, 0, 4, 0x301);
    tu_reg(&m, 0, 5, 0x302);
    tu_reg(&m, 0, 6, 0x104);
    tu_reg(&m, 0, 7, 0xFFFFFFFEu);
    tu_reg(&m, 0, 8, 0x303);
    tu_reg(&m, 0, 9, 0x101);
    tu_reg(&m, 0, 10, 1);
    tu_reg(&m, 0, 11, 0x304);
    tu_reg(&m, 0, 12, 0x305);
    tu_reg(&m, 0, 13, 0x110);
    tu_reg(&m, 0, 14, 0x306);
    tu_reg(&m, 0, 15, 0x120);
    const int64_t a[6] = {-3, 9, -4, 9, -6, 9}, c[2] = {-4, -3}, d[2] = {1000, 1001};
    tu_lmem_elems(&m, 0, 0x100, 1, a, 6);
    tu_lmem_elems(&m, 0, 0x110, 1, c, 2);
    tu_lmem_elems(&m, 0, 0x120, 2, d, 2);
    tu_fill_bytes(&m, 0, 0x300, 0x5A, 8);
    tu_run_ok(&m);
    static const int64_t want[8] = {-5, 9, -5, 2, -3, -4, 127, 0x5A};
    tu_expect_elems(&m, 0, 0x300, 1, want, 8);
    tu_end(&m);
}
END_TEST

START_TEST(test_vmv)
{
    tu_machine m;
    pim_config cfg = tu_config(1);
    tu_begin(&m, &cfg);
    /* S = [10..16] at 0x100: stride 3, len 3 -> [10, 13, 16] */
    tu_emit(&m, 0, tu_vec(PIM_OP_VMV, 1, 2, 3, 3, 0, 0));
    /* from 0x106, stride -3 -> [16, 13, 10] */
    tu_emit(&m, 0, tu_vec(PIM_OP_VMV, 4, 5, 6, 3, 0, 0));
    /* 16 bits: [1000, 2000, 3000, 4000] at 0x140, stride 2, len 2 -> [1000, 3000] */
    tu_emit(&m, 0, tu_setbw(16, 8));
    tu_emit(&m, 0, tu_vec(PIM_OP_VMV, 7, 8, 9, 2, 0, 0));
    tu_load(&m);
    tu_reg(&m, 0, 1, 0x300);
    tu_reg(&m, 0, 2, 0x100);
    tu_reg(&m, 0, 3, 3);
    tu_reg(&m, 0, 4, 0x310);
    tu_reg(&m, 0, 5, 0x106);
    tu_reg(&m, 0, 6, 0xFFFFFFFDu);
    tu_reg(&m, 0, 7, 0x320);
    tu_reg(&m, 0, 8, 0x140);
    tu_reg(&m, 0, 9, 2);
    const int64_t s[7] = {10, 11, 12, 13, 14, 15, 16}, w[4] = {1000, 2000, 3000, 4000};
    tu_lmem_elems(&m, 0, 0x100, 1, s, 7);
    tu_lmem_elems(&m, 0, 0x140, 2, w, 4);
    tu_fill_bytes(&m, 0, 0x300, 0x5A, 0x30);
    tu_run_ok(&m);
    static const uint8_t w0[4] = {10, 13, 16, 0x5A}, w1[4] = {16, 13, 10, 0x5A},
                         w2[5] = {0xE8, 0x03, 0xB8, 0x0B, 0x5A};
    tu_check_lmem(&m, 0, 0x300, w0, 4);
    tu_check_lmem(&m, 0, 0x310, w1, 4);
    tu_check_lmem(&m, 0, 0x320, w2, 5);
    tu_end(&m);
}
END_TEST

START_TEST(test_vrsu_vrsl)
{
    tu_machine m;
    pim_config cfg = tu_config(1);
    tu_begin(&m, &cfg);
    /* X = [-7, 4, 5, 100] at 0x100 */
    tu_emit(&m, 0, tu_vec(PIM_OP_VRSU, 1, 2, 3, 4, 0, 0));  /* min(x, 5) = [-7, 4, 5, 5] */
    tu_emit(&m, 0, tu_vec(PIM_OP_VRSL, 4, 2, 5, 4, 0, 0));  /* max(x, -3) = [-3, 4, 5, 100] */
    tu_emit(&m, 0, tu_vec(PIM_OP_VRSU, 6, 2, 7, 2, 0, 0));  /* bound -1 (signed): [-7, -1] */
    tu_emit(&m, 0, tu_vec(PIM_OP_VRSL, 8, 2, 9, 2, 0, 0));  /* bound -2^31: [-7, 4] */
    tu_emit(&m, 0, tu_vec(PIM_OP_VRSU, 2, 2, 3, 4, 0, 0));  /* in place, same width: allowed */
    tu_emit(&m, 0, tu_setbw(8, 16));
    /* [-128, 127] at 0x110 -> 16 bits, bound 1000: 0xFF80, 0x007F */
    tu_emit(&m, 0, tu_vec(PIM_OP_VRSU, 10, 11, 12, 2, 0, 0));
    tu_emit(&m, 0, tu_setbw(16, 8));
    /* [500, -500, 1500] at 0x120 (16 bits), bound 1000: [500, -500, 1000] -> 8 bits
     * [127, -128, 127] */
    tu_emit(&m, 0, tu_vec(PIM_OP_VRSU, 13, 14, 12, 3, 0, 0));
    tu_load(&m);
    tu_reg(&m, 0, 1, 0x300);
    tu_reg(&m, 0, 2, 0x100);
    tu_reg(&m, 0, 3, 5);
    tu_reg(&m, 0, 4, 0x308);
    tu_reg(&m, 0, 5, 0xFFFFFFFDu);
    tu_reg(&m, 0, 6, 0x310);
    tu_reg(&m, 0, 7, 0xFFFFFFFFu);
    tu_reg(&m, 0, 8, 0x318);
    tu_reg(&m, 0, 9, 0x80000000u);
    tu_reg(&m, 0, 10, 0x320);
    tu_reg(&m, 0, 11, 0x110);
    tu_reg(&m, 0, 12, 1000);
    tu_reg(&m, 0, 13, 0x330);
    tu_reg(&m, 0, 14, 0x120);
    const int64_t x[4] = {-7, 4, 5, 100}, y[2] = {-128, 127}, z[3] = {500, -500, 1500};
    tu_lmem_elems(&m, 0, 0x100, 1, x, 4);
    tu_lmem_elems(&m, 0, 0x110, 1, y, 2);
    tu_lmem_elems(&m, 0, 0x120, 2, z, 3);
    tu_fill_bytes(&m, 0, 0x300, 0x5A, 0x40);
    tu_run_ok(&m);
    static const int64_t w0[4] = {-7, 4, 5, 5}, w1[4] = {-3, 4, 5, 100}, w2[3] = {-7, -1, 0x5A},
                         w3[3] = {-7, 4, 0x5A}, w5[3] = {-128, 127, 0x5A5A},
                         w6[4] = {127, -128, 127, 0x5A};
    tu_expect_elems(&m, 0, 0x300, 1, w0, 4);
    tu_expect_elems(&m, 0, 0x308, 1, w1, 4);
    tu_expect_elems(&m, 0, 0x310, 1, w2, 3);
    tu_expect_elems(&m, 0, 0x318, 1, w3, 3);
    tu_expect_elems(&m, 0, 0x100, 1, w0, 4); /* in place */
    tu_expect_elems(&m, 0, 0x320, 2, w5, 3);
    tu_expect_elems(&m, 0, 0x330, 1, w6, 4);
    tu_end(&m);
}
END_TEST

static Suite *vec_suite(void)
{
    Suite *s = suite_create("vec");
    TCase *core = tcase_create("core");
    tcase_add_loop_test(core, test_vector_ops_8bit, 0, N_VCASES);
    tcase_add_test(core, test_vvdmul);
    tcase_add_test(core, test_vvmul_fixed);
    tcase_add_loop_test(core, test_offset_select, 0,
                        (int)(sizeof offcases / sizeof offcases[0]));
    tcase_add_test(core, test_offset_scaling);
    tcase_add_test(core, test_in_place);
    tcase_add_test(core, test_vavg);
    tcase_add_test(core, test_vmv);
    tcase_add_test(core, test_vrsu_vrsl);
    suite_add_tcase(s, core);

    TCase *limits = tcase_create("limits");
    tcase_add_loop_test(limits, test_vector_widths, 0, N_WCASES);
    tcase_add_test(limits, test_activation_frac_bits);
    suite_add_tcase(s, limits);
    return s;
}

int main(void)
{
    return tu_run_suite(vec_suite());
}
