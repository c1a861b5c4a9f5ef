/*
 * test_vector.c - conformance vectors (harness/load/vector.c): a vector with initial and
 * expected state and groups, a vector whose program the loader refuses, and malformed
 * vectors.
 *
 * Expected values are worked out by hand from ../shared/spec/profile.md and docs/isa.md
 * (section 8, "Choices the profile leaves to us"). Fixtures live in tests/data/ (TU_DATA);
 * tests run from the repository root.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <check.h>

#include "pim_load.h"
#include "pim_program.h"
#include "pim_status.h"
#include "testutil.h"

/* ------------------------------------------------------------------ vectors */

START_TEST(test_vector_refused)
{
    pim_program *p = NULL;
    pim_error e;
    pim_error_clear(&e);
    const pim_status st = pim_load_vector_file(TU_DATA "vec_refused.json", &p, &e);
    ck_assert_msg(st == PIM_OK, "%s", e.msg);
    ck_assert_ptr_nonnull(p);
    ck_assert_str_eq(p->id, "load.refused-len");
    ck_assert_int_eq(p->refused, 1);
    ck_assert_int_eq(p->expects_error, 1);
    ck_assert_int_eq(p->expect_status, PIM_E_INPUT);
    ck_assert_int_eq(p->expect_core, 0);
    ck_assert_int_eq(p->expect_index, 1);
    ck_assert_str_eq(p->expect_field, "len");
    ck_assert_int_eq(p->refusal.status, PIM_E_INPUT);
    ck_assert_int_eq(p->refusal.core, 0);
    ck_assert_int_eq(p->refusal.index, 1);
    ck_assert_str_eq(p->refusal.field, "len");
    ck_assert_int_eq(p->has_expected, 0);
    tu_check_message(&p->refusal, TU_DATA "vec_refused.json", 0, 1, "len");
    pim_program_free(p);
}
END_TEST

START_TEST(test_vector_ok)
{
    pim_program *p = NULL;
    pim_error e;
    pim_error_clear(&e);
    const pim_status st = pim_load_vector_file(TU_DATA "vec_ok.json", &p, &e);
    ck_assert_msg(st == PIM_OK, "%s", e.msg);
    ck_assert_str_eq(p->id, "load.ok-1");
    ck_assert_str_eq(p->comment, "loader fixture");
    ck_assert_int_eq(p->refused, 0);
    ck_assert_int_eq(p->expects_error, 0);
    ck_assert_int_eq(p->has_expected, 1);
    ck_assert_uint_eq(p->n_cores, 2);
    ck_assert_uint_eq(p->cfg.local_mem_size, 4096);
    ck_assert_uint_eq(p->cfg.global_mem_size, 65536);
    ck_assert_uint_eq(p->cfg.cell_precision, 2);
    ck_assert_uint_eq(p->cfg.xbar_rows, 128); /* default */
    ck_assert_uint_eq(p->n_insns[0], 2);
    ck_assert_uint_eq(p->n_insns[1], 1);
    ck_assert_uint_eq(p->insns[0][1].op, PIM_OP_MVMUL);
    ck_assert_uint_eq(p->insns[0][1].group, 1);

    const pim_core_state *c0 = &p->init[0];
    ck_assert_uint_eq(c0->regs_mask, (1u << 1) | (1u << 2) | (1u << 3) | (1u << 4) | (1u << 5));
    ck_assert_uint_eq(c0->regs[1], 768);
    ck_assert_uint_eq(c0->regs[5], 0xFFFFFFFFu); /* -1 mod 2^32 */
    ck_assert_uint_eq(c0->events_mask, 1u << 2);
    ck_assert_uint_eq(c0->events[2], 7);
    ck_assert_uint_eq(c0->n_lmem, 2);
    static const uint8_t l0[2] = {0x05, 0xFD}, l1[4] = {0xFE, 0xFF, 0xFF, 0xFF};
    ck_assert_uint_eq(c0->lmem[0].addr, 256);
    ck_assert_uint_eq(c0->lmem[0].len, 2);
    ck_assert_mem_eq(c0->lmem[0].bytes, l0, 2);
    ck_assert_uint_eq(c0->lmem[1].addr, 512);
    ck_assert_uint_eq(c0->lmem[1].len, 4);
    ck_assert_mem_eq(c0->lmem[1].bytes, l1, 4); /* -2 and 65535 in 2 bytes each */
    ck_assert_uint_eq(p->init[1].regs_mask, 0);
    ck_assert_uint_eq(p->n_init_gmem, 1);
    static const uint8_t g[3] = {0x00, 0xFF, 0x12};
    ck_assert_uint_eq(p->init_gmem[0].addr, 16);
    ck_assert_uint_eq(p->init_gmem[0].len, 3);
    ck_assert_mem_eq(p->init_gmem[0].bytes, g, 3);

    ck_assert_uint_eq(p->n_groups, 1);
    ck_assert_uint_eq(p->groups[0].core, 0);
    ck_assert_uint_eq(p->groups[0].index, 1);
    ck_assert_uint_eq(p->groups[0].mbiw, 4);
    ck_assert_uint_eq(p->groups[0].rows, 2);
    ck_assert_uint_eq(p->groups[0].cols, 2);
    static const int32_t w[4] = {3, -2, -8, 7};
    ck_assert_mem_eq(p->groups[0].weights, w, sizeof w);

    ck_assert_uint_eq(p->expect[0].regs_mask, 1u << 1);
    ck_assert_uint_eq(p->expect[0].regs[1], 768);
    ck_assert_uint_eq(p->expect[0].n_lmem, 1);
    ck_assert_uint_eq(p->expect[0].lmem[0].addr, 768);
    ck_assert_uint_eq(p->expect[0].lmem[0].len, 2);
    ck_assert_uint_eq(p->n_expect_gmem, 1);
    pim_program_free(p);
}
END_TEST

