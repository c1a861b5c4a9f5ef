/*
 * test_status.c - status codes and error records (golden/status.c, include/pim_status.h):
 * exit codes, names, pim_error_set/_set_file/_set_op and the one-line pim_error_format.
 *
 * Expected values are worked out by hand from ../shared/spec/profile.md and docs/isa.md
 * (section 8, "Choices the profile leaves to us").
 */
#include <string.h>
#include <check.h>

#include "pim_status.h"
#include "testutil.h"

/* ------------------------------------------------------------------ status / errors */

START_TEST(test_status)
{
    ck_assert_int_eq(pim_status_exit_code(PIM_OK), 0);
    ck_assert_int_eq(pim_status_exit_code(PIM_E_MISMATCH), 1);
    ck_assert_int_eq(pim_status_exit_code(PIM_E_INPUT), 2);
    ck_assert_int_eq(pim_status_exit_code(PIM_E_EXEC), 2);
    ck_assert_int_eq(pim_status_exit_code(PIM_E_DEADLOCK), 2);
    ck_assert_int_eq(pim_status_exit_code(PIM_E_IO), 2);
    ck_assert_int_eq(pim_status_exit_code(PIM_E_NOMEM), 2);
    ck_assert_str_eq(pim_status_name(PIM_E_INPUT), "input");
    ck_assert_str_eq(pim_status_name(PIM_E_EXEC), "exec");
    ck_assert_str_eq(pim_status_name(PIM_E_DEADLOCK), "deadlock");

    pim_error e;
    pim_error_clear(&e);
    ck_assert_int_eq(e.status, PIM_OK);
    ck_assert_int_eq(e.core, -1);
    ck_assert_int_eq(e.index, -1);
    ck_assert_str_eq(e.file, "");
    ck_assert_str_eq(e.field, "");
    /* the example of pim_status.h */
    ck_assert_int_eq(pim_error_set(&e, PIM_E_INPUT, 2, 17, "len", "%d does not fit %d bits", 3000, 11),
                     PIM_E_INPUT);
    pim_error_set_file(&e, "vec.json");
    pim_error_set_op(&e, "vvadd");
    ck_assert_int_eq(e.status, PIM_E_INPUT);
    ck_assert_int_eq(e.core, 2);
    ck_assert_int_eq(e.index, 17);
    ck_assert_str_eq(e.field, "len");
    char buf[512];
    ck_assert_ptr_eq(pim_error_format(&e, buf, sizeof buf), buf);
    ck_assert_str_eq(buf, "vec.json: core 2, instruction 17 (vvadd), field 'len': 3000 does not fit 11 bits");
    /* truncation keeps a NUL within n bytes */
    char small[10];
    pim_error_format(&e, small, sizeof small);
    ck_assert_uint_eq(strlen(small), 9);
    ck_assert_int_eq(strncmp(small, "vec.json:", 9), 0);
    /* NULL records are ignored */
    pim_error_clear(NULL);
    ck_assert_int_eq(pim_error_set(NULL, PIM_E_EXEC, 0, 0, "rd", "x"), PIM_E_EXEC);
}
END_TEST

static Suite *status_suite(void)
{
    Suite *s = suite_create("status");
    TCase *core = tcase_create("core");
    tcase_add_test(core, test_status);
    suite_add_tcase(s, core);
    return s;
}

int main(void)
{
    return tu_run_suite(status_suite());
}
