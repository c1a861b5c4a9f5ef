/*
 * test_pass2.c - the loader's parallel pass 2 (harness/load/pass2.c): any thread count gives
 * the program one thread gives, and the error of the first array in the document that fails;
 * what pass 1 skips by counting brackets is still parsed and refused in pass 2.
 *
 * Expected values are worked out by hand from ../shared/spec/profile.md and docs/isa.md
 * (section 8, "Choices the profile leaves to us"). Fixtures live in tests/data/ (TU_DATA);
 * tests run from the repository root.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <check.h>

#include "pim_config.h"
#include "pim_load.h"
#include "pim_program.h"
#include "pim_status.h"
#include "testutil.h"

/* A stream of several cores, long enough to be shared between threads. bad_at[c] >= 0 puts
 * an error into core c's array at that index: kind 0 a refused field, 1 a syntax error. The
 * cores are written in the order given. */
static char *make_stream(const int *order, int n, const long *bad_at, const int *kind)
{
    size_t cap = 1 << 20, len = 0;
    char *s = malloc(cap);
    ck_assert_ptr_nonnull(s);
#define PUT(...)                                                                                  \
    do {                                                                                          \
        if (cap - len < 512) {                                                                    \
            cap *= 2;                                                                             \
            s = realloc(s, cap);                                                                  \
            ck_assert_ptr_nonnull(s);                                                             \
        }                                                                                         \
        len += (size_t)snprintf(s + len, cap - len, __VA_ARGS__);                                 \
    } while (0)
    PUT("{\"config\": {\"core_cnt\": %d, \"array_group_map\": {\"core0\": [1, 2]}}", n);
    for (int k = 0; k < n; k++) {
        const int c = order[k];
        const long count = 400 + 700L * c;
        PUT(",\n\"core%d\": [", c);
        for (long i = 0; i < count; i++) {
            const char *sep = i ? "," : "";
            if (bad_at[c] == i && kind[c] == 0)
                PUT("%s{\"op\": \"vvadd\", \"len\": 9.5}", sep);
            else if (bad_at[c] == i)
                PUT("%s{\"op\": \"vvadd\" \"len\": 9}", sep);
            else if (i % 5 == 0)
                PUT("%s{\"op\": \"sldi\", \"rd\": %ld, \"imm\": %ld.0}", sep, i % 3, 100 * i + c);
            else if (i % 5 == 1)
                PUT("%s{\"op\": \"ld\", \"rd\": 0, \"rs1\": %ld, \"size\": %ld, "
                    "\"offset\": {\"offset_select\": 0, \"offset_value\": 0}}",
                    sep, (i / 5) % 3, i % 4096);
            else if (i % 5 == 2)
                PUT("%s{\"op\": \"lmv\", \"rd\": 1, \"rs1\": 2, \"len\": %ld}", sep, i % 300);
            else if (i % 5 == 3)
                PUT("%s{\"op\": \"mvmul\", \"rd\": 0, \"rs1\": 1, \"mbiw\": 8, \"group\": %d, "
                    "\"relu\": 1}", sep, c ? 17 : 1);
            else
                PUT("%s{\"op\": \"send\", \"rd\": 2, \"core\": %d, \"size\": 8, "
                    "\"offset\": {\"offset_value\": 0}}", sep, (c + 1) % n);
        }
        PUT("]");
    }
    PUT("}\n");
#undef PUT
    return s;
}

static pim_status load_threads(const char *path, uint32_t cores, int threads, pim_program **p,
                               pim_error *e)
{
    return tu_load_with(path, cores, PIM_DIALECT_PIMCOMP, 0, threads, p, e, NULL);
}