static const struct {
    const char *file;
    long core;
    const char *field; /* NULL: not checked */
    const char *words; /* in the message; NULL: not checked */
} bad_vectors[] = {
    {"vec_bad_key.json", -1, NULL, NULL},
    {"vec_bad_id.json", -1, NULL, NULL},
    {"vec_both.json", -1, NULL, NULL},
    {"vec_no_id.json", -1, NULL, NULL},
    {"vec_weight_range.json", -1, NULL, NULL},
    {"bad_malformed.json", -1, NULL, NULL},
    /* hostile input (docs/bad-inputs.md): each message says what is wrong */
    {"hostile/vec_region_addr.json", 0, "init.lmem", "must be an integer"},
    {"hostile/vec_group_index.json", 0, "groups.index", "-4 is outside 0..15"},
    {"hostile/vec_group_mbiw.json", 0, "groups.mbiw", "99 is outside 1..32"},
    {"hostile/vec_error_core.json", -1, "error.core", "must be an integer"},
    {"hostile/vec_error_index.json", -1, "error.index", "-7 is outside"},
    {"hostile/vec_two_lmem_init.json", -1, "init.core0.lmem", "appears twice"},
    {"hostile/vec_two_gmem_expected.json", -1, "expected.gmem", "appears twice"},
    {"hostile/vec_dup_regs.json", -1, "init.core0.regs.r1", "appears twice"},
};

START_TEST(test_vector_errors)
{
    char path[256];
    snprintf(path, sizeof path, TU_DATA "%s", bad_vectors[_i].file);
    pim_program *p = NULL;
    pim_error e;
    pim_error_clear(&e);
    const pim_status st = pim_load_vector_file(path, &p, &e);
    ck_assert_msg(st == PIM_E_INPUT, "%s: status %d", path, (int)st);
    tu_check_message(&e, path, bad_vectors[_i].core, -1, bad_vectors[_i].field);
    if (bad_vectors[_i].field)
        ck_assert_str_eq(e.field, bad_vectors[_i].field);
    if (bad_vectors[_i].words)
        ck_assert_msg(strstr(e.msg, bad_vectors[_i].words) != NULL, "%s: '%s'", path, e.msg);
    pim_program_free(p);
}
END_TEST

static Suite *vector_suite(void)
{
    Suite *s = suite_create("vector");
    TCase *core = tcase_create("core");
    tcase_add_test(core, test_vector_ok);
    tcase_add_test(core, test_vector_refused);
    suite_add_tcase(s, core);

    TCase *errors = tcase_create("errors");
    tcase_add_loop_test(errors, test_vector_errors, 0,
                        (int)(sizeof bad_vectors / sizeof bad_vectors[0]));
    suite_add_tcase(s, errors);
    return s;
}

int main(void)
{
    return tu_run_suite(vector_suite());
}
