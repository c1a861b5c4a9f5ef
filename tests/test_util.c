/*
 * test_util.c - the harness's shared helpers (harness/util/util.c): FNV-1a against the
 * published test vectors, the strict number parser, the string list, mkdir -p, the clock.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "pim_util.h"
#include "testutil.h"

START_TEST(test_fnv1a)
{
    /* FNV-1a 64 test vectors (Fowler, Noll, Vo: "" is the offset basis) */
    ck_assert_uint_eq(pim_fnv1a_str(""), 0xcbf29ce484222325ull);
    ck_assert_uint_eq(pim_fnv1a_str("a"), 0xaf63dc4c8601ec8cull);
    ck_assert_uint_eq(pim_fnv1a_str("foobar"), 0x85944171f73967e8ull);
    /* incremental: "foo" then "bar" is "foobar" */
    const uint64_t h = pim_fnv1a(pim_fnv1a(PIM_FNV1A_INIT, "foo", 3), "bar", 3);
    ck_assert_uint_eq(h, 0x85944171f73967e8ull);
}
END_TEST

static const struct {
    const char *s;
    int ok;
    uint64_t v;
} k_nums[] = {
    {"0", 1, 0},
    {"42", 1, 42},
    {"0x2A", 1, 42},
    {"0xff", 1, 255},
    {"18446744073709551615", 1, UINT64_MAX},
    {"0xFFFFFFFFFFFFFFFF", 1, UINT64_MAX},
    {"18446744073709551616", 0, 0}, /* 2^64 */
    {"0x10000000000000000", 0, 0},
    {"", 0, 0},
    {"-1", 0, 0},
    {"+1", 0, 0},
    {" 1", 0, 0},
    {"1 ", 0, 0},
    {"0x", 0, 0},
    {"12a", 0, 0},
    {"0xg", 0, 0},
};

START_TEST(test_parse_u64)
{
    uint64_t v = 7;
    const int rc = pim_parse_u64(k_nums[_i].s, &v);
    ck_assert_int_eq(rc, k_nums[_i].ok ? 0 : -1);
    ck_assert_uint_eq(v, k_nums[_i].ok ? k_nums[_i].v : 7); /* untouched on failure */
}
END_TEST

START_TEST(test_paths)
{
    pim_paths l = {0};
    ck_assert_int_eq(pim_paths_push(&l, "b"), 0);
    ck_assert_int_eq(pim_paths_push(&l, "a"), 0);
    ck_assert_int_eq(pim_paths_push(&l, "c"), 0);
    for (int i = 0; i < 100; i++) /* past the first capacity */
        ck_assert_int_eq(pim_paths_push(&l, "z"), 0);
    ck_assert_uint_eq(l.n, 103);
    ck_assert(pim_paths_has(&l, "a"));
    ck_assert(!pim_paths_has(&l, "d"));
    pim_paths_sort(&l);
    ck_assert_str_eq(l.v[0], "a");
    ck_assert_str_eq(l.v[1], "b");
    ck_assert_str_eq(l.v[2], "c");
    ck_assert_str_eq(l.v[102], "z");
    pim_paths_free(&l);
    ck_assert_uint_eq(l.n, 0);
    ck_assert_ptr_null(l.v);
}
END_TEST

START_TEST(test_mkdirs)
{
    char base[] = "/tmp/test_util-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(base));
    char deep[256];
    snprintf(deep, sizeof deep, "%s/a/b/c", base);
    ck_assert_int_eq(pim_mkdirs(deep), 0);
    struct stat sb;
    ck_assert_int_eq(stat(deep, &sb), 0);
    ck_assert(S_ISDIR(sb.st_mode));
    ck_assert_int_eq(pim_mkdirs(deep), 0); /* already there */
    char file[300];
    snprintf(file, sizeof file, "%s/a/f", base);
    tu_write_text(file, "x");
    char under[320];
    snprintf(under, sizeof under, "%s/g", file);
    ck_assert_int_eq(pim_mkdirs(under), -1); /* a component is a file */
    unlink(file);
    for (int k = 0; k < 3; k++) {
        char *s = strrchr(deep, '/');
        ck_assert_int_eq(rmdir(deep), 0);
        *s = '\0';
    }
    ck_assert_int_eq(rmdir(base), 0);
}
END_TEST

START_TEST(test_clock)
{
    const double a = pim_now();
    const struct timespec d = {0, 20000000};
    nanosleep(&d, NULL);
    const double b = pim_now();
    ck_assert(b - a >= 0.019);
    ck_assert(b - a < 5.0);
}
END_TEST

static Suite *util_suite(void)
{
    Suite *s = suite_create("util");
    TCase *core = tcase_create("core");
    tcase_add_test(core, test_fnv1a);
    tcase_add_loop_test(core, test_parse_u64, 0, (int)(sizeof k_nums / sizeof k_nums[0]));
    tcase_add_test(core, test_paths);
    tcase_add_test(core, test_mkdirs);
    tcase_add_test(core, test_clock);
    suite_add_tcase(s, core);
    return s;
}

int main(void)
{
    return tu_run_suite(util_suite());
}
