/*
 * test_golden.c - the golden machine (include/pim_golden.h), instruction by instruction,
 * with values worked out by hand from spec/profile.md and /tmp/pimcosim_choices.md.
 *
 * Register conventions of the vector tests: r1 = destination (0x300), r2 = first source
 * (0x100), r3 = second source (0x200) or the scalar operand ($rs2). Machines have 4 KiB of
 * local and 64 KiB of global memory (testutil.h).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <check.h>

#include "pim_config.h"
#include "pim_golden.h"
#include "pim_isa.h"
#include "pim_program.h"
#include "testutil.h"

#define DST 0x300u
#define SRCA 0x100u
#define SRCB 0x200u

static void fill_bytes(tu_machine *m, uint32_t c, uint32_t addr, uint8_t b, size_t n)
{
    memset(pim_golden_lmem(m->g, c) + addr, b, n);
}

static void expect_elems(tu_machine *m, uint32_t c, uint32_t addr, uint32_t byw,
                         const int64_t *want, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const int64_t got = tu_lmem_elem(m, c, addr + (uint32_t)(i * byw), byw);
        ck_assert_msg(got == want[i], "core %u element %zu at 0x%x: %lld, expected %lld",
                      (unsigned)c, i, (unsigned)(addr + i * byw), (long long)got,
                      (long long)want[i]);
    }
}

/* rs2 register of a vector op: 0 for the ops without an rs2 field. */
static unsigned rs2_of(unsigned op)
{
    return (op == PIM_OP_VRELU || op == PIM_OP_VSIGM || op == PIM_OP_VTANH) ? 0u : 3u;
}

static void run_ok(tu_machine *m)
{
    const pim_status st = tu_run(m);
    ck_assert_msg(st == PIM_OK, "run: status %d: %s", (int)st, m->err.msg);
    ck_assert_int_eq(pim_golden_done(m->g), 1);
}

static pim_insn i_send(unsigned rs1, uint32_t core, uint32_t size, int32_t off)
{
    pim_insn in = tu_i(PIM_OP_SEND);
    in.rs1 = (uint8_t)rs1;
    in.core = core;
    in.len = size;
    in.offset = off;
    return in;
}

static pim_insn i_recv(unsigned rd, uint32_t core, uint32_t size, int32_t off)
{
    pim_insn in = tu_i(PIM_OP_RECV);
    in.rd = (uint8_t)rd;
    in.core = core;
    in.len = size;
    in.offset = off;
    return in;
}

static pim_insn i_sync(unsigned ev, uint32_t core)
{
    pim_insn in = tu_i(PIM_OP_SYNC);
    in.ev = (uint8_t)ev;
    in.core = core;
    return in;
}

static pim_insn i_wait(unsigned ev, uint32_t val)
{
    pim_insn in = tu_i(PIM_OP_WAIT);
    in.ev = (uint8_t)ev;
    in.imm = val;
    return in;
}

static pim_insn i_lldi(unsigned rd, uint8_t byte, uint32_t size, int32_t off)
{
    pim_insn in = tu_i(PIM_OP_LLDI);
    in.rd = (uint8_t)rd;
    in.imm = byte;
    in.len = size;
    in.offset = off;
    return in;
}

static pim_insn i_mvmul(unsigned rd, unsigned rs1, unsigned mbiw, unsigned group, unsigned relu)
{
    pim_insn in = tu_i(PIM_OP_MVMUL);
    in.rd = (uint8_t)rd;
    in.rs1 = (uint8_t)rs1;
    in.mbiw = (uint8_t)mbiw;
    in.group = (uint16_t)group;
    in.relu = (uint8_t)relu;
    return in;
}

static pim_insn i_sld(unsigned rd, unsigned rs1, int32_t off)
{
    pim_insn in = tu_rrr(PIM_OP_SLD, rd, rs1, 0);
    in.offset = off;
    return in;
}

/* ------------------------------------------------------------------ machine basics */

START_TEST(test_reset_state)
{
    tu_machine m;
    pim_config cfg = tu_config(2);
    tu_begin(&m, &cfg);
    tu_load(&m);
    for (uint32_t c = 0; c < 2; c++) {
        ck_assert_uint_eq(pim_golden_ibiw(m.g, c), 8);
        ck_assert_uint_eq(pim_golden_obiw(m.g, c), 8);
        ck_assert_uint_eq(pim_golden_pc(m.g, c), 0);
        for (uint32_t r = 0; r < 32; r++) {
            ck_assert_uint_eq(pim_golden_reg(m.g, c, r), 0);
            ck_assert_uint_eq(pim_golden_event(m.g, c, r), 0);
        }
        for (uint32_t a = 0; a < TU_LMEM; a++)
            ck_assert_uint_eq(pim_golden_lmem(m.g, c)[a], 0);
    }
    ck_assert_uint_eq(pim_golden_config(m.g)->local_mem_size, TU_LMEM);
    ck_assert_uint_eq(pim_golden_config(m.g)->global_mem_size, TU_GMEM);
    run_ok(&m); /* no instructions: done at once */
    tu_end(&m);
}
END_TEST

/* ------------------------------------------------------------------ scalar */

START_TEST(test_scalar)
{
    tu_machine m;
    pim_config cfg = tu_config(1);
    tu_begin(&m, &cfg);
    tu_emit(&m, 0, tu_rri(PIM_OP_SLDI, 1, 0, 0xFFFFFFFFu));   /* r1 = -1 */
    tu_emit(&m, 0, tu_rri(PIM_OP_SADDI, 2, 1, 1));            /* r2 = 0xFFFFFFFF + 1 = 0 */
    tu_emit(&m, 0, tu_rrr(PIM_OP_SADD, 3, 1, 1));             /* r3 = 0xFFFFFFFE */
    tu_emit(&m, 0, tu_rrr(PIM_OP_SSUB, 4, 0, 1));             /* r4 = 0 - 0xFFFFFFFF = 1 */
    tu_emit(&m, 0, tu_rri(PIM_OP_SLDI, 6, 0, 0x10000u));
    tu_emit(&m, 0, tu_rrr(PIM_OP_SMUL, 5, 6, 6));             /* r5 = 2^32 mod 2^32 = 0 */
    tu_emit(&m, 0, tu_rri(PIM_OP_SMULI, 7, 1, 3));            /* 3*(2^32-1) = 0x2FFFFFFFD -> 0xFFFFFFFD */
    tu_emit(&m, 0, tu_rri(PIM_OP_SLDI, 8, 0, 65537));
    tu_emit(&m, 0, tu_rrr(PIM_OP_SMUL, 9, 8, 8));             /* 65537^2 = 2^32 + 2^17 + 1 -> 0x00020001 */
    tu_emit(&m, 0, tu_rri(PIM_OP_SLDI, 10, 0, 5));
    tu_emit(&m, 0, tu_rri(PIM_OP_SADDI, 11, 10, 0x80000000u)); /* 0x80000005 */
    tu_emit(&m, 0, tu_rri(PIM_OP_SMULI, 12, 10, 0xFFFFFFFEu)); /* 5 * -2 = -10 = 0xFFFFFFF6 */
    tu_emit(&m, 0, tu_rrr(PIM_OP_SSUB, 13, 0, 10));            /* -5 = 0xFFFFFFFB */
    tu_emit(&m, 0, tu_rrr(PIM_OP_SADD, 14, 14, 10));           /* 0 + 5 */
    tu_emit(&m, 0, tu_rrr(PIM_OP_SMUL, 15, 1, 1));             /* (2^32-1)^2 mod 2^32 = 1 */
    tu_emit(&m, 0, tu_rri(PIM_OP_SADDI, 16, 16, 0xFFFFFFFFu)); /* 0 - 1 */
    tu_emit(&m, 0, tu_i(PIM_OP_NOP));
    tu_emit(&m, 0, tu_rri(PIM_OP_SLDI, 17, 0, 0x7FFFFFFFu));
    tu_emit(&m, 0, tu_rri(PIM_OP_SADDI, 18, 17, 1));           /* 0x80000000 */
    tu_emit(&m, 0, tu_rri(PIM_OP_SMULI, 19, 17, 2));           /* 0xFFFFFFFE */
    tu_load(&m);
    run_ok(&m);
    static const uint32_t want[20] = {0,          0xFFFFFFFFu, 0,           0xFFFFFFFEu, 1,
                                      0,          0x10000u,    0xFFFFFFFDu, 65537,       0x00020001u,
                                      5,          0x80000005u, 0xFFFFFFF6u, 0xFFFFFFFBu, 5,
                                      1,          0xFFFFFFFFu, 0x7FFFFFFFu, 0x80000000u, 0xFFFFFFFEu};
    for (uint32_t r = 0; r < 20; r++)
        ck_assert_msg(pim_golden_reg(m.g, 0, r) == want[r], "r%u = 0x%08x, expected 0x%08x",
                      (unsigned)r, pim_golden_reg(m.g, 0, r), want[r]);
    const pim_golden_stats *s = pim_golden_get_stats(m.g);
    ck_assert_uint_eq(s->executed, 20);
    ck_assert_uint_eq(s->per_op[PIM_OP_SLDI], 5);
    ck_assert_uint_eq(s->per_op[PIM_OP_NOP], 1);
    tu_end(&m);
}
END_TEST

