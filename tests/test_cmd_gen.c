/*
 * test_cmd_gen.c - the `pimcosim gen` command (harness/cli/cmd_gen.c): its output is the
 * library's (pim_gen_vector) for the same options, and every bad option is exit 2.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pim_cli.h"
#include "pim_gen.h"
#include "pim_load.h"
#include "testutil.h"

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

/* A fresh temporary file holding text; its path goes into path[n]. */
static void t_tmpfile(const char *text, char *path, size_t n)
{
    const char *dir = getenv("TMPDIR");
    snprintf(path, n, "%s/test_cmd_gen-XXXXXX", dir && *dir ? dir : "/tmp");
    const int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(close(fd), 0);
    tu_write_text(path, text);
}

START_TEST(test_main_exit_codes)
{
    char out[512];
    t_tmpfile("", out, sizeof out);
    char *ok[] = {"gen", "--seed", "42", "--insns", "50", "--cores", "3", "--weights",
                  "sync=3,vector=1", "--id", "my.vec-1", "--compact", "-o", out, NULL};
    ck_assert_int_eq(pim_cmd_gen(14, ok), 0);
    char *buf = NULL;
    size_t len = 0;
    pim_error err;
    ck_assert_int_eq(pim_read_file(out, &buf, &len, &err), PIM_OK);
    pim_gen_opts o;
    pim_gen_opts_default(&o);
    o.seed = 42;
    o.insns = 50;
    o.cores = 3;
    o.weights[PIM_GEN_SYNC] = 3;
    o.weights[PIM_GEN_VECTOR] = 1;
    o.id = "my.vec-1";
    o.compact = 1;
    char *direct = t_gen(&o);
    ck_assert_str_eq(buf, direct);
    free(direct);
    free(buf);
    unlink(out);

    /* one-line errors, exit 2 (stderr) */
    char *no_seed[] = {"gen", NULL};
    char *bad_seed[] = {"gen", "--seed", "x1", NULL};
    char *bad_insns[] = {"gen", "--seed", "1", "--insns", "0", NULL};
    char *bad_class[] = {"gen", "--seed", "1", "--weights", "bogus=1", NULL};
    char *bad_weight[] = {"gen", "--seed", "1", "--weights", "sync=-1", NULL};
    char *zero_weights[] = {"gen", "--seed", "1", "--weights",
                            "scalar=0,matrix=0,vector=0,transfer=0,sync=0", NULL};
    char *missing[] = {"gen", "--seed", NULL};
    char *extra[] = {"gen", "--seed", "1", "stray", NULL};
    char *bad_config[] = {"gen", "--seed", "1", "--config", "/nonexistent/cfg.json", NULL};
    ck_assert_int_eq(pim_cmd_gen(1, no_seed), 2);
    ck_assert_int_eq(pim_cmd_gen(3, bad_seed), 2);
    ck_assert_int_eq(pim_cmd_gen(5, bad_insns), 2);
    ck_assert_int_eq(pim_cmd_gen(5, bad_class), 2);
    ck_assert_int_eq(pim_cmd_gen(5, bad_weight), 2);
    ck_assert_int_eq(pim_cmd_gen(5, zero_weights), 2);
    ck_assert_int_eq(pim_cmd_gen(2, missing), 2);
    ck_assert_int_eq(pim_cmd_gen(4, extra), 2);
    ck_assert_int_eq(pim_cmd_gen(5, bad_config), 2);
}
END_TEST

static Suite *cmd_gen_suite(void)
{
    Suite *s = suite_create("cmd_gen");
    TCase *errors = tcase_create("errors");
    tcase_set_timeout(errors, 60);
    tcase_add_test(errors, test_main_exit_codes);
    suite_add_tcase(s, errors);
    return s;
}

int main(void)
{
    return tu_run_suite(cmd_gen_suite());
}