START_TEST(test_dialect_threads_same_program)
{
    static const int order[6] = {2, 0, 5, 1, 4, 3};
    static const long none[6] = {-1, -1, -1, -1, -1, -1};
    static const int kind[6] = {0};
    char *text = make_stream(order, 6, none, kind);
    tu_tmp_file t;
    tu_tmp_stream(&t, text);
    free(text);
    pim_program *one, *many;
    pim_error e;
    ck_assert_int_eq(load_threads(t.path, 6, 1, &one, &e), PIM_OK);
    for (int rep = 0; rep < 5; rep++) {
        const int threads = rep % 2 ? 2 : 3;
        ck_assert_msg(load_threads(t.path, 6, threads, &many, &e) == PIM_OK, "%s", e.msg);
        ck_assert_uint_eq(many->n_cores, one->n_cores);
        for (uint32_t c = 0; c < one->n_cores; c++) {
            ck_assert_uint_eq(many->n_insns[c], one->n_insns[c]);
            ck_assert_uint_eq(one->n_insns[c], 400 + 700u * c);
            ck_assert_int_eq(memcmp(many->insns[c], one->insns[c],
                                    one->n_insns[c] * sizeof *one->insns[c]), 0);
        }
        ck_assert_uint_eq(many->n_groups, one->n_groups);
        /* field by field: pim_group has padding before its pointer, which memcmp would read */
        for (size_t i = 0; i < one->n_groups; i++) {
            const pim_group *gm = &many->groups[i], *go = &one->groups[i];
            ck_assert_uint_eq(gm->core, go->core);
            ck_assert_uint_eq(gm->index, go->index);
            ck_assert_uint_eq(gm->mbiw, go->mbiw);
            ck_assert_uint_eq(gm->rows, go->rows);
            ck_assert_uint_eq(gm->cols, go->cols);
            ck_assert_int_eq(gm->weights == NULL, go->weights == NULL);
            if (go->weights != NULL)
                ck_assert_int_eq(memcmp(gm->weights, go->weights,
                                        (size_t)go->rows * go->cols * sizeof *go->weights), 0);
        }
        ck_assert_uint_eq(many->gmem_input_end, one->gmem_input_end);
        pim_program_free(many);
    }
    /* spot checks of what was parsed */
    ck_assert_uint_eq(one->insns[3][5].op, PIM_OP_SLDI);
    ck_assert_uint_eq(one->insns[3][5].imm, 503);
    ck_assert_uint_eq(one->insns[3][4].op, PIM_OP_SEND);
    ck_assert_uint_eq(one->insns[3][4].rs1, 2);
    ck_assert_uint_eq(one->insns[3][4].core, 4);
    ck_assert_uint_eq(one->insns[0][3].group, 1);
    ck_assert_uint_eq(one->n_groups, 1);
    /* the highest ld: index 3896 of core 5, 3896 bytes from r2 (779 % 3), which sldi set at
     * index 3890 to 100 * 3890 + 5 */
    ck_assert_uint_eq(one->gmem_input_end, 100u * 3890 + 5 + 3896);
    pim_program_free(one);
    tu_tmp_done(&t);
}
END_TEST

/* Errors in several cores: every thread count reports the one of the first array in the
 * document that fails, exactly as one thread does. */
START_TEST(test_dialect_threads_same_error)
{
    static const int order[6] = {0, 4, 1, 5, 2, 3};
    static const struct {
        long bad_at[6];
        int kind[6];
        long core, index; /* the error */
    } cases[] = {
        /* core4 is written before core1 and core5 */
        {{-1, 5, -1, -1, 2500, 900}, {0, 0, 0, 0, 0, 0}, 4, 2500},
        {{-1, 5, -1, -1, 2500, 900}, {0, 1, 0, 0, 0, 0}, 4, 2500},
        /* a syntax error first: its line and column as one thread finds them */
        {{-1, 5, -1, -1, 2500, 900}, {0, 0, 0, 0, 1, 1}, -1, -1},
        {{-1, -1, 10, -1, -1, 3000}, {0, 0, 0, 0, 0, 1}, -1, -1},
        {{-1, -1, 10, -1, -1, 3000}, {0, 0, 1, 0, 0, 0}, 5, 3000},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char *text = make_stream(order, 6, cases[k].bad_at, cases[k].kind);
        tu_tmp_file t;
        tu_tmp_stream(&t, text);
        free(text);
        pim_program *p;
        pim_error one, many;
        char a[PIM_ERROR_MSG_MAX + 512], b[PIM_ERROR_MSG_MAX + 512];
        ck_assert_int_eq(load_threads(t.path, 6, 1, &p, &one), PIM_E_INPUT);
        ck_assert_ptr_null(p);
        pim_error_format(&one, a, sizeof a);
        ck_assert_msg(one.core == cases[k].core && one.index == cases[k].index,
                      "case %zu: %s", k, a);
        if (cases[k].core < 0)
            ck_assert_msg(strstr(a, "JSON syntax error at line") != NULL, "case %zu: %s", k, a);
        for (int rep = 0; rep < 6; rep++) {
            ck_assert_int_eq(load_threads(t.path, 6, 2 + rep % 3, &p, &many), PIM_E_INPUT);
            pim_error_format(&many, b, sizeof b);
            ck_assert_str_eq(b, a);
            ck_assert_int_eq(many.core, one.core);
            ck_assert_int_eq(many.index, one.index);
            ck_assert_str_eq(many.field, one.field);
        }
        tu_tmp_done(&t);
    }
}
END_TEST