/* sld: 4 bytes little-endian from GMem[(r[rs1] << 32 | r[rs1+1]) + offset]. */
START_TEST(test_sld)
{
    tu_machine m;
    pim_config cfg = tu_config(1);
    tu_begin(&m, &cfg);
    tu_emit(&m, 0, i_sld(5, 2, 4));   /* 0x104: EF BE AD DE -> 0xDEADBEEF */
    tu_emit(&m, 0, i_sld(6, 2, 0));   /* 0x100: 78 56 34 12 -> 0x12345678 */
    tu_emit(&m, 0, i_sld(10, 8, -8)); /* 0x108 - 8 = 0x100 */
    tu_emit(&m, 0, i_sld(11, 8, -6)); /* 0x102: 34 12 EF BE -> 0xBEEF1234 */
    tu_emit(&m, 0, i_sld(2, 2, 0));   /* rd in the pair: r2 = 0x12345678 */
    tu_load(&m);
    static const uint8_t g[8] = {0x78, 0x56, 0x34, 0x12, 0xEF, 0xBE, 0xAD, 0xDE};
    tu_gmem(&m, 0x100, g, sizeof g);
    tu_reg(&m, 0, 2, 0);
    tu_reg(&m, 0, 3, 0x100);
    tu_reg(&m, 0, 8, 0);
    tu_reg(&m, 0, 9, 0x108);
    run_ok(&m);
    ck_assert_uint_eq(pim_golden_reg(m.g, 0, 5), 0xDEADBEEFu);
    ck_assert_uint_eq(pim_golden_reg(m.g, 0, 6), 0x12345678u);
    ck_assert_uint_eq(pim_golden_reg(m.g, 0, 10), 0x12345678u);
    ck_assert_uint_eq(pim_golden_reg(m.g, 0, 11), 0xBEEF1234u);
    ck_assert_uint_eq(pim_golden_reg(m.g, 0, 2), 0x12345678u);
    tu_end(&m);
}
END_TEST

/* setbw takes effect from the next instruction and changes the element byte widths. */
START_TEST(test_setbw)
{
    tu_machine m;
    pim_config cfg = tu_config(1);
    tu_begin(&m, &cfg);
    tu_emit(&m, 0, tu_setbw(16, 4));
    tu_emit(&m, 0, tu_vec(PIM_OP_VVADD, 1, 2, 3, 2, 0, 0)); /* 16-bit elements */
    tu_emit(&m, 0, tu_setbw(1, 32));
    tu_load(&m);
    tu_reg(&m, 0, 1, DST);
    tu_reg(&m, 0, 2, SRCA);
    tu_reg(&m, 0, 3, SRCB);
    const int64_t a[2] = {1000, -30000}, b[2] = {234, -5000};
    tu_lmem_elems(&m, 0, SRCA, 2, a, 2);
    tu_lmem_elems(&m, 0, SRCB, 2, b, 2);
    pim_step_result r;
    ck_assert_int_eq(pim_golden_step(m.g, 0, &r, &m.err), PIM_OK);
    ck_assert_int_eq(r, PIM_STEP_EXECUTED);
    ck_assert_uint_eq(pim_golden_ibiw(m.g, 0), 16);
    ck_assert_uint_eq(pim_golden_obiw(m.g, 0), 4);
    run_ok(&m);
    /* 1234 and -35000 -> saturated to 16 bits: -32768 */
    static const uint8_t want[4] = {0xD2, 0x04, 0x00, 0x80};
    tu_check_lmem(&m, 0, DST, want, 4);
    ck_assert_uint_eq(pim_golden_ibiw(m.g, 0), 1);
    ck_assert_uint_eq(pim_golden_obiw(m.g, 0), 32);
    tu_end(&m);
}
END_TEST

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
    tu_reg(&m, 0, 1, DST);
    tu_reg(&m, 0, 2, SRCA);
    tu_reg(&m, 0, 3, SRCB);
    tu_lmem_elems(&m, 0, SRCA, 1, c->a, 6);
    tu_lmem_elems(&m, 0, SRCB, 1, c->b, 6);
    fill_bytes(&m, 0, DST, 0x5A, 8);
    run_ok(&m);
    expect_elems(&m, 0, DST, 1, c->want, 6);
    ck_assert_uint_eq(pim_golden_lmem(m.g, 0)[DST + 6], 0x5A); /* nothing written past len */
    ck_assert_uint_eq(pim_golden_lmem(m.g, 0)[DST - 1], 0);
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
    tu_reg(&m, 0, 1, DST);
    tu_reg(&m, 0, 2, SRCA);
    tu_reg(&m, 0, 3, SRCB);
    tu_lmem(&m, 0, SRCA, c->a, 8);
    tu_lmem(&m, 0, SRCB, c->b, 8);
    fill_bytes(&m, 0, DST, 0x5A, 16);
    run_ok(&m);
    tu_check_lmem(&m, 0, DST, c->want, c->want_len);
    ck_assert_uint_eq(pim_golden_lmem(m.g, 0)[DST + c->want_len], 0x5A);
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
    tu_reg(&m, 0, 1, DST);
    tu_reg(&m, 0, 2, SRCA);
    tu_reg(&m, 0, 4, DST + 16);
    const int64_t x[4] = {0, -1, 3, -128};
    tu_lmem_elems(&m, 0, SRCA, 1, x, 4);
    run_ok(&m);
    static const int64_t ws[4] = {1, 0, 1, 0}, wt[4] = {0, -1, 1, -1};
    expect_elems(&m, 0, DST, 1, ws, 4);
    expect_elems(&m, 0, DST + 16, 1, wt, 4);
    tu_end(&m);
}
END_TEST

/* ------------------------------------------------------------------ vvdmul */

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
    fill_bytes(&m, 0, 0x300, 0x5A, 0x60);
    run_ok(&m);
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
    tu_reg(&m, 0, 1, DST);
    tu_reg(&m, 0, 2, SRCA);
    tu_reg(&m, 0, 3, SRCB);
    const int64_t a[4] = {1, 2, 3, 4}, b[4] = {10, 20, 30, 40};
    tu_lmem_elems(&m, 0, SRCA, 2, a, 4);
    tu_lmem_elems(&m, 0, SRCB, 2, b, 4);
    fill_bytes(&m, 0, DST, 0x5A, 8);
    run_ok(&m);
    expect_elems(&m, 0, DST, 2, offcases[_i].want, 4);
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
    tu_lmem_elems(&m, 0, SRCA, 2, a, 4);
    tu_lmem_elems(&m, 0, SRCB, 2, b, 4);
    tu_lmem_elems(&m, 0, 0x140, 1, a8, 3);
    tu_lmem_elems(&m, 0, 0x240, 1, b8, 3);
    fill_bytes(&m, 0, 0x300, 0x5A, 0x60);
    run_ok(&m);
    static const int64_t d0[3] = {11, 22, 0x5A5A}, d1[4] = {0x5A5A, 10, 18, 0x5A5A},
                         d3[4] = {1, 2, 2, 0x5A5A};
    static const uint8_t d2[3] = {2, 3, 0x5A};
    expect_elems(&m, 0, 0x300, 2, d0, 3);
    expect_elems(&m, 0, 0x320, 2, d1, 4);
    tu_check_lmem(&m, 0, 0x340, d2, 3);
    expect_elems(&m, 0, 0x350, 2, d3, 4);
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
    tu_reg(&m, 0, 2, SRCA);
    tu_reg(&m, 0, 3, SRCB);
    tu_reg(&m, 0, 4, 0x181);
    tu_reg(&m, 0, 5, 0x180);
    const int64_t a[3] = {1, 2, 3}, b[3] = {10, 20, 30}, c[4] = {1, 2, 3, 4};
    tu_lmem_elems(&m, 0, SRCA, 1, a, 3);
    tu_lmem_elems(&m, 0, SRCB, 1, b, 3);
    tu_lmem_elems(&m, 0, 0x180, 1, c, 4);
    run_ok(&m);
    static const int64_t wa[3] = {11, 22, 33}, wc[4] = {1, 11, 22, 33};
    expect_elems(&m, 0, SRCA, 1, wa, 3);
    expect_elems(&m, 0, 0x180, 1, wc, 4);
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
    fill_bytes(&m, 0, 0x300, 0x5A, 8);
    run_ok(&m);
    static const int64_t want[8] = {-5, 9, -5, 2, -3, -4, 127, 0x5A};
    expect_elems(&m, 0, 0x300, 1, want, 8);
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
    fill_bytes(&m, 0, 0x300, 0x5A, 0x30);
    run_ok(&m);
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
    fill_bytes(&m, 0, 0x300, 0x5A, 0x40);
    run_ok(&m);
    static const int64_t w0[4] = {-7, 4, 5, 5}, w1[4] = {-3, 4, 5, 100}, w2[3] = {-7, -1, 0x5A},
                         w3[3] = {-7, 4, 0x5A}, w5[3] = {-128, 127, 0x5A5A},
                         w6[4] = {127, -128, 127, 0x5A};
    expect_elems(&m, 0, 0x300, 1, w0, 4);
    expect_elems(&m, 0, 0x308, 1, w1, 4);
    expect_elems(&m, 0, 0x310, 1, w2, 3);
    expect_elems(&m, 0, 0x318, 1, w3, 3);
    expect_elems(&m, 0, 0x100, 1, w0, 4); /* in place */
    expect_elems(&m, 0, 0x320, 2, w5, 3);
    expect_elems(&m, 0, 0x330, 1, w6, 4);
    tu_end(&m);
}
END_TEST

