/*
 * test_opt.c - the commands' option parser (harness/cli/opt.c): every kind of option in both
 * spellings, ranges, positional arguments, the one-line errors (their exact words), and the
 * help text generated from the table.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pim_load.h"
#include "pim_opt.h"
#include "pim_status.h"
#include "testutil.h"

typedef struct vals {
    int flag, off, choice, given;
    uint8_t u8;
    uint32_t u32;
    uint64_t u64;
    const char *str;
    char fn_seen[32];
    const char *pos[4];
    int npos;
} vals;

static int fn_upper(void *ud, const char *value, char *msg, size_t n)
{
    vals *v = ud;
    if (strcmp(value, "bad") == 0) {
        snprintf(msg, n, "--fn refuses '%s'", value);
        return -1;
    }
    snprintf(v->fn_seen, sizeof v->fn_seen, "%s", value);
    return 0;
}

static int take_pos(void *ud, const char *arg)
{
    vals *v = ud;
    if (strcmp(arg, "nope") == 0) {
        fprintf(stderr, "pimcosim t: nope is refused\n");
        return -1;
    }
    v->pos[v->npos++] = arg;
    return 0;
}

/* Parses argv (NULL-terminated, without the command name) into *v with a table of every
 * kind; stderr and stdout go to files whose text is returned in err/out (caller frees). */
static int parse(vals *v, char **argv, char **err, char **out)
{
    memset(v, 0, sizeof *v);
    v->off = 1;
    const pim_opt opts[] = {
        {.name = "--flag", .type = PIM_OPT_FLAG, .dst = &v->flag, .set = 1, .help = "a flag"},
        {.name = "--no-off", .type = PIM_OPT_FLAG, .dst = &v->off, .set = 0,
         .help = "clears off"},
        {.name = "--u8", .type = PIM_OPT_UINT, .dst = &v->u8, .size = 1, .lo = 1, .hi = 200,
         .meta = "N", .help = "one byte\nsecond line"},
        {.name = "--u32", .type = PIM_OPT_UINT, .dst = &v->u32, .size = 4, .hi = UINT32_MAX,
         .meta = "N", .help = "four bytes", .given = &v->given},
        {.name = "--u64", .type = PIM_OPT_UINT, .dst = &v->u64, .size = 8, .hi = UINT64_MAX,
         .meta = "N", .help = "eight bytes"},
        {.name = "--str", .type = PIM_OPT_STR, .dst = &v->str, .meta = "S", .help = "a string"},
        {.name = "--wave", .type = PIM_OPT_CHOICE, .dst = &v->choice, .choices = "fst|vcd",
         .optional = 1, .help = "a choice"},
        {.name = "--fn", .type = PIM_OPT_FN, .dst = v, .fn = fn_upper, .meta = "X",
         .help = "a callback"},
        {.name = "-o", .type = PIM_OPT_STR, .dst = &v->str, .meta = "FILE", .help = "short"},
    };
    const pim_cmd c = {"t", "[options] ARG...", "About t.\n", "Exit: 0.\n", opts,
                       sizeof opts / sizeof opts[0], take_pos, v, 3};
    int argc = 0;
    while (argv[argc])
        argc++;
    char ep[] = "/tmp/test_opt-err-XXXXXX", op[] = "/tmp/test_opt-out-XXXXXX";
    const int efd = mkstemp(ep), ofd = mkstemp(op);
    ck_assert(efd >= 0 && ofd >= 0);
    fflush(stderr);
    fflush(stdout);
    const int e0 = dup(2), o0 = dup(1);
    dup2(efd, 2);
    dup2(ofd, 1);
    const int rc = pim_opt_parse(&c, argc, argv);
    fflush(stderr);
    fflush(stdout);
    dup2(e0, 2);
    dup2(o0, 1);
    close(e0);
    close(o0);
    close(efd);
    close(ofd);
    size_t n;
    pim_error e;
    ck_assert_int_eq(pim_read_file(ep, err, &n, &e), PIM_OK);
    ck_assert_int_eq(pim_read_file(op, out, &n, &e), PIM_OK);
    unlink(ep);
    unlink(op);
    return rc;
}

START_TEST(test_values)
{
    vals v;
    char *err, *out;
    char *argv[] = {"--flag", "--no-off", "--u8", "200", "--u32=4294967295", "--u64",
                    "0xFFFFFFFFFFFFFFFF", "--str", "a b", "--wave=vcd", "--fn=x", "p1", "p2",
                    NULL};
    ck_assert_int_eq(parse(&v, argv, &err, &out), 0);
    ck_assert_str_eq(err, "");
    ck_assert_int_eq(v.flag, 1);
    ck_assert_int_eq(v.off, 0);
    ck_assert_uint_eq(v.u8, 200);
    ck_assert_uint_eq(v.u32, 4294967295u);
    ck_assert_uint_eq(v.given, 1);
    ck_assert_uint_eq(v.u64, UINT64_MAX);
    ck_assert_str_eq(v.str, "a b");
    ck_assert_int_eq(v.choice, 2);
    ck_assert_str_eq(v.fn_seen, "x");
    ck_assert_int_eq(v.npos, 2);
    ck_assert_str_eq(v.pos[0], "p1");
    ck_assert_str_eq(v.pos[1], "p2");
    free(err);
    free(out);
    /* an optional choice given bare is its first value; -o takes the next argument */
    char *argv2[] = {"--wave", "-o", "f.txt", NULL};
    ck_assert_int_eq(parse(&v, argv2, &err, &out), 0);
    ck_assert_int_eq(v.choice, 1);
    ck_assert_str_eq(v.str, "f.txt");
    ck_assert_uint_eq(v.given, 0);
    free(err);
    free(out);
}
END_TEST

