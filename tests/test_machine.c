/*
 * test_machine.c - the golden machine (golden/machine.c, include/pim_golden.h), instruction
 * by instruction: the reset state, scalar ops, sld, setbw, mvmul, transfers and the
 * multi-core rules (send/recv, barriers, stepping, run limits, deadlock).
 *
 * Expected values are worked out by hand from ../shared/spec/profile.md and docs/isa.md
 * (section 8, "Choices the profile leaves to us"). Register conventions: r1 = destination
 * (TU_DST), r2 = first source (TU_SRCA), r3 = second source (TU_SRCB). Machines have 4 KiB of
 * local and 64 KiB of global memory (testutil.h).
 */
#include <stdint.h>
#include <string.h>
#include <check.h>

#include "pim_config.h"
#include "pim_golden.h"
#include "pim_isa.h"
#include "pim_program.h"
#include "testutil.h"

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
    tu_run_ok(&m); /* no instructions: done at once */
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
    tu_run_ok(&m);
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
    tu_emit(&m, 0, tu_sld(5, 2, 4));   /* 0x104: EF BE AD DE -> 0xDEADBEEF */
    tu_emit(&m, 0, tu_sld(6, 2, 0));   /* 0x100: 78 56 34 12 -> 0x12345678 */
    tu_emit(&m, 0, tu_sld(10, 8, -8)); /* 0x108 - 8 = 0x100 */
    tu_emit(&m, 0, tu_sld(11, 8, -6)); /* 0x102: 34 12 EF BE -> 0xBEEF1234 */
    tu_emit(&m, 0, tu_sld(2, 2, 0));   /* rd in the pair: r2 = 0x12345678 */
    tu_load(&m);
    static const uint8_t g[8] = {0x78, 0x56, 0x34, 0x12, 0xEF, 0xBE, 0xAD, 0xDE};
    tu_gmem(&m, 0x100, g, sizeof g);
    tu_reg(&m, 0, 2, 0);
    tu_reg(&m, 0, 3, 0x100);
    tu_reg(&m, 0, 8, 0);
    tu_reg(&m, 0, 9, 0x108);
    tu_run_ok(&m);
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
    tu_reg(&m, 0, 1, TU_DST);
    tu_reg(&m, 0, 2, TU_SRCA);
    tu_reg(&m, 0, 3, TU_SRCB);
    const int64_t a[2] = {1000, -30000}, b[2] = {234, -5000};
    tu_lmem_elems(&m, 0, TU_SRCA, 2, a, 2);
    tu_lmem_elems(&m, 0, TU_SRCB, 2, b, 2);
    pim_step_result r;
    ck_assert_int_eq(pim_golden_step(m.g, 0, &r, &m.err), PIM_OK);
    ck_assert_int_eq(r, PIM_STEP_EXECUTED);
    ck_assert_uint_eq(pim_golden_ibiw(m.g, 0), 16);
    ck_assert_uint_eq(pim_golden_obiw(m.g, 0), 4);
    tu_run_ok(&m);
    /* 1234 and -35000 -> saturated to 16 bits: -32768 */
    static const uint8_t want[4] = {0xD2, 0x04, 0x00, 0x80};
    tu_check_lmem(&m, 0, TU_DST, want, 4);
    ck_assert_uint_eq(pim_golden_ibiw(m.g, 0), 1);
    ck_assert_uint_eq(pim_golden_obiw(m.g, 0), 32);
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
    tu_emit(&m, 0, tu_mvmul(1, 2, 4, 0, 0));  /* 0x300: [39, -31] = 27 E1 */
    tu_emit(&m, 0, tu_mvmul(3, 2, 4, 9, 1));  /* 0x310: relu [39, 0] */
    tu_emit(&m, 0, tu_setbw(4, 16));
    tu_emit(&m, 0, tu_mvmul(4, 5, 4, 0, 0));  /* 0x320: 4-bit inputs F5 0D -> [5, -3]; 16-bit out */
    tu_emit(&m, 0, tu_setbw(8, 16));
    tu_emit(&m, 0, tu_mvmul(2, 2, 4, 0, 0));  /* in place at 0x100: 27 00 E1 FF */
    tu_load(&m);
    tu_reg(&m, 0, 1, 0x300);
    tu_reg(&m, 0, 2, 0x100);
    tu_reg(&m, 0, 3, 0x310);
    tu_reg(&m, 0, 4, 0x320);
    tu_reg(&m, 0, 5, 0x110);
    static const uint8_t x[2] = {0x05, 0xFD}, x4[2] = {0xF5, 0x0D};
    tu_lmem(&m, 0, 0x100, x, 2);
    tu_lmem(&m, 0, 0x110, x4, 2);
    tu_fill_bytes(&m, 0, 0x300, 0x5A, 0x30);
    tu_run_ok(&m);
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
    tu_emit(&m, 0, tu_mvmul(1, 2, 4, 0, 0));
    tu_load(&m);
    tu_reg(&m, 0, 1, 0x300);
    tu_reg(&m, 0, 2, 0x100);
    static const uint8_t x[2] = {0x05, 0x0D};
    tu_lmem(&m, 0, 0x100, x, 2);
    tu_run_ok(&m);
    static const int64_t y[2] = {39, -61};
    tu_expect_elems(&m, 0, 0x300, 1, y, 2);
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
    tu_emit(&m, 0, tu_lldi(5, 0xAB, 5, 2));              /* L[0x62..0x66] = AB */
    tu_emit(&m, 0, tu_lldi(5, 0xFF, 1, 0));              /* L[0x60] = FF */
    tu_emit(&m, 0, tu_xfer(PIM_OP_LMV, 9, 1, 4, 3, 1)); /* L[0x81..0x84] = L[0x41..0x44] = 2..5 */
    tu_emit(&m, 0, tu_xfer(PIM_OP_LMV, 9, 9, 0, 0, 0)); /* size 0, same address: nothing */
    tu_emit(&m, 0, tu_xfer(PIM_OP_LMV, 8, 1, 4, 0, 0)); /* adjacent: L[0x44..0x47] = 1..4 */
    tu_load(&m);
    static const uint8_t g[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    tu_gmem(&m, 0x1000, g, 8);
    static const uint32_t regs[10] = {0, 0x40, 0, 0x1000, 0x50, 0x60, 0, 0x2000, 0x44, 0x80};
    for (uint32_t r = 1; r < 10; r++)
        tu_reg(&m, 0, r, regs[r]);
    tu_run_ok(&m);
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
    tu_emit(&m, 0, tu_send(1, 1, 4, 2));
    tu_emit(&m, 0, tu_recv(2, 1, 2, 0));
    tu_emit(&m, 1, tu_i(PIM_OP_NOP));
    tu_emit(&m, 1, tu_recv(1, 0, 4, 1));
    tu_emit(&m, 1, tu_send(1, 0, 2, 2)); /* L1[0x22..0x23] = 3, 4 */
    tu_load(&m);
    static const uint8_t d[8] = {0, 1, 2, 3, 4, 5, 6, 7};
    tu_lmem(&m, 0, 0x10, d, 8);
    tu_reg(&m, 0, 1, 0x10);
    tu_reg(&m, 0, 2, 0x30);
    tu_reg(&m, 1, 1, 0x20);
    tu_run_ok(&m);
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
        tu_emit(&m, c, tu_lldi(1, (uint8_t)(c + 1), 1, 0));   /* L[0] = c+1 */
        tu_emit(&m, c, tu_xfer(PIM_OP_ST, 2, 1, 1, 0, 0));   /* G[r2:r3] = L[0] */
        for (uint32_t k = 0; k < 3; k++)
            tu_emit(&m, c, tu_sync(0, k));
        tu_emit(&m, c, tu_wait(0, 3));
        tu_emit(&m, c, tu_xfer(PIM_OP_LD, 4, 6, 3, 0, 0));   /* L[0x10..] = G[0x100..0x102] */
    }
    tu_load(&m);
    for (uint32_t c = 0; c < 3; c++) {
        tu_reg(&m, c, 1, 0);
        tu_reg(&m, c, 3, 0x100 + c);
        tu_reg(&m, c, 4, 0x10);
        tu_reg(&m, c, 7, 0x100);
    }
    tu_run_ok(&m);
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
    tu_emit(&m, 0, tu_wait(5, 1023));
    tu_emit(&m, 0, tu_sync(6, 0));
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
    tu_run_ok(&m);
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
    tu_emit(&m, 0, tu_wait(0, 1));
    tu_emit(&m, 1, tu_recv(1, 0, 4, 0));
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

static Suite *machine_suite(void)
{
    Suite *s = suite_create("machine");
    TCase *core = tcase_create("core");
    tcase_add_test(core, test_reset_state);
    tcase_add_test(core, test_scalar);
    tcase_add_test(core, test_sld);
    tcase_add_test(core, test_setbw);
    tcase_add_test(core, test_mvmul);
    tcase_add_test(core, test_transfers);
    tcase_add_test(core, test_send_recv);
    tcase_add_test(core, test_barrier);
    tcase_add_test(core, test_step_wait);
    tcase_add_test(core, test_run_limit);
    suite_add_tcase(s, core);

    TCase *limits = tcase_create("limits");
    tcase_add_test(limits, test_mvmul_clip);
    suite_add_tcase(s, limits);

    TCase *errors = tcase_create("errors");
    tcase_add_test(errors, test_deadlock);
    suite_add_tcase(s, errors);
    return s;
}

int main(void)
{
    return tu_run_suite(machine_suite());
}