/* ------------------------------------------------------------------ mvmul */

/* W = [[3, -2], [-8, 7]] (mbiw 4), x = [5, -3]: exact y = [39, -31] (test_xbar.c, "2x2";
 * with the default p 2, d 1, a 8 no column sum exceeds 6, nothing clips). */
START_TEST(test_mvmul)
{
    tu_machine m;
    pim_config cfg = tu_config(1);
    tu_begin(&m, &cfg);
    static const int32_t w[4] = {3, -2, -8, 7};
    tu_group(&m, 0, 0, 4, 2, 2, w);
    tu_group(&m, 0, 9, 4, 2, 2, w);
    tu_emit(&m, 0, i_mvmul(1, 2, 4, 0, 0));  /* 0x300: [39, -31] = 27 E1 */
    tu_emit(&m, 0, i_mvmul(3, 2, 4, 9, 1));  /* 0x310: relu [39, 0] */
    tu_emit(&m, 0, tu_setbw(4, 16));
    tu_emit(&m, 0, i_mvmul(4, 5, 4, 0, 0));  /* 0x320: 4-bit inputs F5 0D -> [5, -3]; 16-bit out */
    tu_emit(&m, 0, tu_setbw(8, 16));
    tu_emit(&m, 0, i_mvmul(2, 2, 4, 0, 0));  /* in place at 0x100: 27 00 E1 FF */
    tu_load(&m);
    tu_reg(&m, 0, 1, 0x300);
    tu_reg(&m, 0, 2, 0x100);
    tu_reg(&m, 0, 3, 0x310);
    tu_reg(&m, 0, 4, 0x320);
    tu_reg(&m, 0, 5, 0x110);
    static const uint8_t x[2] = {0x05, 0xFD}, x4[2] = {0xF5, 0x0D};
    tu_lmem(&m, 0, 0x100, x, 2);
    tu_lmem(&m, 0, 0x110, x4, 2);
    fill_bytes(&m, 0, 0x300, 0x5A, 0x30);
    run_ok(&m);
    static const uint8_t y0[3] = {0x27, 0xE1, 0x5A}, y1[3] = {0x27, 0x00, 0x5A},
                         y2[5] = {0x27, 0x00, 0xE1, 0xFF, 0x5A}, y3[4] = {0x27, 0x00, 0xE1, 0xFF};
    tu_check_lmem(&m, 0, 0x300, y0, 3);
    tu_check_lmem(&m, 0, 0x310, y1, 3);
    tu_check_lmem(&m, 0, 0x320, y2, 5);
    tu_check_lmem(&m, 0, 0x100, y3, 4);
    ck_assert_uint_eq(pim_golden_get_stats(m.g)->adc_clips, 0);
    ck_assert_uint_eq(pim_golden_get_stats(m.g)->per_op[PIM_OP_MVMUL], 4);
    tu_end(&m);
}
END_TEST

/* The ADC clips: W = [[3, -2], [-8, 7]], x = [5, -3], a = 2: y = [39, -61] with 4 clipped
 * sums (worked out in test_xbar.c, "2x2 a=2 clip"). */
START_TEST(test_mvmul_clip)
{
    tu_machine m;
    pim_config cfg = tu_config(1);
    cfg.adc_resolution = 2;
    tu_begin(&m, &cfg);
    static const int32_t w[4] = {3, -2, -8, 7};
    tu_group(&m, 0, 0, 4, 2, 2, w);
    tu_emit(&m, 0, tu_setbw(4, 8));
    tu_emit(&m, 0, i_mvmul(1, 2, 4, 0, 0));
    tu_load(&m);
    tu_reg(&m, 0, 1, 0x300);
    tu_reg(&m, 0, 2, 0x100);
    static const uint8_t x[2] = {0x05, 0x0D};
    tu_lmem(&m, 0, 0x100, x, 2);
    run_ok(&m);
    static const int64_t y[2] = {39, -61};
    expect_elems(&m, 0, 0x300, 1, y, 2);
    ck_assert_uint_eq(pim_golden_get_stats(m.g)->adc_clips, 4);
    tu_end(&m);
}
END_TEST

/* ------------------------------------------------------------------ transfers */

