/*
 * test_config.c - architecture configs (harness/load/config.c, golden/config.c): the
 * defaults, PIMSIM-NN and PIMCOMP-NN configs, pimcosim's own keys, and the refusals with
 * their one-line errors.
 *
 * Expected values are worked out by hand from ../shared/spec/profile.md and docs/isa.md
 * (section 8, "Choices the profile leaves to us"). Fixtures live in tests/data/ (TU_DATA);
 * tests run from the repository root.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <check.h>

#include "pim_config.h"
#include "pim_load.h"
#include "pim_status.h"
#include "testutil.h"

#define REF "../shared/reference/"

/* ------------------------------------------------------------------ configs */

START_TEST(test_config_default)
{
    pim_config cfg;
    pim_config_default(&cfg);
    ck_assert_uint_eq(cfg.core_cnt, 1);
    ck_assert_uint_eq(cfg.xbar_rows, 128);
    ck_assert_uint_eq(cfg.xbar_cols, 128);
    ck_assert_uint_eq(cfg.cell_precision, 2);
    ck_assert_uint_eq(cfg.dac_resolution, 1);
    ck_assert_uint_eq(cfg.adc_resolution, 8);
    ck_assert_uint_eq(cfg.adc_clip, 1);
    ck_assert_uint_eq(cfg.xbar_array_count, 64);
    ck_assert_uint_eq(cfg.vector_width, 32);
    ck_assert_uint_eq(cfg.activation_frac_bits, 4);
    ck_assert_uint_eq(cfg.local_mem_size, 1u << 20);
    ck_assert_uint_eq(cfg.global_mem_size, 64u << 20);
    pim_error e;
    ck_assert_int_eq(pim_config_validate(&cfg, &e), PIM_OK);
    cfg.cell_precision = 0;
    ck_assert_int_eq(pim_config_validate(&cfg, &e), PIM_E_INPUT);
    ck_assert_ptr_nonnull(strstr(e.field, "cell_precision"));
    pim_config_default(&cfg);
    cfg.activation_frac_bits = 31;
    ck_assert_int_eq(pim_config_validate(&cfg, &e), PIM_E_INPUT);
    ck_assert_ptr_nonnull(strstr(e.field, "activation_frac_bits"));
}
END_TEST

START_TEST(test_config_pimsim)
{
    pim_config cfg;
    pim_error e;
    pim_error_clear(&e);
    const pim_status st = pim_load_config_file(REF "pimsim-nn-latency_config.json", &cfg, &e);
    ck_assert_msg(st == PIM_OK, "%s", e.msg);
    ck_assert_uint_eq(cfg.xbar_rows, 128);
    ck_assert_uint_eq(cfg.xbar_cols, 128);
    ck_assert_uint_eq(cfg.cell_precision, 8);
    ck_assert_uint_eq(cfg.dac_resolution, 1);
    ck_assert_uint_eq(cfg.adc_resolution, 8);
    ck_assert_uint_eq(cfg.xbar_array_count, 64);
    ck_assert_uint_eq(cfg.vector_width, 16);
    ck_assert_uint_eq(cfg.core_cnt, 64);
    /* pimcosim's keys are absent: defaults */
    ck_assert_uint_eq(cfg.adc_clip, 1);
    ck_assert_uint_eq(cfg.activation_frac_bits, 4);
    ck_assert_uint_eq(cfg.local_mem_size, 1u << 20);
    ck_assert_uint_eq(cfg.global_mem_size, 64u << 20);
}
END_TEST

START_TEST(test_config_pimcomp)
{
    pim_config cfg;
    pim_error e;
    pim_error_clear(&e);
    const pim_status st = pim_load_config_file(REF "pimcomp-nn-config.json", &cfg, &e);
    ck_assert_msg(st == PIM_OK, "%s", e.msg);
    ck_assert_uint_eq(cfg.xbar_rows, 128);
    ck_assert_uint_eq(cfg.xbar_cols, 128);
    ck_assert_uint_eq(cfg.cell_precision, 2);
    ck_assert_uint_eq(cfg.dac_resolution, 1);
    ck_assert_uint_eq(cfg.adc_resolution, 8);
    ck_assert_uint_eq(cfg.xbar_array_count, 64);
    ck_assert_uint_eq(cfg.vector_width, 32);
    ck_assert_uint_eq(cfg.core_cnt, 136);
    ck_assert_uint_eq(cfg.adc_clip, 1);
    ck_assert_uint_eq(cfg.activation_frac_bits, 4);
    ck_assert_uint_eq(cfg.local_mem_size, 1u << 20);
    ck_assert_uint_eq(cfg.global_mem_size, 64u << 20);
}
END_TEST

