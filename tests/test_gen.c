/*
 * test_gen.c - the constrained-random vector generator (harness/tools/pim_gen.h, gen*.c):
 * determinism, validity (every generated vector loads with the strict loader and runs to
 * completion on the golden model), coverage of every opcode, no deadlock on many cores,
 * --expect, and its option errors. (The `gen` command: test_cmd_gen.c.)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <check.h>

#include "pim_expect.h"
#include "pim_gen.h"
#include "pim_arith.h"
#include "pim_golden.h"
#include "pim_load.h"
#include "pim_program.h"
#include "testutil.h"


#define T_SEEDS 50

/* Generates with *o (asserting success); the caller frees the text. */
static char *t_gen(const pim_gen_opts *o)
{
    char *text = NULL;
    pim_error err;
    pim_error_clear(&err);
    const pim_status st = pim_gen_vector(o, &text, &err);
    ck_assert_msg(st == PIM_OK, "pim_gen_vector: %s", err.msg);
    ck_assert_ptr_nonnull(text);
    return text;
}

/* Writes text to a fresh temporary file; its path goes into path[n]. */
static void t_tmpfile(const char *text, char *path, size_t n)
{
    const char *dir = getenv("TMPDIR");
    snprintf(path, n, "%s/test_gen-XXXXXX", dir && *dir ? dir : "/tmp");
    const int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(close(fd), 0);
    tu_write_text(path, text);
}

/* Loads a generated text with the strict vector loader (asserting success). */
static pim_program *t_load(const char *text)
{
    char path[512];
    t_tmpfile(text, path, sizeof path);
    pim_program *p = NULL;
    pim_error err;
    pim_error_clear(&err);
    const pim_status st = pim_load_vector_file(path, &p, &err);
    unlink(path);
    char line[PIM_ERROR_MSG_MAX + 512];
    ck_assert_msg(st == PIM_OK, "load: %s", pim_error_format(&err, line, sizeof line));
    ck_assert_int_eq(p->refused, 0);
    ck_assert_int_eq(p->expects_error, 0);
    return p;
}

/* Runs p to completion on the golden model; asserts no error and that every core is done.
 * Checks the vector's expectations too. */
static void t_run(const pim_program *p)
{
    pim_golden *g = NULL;
    pim_error err;
    pim_error_clear(&err);
    char line[PIM_ERROR_MSG_MAX + 512];
    ck_assert_int_eq(pim_golden_new(&p->cfg, &g, &err), PIM_OK);
    ck_assert_msg(pim_golden_load(g, p, 0, 0, &err) == PIM_OK, "golden load: %s",
                  pim_error_format(&err, line, sizeof line));
    const pim_status st = pim_golden_run(g, 0, &err);
    ck_assert_msg(st == PIM_OK, "%s: %s", p->id, pim_error_format(&err, line, sizeof line));
    ck_assert(pim_golden_done(g));
    ck_assert_msg(pim_expect_check_state(p, g, &err) == PIM_OK, "%s: %s", p->id,
                  pim_error_format(&err, line, sizeof line));
    pim_golden_free(g);
}

/* ------------------------------------------------------------------ determinism */

START_TEST(test_same_seed_same_bytes)
{
    pim_gen_opts o;
    pim_gen_opts_default(&o);
    o.seed = 12345;
    char *a = t_gen(&o), *b = t_gen(&o);
    ck_assert_str_eq(a, b);
    o.compact = 1;
    char *c = t_gen(&o), *d = t_gen(&o);
    ck_assert_str_eq(c, d);
    ck_assert_uint_lt(strlen(c), strlen(a));
    ck_assert_ptr_nonnull(strstr(a, "\"gen.seed-12345\""));
    ck_assert_int_eq(a[strlen(a) - 1], '\n');
    free(a);
    free(b);
    free(c);
    free(d);
}
END_TEST

START_TEST(test_seeds_differ)
{
    pim_gen_opts o;
    pim_gen_opts_default(&o);
    o.compact = 1;
    char *prev = NULL;
    for (uint64_t s = 0; s < 4; s++) {
        o.seed = s;
        char *t = t_gen(&o);
        if (prev) {
            /* differing beyond the id: compare from the program on */
            ck_assert_str_ne(strstr(prev, "\"program\""), strstr(t, "\"program\""));
            free(prev);
        }
        prev = t;
    }
    free(prev);
}
END_TEST

