/*
 * test_lockstep.c - the lockstep runner (harness/cosim/lockstep.c) catching RTL faults
 * injected at build time (+define+PIM_FAULT_*), with the divergence reported field by field,
 * and passing the vectors a fault does not reach.
 *
 * The models are shared objects under build/rtl, built by `make rtl-models test-models`
 * before this test runs (the test itself never builds: a missing model fails the test).
 * Expected values are worked out by hand from ../shared/spec/profile.md.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pim_load.h"
#include "pim_lockstep.h"
#include "testutil.h"

static pim_rtl *open_rtl_stress(const pim_config *c, const char *fault, unsigned stress)
{
    pim_rtl_opts o;
    pim_rtl_opts_default(&o, ".");
    o.fault = fault;
    o.build = 0;
    o.stress = stress;
    pim_rtl *r = NULL;
    pim_error err;
    pim_error_clear(&err);
    pim_status st = pim_rtl_open(c, &o, &r, &err);
    ck_assert_msg(st == PIM_OK, "cannot open the RTL models (run `make rtl-models test-models`): %s",
                  err.msg);
    return r;
}

/* ------------------------------------------------------------------ injected faults */

/* Runs a shipped vector in lockstep on units r; the report, and the error's message into
 * msg (PIM_ERROR_MSG_MAX bytes) when not NULL. */
static pim_status run_on(pim_rtl *r, const char *vector, pim_lockstep_report *rep, char *msg)
{
    pim_program *p;
    pim_error err;
    ck_assert_int_eq(pim_load_vector_file(vector, &p, &err), PIM_OK);
    pim_golden *ref;
    pim_error_clear(&err);
    const pim_status st = pim_lockstep_run(p, r, 0, rep, &ref, &err);
    if (msg)
        snprintf(msg, PIM_ERROR_MSG_MAX, "%s", err.msg);
    pim_golden_free(ref);
    pim_program_free(p);
    return st;
}

/* Runs a shipped vector in lockstep on models built with `fault`, the driver at `stress`. */
static pim_status run_faulty_at(const char *vector, const char *fault, unsigned stress,
                                pim_lockstep_report *rep, char *msg)
{
    pim_program *p;
    pim_error err;
    ck_assert_int_eq(pim_load_vector_file(vector, &p, &err), PIM_OK);
    pim_rtl *r = open_rtl_stress(&p->cfg, fault, stress);
    pim_program_free(p);
    const pim_status st = run_on(r, vector, rep, msg);
    pim_rtl_close(r);
    return st;
}

static pim_status run_faulty(const char *vector, const char *fault, pim_lockstep_report *rep)
{
    return run_faulty_at(vector, fault, 0, rep, NULL);
}

/* An ADC that clips one code too high (2^a instead of 2^a - 1): the hand-worked 2x2 with a
 * 2-bit ADC reads each column-0 sum of 4 as 4, so P = 4 + 8 = 12 and y0 = 12 - 12 = 0 instead
 * of the profile's -3 (see tile_directed). */
START_TEST(fault_adc_clip_high)
{
    pim_lockstep_report rep;
    ck_assert_int_eq(run_faulty("vectors/matrix/matrix.mvmul.hand-2x2-clip.json",
                                "PIM_FAULT_ADC_CLIP_HIGH", &rep),
                     PIM_E_MISMATCH);
    ck_assert(rep.diverged);
    ck_assert_uint_eq(rep.div.core, 0);
    ck_assert_uint_eq(rep.div.index, 3);
    ck_assert_uint_eq(rep.div.op, PIM_OP_MVMUL);
    ck_assert_uint_eq(rep.div.unit, PIM_UNIT_TILE);
    ck_assert_uint_eq(rep.div.kind, PIM_DIV_VALUE);
    ck_assert_uint_eq(rep.div.space, PIM_SPACE_LMEM);
    ck_assert_uint_eq(rep.div.element, 0);
    ck_assert_uint_eq(rep.div.addr, 1024);
    ck_assert_int_eq(rep.div.expected, -3);
    ck_assert_int_eq(rep.div.actual, 0);
    ck_assert_uint_eq(rep.writes, 3); /* three sldi/setbw writes matched before it */
}
END_TEST

