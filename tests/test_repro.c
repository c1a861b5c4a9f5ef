/*
 * test_repro.c - reading a failure bundle back (harness/load/repro.c): what a bundle written
 * by `pimcosim run` holds, and each kind of bad member refused with its field named.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pim_load.h"
#include "testutil.h"

static const char *const k_good =
    "{\"tool\": \"pimcosim\", \"kind\": \"repro\", \"vector\": \"vectors/matrix/x.json\",\n"
    " \"id\": \"matrix.x\", \"mode\": \"lockstep\", \"verilator_seed\": 7, \"stress\": 2,\n"
    " \"stress_seed\": 9, \"fixed_knobs\": true, \"fault\": \"PIM_FAULT_ADC_CLIP_HIGH\",\n"
    " \"divergence\": {\"core\": 1, \"index\": 3, \"op\": \"mvmul\", \"element\": 2,\n"
    "                \"expected\": -3, \"actual\": 5, \"cycle\": 9}}\n";

/* Loads text as repro.json: the status, *r, and the error's field. */
static pim_status load(const char *text, pim_repro_in *r, pim_error *e)
{
    tu_tmp_file t;
    tu_tmp_stream(&t, text);
    pim_error_clear(e);
    const pim_status st = pim_repro_read(t.path, r, e);
    tu_tmp_done(&t);
    return st;
}

START_TEST(reads_a_bundle)
{
    pim_repro_in r;
    pim_error e;
    ck_assert_int_eq(load(k_good, &r, &e), PIM_OK);
    ck_assert_str_eq(r.vector, "vectors/matrix/x.json");
    ck_assert_uint_eq(r.seed, 7);
    ck_assert_uint_eq(r.stress, 2);
    ck_assert_uint_eq(r.stress_seed, 9);
    ck_assert_int_eq(r.fixed_knobs, 1);
    ck_assert_int_eq(r.golden_only, 0);
    ck_assert_str_eq(r.fault, "PIM_FAULT_ADC_CLIP_HIGH");
    ck_assert_int_eq(r.div_core, 1);
    ck_assert_int_eq(r.div_index, 3);
    ck_assert_int_eq(r.div_element, 2);
    ck_assert_int_eq(r.div_expected, -3);
    ck_assert_int_eq(r.div_actual, 5);
    ck_assert_str_eq(r.div_op, "mvmul");
}
END_TEST

/* One member spoiled at a time: (what replaces what, the field named). */
static const struct {
    const char *from, *to, *field;
} k_bad[] = {
    {"\"stress\": 2", "\"stress\": 7", "stress"},
    {"\"stress\": 2", "\"stress\": \"2\"", "stress"},
    {"\"verilator_seed\": 7", "\"verilator_seed\": -1", "verilator_seed"},
    {"\"verilator_seed\": 7", "\"verilator_seed\": 7.5", "verilator_seed"},
    {"\"fault\": \"PIM_FAULT_ADC_CLIP_HIGH\"", "\"fault\": \"rm -rf\"", "fault"},
    {"\"mode\": \"lockstep\"", "\"mode\": \"fast\"", "mode"},
    {"\"fixed_knobs\": true", "\"fixed_knobs\": 1", "fixed_knobs"},
    {"\"vector\": \"vectors/matrix/x.json\"", "\"vector\": \"\"", "vector"},
    {"\"kind\": \"repro\"", "\"kind\": \"other\"", "kind"},
    {"\"tool\"", "\"tol\"", "tol"},
    {"\"op\": \"mvmul\"", "\"op\": \"mvmulx\"", "divergence.op"},
    {"\"element\": 2", "\"element\": \"two\"", "divergence.element"},
    {"\"stress_seed\": 9", "\"stress_seed\": 9, \"stress\": 1", "stress"}, /* twice */
};

START_TEST(refuses_each_bad_member)
{
    const char *at = strstr(k_good, k_bad[_i].from);
    ck_assert_ptr_nonnull(at);
    char text[2048];
    snprintf(text, sizeof text, "%.*s%s%s", (int)(at - k_good), k_good, k_bad[_i].to,
             at + strlen(k_bad[_i].from));
    pim_repro_in r;
    pim_error e;
    ck_assert_int_eq(load(text, &r, &e), PIM_E_INPUT);
    ck_assert_msg(strcmp(e.field, k_bad[_i].field) == 0, "%s: field '%s' (%s)", k_bad[_i].to,
                  e.field, e.msg);
    ck_assert_int_gt((int)strlen(e.msg), 0);
}
END_TEST

START_TEST(refuses_missing_members)
{
    pim_repro_in r;
    pim_error e;
    ck_assert_int_eq(load("{\"vector\": \"v.json\", \"verilator_seed\": 1}", &r, &e), PIM_E_INPUT);
    ck_assert_str_eq(e.field, "divergence");
    ck_assert_int_eq(load("{\"vector\": \"v.json\", \"divergence\": {}}", &r, &e), PIM_E_INPUT);
    ck_assert_str_eq(e.field, "verilator_seed");
    ck_assert_int_eq(load("[1]", &r, &e), PIM_E_INPUT);
}
END_TEST

static Suite *repro_suite(void)
{
    Suite *s = suite_create("repro");
    TCase *t = tcase_create("repro");
    tcase_add_test(t, reads_a_bundle);
    tcase_add_loop_test(t, refuses_each_bad_member, 0, (int)(sizeof k_bad / sizeof k_bad[0]));
    tcase_add_test(t, refuses_missing_members);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return tu_run_suite(repro_suite());
}