START_TEST(test_transfers)
{
    tu_machine m;
    pim_config cfg = tu_config(1);
    tu_begin(&m, &cfg);
    /* locals: r1 = 0x40, r4 = 0x50, r5 = 0x60, r8 = 0x44, r9 = 0x80;
     * global pairs: r2:r3 = 0x1000 (GMem[0x1000..0x1007] = 1..8), r6:r7 = 0x2000 */
    tu_emit(&m, 0, tu_xfer(PIM_OP_LD, 1, 2, 8, 0, 0));  /* L[0x40..0x47] = 1..8 */
    tu_emit(&m, 0, tu_xfer(PIM_OP_LD, 4, 2, 4, 2, 4));  /* rs1 + 4: L[0x50..0x53] = 5..8 */
    tu_emit(&m, 0, tu_xfer(PIM_OP_LD, 4, 2, 4, 1, 4));  /* rd + 4: L[0x54..0x57] = 1..4 */
    tu_emit(&m, 0, tu_xfer(PIM_OP_ST, 6, 1, 4, 0, 0));  /* G[0x2000..0x2003] = 1..4 */
    tu_emit(&m, 0, tu_xfer(PIM_OP_ST, 6, 4, 3, 3, 5));  /* G[0x2005..0x2007] = L[0x55..0x57] = 2,3,4 */
    tu_emit(&m, 0, i_lldi(5, 0xAB, 5, 2));              /* L[0x62..0x66] = AB */
    tu_emit(&m, 0, i_lldi(5, 0xFF, 1, 0));              /* L[0x60] = FF */
    tu_emit(&m, 0, tu_xfer(PIM_OP_LMV, 9, 1, 4, 3, 1)); /* L[0x81..0x84] = L[0x41..0x44] = 2..5 */
    tu_emit(&m, 0, tu_xfer(PIM_OP_LMV, 9, 9, 0, 0, 0)); /* size 0, same address: nothing */
    tu_emit(&m, 0, tu_xfer(PIM_OP_LMV, 8, 1, 4, 0, 0)); /* adjacent: L[0x44..0x47] = 1..4 */
    tu_load(&m);
    static const uint8_t g[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    tu_gmem(&m, 0x1000, g, 8);
    static const uint32_t regs[10] = {0, 0x40, 0, 0x1000, 0x50, 0x60, 0, 0x2000, 0x44, 0x80};
    for (uint32_t r = 1; r < 10; r++)
        tu_reg(&m, 0, r, regs[r]);
    run_ok(&m);
    static const uint8_t l40[8] = {1, 2, 3, 4, 1, 2, 3, 4}, l50[8] = {5, 6, 7, 8, 1, 2, 3, 4},
                         l60[8] = {0xFF, 0, 0xAB, 0xAB, 0xAB, 0xAB, 0xAB, 0},
                         l80[6] = {0, 2, 3, 4, 5, 0}, g2000[9] = {1, 2, 3, 4, 0, 2, 3, 4, 0};
    tu_check_lmem(&m, 0, 0x40, l40, 8);
    tu_check_lmem(&m, 0, 0x50, l50, 8);
    tu_check_lmem(&m, 0, 0x60, l60, 8);
    tu_check_lmem(&m, 0, 0x80, l80, 6);
    ck_assert_mem_eq(pim_golden_gmem(m.g) + 0x2000, g2000, 9);
    tu_end(&m);
}
END_TEST

/* ------------------------------------------------------------------ multi-core */

/* Core 0 sends L0[0x12..0x15] (r1 = 0x10, offset 2) to core 1, which receives it at
 * L1[0x21..0x24] (r1 = 0x20, offset 1); then core 1 sends 2 bytes back, received by core 0
 * at 0x30. L0[0x10..0x17] = 0..7. */
START_TEST(test_send_recv)
{
    tu_machine m;
    pim_config cfg = tu_config(2);
    tu_begin(&m, &cfg);
    tu_emit(&m, 0, i_send(1, 1, 4, 2));
    tu_emit(&m, 0, i_recv(2, 1, 2, 0));
    tu_emit(&m, 1, tu_i(PIM_OP_NOP));
    tu_emit(&m, 1, i_recv(1, 0, 4, 1));
    tu_emit(&m, 1, i_send(1, 0, 2, 2)); /* L1[0x22..0x23] = 3, 4 */
    tu_load(&m);
    static const uint8_t d[8] = {0, 1, 2, 3, 4, 5, 6, 7};
    tu_lmem(&m, 0, 0x10, d, 8);
    tu_reg(&m, 0, 1, 0x10);
    tu_reg(&m, 0, 2, 0x30);
    tu_reg(&m, 1, 1, 0x20);
    run_ok(&m);
    static const uint8_t w1[6] = {0, 2, 3, 4, 5, 0}, w0[3] = {3, 4, 0};
    tu_check_lmem(&m, 1, 0x20, w1, 6);
    tu_check_lmem(&m, 0, 0x30, w0, 3);
    tu_end(&m);
}
END_TEST

/* Barrier across 3 cores: each core c stores c+1 to GMem[0x100 + c], signals event 0 of
 * every core (itself included), waits for the value 3 and then loads GMem[0x100..0x102].
 * Every core must see [1, 2, 3], and every event register is reset to 0 by its wait. */
START_TEST(test_barrier)
{
    tu_machine m;
    pim_config cfg = tu_config(3);
    tu_begin(&m, &cfg);
    for (uint32_t c = 0; c < 3; c++) {
        tu_emit(&m, c, i_lldi(1, (uint8_t)(c + 1), 1, 0));   /* L[0] = c+1 */
        tu_emit(&m, c, tu_xfer(PIM_OP_ST, 2, 1, 1, 0, 0));   /* G[r2:r3] = L[0] */
        for (uint32_t k = 0; k < 3; k++)
            tu_emit(&m, c, i_sync(0, k));
        tu_emit(&m, c, i_wait(0, 3));
        tu_emit(&m, c, tu_xfer(PIM_OP_LD, 4, 6, 3, 0, 0));   /* L[0x10..] = G[0x100..0x102] */
    }
    tu_load(&m);
    for (uint32_t c = 0; c < 3; c++) {
        tu_reg(&m, c, 1, 0);
        tu_reg(&m, c, 3, 0x100 + c);
        tu_reg(&m, c, 4, 0x10);
        tu_reg(&m, c, 7, 0x100);
    }
    run_ok(&m);
    static const uint8_t want[3] = {1, 2, 3};
    for (uint32_t c = 0; c < 3; c++) {
        tu_check_lmem(&m, c, 0x10, want, 3);
        ck_assert_uint_eq(pim_golden_event(m.g, c, 0), 0);
    }
    tu_end(&m);
}
END_TEST

/* wait compares the whole 32-bit value; sync wraps mod 2^32; step reports blocking. */
START_TEST(test_step_wait)
{
    tu_machine m;
    pim_config cfg = tu_config(1);
    tu_begin(&m, &cfg);
    tu_emit(&m, 0, i_wait(5, 1023));
    tu_emit(&m, 0, i_sync(6, 0));
    tu_load(&m);
    pim_golden_set_event(m.g, 0, 6, 0xFFFFFFFFu);
    pim_step_result r;
    ck_assert_int_eq(pim_golden_step(m.g, 0, &r, &m.err), PIM_OK);
    ck_assert_int_eq(r, PIM_STEP_BLOCKED);
    ck_assert_uint_eq(pim_golden_pc(m.g, 0), 0);
    pim_golden_set_event(m.g, 0, 5, 1022);
    ck_assert_int_eq(pim_golden_step(m.g, 0, &r, &m.err), PIM_OK);
    ck_assert_int_eq(r, PIM_STEP_BLOCKED);
    pim_golden_set_event(m.g, 0, 5, 1023);
    ck_assert_int_eq(pim_golden_step(m.g, 0, &r, &m.err), PIM_OK);
    ck_assert_int_eq(r, PIM_STEP_EXECUTED);
    ck_assert_uint_eq(pim_golden_event(m.g, 0, 5), 0);
    ck_assert_uint_eq(pim_golden_pc(m.g, 0), 1);
    ck_assert_int_eq(pim_golden_step(m.g, 0, &r, &m.err), PIM_OK);
    ck_assert_int_eq(r, PIM_STEP_EXECUTED);
    ck_assert_uint_eq(pim_golden_event(m.g, 0, 6), 0); /* 0xFFFFFFFF + 1 wraps */
    ck_assert_int_eq(pim_golden_step(m.g, 0, &r, &m.err), PIM_OK);
    ck_assert_int_eq(r, PIM_STEP_DONE);
    ck_assert_int_eq(pim_golden_done(m.g), 1);
    tu_end(&m);
}
END_TEST

/* max_insns stops a run early; a second run finishes it. */
START_TEST(test_run_limit)
{
    tu_machine m;
    pim_config cfg = tu_config(1);
    tu_begin(&m, &cfg);
    for (uint32_t i = 0; i < 5; i++)
        tu_emit(&m, 0, tu_rri(PIM_OP_SADDI, 1, 1, 1));
    tu_load(&m);
    ck_assert_int_eq(pim_golden_run(m.g, 2, &m.err), PIM_OK);
    ck_assert_int_eq(pim_golden_done(m.g), 0);
    ck_assert_uint_eq(pim_golden_reg(m.g, 0, 1), 2);
    ck_assert_uint_eq(pim_golden_pc(m.g, 0), 2);
    run_ok(&m);
    ck_assert_uint_eq(pim_golden_reg(m.g, 0, 1), 5);
    tu_end(&m);
}
END_TEST

/* Core 0 waits for an event nobody signals (index 1), core 1 for a send core 0 never makes
 * (index 0): every unfinished core is blocked. The error names the lowest blocked core. */
START_TEST(test_deadlock)
{
    tu_machine m;
    pim_config cfg = tu_config(2);
    tu_begin(&m, &cfg);
    tu_emit(&m, 0, tu_i(PIM_OP_NOP));
    tu_emit(&m, 0, i_wait(0, 1));
    tu_emit(&m, 1, i_recv(1, 0, 4, 0));
    tu_load(&m);
    const pim_status st = tu_run(&m);
    ck_assert_int_eq(st, PIM_E_DEADLOCK);
    ck_assert_int_eq(m.err.status, PIM_E_DEADLOCK);
    ck_assert_int_eq(m.err.core, 0);
    ck_assert_int_eq(m.err.index, 1);
    ck_assert_int_eq(pim_golden_done(m.g), 0);
    ck_assert_uint_eq(pim_golden_pc(m.g, 0), 1);
    ck_assert_uint_eq(pim_golden_pc(m.g, 1), 0);
    ck_assert_int_gt((int)strlen(m.err.msg), 0);
    tu_end(&m);
}
END_TEST

/* ------------------------------------------------------------------ execution errors */

typedef struct ecase {
    const char *what;
    uint32_t cores;
    void (*build)(tu_machine *m, int phase); /* phase 0: instructions, 1: initial state */
    pim_status status;
    long core, index;
    const char *field;
} ecase;

static void e_vvadd_rs1(tu_machine *m, int phase)
{
    if (phase == 0) {
        tu_emit(m, 0, tu_i(PIM_OP_NOP));
        tu_emit(m, 0, tu_vec(PIM_OP_VVADD, 1, 2, 3, 4, 0, 0));
    } else {
        tu_reg(m, 0, 2, TU_LMEM - 2); /* 4 bytes at 4094 end past 4096 */
    }
}
static void e_vrelu_rd(tu_machine *m, int phase)
{
    if (phase == 0)
        tu_emit(m, 0, tu_vec(PIM_OP_VRELU, 1, 2, 0, 2, 0, 0));
    else
        tu_reg(m, 0, 1, TU_LMEM - 1);
}
static void e_negative_offset(tu_machine *m, int phase)
{
    if (phase == 0)
        tu_emit(m, 0, tu_vec(PIM_OP_VVADD, 1, 2, 3, 1, 2, -1)); /* rs1 = 0 - 1 element */
}
static void e_vvadd_rs2(tu_machine *m, int phase)
{
    if (phase == 0)
        tu_emit(m, 0, tu_vec(PIM_OP_VVADD, 1, 2, 3, 4, 0, 0));
    else
        tu_reg(m, 0, 3, TU_LMEM - 3);
}
static void e_ld_range(tu_machine *m, int phase)
{
    if (phase == 0)
        tu_emit(m, 0, tu_xfer(PIM_OP_LD, 1, 2, 4, 0, 0));
    else
        tu_reg(m, 0, 3, TU_GMEM - 2);
}
static void e_ld_high_word(tu_machine *m, int phase)
{
    if (phase == 0)
        tu_emit(m, 0, tu_xfer(PIM_OP_LD, 1, 2, 1, 0, 0));
    else
        tu_reg(m, 0, 2, 1); /* address 2^32 */
}
static void e_st_range(tu_machine *m, int phase)
{
    if (phase == 0)
        tu_emit(m, 0, tu_xfer(PIM_OP_ST, 4, 1, 2, 0, 0));
    else
        tu_reg(m, 0, 5, TU_GMEM - 1);
}
static void e_sld_range(tu_machine *m, int phase)
{
    if (phase == 0)
        tu_emit(m, 0, i_sld(1, 2, 0));
    else
        tu_reg(m, 0, 3, TU_GMEM - 3);
}
static void e_lldi_range(tu_machine *m, int phase)
{
    if (phase == 0)
        tu_emit(m, 0, i_lldi(1, 7, 8, 0));
    else
        tu_reg(m, 0, 1, TU_LMEM - 6);
}
static void e_lmv_overlap(tu_machine *m, int phase)
{
    if (phase == 0) {
        tu_emit(m, 0, tu_i(PIM_OP_NOP));
        tu_emit(m, 0, tu_i(PIM_OP_NOP));
        tu_emit(m, 0, tu_xfer(PIM_OP_LMV, 1, 2, 4, 0, 0));
    } else {
        tu_reg(m, 0, 1, 0x10);
        tu_reg(m, 0, 2, 0x12);
    }
}
static void e_vmv_overlap(tu_machine *m, int phase)
{
    if (phase == 0) {
        tu_emit(m, 0, tu_vec(PIM_OP_VMV, 1, 2, 3, 4, 0, 0));
    } else {
        tu_reg(m, 0, 1, 0x100);
        tu_reg(m, 0, 2, 0x0FE); /* elements at 0xFE, 0xFF, 0x100 (in 0x100..0x103), ... */
        tu_reg(m, 0, 3, 1);
    }
}
static void e_vrsu_overlap(tu_machine *m, int phase)
{
    if (phase == 0) {
        tu_emit(m, 0, tu_setbw(8, 16));
        tu_emit(m, 0, tu_vec(PIM_OP_VRSU, 1, 2, 3, 2, 0, 0));
    } else {
        tu_reg(m, 0, 1, 0x100); /* output 0x100..0x103 */
        tu_reg(m, 0, 2, 0x101); /* input 0x101..0x102 */
        tu_reg(m, 0, 3, 100);
    }
}
static void e_vavg_len0(tu_machine *m, int phase)
{
    if (phase == 0)
        tu_emit(m, 0, tu_vec(PIM_OP_VAVG, 1, 2, 3, 0, 0, 0));
}
static const int32_t w2x2[4] = {3, -2, -8, 7};
static void e_missing_group(tu_machine *m, int phase)
{
    if (phase == 0) {
        tu_group(m, 0, 0, 4, 2, 2, w2x2);
        tu_emit(m, 0, i_mvmul(1, 2, 4, 3, 0));
    }
}
static void e_mbiw_mismatch(tu_machine *m, int phase)
{
    if (phase == 0) {
        tu_group(m, 0, 0, 8, 2, 2, w2x2);
        tu_emit(m, 0, tu_i(PIM_OP_NOP));
        tu_emit(m, 0, i_mvmul(1, 2, 4, 0, 0));
    }
}
static void e_mvmul_input_range(tu_machine *m, int phase)
{
    if (phase == 0) {
        tu_group(m, 0, 0, 4, 2, 2, w2x2);
        tu_emit(m, 0, i_mvmul(1, 2, 4, 0, 0));
    } else {
        tu_reg(m, 0, 2, TU_LMEM - 1); /* 2 input bytes from 4095 */
    }
}
static void e_mvmul_output_range(tu_machine *m, int phase)
{
    if (phase == 0) {
        tu_group(m, 0, 0, 4, 2, 2, w2x2);
        tu_emit(m, 0, i_mvmul(1, 2, 4, 0, 0));
    } else {
        tu_reg(m, 0, 1, TU_LMEM - 1);
    }
}
static void e_core1(tu_machine *m, int phase)
{
    if (phase == 0) {
        tu_emit(m, 0, tu_i(PIM_OP_NOP));
        tu_emit(m, 0, tu_i(PIM_OP_NOP));
        tu_emit(m, 1, tu_i(PIM_OP_NOP));
        tu_emit(m, 1, tu_i(PIM_OP_NOP));
        tu_emit(m, 1, tu_xfer(PIM_OP_LMV, 1, 1, 4, 0, 0)); /* source == destination */
    }
}
static void e_size_mismatch(tu_machine *m, int phase)
{
    if (phase == 0) {
        tu_emit(m, 0, i_send(1, 1, 4, 0));
        tu_emit(m, 1, tu_i(PIM_OP_NOP));
        tu_emit(m, 1, i_recv(1, 0, 8, 0));
    }
}
static void e_recv_range(tu_machine *m, int phase)
{
    if (phase == 0) {
        tu_emit(m, 0, i_send(1, 1, 4, 0));
        tu_emit(m, 1, i_recv(1, 0, 4, 0));
    } else {
        tu_reg(m, 1, 1, TU_LMEM - 3);
    }
}

static const ecase ecases[] = {
    {"vvadd rs1 out of range", 1, e_vvadd_rs1, PIM_E_EXEC, 0, 1, "rs1"},
    {"vrelu rd out of range", 1, e_vrelu_rd, PIM_E_EXEC, 0, 0, "rd"},
    {"negative address by offset", 1, e_negative_offset, PIM_E_EXEC, 0, 0, "rs1"},
    {"vvadd rs2 out of range", 1, e_vvadd_rs2, PIM_E_EXEC, 0, 0, "rs2"},
    {"ld global out of range", 1, e_ld_range, PIM_E_EXEC, 0, 0, "rs1"},
    {"ld high address word", 1, e_ld_high_word, PIM_E_EXEC, 0, 0, "rs1"},
    {"st global out of range", 1, e_st_range, PIM_E_EXEC, 0, 0, "rd"},
    {"sld global out of range", 1, e_sld_range, PIM_E_EXEC, 0, 0, "rs1"},
    {"lldi out of range", 1, e_lldi_range, PIM_E_EXEC, 0, 0, "rd"},
    {"lmv overlap", 1, e_lmv_overlap, PIM_E_EXEC, 0, 2, "rd"},
    {"vmv overlap", 1, e_vmv_overlap, PIM_E_EXEC, 0, 0, "rd"},
    {"vrsu overlap when the width grows", 1, e_vrsu_overlap, PIM_E_EXEC, 0, 1, "rd"},
    {"vavg len 0", 1, e_vavg_len0, PIM_E_EXEC, 0, 0, "len"},
    {"missing group", 1, e_missing_group, PIM_E_EXEC, 0, 0, "group"},
    {"mbiw mismatch", 1, e_mbiw_mismatch, PIM_E_EXEC, 0, 1, "mbiw"},
    {"mvmul input out of range", 1, e_mvmul_input_range, PIM_E_EXEC, 0, 0, "rs1"},
    {"mvmul output out of range", 1, e_mvmul_output_range, PIM_E_EXEC, 0, 0, "rd"},
    {"error on core 1", 2, e_core1, PIM_E_EXEC, 1, 2, "rd"},
    {"send/recv size mismatch", 2, e_size_mismatch, PIM_E_EXEC, 1, 1, "size"},
    {"recv out of range", 2, e_recv_range, PIM_E_EXEC, 1, 0, "rd"},
};
#define N_ECASES ((int)(sizeof ecases / sizeof ecases[0]))

START_TEST(test_exec_errors)
{
    const ecase *c = &ecases[_i];
    tu_machine m;
    pim_config cfg = tu_config(c->cores);
    tu_begin(&m, &cfg);
    c->build(&m, 0);
    tu_load(&m);
    c->build(&m, 1);
    const pim_status st = tu_run(&m);
    ck_assert_msg(st == c->status, "%s: status %d, expected %d (%s)", c->what, (int)st,
                  (int)c->status, m.err.msg);
    ck_assert_int_eq(m.err.status, c->status);
    ck_assert_msg(m.err.core == c->core, "%s: core %ld, expected %ld", c->what, m.err.core,
                  c->core);
    ck_assert_msg(m.err.index == c->index, "%s: index %ld, expected %ld", c->what, m.err.index,
                  c->index);
    ck_assert_msg(strcmp(m.err.field, c->field) == 0, "%s: field '%s', expected '%s'", c->what,
                  m.err.field, c->field);
    ck_assert_uint_eq(pim_golden_pc(m.g, (uint32_t)c->core), (uint64_t)c->index);
    ck_assert_int_eq(pim_golden_done(m.g), 0);
    ck_assert_int_gt((int)strlen(m.err.msg), 0);
    tu_end(&m);
}
END_TEST

/* Accesses exactly at the end of memory, and zero-length ones anywhere, are in range. */
START_TEST(test_range_edges_ok)
{
    tu_machine m;
    pim_config cfg = tu_config(1);
    tu_begin(&m, &cfg);
    tu_emit(&m, 0, tu_vec(PIM_OP_VVADD, 1, 1, 1, 4, 0, 0));  /* 4092..4095 */
    tu_emit(&m, 0, tu_vec(PIM_OP_VVADD, 2, 2, 2, 0, 0, 0));  /* len 0 at 0xFFFFFFFF */
    tu_emit(&m, 0, tu_xfer(PIM_OP_LD, 1, 4, 4, 0, 0));       /* G[65532..65535] */
    tu_emit(&m, 0, tu_xfer(PIM_OP_LD, 2, 6, 0, 0, 0));       /* size 0 at 2^32 */
    tu_emit(&m, 0, tu_xfer(PIM_OP_LMV, 3, 3, 0, 0, 0));      /* size 0, same address */
    /* adjacent ranges do not overlap, on either side */
    tu_emit(&m, 0, tu_xfer(PIM_OP_LMV, 8, 9, 4, 0, 0));      /* L[0x100..] = L[0x104..] */
    tu_emit(&m, 0, tu_vec(PIM_OP_VMV, 11, 12, 10, 4, 0, 0)); /* L[0x200..] = L[0x204..] */
    tu_emit(&m, 0, tu_setbw(8, 16));
    tu_emit(&m, 0, tu_vec(PIM_OP_VRSU, 13, 14, 15, 2, 0, 0)); /* 0x2FC..0x2FF from 0x300 */
    tu_emit(&m, 0, tu_vec(PIM_OP_VRSU, 16, 14, 15, 2, 0, 0)); /* 0x302..0x305 from 0x300 */
    tu_load(&m);
    static const uint32_t regs[17] = {0, 0, 0, 0, 0, 0, 0, 0, 0x100, 0x104, 1,
                                      0x200, 0x204, 0x2FC, 0x300, 5, 0x302};
    for (uint32_t r = 8; r < 17; r++)
        tu_reg(&m, 0, r, regs[r]);
    static const uint8_t src[8] = {1, 2, 3, 4, 5, 6, 7, 8}, x[2] = {9, 0xFD};
    tu_lmem(&m, 0, 0x104, src, 4);
    tu_lmem(&m, 0, 0x204, src + 4, 4);
    tu_lmem(&m, 0, 0x300, x, 2);
    tu_reg(&m, 0, 1, TU_LMEM - 4);
    tu_reg(&m, 0, 2, 0xFFFFFFFFu);
    tu_reg(&m, 0, 3, 0x10);
    tu_reg(&m, 0, 5, TU_GMEM - 4);
    tu_reg(&m, 0, 6, 1);
    static const uint8_t g[4] = {9, 8, 7, 6};
    tu_gmem(&m, TU_GMEM - 4, g, 4);
    run_ok(&m);
    tu_check_lmem(&m, 0, TU_LMEM - 4, g, 4);
    tu_check_lmem(&m, 0, 0x100, src, 4);
    tu_check_lmem(&m, 0, 0x200, src + 4, 4);
    /* min([9, -3], 5) = [5, -3] at 16 bits: 05 00 FD FF, twice */
    static const uint8_t r[10] = {0x05, 0x00, 0xFD, 0xFF, 0x09, 0xFD, 0x05, 0x00, 0xFD, 0xFF};
    tu_check_lmem(&m, 0, 0x2FC, r, 10);
    tu_end(&m);
}
END_TEST

/* ------------------------------------------------------------------ observer */

typedef struct rec {
    pim_write w;
    uint8_t data[16];
} rec;
static rec recs[32];
static int n_recs;

static void record(void *ud, const pim_write *w)
{
    (void)ud;
    ck_assert_int_lt(n_recs, 32);
    recs[n_recs].w = *w;
    memcpy(recs[n_recs].data, w->data, w->len < 16 ? w->len : 16);
    recs[n_recs].w.data = NULL;
    n_recs++;
}

START_TEST(test_observer)
{
    tu_machine m;
    pim_config cfg = tu_config(1);
    tu_begin(&m, &cfg);
    tu_emit(&m, 0, tu_setbw(16, 16));
    tu_emit(&m, 0, tu_rri(PIM_OP_SLDI, 5, 0, 0x11223344u));
    tu_emit(&m, 0, tu_vec(PIM_OP_VVADD, 1, 2, 3, 3, 0, 0));
    tu_emit(&m, 0, tu_xfer(PIM_OP_ST, 6, 1, 2, 0, 0));
    tu_load(&m);
    tu_reg(&m, 0, 1, DST);
    tu_reg(&m, 0, 2, SRCA);
    tu_reg(&m, 0, 3, SRCB);
    tu_reg(&m, 0, 7, 0x800);
    /* [1, -2, 300] + [2, 3, -400] = [3, 1, -100] = 03 00 01 00 9C FF */
    const int64_t a[3] = {1, -2, 300}, b[3] = {2, 3, -400};
    tu_lmem_elems(&m, 0, SRCA, 2, a, 3);
    tu_lmem_elems(&m, 0, SRCB, 2, b, 3);
    n_recs = 0;
    pim_golden_set_observer(m.g, record, NULL);
    run_ok(&m);
    ck_assert_int_eq(n_recs, 4);

    ck_assert_uint_eq(recs[0].w.space, PIM_SPACE_BW);
    ck_assert_uint_eq(recs[0].w.index, 0);
    ck_assert_uint_eq(recs[0].w.op, PIM_OP_SETBW);
    ck_assert_uint_ge(recs[0].w.len, 2);
    ck_assert_uint_eq(recs[0].data[0], 16);
    ck_assert_uint_eq(recs[0].data[1], 16);

    static const uint8_t reg5[4] = {0x44, 0x33, 0x22, 0x11};
    ck_assert_uint_eq(recs[1].w.space, PIM_SPACE_REG);
    ck_assert_uint_eq(recs[1].w.core, 0);
    ck_assert_uint_eq(recs[1].w.owner, 0);
    ck_assert_uint_eq(recs[1].w.index, 1);
    ck_assert_uint_eq(recs[1].w.op, PIM_OP_SLDI);
    ck_assert_uint_eq(recs[1].w.addr, 5);
    ck_assert_uint_eq(recs[1].w.len, 4);
    ck_assert_uint_eq(recs[1].w.elem_bytes, 4);
    ck_assert_mem_eq(recs[1].data, reg5, 4);

    static const uint8_t sum[6] = {0x03, 0x00, 0x01, 0x00, 0x9C, 0xFF};
    ck_assert_uint_eq(recs[2].w.space, PIM_SPACE_LMEM);
    ck_assert_uint_eq(recs[2].w.core, 0);
    ck_assert_uint_eq(recs[2].w.owner, 0);
    ck_assert_uint_eq(recs[2].w.index, 2);
    ck_assert_uint_eq(recs[2].w.op, PIM_OP_VVADD);
    ck_assert_uint_eq(recs[2].w.addr, DST);
    ck_assert_uint_eq(recs[2].w.len, 6);
    ck_assert_uint_eq(recs[2].w.elem_bytes, 2);
    ck_assert_mem_eq(recs[2].data, sum, 6);

    ck_assert_uint_eq(recs[3].w.space, PIM_SPACE_GMEM);
    ck_assert_uint_eq(recs[3].w.index, 3);
    ck_assert_uint_eq(recs[3].w.op, PIM_OP_ST);
    ck_assert_uint_eq(recs[3].w.addr, 0x800);
    ck_assert_uint_eq(recs[3].w.len, 2);
    ck_assert_uint_eq(recs[3].w.elem_bytes, 1);
    ck_assert_mem_eq(recs[3].data, sum, 2);
    tu_end(&m);
}
END_TEST

/* Writes to another core: sync writes the target's event register (owner 1, by core 0);
 * wait resets it (owner 1, by core 1); recv's LMem write belongs to the recv. */
START_TEST(test_observer_cross_core)
{
    tu_machine m;
    pim_config cfg = tu_config(2);
    tu_begin(&m, &cfg);
    tu_emit(&m, 0, i_sync(3, 1));
    tu_emit(&m, 0, i_send(1, 1, 2, 0));
    tu_emit(&m, 1, i_wait(3, 1));
    tu_emit(&m, 1, i_recv(1, 0, 2, 0));
    tu_load(&m);
    tu_reg(&m, 0, 1, 0x10);
    tu_reg(&m, 1, 1, 0x20);
    static const uint8_t d[2] = {0xC0, 0xDE};
    tu_lmem(&m, 0, 0x10, d, 2);
    n_recs = 0;
    pim_golden_set_observer(m.g, record, NULL);
    run_ok(&m);
    int found_sync = 0, found_wait = 0, found_recv = 0;
    for (int i = 0; i < n_recs; i++) {
        const pim_write *w = &recs[i].w;
        if (w->op == PIM_OP_SYNC) {
            found_sync++;
            ck_assert_uint_eq(w->space, PIM_SPACE_EVENT);
            ck_assert_uint_eq(w->core, 0);
            ck_assert_uint_eq(w->owner, 1);
            ck_assert_uint_eq(w->addr, 3);
            ck_assert_uint_eq(w->len, 4);
            ck_assert_uint_eq(recs[i].data[0], 1);
        } else if (w->op == PIM_OP_WAIT) {
            found_wait++;
            ck_assert_uint_eq(w->space, PIM_SPACE_EVENT);
            ck_assert_uint_eq(w->core, 1);
            ck_assert_uint_eq(w->owner, 1);
            ck_assert_uint_eq(w->addr, 3);
            ck_assert_uint_eq(recs[i].data[0], 0);
        } else if (w->op == PIM_OP_RECV) {
            found_recv++;
            ck_assert_uint_eq(w->space, PIM_SPACE_LMEM);
            ck_assert_uint_eq(w->core, 1);
            ck_assert_uint_eq(w->owner, 1);
            ck_assert_uint_eq(w->index, 1);
            ck_assert_uint_eq(w->addr, 0x20);
            ck_assert_uint_eq(w->len, 2);
            ck_assert_mem_eq(recs[i].data, d, 2);
        } else {
            ck_abort_msg("unexpected write by op %u", (unsigned)w->op);
        }
    }
    ck_assert_int_eq(found_sync, 1);
    ck_assert_int_eq(found_wait, 1);
    ck_assert_int_eq(found_recv, 1);
    tu_end(&m);
}
END_TEST

/* The memory hash of docs/isa.md, values worked from its definition (FNV-1a over 64-bit
 * little-endian words, a partial last word zero-padded, then h ^= n and fmix64). */
START_TEST(test_hash_bytes)
{
    static const uint8_t zeros[8] = {0};
    static const uint8_t nine[9] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    static const uint8_t eight_pad[9] = {1, 2, 3, 4, 5, 6, 7, 8, 0};
    ck_assert_uint_eq(pim_hash_bytes(zeros, 0), 0xefd01f60ba992926ull);
    ck_assert_uint_eq(pim_hash_bytes(zeros, 8), 0x9bc195f9cf0d48a7ull);
    ck_assert_uint_eq(pim_hash_bytes(nine, 9), 0xf44baa594125c6beull);
    /* the same words, another byte count: n is part of the hash */
    ck_assert_uint_eq(pim_hash_bytes(eight_pad, 9), 0x04bda3d2104c5954ull);
    ck_assert_uint_ne(pim_hash_bytes(eight_pad, 8), pim_hash_bytes(eight_pad, 9));
    tu_machine m;
    pim_config cfg1 = tu_config(1);
    tu_begin(&m, &cfg1);
    tu_load(&m);
    uint8_t *z = calloc(1, TU_LMEM);
    ck_assert_ptr_nonnull(z);
    ck_assert_uint_eq(pim_golden_hash_lmem(m.g, 0), pim_hash_bytes(z, TU_LMEM));
    pim_golden_lmem(m.g, 0)[TU_LMEM - 1] = 1; /* the last byte counts */
    ck_assert_uint_ne(pim_golden_hash_lmem(m.g, 0), pim_hash_bytes(z, TU_LMEM));
    free(z);
    tu_end(&m);
}
END_TEST

/* The pimcomp dialect: ld, sld and st take the global address from one 32-bit register. */
START_TEST(test_pimcomp_addressing)
{
    for (int dialect = 0; dialect < 2; dialect++) {
        tu_machine m;
        pim_config cfg1 = tu_config(1);
        tu_begin(&m, &cfg1);
        m.prog->dialect = dialect ? PIM_DIALECT_PIMCOMP : PIM_DIALECT_STRICT;
        pim_insn ld = tu_i(PIM_OP_LD); /* LMem[r0] = GMem[r2 (pimcomp) / r2:r3 (strict)], 4 bytes */
        ld.rd = 0;
        ld.rs1 = 2;
        ld.len = 4;
        tu_emit(&m, 0, ld);
        pim_insn sld = tu_i(PIM_OP_SLD); /* r5 = GMem[r2 + 4] (pimcomp) / GMem[r2:r3 + 4] */
        sld.rd = 5;
        sld.rs1 = 2;
        sld.offset = 4;
        tu_emit(&m, 0, sld);
        pim_insn st = tu_i(PIM_OP_ST); /* GMem[r3 (pimcomp) / r2:r3] = LMem[r0], 4 bytes */
        st.rd = dialect ? 3 : 2;
        st.rs1 = 0;
        st.len = 4;
        tu_emit(&m, 0, st);
        tu_load(&m);
        tu_reg(&m, 0, 2, 0x10);  /* strict: high word 0x10 -> address 2^36 + r3: out of range */
        tu_reg(&m, 0, 3, 0x100);
        const uint8_t src[8] = {0xa1, 0xa2, 0xa3, 0xa4, 0x11, 0x22, 0x33, 0x44};
        tu_gmem(&m, 0x10, src, 8);
        const pim_status st_ = tu_run(&m);
        if (!dialect) {
            ck_assert_int_eq(st_, PIM_E_EXEC);
            ck_assert_int_eq(m.err.index, 0);
            ck_assert_str_eq(m.err.field, "rs1");
        } else {
            ck_assert_msg(st_ == PIM_OK, "%s", m.err.msg);
            ck_assert_mem_eq(pim_golden_lmem(m.g, 0), src, 4);
            ck_assert_uint_eq(pim_golden_reg(m.g, 0, 5), 0x44332211u);
            ck_assert_mem_eq(pim_golden_gmem(m.g) + 0x100, src, 4);
        }
        tu_end(&m);
    }
}
END_TEST

/* A seeded load fills GMem[0, gmem_input_end) and nothing above it. The bytes: splitmix64
 * from state seed ^ 0x676d656d ("gmem"), each output little-endian (worked in Python from
 * the definition: seed 5 gives b9 a6 fa 97 42 4e a3 03 | ef 97 0d 1e 38 e2 4c e3 | 69 06 b4 c3). */
START_TEST(test_seed_fill_region)
{
    static const uint8_t want[20] = {185, 166, 250, 151, 66, 78, 163, 3, 239, 151,
                                     13, 30, 56, 226, 76, 227, 105, 6, 180, 195};
    tu_machine m;
    pim_config cfg1 = tu_config(1);
    tu_begin(&m, &cfg1);
    m.prog->gmem_input_end = 20;
    pim_status st = pim_golden_new(&m.prog->cfg, &m.g, &m.err);
    ck_assert_int_eq(st, PIM_OK);
    st = pim_golden_load(m.g, m.prog, 5, 1, &m.err);
    ck_assert_int_eq(st, PIM_OK);
    ck_assert_mem_eq(pim_golden_gmem(m.g), want, 20);
    for (uint32_t a = 20; a < TU_GMEM; a++)
        ck_assert_msg(pim_golden_gmem(m.g)[a] == 0, "GMem[%u] is not 0", a);
    /* --input-bits 1: the same bytes, each keeping bit 0 only */
    m.prog->fill_input_bits = 1;
    st = pim_golden_load(m.g, m.prog, 5, 1, &m.err);
    ck_assert_int_eq(st, PIM_OK);
    for (int i = 0; i < 20; i++)
        ck_assert_uint_eq(pim_golden_gmem(m.g)[i], want[i] & 1u);
    tu_end(&m);
}
END_TEST

/* Seeded weights and --weight-bits: a 1x1 group filled from the seed, read back through
 * mvmul with x = [1]. The weight is the first splitmix64 output of state seed ^ 0x77, low
 * mbiw (8) bits sign-extended, or its low B bits with weight_bits B (worked in Python:
 * seed 2 -> 0xbe.. low byte -66, low 2 bits -2, low 3 bits -2; seed 4 -> 108, 0, -4). */
START_TEST(test_seed_weights)
{
    static const struct { uint64_t seed; uint8_t bits; int64_t w; } cases[] = {
        {2, 0, -66}, {2, 2, -2}, {2, 3, -2}, {4, 0, 108}, {4, 2, 0}, {4, 3, -4}, {4, 8, 108},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        tu_machine m;
        pim_config cfg1 = tu_config(1);
        tu_begin(&m, &cfg1);
        pim_group g = {0, 0, 8, 1, 1, NULL};
        ck_assert_int_eq(pim_program_add_group(m.prog, &g, &m.err), PIM_OK);
        m.prog->fill_weight_bits = cases[k].bits;
        tu_emit(&m, 0, i_mvmul(1, 2, 8, 0, 0));
        ck_assert_int_eq(pim_golden_new(&m.prog->cfg, &m.g, &m.err), PIM_OK);
        ck_assert_int_eq(pim_golden_load(m.g, m.prog, cases[k].seed, 0, &m.err), PIM_OK);
        tu_reg(&m, 0, 1, DST);
        tu_reg(&m, 0, 2, SRCA);
        const uint8_t one = 1;
        tu_lmem(&m, 0, SRCA, &one, 1);
        run_ok(&m);
        ck_assert_int_eq(tu_lmem_elem(&m, 0, DST, 1), cases[k].w);
        tu_end(&m);
    }
}
END_TEST

/* --cores: the kept cores run, transfers with the others are cut to nops, the others' groups
 * are dropped, indices stay. */
START_TEST(test_restrict)
{
    tu_machine m;
    pim_config cfg = tu_config(3);
    tu_begin(&m, &cfg);
    /* core 0: send 4 bytes to 1, then to 2; core 1: recv from 0, recv from 2; core 2: send
     * to 1, recv from 0 */
    tu_emit(&m, 0, i_send(1, 1, 4, 0));
    tu_emit(&m, 0, i_send(1, 2, 4, 0));
    pim_insn r = tu_i(PIM_OP_RECV);
    r.rd = 2;
    r.core = 0;
    r.len = 4;
    tu_emit(&m, 1, r);
    r.core = 2;
    r.offset = 8;
    tu_emit(&m, 1, r);
    tu_emit(&m, 2, i_send(1, 1, 4, 0));
    r.core = 0;
    r.offset = 0;
    tu_emit(&m, 2, r);
    static const int32_t w[4] = {1, 2, 3, 4};
    tu_group(&m, 1, 0, 4, 2, 2, w);
    tu_group(&m, 2, 0, 4, 2, 2, w);
    const uint8_t keep[3] = {1, 1, 0};
    uint64_t cut = 99;
    pim_program_restrict(m.prog, keep, &cut);
    ck_assert_uint_eq(cut, 2); /* core 0's send to 2, core 1's recv from 2 */
    ck_assert_uint_eq(m.prog->n_insns[0], 2);
    ck_assert_uint_eq(m.prog->n_insns[1], 2);
    ck_assert_uint_eq(m.prog->n_insns[2], 0);
    ck_assert_int_eq(m.prog->insns[0][0].op, PIM_OP_SEND);
    ck_assert_int_eq(m.prog->insns[0][1].op, PIM_OP_NOP);
    ck_assert_int_eq(m.prog->insns[1][0].op, PIM_OP_RECV);
    ck_assert_int_eq(m.prog->insns[1][1].op, PIM_OP_NOP);
    ck_assert_uint_eq(m.prog->n_groups, 1);
    ck_assert_uint_eq(m.prog->groups[0].core, 1);
    tu_load(&m);
    tu_reg(&m, 0, 1, 0x40);
    tu_reg(&m, 1, 2, 0x80);
    const uint8_t data[4] = {9, 8, 7, 6};
    tu_lmem(&m, 0, 0x40, data, 4);
    run_ok(&m);
    ck_assert_mem_eq(pim_golden_lmem(m.g, 1) + 0x80, data, 4);
    const uint8_t zero[4] = {0};
    ck_assert_mem_eq(pim_golden_lmem(m.g, 1) + 0x88, zero, 4); /* the cut recv wrote nothing */
    ck_assert_uint_eq(pim_golden_get_stats(m.g)->executed, 4);
    tu_end(&m);
}
END_TEST

static Suite *golden_suite(void)
{
    Suite *s = suite_create("golden");
    TCase *core = tcase_create("core");
    tcase_add_test(core, test_reset_state);
    tcase_add_test(core, test_scalar);
    tcase_add_test(core, test_sld);
    tcase_add_test(core, test_setbw);
    tcase_add_loop_test(core, test_vector_ops_8bit, 0, N_VCASES);
    tcase_add_test(core, test_vvdmul);
    tcase_add_loop_test(core, test_offset_select, 0,
                        (int)(sizeof offcases / sizeof offcases[0]));
    tcase_add_test(core, test_offset_scaling);
    tcase_add_test(core, test_in_place);
    tcase_add_test(core, test_vavg);
    tcase_add_test(core, test_vmv);
    tcase_add_test(core, test_vrsu_vrsl);
    tcase_add_test(core, test_mvmul);
    tcase_add_test(core, test_transfers);
    tcase_add_test(core, test_send_recv);
    tcase_add_test(core, test_barrier);
    tcase_add_test(core, test_step_wait);
    tcase_add_test(core, test_run_limit);
    tcase_add_test(core, test_observer);
    tcase_add_test(core, test_observer_cross_core);
    tcase_add_test(core, test_hash_bytes);
    tcase_add_test(core, test_pimcomp_addressing);
    tcase_add_test(core, test_seed_fill_region);
    tcase_add_test(core, test_seed_weights);
    tcase_add_test(core, test_restrict);
    suite_add_tcase(s, core);

    TCase *limits = tcase_create("limits");
    tcase_add_loop_test(limits, test_vector_widths, 0, N_WCASES);
    tcase_add_test(limits, test_activation_frac_bits);
    tcase_add_test(limits, test_mvmul_clip);
    tcase_add_test(limits, test_range_edges_ok);
    suite_add_tcase(s, limits);

    TCase *errors = tcase_create("errors");
    tcase_add_test(errors, test_deadlock);
    tcase_add_loop_test(errors, test_exec_errors, 0, N_ECASES);
    suite_add_tcase(s, errors);
    return s;
}

int main(void)
{
    return tu_run_suite(golden_suite());
}