START_TEST(test_config_custom)
{
    pim_config cfg;
    pim_error e;
    pim_error_clear(&e);
    const pim_status st = pim_load_config_file(TU_DATA "config_custom.json", &cfg, &e);
    ck_assert_msg(st == PIM_OK, "%s", e.msg);
    ck_assert_uint_eq(cfg.core_cnt, 3);
    ck_assert_uint_eq(cfg.xbar_rows, 64);
    ck_assert_uint_eq(cfg.xbar_cols, 32);
    ck_assert_uint_eq(cfg.cell_precision, 4);
    ck_assert_uint_eq(cfg.dac_resolution, 2);
    ck_assert_uint_eq(cfg.adc_resolution, 6);
    ck_assert_uint_eq(cfg.xbar_array_count, 8);
    ck_assert_uint_eq(cfg.adc_clip, 0);
    ck_assert_uint_eq(cfg.vector_width, 8);
    ck_assert_uint_eq(cfg.activation_frac_bits, 6);
    ck_assert_uint_eq(cfg.local_mem_size, 8192);
    ck_assert_uint_eq(cfg.global_mem_size, 131072);
}
END_TEST

static const struct {
    const char *file;
    const char *field; /* substring of err.field */
} bad_configs[] = {
    {"config_bad_cell_zero.json", "cell_precision"},
    {"config_bad_cell_17.json", "cell_precision"},
    {"config_bad_xbar_type.json", "xbar_size"},
    {"config_bad_adc.json", "adc_resolution"},
    {"config_bad_dac.json", "dac_resolution"},
    {"config_bad_frac.json", "activation_frac_bits"},
    {"config_bad_clip_type.json", "adc_clip"},
    {"config_bad_core_cnt.json", "core_cnt"},
    {"config_bad_float.json", "cell_precision"},
};

START_TEST(test_config_errors)
{
    char path[256];
    snprintf(path, sizeof path, TU_DATA "%s", bad_configs[_i].file);
    pim_config cfg;
    pim_error e;
    pim_error_clear(&e);
    const pim_status st = pim_load_config_file(path, &cfg, &e);
    ck_assert_msg(st == PIM_E_INPUT, "%s: status %d", path, (int)st);
    ck_assert_int_eq(e.status, PIM_E_INPUT);
    ck_assert_msg(strstr(e.field, bad_configs[_i].field) != NULL, "%s: field '%s', expected %s",
                  path, e.field, bad_configs[_i].field);
    tu_check_message(&e, path, -1, -1, bad_configs[_i].field);
}
END_TEST

START_TEST(test_config_io_errors)
{
    pim_config cfg;
    pim_error e;
    ck_assert_int_eq(pim_load_config_file(TU_DATA "no_such_file.json", &cfg, &e), PIM_E_IO);
    ck_assert_int_eq(e.status, PIM_E_IO);
    ck_assert_int_eq(pim_load_config_file(TU_DATA "bad_malformed.json", &cfg, &e), PIM_E_INPUT);
    tu_check_message(&e, TU_DATA "bad_malformed.json", -1, -1, NULL);
}
END_TEST

static Suite *config_suite(void)
{
    Suite *s = suite_create("config");
    TCase *core = tcase_create("core");
    tcase_add_test(core, test_config_default);
    tcase_add_test(core, test_config_pimsim);
    tcase_add_test(core, test_config_pimcomp);
    tcase_add_test(core, test_config_custom);
    suite_add_tcase(s, core);

    TCase *errors = tcase_create("errors");
    tcase_add_loop_test(errors, test_config_errors, 0,
                        (int)(sizeof bad_configs / sizeof bad_configs[0]));
    tcase_add_test(errors, test_config_io_errors);
    suite_add_tcase(s, errors);
    return s;
}

int main(void)
{
    return tu_run_suite(config_suite());
}