/* A vvsra that rounds toward zero: -5 >> 1 gives -2 instead of -3 (element 0). */
START_TEST(fault_vvsra_round)
{
    pim_lockstep_report rep;
    ck_assert_int_eq(run_faulty("vectors/vector/vector.vvsra.floor.json", "PIM_FAULT_VVSRA_ROUND",
                                &rep),
                     PIM_E_MISMATCH);
    ck_assert(rep.diverged);
    ck_assert_uint_eq(rep.div.index, 3);
    ck_assert_uint_eq(rep.div.op, PIM_OP_VVSRA);
    ck_assert_uint_eq(rep.div.unit, PIM_UNIT_VU);
    ck_assert_uint_eq(rep.div.kind, PIM_DIV_VALUE);
    ck_assert_uint_eq(rep.div.element, 0);
    ck_assert_uint_eq(rep.div.addr, 0);
    ck_assert_int_eq(rep.div.expected, -3);
    ck_assert_int_eq(rep.div.actual, -2);
}
END_TEST

/* The faulty models pass vectors that do not reach the fault: the harness is not simply
 * failing everything. */
START_TEST(fault_not_reached)
{
    pim_lockstep_report rep;
    ck_assert_int_eq(run_faulty("vectors/vector/vector.vvadd.sat-high.json",
                                "PIM_FAULT_VVSRA_ROUND", &rep),
                     PIM_OK);
    ck_assert(!rep.diverged);
    ck_assert_uint_gt(rep.writes, 0);
}
END_TEST

/* A tile that counts a sum of exactly 2^a - 1 as clipped. In the hand-worked 2x2 (see
 * test_rtl.c tile_directed) column 0's two sums of 4 clip to 3 and column 1's two sums are 3:
 * the profile's count is 2, the fault's 4, and the values are the profile's, so only the
 * clip count shows it. */
START_TEST(fault_clips_eq)
{
    pim_lockstep_report rep;
    char msg[PIM_ERROR_MSG_MAX];
    ck_assert_int_eq(run_faulty_at("vectors/matrix/matrix.mvmul.hand-2x2-clip.json",
                                   "PIM_FAULT_TILE_CLIPS_EQ", 0, &rep, msg),
                     PIM_E_MISMATCH);
    ck_assert(rep.diverged);
    ck_assert_uint_eq(rep.div.kind, PIM_DIV_CLIPS);
    ck_assert_uint_eq(rep.div.index, 3);
    ck_assert_uint_eq(rep.div.op, PIM_OP_MVMUL);
    ck_assert_uint_eq(rep.div.unit, PIM_UNIT_TILE);
    ck_assert_int_eq(rep.div.expected, 2);
    ck_assert_int_eq(rep.div.actual, 4);
    ck_assert_uint_eq(rep.writes, 4); /* the mvmul's values matched */
    ck_assert_ptr_nonnull(strstr(msg, "ADC clips (out_clips_o): expected 2, got 4"));
}
END_TEST

/* A vector unit whose out_count_o says one lane too many: vvadd of 3 elements (one beat of
 * 32 lanes) must say 3. */
START_TEST(fault_count)
{
    pim_lockstep_report rep;
    char msg[PIM_ERROR_MSG_MAX];
    ck_assert_int_eq(run_faulty_at("vectors/matrix/matrix.setbw.reset-widths.json",
                                   "PIM_FAULT_VU_COUNT", 0, &rep, msg),
                     PIM_E_MISMATCH);
    ck_assert_uint_eq(rep.div.kind, PIM_DIV_COUNT);
    ck_assert_uint_eq(rep.div.index, 3);
    ck_assert_uint_eq(rep.div.op, PIM_OP_VVADD);
    ck_assert_uint_eq(rep.div.unit, PIM_UNIT_VU);
    ck_assert_uint_eq(rep.div.element, 0);
    ck_assert_int_eq(rep.div.expected, 3);
    ck_assert_int_eq(rep.div.actual, 4);
    ck_assert_ptr_nonnull(strstr(msg, "output beat 0 out_count_o: expected 3, got 4"));
}
END_TEST

/* A tile whose out_y_o is not sign-extended above obiw: column 0 of the hand-worked 2x2 is
 * -3 at obiw 8, driven as 0x000000fd = 253. The byte written is the same (0xfd), so only the
 * check of the output's stated form sees it. */
