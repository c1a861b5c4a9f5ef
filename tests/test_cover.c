/*
 * test_cover.c - functional coverage (harness/tools/pim_cover.h) on shipped vectors, with counts
 * worked out by reading the vectors (tests run from the repository root).
 */
#include <stdint.h>
#include <string.h>
#include <check.h>

#include "pim_cover.h"
#include "pim_isa.h"
#include "testutil.h"

#define VEC "vectors/"

/* A fresh accumulator with the vectors added (each must load). */
static pim_cover *cover_of(const char *const *paths, size_t n)
{
    pim_cover *cv = pim_cover_new();
    ck_assert_ptr_nonnull(cv);
    for (size_t i = 0; i < n; i++) {
        pim_error err;
        pim_error_clear(&err);
        ck_assert_msg(pim_cover_add_file(cv, paths[i], &err) == PIM_OK, "%s: %s", paths[i],
                      err.msg);
    }
    return cv;
}

/* Every saturation class of every op. */
static uint64_t all_sat(const pim_cover *cv)
{
    uint64_t n = 0;
    for (size_t i = 0; i < pim_cover_class_total(); i++)
        if (strncmp(pim_cover_class_name(i), "sat_", 4) == 0)
            n += pim_cover_count(cv, pim_cover_class_name(i));
    return n;
}

/* 100+100 and 127+1 exceed +127 (ibiw 8); 64+63 = 127 does not: two elements. */
START_TEST(vvadd_sat_high)
{
    const char *v[] = {VEC "vector/vector.vvadd.sat-high.json"};
    pim_cover *cv = cover_of(v, 1);
    ck_assert_uint_eq(pim_cover_vectors(cv), 1);
    ck_assert_uint_eq(pim_cover_count(cv, "sat_high.vvadd"), 2);
    ck_assert_uint_eq(pim_cover_count(cv, "sat_low.vvadd"), 0);
    ck_assert_uint_eq(all_sat(cv), 2);
    ck_assert_uint_eq(pim_cover_op_executed(cv, PIM_OP_SLDI), 3);
    ck_assert_uint_eq(pim_cover_op_executed(cv, PIM_OP_VVADD), 1);
    ck_assert_uint_eq(pim_cover_op_vectors(cv, PIM_OP_VVADD), 1);
    ck_assert_uint_eq(pim_cover_count(cv, "ibiw.8"), 1);
    ck_assert_uint_eq(pim_cover_count(cv, "ibyw.1"), 1);
    ck_assert_uint_eq(pim_cover_count(cv, "obiw.8"), 0); /* vvadd's result width is ibiw */
    ck_assert_uint_eq(pim_cover_count(cv, "adc.clip_hit"), 0);
    pim_cover_free(cv);
}
END_TEST

/* The 2x2 of docs/vectors.md with a 2-bit ADC: ibiw 2 and d = 1 make two DAC steps; both
 * see u = [1, 1], so column 0's sum 3 + 1 = 4 exceeds the ADC's 3 in each step (2 clipped
 * sums, 1 mvmul) and column 1's 0 + 3 = 3 does not. y = [-3, -1] fits obiw 8. */
START_TEST(mvmul_clip)
{
    const char *v[] = {VEC "matrix/matrix.mvmul.hand-2x2-clip.json"};
    pim_cover *cv = cover_of(v, 1);
    ck_assert_uint_eq(pim_cover_count(cv, "adc.clip_hit"), 1);
    ck_assert_uint_eq(pim_cover_count(cv, "adc.clip_sums"), 2);
    ck_assert_uint_eq(pim_cover_count(cv, "adc.clip_off"), 0);
    ck_assert_uint_eq(pim_cover_count(cv, "relu.off"), 1);
    ck_assert_uint_eq(pim_cover_count(cv, "relu.on"), 0);
    ck_assert_uint_eq(pim_cover_count(cv, "ibiw.2-7"), 1);
    ck_assert_uint_eq(pim_cover_count(cv, "obiw.8"), 1);
    ck_assert_uint_eq(all_sat(cv), 0);
    ck_assert_uint_eq(pim_cover_op_executed(cv, PIM_OP_MVMUL), 1);
    ck_assert_uint_eq(pim_cover_op_executed(cv, PIM_OP_SETBW), 1);
    pim_cover_free(cv);
}
END_TEST

/* The same matrix on an ideal ADC: nothing clips, and the mvmul counts as adc_clip false. */
START_TEST(mvmul_ideal)
{
    const char *v[] = {VEC "matrix/matrix.mvmul.hand-2x2-ideal.json"};
    pim_cover *cv = cover_of(v, 1);
    ck_assert_uint_eq(pim_cover_count(cv, "adc.clip_hit"), 0);
    ck_assert_uint_eq(pim_cover_count(cv, "adc.clip_sums"), 0);
    ck_assert_uint_eq(pim_cover_count(cv, "adc.clip_off"), 1);
    ck_assert_uint_eq(all_sat(cv), 0);
    pim_cover_free(cv);
}
END_TEST