/* ------------------------------------------------------------------ validity, coverage */

START_TEST(test_fifty_seeds_run_and_cover)
{
    pim_gen_opts o;
    pim_gen_opts_default(&o);
    o.compact = 1;
    uint64_t per_op[PIM_OP_COUNT] = {0};
    uint32_t ibyw_seen = 0, odd_width = 0, sld_odd_rs1 = 0;
    for (uint64_t s = 1; s <= T_SEEDS; s++) {
        o.seed = s;
        char *text = t_gen(&o);
        pim_program *p = t_load(text);
        free(text);
        ck_assert_uint_eq(p->n_cores, 2);
        ck_assert_uint_eq(p->cfg.local_mem_size, PIM_GEN_LMEM);
        ck_assert_uint_eq(p->cfg.global_mem_size, PIM_GEN_GMEM);
        ck_assert_uint_ge(p->n_groups, 2); /* at least one per core */
        for (uint32_t c = 0; c < p->n_cores; c++) {
            ck_assert_uint_ge(p->n_insns[c], 200);
            ck_assert_uint_lt(p->n_insns[c], 400);
            for (size_t i = 0; i < p->n_insns[c]; i++) {
                const pim_insn *in = &p->insns[c][i];
                per_op[in->op]++;
                if (in->op == PIM_OP_SETBW) {
                    ibyw_seen |= 1u << pim_byw(in->ibiw);
                    odd_width |= in->ibiw & in->obiw & 1u;
                }
                if (in->op == PIM_OP_SLD)
                    sld_odd_rs1 |= in->rs1 & 1u;
            }
        }
        t_run(p);
        pim_program_free(p);
    }
    for (unsigned op = 0; op < PIM_OP_COUNT; op++)
        ck_assert_msg(per_op[op] > 0, "op %s never generated over %d seeds", pim_op_name(op),
                      T_SEEDS);
    ck_assert_uint_eq(ibyw_seen, 0x1eu); /* byte widths 1, 2, 3 and 4 */
    ck_assert_uint_eq(odd_width, 1u);
    ck_assert_uint_eq(sld_odd_rs1, 0u);
}
END_TEST

START_TEST(test_many_cores_no_deadlock)
{
    pim_gen_opts o;
    pim_gen_opts_default(&o);
    o.seed = 7;
    o.cores = 4;
    o.insns = 500;
    char *text = t_gen(&o);
    pim_program *p = t_load(text);
    free(text);
    ck_assert_uint_eq(p->n_cores, 4);
    uint64_t comm = 0;
    for (uint32_t c = 0; c < 4; c++) {
        ck_assert_uint_ge(p->n_insns[c], 500);
        for (size_t i = 0; i < p->n_insns[c]; i++)
            comm += p->insns[c][i].op == PIM_OP_SEND || p->insns[c][i].op == PIM_OP_WAIT;
    }
    ck_assert_uint_gt(comm, 20);
    t_run(p);
    pim_program_free(p);
}
END_TEST

/* Extreme weightings: only synchronisation (nearly all cores blocking), only transfers on
 * one core, and many cores. */
START_TEST(test_weights_and_shapes)
{
    static const struct {
        uint32_t cores, insns, w[PIM_GEN_NCLASSES];
    } cases[] = {
        {3, 200, {0, 0, 0, 0, 1}},
        {5, 300, {0, 0, 0, 1, 1}},
        {1, 300, {1, 1, 1, 1, 1}},
        {16, 100, {2, 2, 4, 2, 1}},
        {2, 150, {0, 1, 0, 0, 0}},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        pim_gen_opts o;
        pim_gen_opts_default(&o);
        o.seed = 100 + i;
        o.cores = cases[i].cores;
        o.insns = cases[i].insns;
        memcpy(o.weights, cases[i].w, sizeof o.weights);
        char *text = t_gen(&o);
        pim_program *p = t_load(text);
        free(text);
        ck_assert_uint_eq(p->n_cores, cases[i].cores);
        t_run(p);
        pim_program_free(p);
    }
}
END_TEST