START_TEST(fault_out_sext)
{
    pim_lockstep_report rep;
    char msg[PIM_ERROR_MSG_MAX];
    ck_assert_int_eq(run_faulty_at("vectors/matrix/matrix.mvmul.hand-2x2-clip.json",
                                   "PIM_FAULT_TILE_OUT_SEXT", 0, &rep, msg),
                     PIM_E_MISMATCH);
    ck_assert_uint_eq(rep.div.kind, PIM_DIV_PROTOCOL);
    ck_assert_uint_eq(rep.div.index, 3);
    ck_assert_ptr_nonnull(strstr(msg, "out_y_o column 0 is 253, not a 8-bit value"));
}
END_TEST

/* Faults that only a driver using its contract's freedom shows: each passes without stress
 * and fails at stress 1 (seeded: the same cycles every run) on the same instruction, with
 * the kind of report its broken promise gives. Expected values are the vectors' own
 * (derived from the profile by tests/pyref). */
typedef struct stress_case {
    const char *vector, *fault;
    uint64_t index;
    unsigned op, kind;
    int64_t expected;  /* PIM_DIV_VALUE: the golden value of the element */
    const char *words; /* PIM_DIV_PROTOCOL: in the message */
} stress_case;

static const stress_case k_stress[] = {
    /* out_ready_i stalls */
    {"vectors/matrix/matrix.mvmul.saturate-obiw4.json", "PIM_FAULT_TILE_OUT_DROP", 3,
     PIM_OP_MVMUL, PIM_DIV_PROTOCOL, 0, "out_valid_o dropped before out_ready_i"},
    {"vectors/matrix/matrix.setbw.byte-widths.json", "PIM_FAULT_VU_READY", 7, PIM_OP_VRSL,
     PIM_DIV_PROTOCOL, 0, "in_ready_o high while a result waits"},
    /* programming offered with an input */
    {"vectors/matrix/matrix.mvmul.allmax-ideal.json", "PIM_FAULT_TILE_IN_DURING_PROG", 3,
     PIM_OP_MVMUL, PIM_DIV_PROTOCOL, 0, "in_ready_o high while programming is offered"},
    /* random bits above an element's width */
    {"vectors/matrix/matrix.mvmul.allmax-ideal.json", "PIM_FAULT_TILE_XMASK", 3, PIM_OP_MVMUL,
     PIM_DIV_VALUE, 7688, NULL},
    {"vectors/matrix/matrix.setbw.reset-widths.json", "PIM_FAULT_VU_SEXT", 3, PIM_OP_VVADD,
     PIM_DIV_VALUE, 127, NULL},
    /* random lanes beyond the count: lane 3 of a 3-element vvadd must stay 0 */
    {"vectors/matrix/matrix.setbw.reset-widths.json", "PIM_FAULT_VU_LANE_VALID", 3,
     PIM_OP_VVADD, PIM_DIV_PROTOCOL, 0, "out_y_o lane 3 at or beyond out_count_o 3"},
    /* random data while valid is low */
    {"vectors/matrix/matrix.mvmul.allmax-ideal.json", "PIM_FAULT_TILE_LIVE_IN", 3, PIM_OP_MVMUL,
     PIM_DIV_VALUE, 7688, NULL},
    /* random gaps before valid */
    {"vectors/vector/vector.vvdmul.len-2047.json", "PIM_FAULT_VU_GAP", 4, PIM_OP_VVDMUL,
     PIM_DIV_VALUE, -297498, NULL},
};
#define NSTRESS (int)(sizeof k_stress / sizeof k_stress[0])

START_TEST(fault_needs_stress)
{
    const stress_case *k = &k_stress[_i];
    pim_lockstep_report rep;
    char msg[PIM_ERROR_MSG_MAX];
    ck_assert_int_eq(run_faulty_at(k->vector, k->fault, 0, &rep, msg), PIM_OK);
    ck_assert_int_eq(run_faulty_at(k->vector, k->fault, 1, &rep, msg), PIM_E_MISMATCH);
    ck_assert(rep.diverged);
    ck_assert_uint_eq(rep.div.index, k->index);
    ck_assert_uint_eq(rep.div.op, k->op);
    ck_assert_uint_eq(rep.div.kind, k->kind);
    if (k->kind == PIM_DIV_VALUE) {
        ck_assert_int_eq(rep.div.expected, k->expected);
        ck_assert_int_ne(rep.div.actual, k->expected);
    } else {
        ck_assert_msg(strstr(msg, k->words) != NULL, "%s: '%s' lacks '%s'", k->fault, msg,
                      k->words);
    }
}
END_TEST