/* Each mistake: exit 2 and exactly this one line on stderr. */
static const struct {
    const char *args[4];
    const char *line;
} k_bad[] = {
    {{"--frob", NULL}, "pimcosim t: unknown option '--frob' (see --help)\n"},
    {{"--u8", NULL}, "pimcosim t: --u8 needs a value (see --help)\n"},
    {{"--u8", "0", NULL}, "pimcosim t: --u8 takes an integer in 1..200, not '0'\n"},
    {{"--u8", "201", NULL}, "pimcosim t: --u8 takes an integer in 1..200, not '201'\n"},
    {{"--u8=-1", NULL}, "pimcosim t: --u8 takes an integer in 1..200, not '-1'\n"},
    {{"--u32", " 5", NULL}, "pimcosim t: --u32 takes an integer in 0..4294967295, not ' 5'\n"},
    {{"--u32", "4294967296", NULL},
     "pimcosim t: --u32 takes an integer in 0..4294967295, not '4294967296'\n"},
    {{"--u64", "18446744073709551616", NULL},
     "pimcosim t: --u64 takes an integer in 0..18446744073709551615, not "
     "'18446744073709551616'\n"},
    {{"--u64", "0x", NULL}, "pimcosim t: --u64 takes an integer in 0..18446744073709551615, not '0x'\n"},
    {{"--wave=fsdb", NULL}, "pimcosim t: --wave takes fst or vcd, not 'fsdb'\n"},
    {{"--flag=1", NULL}, "pimcosim t: --flag takes no value\n"},
    {{"--fn", "bad", NULL}, "pimcosim t: --fn refuses 'bad'\n"},
    {{"a", "b", "c", "d"}, "pimcosim t: unexpected argument 'd' (see --help)\n"},
    {{"nope", NULL}, "pimcosim t: nope is refused\n"},
};

START_TEST(test_errors)
{
    vals v;
    char *err, *out;
    char *argv[5] = {NULL};
    for (int i = 0; i < 4 && k_bad[_i].args[i]; i++)
        argv[i] = (char *)k_bad[_i].args[i];
    ck_assert_int_eq(parse(&v, argv, &err, &out), PIM_EXIT_BAD_INPUT);
    ck_assert_str_eq(err, k_bad[_i].line);
    ck_assert_str_eq(out, "");
    free(err);
    free(out);
}
END_TEST

START_TEST(test_help)
{
    vals v;
    char *err, *out;
    char *argv[] = {"--u8", "x", "--help", NULL}; /* --help wins over anything */
    ck_assert_int_eq(parse(&v, argv, &err, &out), 1);
    ck_assert_str_eq(err, "");
    ck_assert_str_eq(out, "usage: pimcosim t [options] ARG...\n"
                          "\n"
                          "About t.\n"
                          "\n"
                          "  --flag            a flag\n"
                          "  --no-off          clears off\n"
                          "  --u8 N            one byte\n"
                          "                    second line\n"
                          "  --u32 N           four bytes\n"
                          "  --u64 N           eight bytes\n"
                          "  --str S           a string\n"
                          "  --wave[=fst|vcd]  a choice\n"
                          "  --fn X            a callback\n"
                          "  -o FILE           short\n"
                          "\n"
                          "Exit: 0.\n");
    free(err);
    free(out);
    char *argv2[] = {"-h", NULL};
    ck_assert_int_eq(parse(&v, argv2, &err, &out), 1);
    ck_assert_ptr_nonnull(strstr(out, "usage: pimcosim t"));
    free(err);
    free(out);
}
END_TEST

START_TEST(test_fail)
{
    const pim_cmd c = {"x y", "", "", NULL, NULL, 0, NULL, NULL, 0};
    char ep[] = "/tmp/test_opt-fail-XXXXXX";
    const int fd = mkstemp(ep);
    ck_assert_int_ge(fd, 0);
    fflush(stderr);
    const int e0 = dup(2);
    dup2(fd, 2);
    const int rc = pim_opt_fail(&c, "needs %s", "Z");
    fflush(stderr);
    dup2(e0, 2);
    close(e0);
    close(fd);
    ck_assert_int_eq(rc, PIM_EXIT_BAD_INPUT);
    char *text;
    size_t n;
    pim_error e;
    ck_assert_int_eq(pim_read_file(ep, &text, &n, &e), PIM_OK);
    ck_assert_str_eq(text, "pimcosim x y: needs Z\n");
    free(text);
    unlink(ep);
}
END_TEST

static Suite *opt_suite(void)
{
    Suite *s = suite_create("opt");
    TCase *core = tcase_create("core");
    tcase_add_test(core, test_values);
    tcase_add_test(core, test_help);
    tcase_add_test(core, test_fail);
    suite_add_tcase(s, core);
    TCase *errors = tcase_create("errors");
    tcase_add_loop_test(errors, test_errors, 0, (int)(sizeof k_bad / sizeof k_bad[0]));
    suite_add_tcase(s, errors);
    return s;
}

int main(void)
{
    return tu_run_suite(opt_suite());
}