/* 1-6, -2+7, 30-30, -40-3, 0+0: all inside 8 bits, no class but the width. */
START_TEST(no_saturation)
{
    const char *v[] = {VEC "vector/vector.vvadd.typical.json"};
    pim_cover *cv = cover_of(v, 1);
    ck_assert_uint_eq(all_sat(cv), 0);
    ck_assert_uint_eq(pim_cover_op_executed(cv, PIM_OP_VVADD), 1);
    ck_assert_uint_eq(pim_cover_count(cv, "len.0.vector"), 0);
    ck_assert_uint_eq(pim_cover_count(cv, "offset_select.rd.vector"), 0);
    pim_cover_free(cv);
}
END_TEST

/* Core 0 waits first (blocks), cores 1 and 2 sync it and block on their own waits; every
 * wait is then released by a sync: 3 barriers, 3 sync-waits, 4 syncs, no send/recv. The
 * ld with offset_select 2 (rs1) on core 0 and the two with 1 (rd) on cores 1 and 2. */
START_TEST(barrier)
{
    const char *v[] = {VEC "multicore/multicore.barrier-3.json"};
    pim_cover *cv = cover_of(v, 1);
    ck_assert_uint_eq(pim_cover_count(cv, "multicore.barrier"), 3);
    ck_assert_uint_eq(pim_cover_count(cv, "multicore.sync_wait"), 3);
    ck_assert_uint_eq(pim_cover_count(cv, "multicore.send_recv"), 0);
    ck_assert_uint_eq(pim_cover_count(cv, "multicore.deadlock"), 0);
    ck_assert_uint_eq(pim_cover_op_executed(cv, PIM_OP_SYNC), 4);
    ck_assert_uint_eq(pim_cover_op_executed(cv, PIM_OP_WAIT), 3);
    ck_assert_uint_eq(pim_cover_count(cv, "offset_select.rs1.transfer"), 1);
    ck_assert_uint_eq(pim_cover_count(cv, "offset_select.rd.transfer"), 2);
    pim_cover_free(cv);
}
END_TEST

/* A refused program counts for its op; an execution error by kind, not as executed. */
START_TEST(errors)
{
    const char *v[] = {VEC "errors/errors.input.len-3000.json",
                       VEC "errors/errors.exec.vavg-len-0.json"};
    pim_cover *cv = cover_of(v, 2);
    ck_assert_uint_eq(pim_cover_vectors(cv), 2);
    ck_assert_uint_eq(pim_cover_refused(cv), 1);
    ck_assert_uint_eq(pim_cover_count(cv, "error.input"), 1);
    ck_assert_uint_eq(pim_cover_op_refused(cv, PIM_OP_VVADD), 1);
    ck_assert_uint_eq(pim_cover_op_executed(cv, PIM_OP_VVADD), 0);
    ck_assert_uint_eq(pim_cover_count(cv, "error.len"), 1);
    ck_assert_uint_eq(pim_cover_op_errors(cv, PIM_OP_VAVG), 1);
    ck_assert_uint_eq(pim_cover_op_executed(cv, PIM_OP_VAVG), 0);
    ck_assert_uint_eq(pim_cover_op_executed(cv, PIM_OP_SLDI), 1);
    pim_cover_free(cv);
}
END_TEST

/* Gaps: every op but the ones run, every required class not hit; unknown names. */
START_TEST(gaps)
{
    const char *v[] = {VEC "vector/vector.vvadd.sat-high.json"};
    pim_cover *cv = cover_of(v, 1);
    const char *names[256];
    const size_t n = pim_cover_gaps(cv, names, 256);
    size_t required = 0;
    for (size_t i = 0; i < pim_cover_class_total(); i++)
        required += pim_cover_class_required(i) && pim_cover_count(cv, pim_cover_class_name(i)) == 0;
    ck_assert_uint_eq(n, (PIM_OP_COUNT - 2) + required); /* sldi and vvadd ran */
    ck_assert_str_eq(names[0], "nop");
    for (size_t i = 0; i < n; i++)
        ck_assert_str_ne(names[i], "sat_high.vvadd");
    ck_assert_uint_eq(pim_cover_count(cv, "no.such.class"), UINT64_MAX);
    pim_error err;
    pim_error_clear(&err);
    ck_assert_int_eq(pim_cover_add_file(cv, "tests/data/bad_malformed.json", &err), PIM_E_INPUT);
    ck_assert_uint_eq(pim_cover_vectors(cv), 1); /* nothing added */
    pim_cover_free(cv);
}
END_TEST

static Suite *cover_suite(void)
{
    Suite *s = suite_create("cover");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, vvadd_sat_high);
    tcase_add_test(tc, mvmul_clip);
    tcase_add_test(tc, mvmul_ideal);
    tcase_add_test(tc, no_saturation);
    tcase_add_test(tc, barrier);
    suite_add_tcase(s, tc);
    TCase *te = tcase_create("errors");
    tcase_add_test(te, errors);
    tcase_add_test(te, gaps);
    suite_add_tcase(s, te);
    return s;
}

int main(void) { return tu_run_suite(cover_suite()); }