/* A tile that keeps the programming bus's rows beyond the group in its weight planes (the
 * rows a resident group does not have must read as zero cells): the 4x3 group of
 * widths-3-10-17-32 on the 128-row tile gets the offset bit of every empty row, and column 0
 * comes out wrong. */
START_TEST(fault_row_mask)
{
    pim_lockstep_report rep;
    ck_assert_int_eq(run_faulty("vectors/matrix/matrix.mvmul.widths-3-10-17-32.json",
                                "PIM_FAULT_TILE_ROW_MASK", &rep),
                     PIM_E_MISMATCH);
    ck_assert(rep.diverged);
    ck_assert_uint_eq(rep.div.index, 4);
    ck_assert_uint_eq(rep.div.op, PIM_OP_MVMUL);
    ck_assert_uint_eq(rep.div.unit, PIM_UNIT_TILE);
    ck_assert_uint_eq(rep.div.kind, PIM_DIV_VALUE);
    ck_assert_uint_eq(rep.div.element, 0);
    ck_assert_int_eq(rep.div.expected, 6);
    ck_assert_int_ne(rep.div.actual, 6);
}
END_TEST

/* A vector unit whose accumulator only a reset restarts: vvdmul.sat-obiw16's second dot
 * product comes out wrong; a vector with a single dot product passes, even right after it
 * on the same units (each run starts from a reset design: nothing leaks), and the failing
 * vector gives the same report, cycle included, after other vectors as on its own. */
START_TEST(fault_state_reset)
{
    const char *two = "vectors/vector/vector.vvdmul.sat-obiw16.json";
    const char *one = "vectors/vector/vector.vvdmul.len-2047.json";
    pim_program *p;
    pim_error err;
    ck_assert_int_eq(pim_load_vector_file(two, &p, &err), PIM_OK);
    pim_rtl *r = open_rtl_stress(&p->cfg, "PIM_FAULT_VU_ACC_KEEP", 0);
    pim_program_free(p);
    pim_lockstep_report first, rep;
    ck_assert_int_eq(run_on(r, two, &first, NULL), PIM_E_MISMATCH);
    ck_assert_uint_eq(first.div.index, 7);
    ck_assert_uint_eq(first.div.op, PIM_OP_VVDMUL);
    ck_assert_int_eq(first.div.expected, -32768);
    ck_assert_int_ne(first.div.actual, -32768);
    ck_assert_int_eq(run_on(r, one, &rep, NULL), PIM_OK);
    ck_assert_int_eq(run_on(r, one, &rep, NULL), PIM_OK);
    ck_assert_int_eq(run_on(r, two, &rep, NULL), PIM_E_MISMATCH);
    ck_assert_uint_eq(rep.div.index, first.div.index);
    ck_assert_int_eq(rep.div.actual, first.div.actual);
    ck_assert_uint_eq(rep.div.cycle, first.div.cycle);
    ck_assert_uint_eq(rep.div.vu_cycle, first.div.vu_cycle);
    pim_rtl_close(r);
}
END_TEST

static Suite *lockstep_suite(void)
{
    Suite *s = suite_create("lockstep");
    TCase *faults = tcase_create("faults");
    tcase_set_timeout(faults, 300);
    tcase_add_test(faults, fault_adc_clip_high);
    tcase_add_test(faults, fault_vvsra_round);
    tcase_add_test(faults, fault_not_reached);
    tcase_add_test(faults, fault_clips_eq);
    tcase_add_test(faults, fault_count);
    tcase_add_test(faults, fault_out_sext);
    tcase_add_test(faults, fault_row_mask);
    tcase_add_loop_test(faults, fault_needs_stress, 0, NSTRESS);
    tcase_add_test(faults, fault_state_reset);
    suite_add_tcase(s, faults);
    return s;
}

int main(void)
{
    return tu_run_suite(lockstep_suite());
}