/* Pass 1 only counts brackets: what it skips is still parsed and refused in pass 2. */
START_TEST(test_dialect_skip)
{
    char line[600];
    pim_program *p;
    /* brackets and quotes inside strings */
    ck_assert_int_eq(tu_load_text("{\"core0\": [{\"op\": \"nop\"}, {\"op\": \"nop\", \"x]}\\\"[\": 0}],"
                               " \"core1\": []}",
                               2, PIM_DIALECT_PIMCOMP, &p, line, sizeof line), PIM_E_INPUT);
    ck_assert_str_eq(line, "s.json: core 0, instruction 1 (nop), field 'x]}\"[': unknown key");
    /* an array that does not end */
    ck_assert_int_eq(tu_load_text("{\"core0\": [{\"op\": \"nop\"}", 1, PIM_DIALECT_PIMCOMP, &p, line,
                               sizeof line), PIM_E_INPUT);
    ck_assert_ptr_nonnull(strstr(line, "JSON syntax error at line 1"));
    /* mismatched brackets */
    ck_assert_int_eq(tu_load_text("{\"core0\": [{\"op\": \"nop\"]}", 1, PIM_DIALECT_PIMCOMP, &p, line,
                               sizeof line), PIM_E_INPUT);
    ck_assert_ptr_nonnull(strstr(line, "JSON syntax error at line 1"));
    ck_assert_int_eq(tu_load_text("{\"core0\": [{\"op\": \"nop\"} {\"op\": \"nop\"}]}", 1,
                               PIM_DIALECT_PIMCOMP, &p, line, sizeof line), PIM_E_INPUT);
    ck_assert_str_eq(line, "s.json: JSON syntax error at line 1, column 26: expected ',' or ']'");
    /* not an array */
    ck_assert_int_eq(tu_load_text("{\"core0\": {\"op\": \"nop\"}}", 1, PIM_DIALECT_PIMCOMP, &p, line,
                               sizeof line), PIM_E_INPUT);
    ck_assert_str_eq(line, "s.json: core 0, field 'core0': must be an array of instructions");
    /* empty arrays, and an empty stream */
    ck_assert_int_eq(tu_load_text("{\"core0\": [ ], \"core1\": []}", 2, PIM_DIALECT_PIMCOMP, &p, line,
                               sizeof line), PIM_OK);
    ck_assert_uint_eq(p->n_insns[0], 0);
    ck_assert_uint_eq(p->n_insns[1], 0);
    pim_program_free(p);
    /* an array of 64 bytes and more, where a block holds backslashes */
    ck_assert_int_eq(tu_load_text("{\"core0\": [{\"op\": \"nop\"}, {\"op\": \"nop\"},"
                               "{\"op\": \"n\\u006fp\"}, {\"op\": \"nop\"}, {\"op\": \"nop\"}, "
                               "{\"op\": \"nop\"}, {\"op\": \"nop\"}, {\"op\": \"nop\"}]}",
                               1, PIM_DIALECT_PIMCOMP, &p, line, sizeof line), PIM_OK);
    ck_assert_uint_eq(p->n_insns[0], 8);
    pim_program_free(p);
}
END_TEST

static Suite *pass2_suite(void)
{
    Suite *s = suite_create("pass2");
    TCase *dialect = tcase_create("dialect");
    tcase_set_timeout(dialect, 30);
    tcase_add_test(dialect, test_dialect_threads_same_program);
    tcase_add_test(dialect, test_dialect_threads_same_error);
    tcase_add_test(dialect, test_dialect_skip);
    suite_add_tcase(s, dialect);
    return s;
}

int main(void)
{
    return tu_run_suite(pass2_suite());
}
