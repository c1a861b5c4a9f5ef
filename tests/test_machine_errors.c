/*
 * test_machine_errors.c - execution errors of the golden machine (golden/machine.c,
 * golden/vec.c): each case's status, core, instruction index and field, and the edges
 * (accesses that end exactly at the end of memory, zero-length ones) that are in range.
 *
 * Expected values are worked out by hand from ../shared/spec/profile.md and docs/isa.md
 * (section 8, "Choices the profile leaves to us"). Machines have 4 KiB of local and 64 KiB of
 * global memory (testutil.h).
 */
#include <stdint.h>
#include <string.h>
#include <check.h>

#include "pim_config.h"
#include "pim_golden.h"
#include "pim_isa.h"
#include "pim_program.h"
#include "testutil.h"

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
        tu_emit(m, 0, tu_sld(1, 2, 0));
    else
        tu_reg(m, 0, 3, TU_GMEM - 3);
}
static void e_lldi_range(tu_machine *m, int phase)
{
    if (phase == 0)
        tu_emit(m, 0, tu_lldi(1, 7, 8, 0));
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
/* vavg's last element at (len - 1) * stride: 2^31 * -2^33 bytes does not fit 64 bits (the
 * bounds are worked out in 128, under UBSan too) */
static void e_vavg_stride_overflow(tu_machine *m, int phase)
{
    if (phase == 0) {
        tu_emit(m, 0, tu_setbw(32, 32)); /* 4-byte elements: the stride is -2^33 bytes */
        tu_emit(m, 0, tu_vec(PIM_OP_VAVG, 1, 2, 3, 2147483649u, 0, 0));
    } else {
        tu_reg(m, 0, 3, 0x80000000u); /* stride -2^31 elements */
    }
}
static const int32_t w2x2[4] = {3, -2, -8, 7};
static void e_missing_group(tu_machine *m, int phase)
{
    if (phase == 0) {
        tu_group(m, 0, 0, 4, 2, 2, w2x2);
        tu_emit(m, 0, tu_mvmul(1, 2, 4, 3, 0));
    }
}
static void e_mbiw_mismatch(tu_machine *m, int phase)
{
    if (phase == 0) {
        tu_group(m, 0, 0, 8, 2, 2, w2x2);
        tu_emit(m, 0, tu_i(PIM_OP_NOP));
        tu_emit(m, 0, tu_mvmul(1, 2, 4, 0, 0));
    }
}
static void e_mvmul_input_range(tu_machine *m, int phase)
{
    if (phase == 0) {
        tu_group(m, 0, 0, 4, 2, 2, w2x2);
        tu_emit(m, 0, tu_mvmul(1, 2, 4, 0, 0));
    } else {
        tu_reg(m, 0, 2, TU_LMEM - 1); /* 2 input bytes from 4095 */
    }
}
static void e_mvmul_output_range(tu_machine *m, int phase)
{
    if (phase == 0) {
        tu_group(m, 0, 0, 4, 2, 2, w2x2);
        tu_emit(m, 0, tu_mvmul(1, 2, 4, 0, 0));
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
        tu_emit(m, 0, tu_send(1, 1, 4, 0));
        tu_emit(m, 1, tu_i(PIM_OP_NOP));
        tu_emit(m, 1, tu_recv(1, 0, 8, 0));
    }
}
static void e_recv_range(tu_machine *m, int phase)
{
    if (phase == 0) {
        tu_emit(m, 0, tu_send(1, 1, 4, 0));
        tu_emit(m, 1, tu_recv(1, 0, 4, 0));
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
    {"vavg bounds past 64 bits", 1, e_vavg_stride_overflow, PIM_E_EXEC, 0, 1, "rs1"},
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
    tu_run_ok(&m);
    tu_check_lmem(&m, 0, TU_LMEM - 4, g, 4);
    tu_check_lmem(&m, 0, 0x100, src, 4);
    tu_check_lmem(&m, 0, 0x200, src + 4, 4);
    /* min([9, -3], 5) = [5, -3] at 16 bits: 05 00 FD FF, twice */
    static const uint8_t r[10] = {0x05, 0x00, 0xFD, 0xFF, 0x09, 0xFD, 0x05, 0x00, 0xFD, 0xFF};
    tu_check_lmem(&m, 0, 0x2FC, r, 10);
    tu_end(&m);
}
END_TEST

static Suite *machine_errors_suite(void)
{
    Suite *s = suite_create("machine_errors");
    TCase *limits = tcase_create("limits");
    tcase_add_test(limits, test_range_edges_ok);
    suite_add_tcase(s, limits);

    TCase *errors = tcase_create("errors");
    tcase_add_loop_test(errors, test_exec_errors, 0, N_ECASES);
    suite_add_tcase(s, errors);
    return s;
}

int main(void)
{
    return tu_run_suite(machine_errors_suite());
}
