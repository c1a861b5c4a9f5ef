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

static pim_rtl *open_rtl(const pim_config *c, const char *fault)
{
    pim_rtl_opts o;
    memset(&o, 0, sizeof o);
    o.root = ".";
    o.seed = 1;
    o.fault = fault;
    o.build = 0;
    pim_rtl *r = NULL;
    pim_error err;
    pim_error_clear(&err);
    pim_status st = pim_rtl_open(c, &o, &r, &err);
    ck_assert_msg(st == PIM_OK, "cannot open the RTL models (run `make rtl-models test-models`): %s",
                  err.msg);
    return r;
}

/* ------------------------------------------------------------------ injected faults */

/* Runs a shipped vector in lockstep on models built with `fault`; returns the report. */
static pim_status run_faulty(const char *vector, const char *fault, pim_lockstep_report *rep)
{
    pim_program *p;
    pim_error err;
    ck_assert_int_eq(pim_load_vector_file(vector, &p, &err), PIM_OK);
    pim_rtl *r = open_rtl(&p->cfg, fault);
    pim_golden *ref;
    const pim_status st = pim_lockstep_run(p, r, 0, rep, &ref, &err);
    pim_golden_free(ref);
    pim_rtl_close(r);
    pim_program_free(p);
    return st;
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

static Suite *lockstep_suite(void)
{
    Suite *s = suite_create("lockstep");
    TCase *faults = tcase_create("faults");
    tcase_set_timeout(faults, 300);
    tcase_add_test(faults, fault_adc_clip_high);
    tcase_add_test(faults, fault_vvsra_round);
    tcase_add_test(faults, fault_not_reached);
    suite_add_tcase(s, faults);
    return s;
}

int main(void)
{
    return tu_run_suite(lockstep_suite());
}