/* A config with small crossbars and few of them: groups still fit, mvmul still runs. */
START_TEST(test_small_crossbars)
{
    pim_config cfg;
    pim_config_default(&cfg);
    cfg.xbar_rows = 8;
    cfg.xbar_cols = 16;
    cfg.xbar_array_count = 2;
    cfg.cell_precision = 1;
    cfg.local_mem_size = 1u << 20; /* capped to PIM_GEN_LMEM */
    pim_gen_opts o;
    pim_gen_opts_default(&o);
    o.cfg = &cfg;
    o.config_name = "small-xbars";
    for (uint64_t s = 1; s <= 5; s++) {
        o.seed = s;
        char *text = t_gen(&o);
        ck_assert_ptr_nonnull(strstr(text, "--config small-xbars"));
        pim_program *p = t_load(text);
        free(text);
        ck_assert_uint_eq(p->cfg.local_mem_size, PIM_GEN_LMEM);
        ck_assert_uint_eq(p->cfg.xbar_rows, 8);
        for (size_t i = 0; i < p->n_groups; i++) {
            ck_assert_uint_le(p->groups[i].rows, 8);
            ck_assert_uint_ge(pim_config_xbars_for_group(&cfg, p->groups[i].mbiw,
                                                         p->groups[i].cols), 1);
        }
        t_run(p);
        pim_program_free(p);
    }
}
END_TEST

/* --expect: the golden model's final state, which the run then meets. */
START_TEST(test_expect)
{
    pim_gen_opts o;
    pim_gen_opts_default(&o);
    o.seed = 3;
    o.expect = 1;
    o.compact = 1;
    char *text = t_gen(&o);
    pim_program *p = t_load(text);
    free(text);
    ck_assert_int_eq(p->has_expected, 1);
    for (uint32_t c = 0; c < p->n_cores; c++) {
        ck_assert_uint_eq(p->expect[c].regs_mask, 0xffffffffu);
        ck_assert_uint_eq(p->expect[c].events_mask, 0xffffffffu);
        uint64_t bytes = 0;
        for (size_t i = 0; i < p->expect[c].n_lmem; i++)
            bytes += p->expect[c].lmem[i].len;
        ck_assert_uint_eq(bytes, PIM_GEN_LMEM);
    }
    t_run(p); /* checks the expectations */
    pim_program_free(p);
}
END_TEST

/* ------------------------------------------------------------------ errors */

START_TEST(test_bad_options)
{
    pim_gen_opts o;
    pim_error err;
    char *text = (char *)1;
    pim_gen_opts_default(&o);
    o.insns = 0;
    ck_assert_int_eq(pim_gen_vector(&o, &text, &err), PIM_E_INPUT);
    ck_assert_ptr_null(text);
    ck_assert_str_eq(err.field, "insns");
    pim_gen_opts_default(&o);
    o.cores = PIM_GEN_MAX_CORES + 1;
    ck_assert_int_eq(pim_gen_vector(&o, &text, &err), PIM_E_INPUT);
    ck_assert_str_eq(err.field, "cores");
    pim_gen_opts_default(&o);
    memset(o.weights, 0, sizeof o.weights);
    ck_assert_int_eq(pim_gen_vector(&o, &text, &err), PIM_E_INPUT);
    ck_assert_str_eq(err.field, "weights");
    pim_gen_opts_default(&o);
    o.id = "Bad ID";
    ck_assert_int_eq(pim_gen_vector(&o, &text, &err), PIM_E_INPUT);
    ck_assert_str_eq(err.field, "id");
    pim_config cfg;
    pim_config_default(&cfg);
    cfg.local_mem_size = 512;
    pim_gen_opts_default(&o);
    o.cfg = &cfg;
    ck_assert_int_eq(pim_gen_vector(&o, &text, &err), PIM_E_INPUT);
    ck_assert_str_eq(err.field, "config");
}
END_TEST

static Suite *gen_suite(void)
{
    Suite *s = suite_create("gen");
    TCase *core = tcase_create("core");
    tcase_set_timeout(core, 120); /* 50 seeds, slower under the sanitizers */
    tcase_add_test(core, test_same_seed_same_bytes);
    tcase_add_test(core, test_seeds_differ);
    tcase_add_test(core, test_fifty_seeds_run_and_cover);
    tcase_add_test(core, test_many_cores_no_deadlock);
    tcase_add_test(core, test_weights_and_shapes);
    tcase_add_test(core, test_small_crossbars);
    tcase_add_test(core, test_expect);
    suite_add_tcase(s, core);
    TCase *errors = tcase_create("errors");
    tcase_set_timeout(errors, 60);
    tcase_add_test(errors, test_bad_options);
    suite_add_tcase(s, errors);
    return s;
}

int main(void)
{
    return tu_run_suite(gen_suite());
}
