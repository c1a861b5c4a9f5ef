/*
 * test_mutate.c - the RTL mutant generator (harness/tools/mutate.c): which lines and tokens
 * it mutates, what it leaves alone, the keys, the seeded sample, applying a mutant.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "pim_mutate.h"
#include "testutil.h"

static const char *const k_text =
    "module m;\n"                                 /* 1 */
    "  // a + b in a comment\n"                   /* 2 */
    "  logic [7:0] x;\n"                          /* 3 */
    "  assign y = a + b;\n"                       /* 4 */
    "`ifdef PIM_FAULT_X\n"                        /* 5 */
    "  assign z = a - b;\n"                       /* 6 */
    "`else\n"                                     /* 7 */
    "  assign z = a & b;\n"                       /* 8 */
    "`endif\n"                                    /* 9 */
    "  always_comb begin\n"                       /* 10 */
    "    logic t;\n"                              /* 11 */
    "    t = '0;\n"                               /* 12 */
    "    if (c < 3) t = a;\n"                     /* 13 */
    "    q <= 4'd9;\n"                            /* 14 */
    "  end\n"                                     /* 15 */
    "`ifdef PIM_ASSERT_ON\n"                      /* 16 */
    "  assign w = a + b;\n"                       /* 17 */
    "`endif\n"                                    /* 18 */
    "  assign unused_hi = a ^ b;\n"               /* 19 */
    "endmodule\n";

static const pim_mutant *find(const pim_mutants *m, const char *key)
{
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->v[i].key, key) == 0)
            return &m->v[i];
    return NULL;
}

START_TEST(mutants_of_a_module)
{
    pim_mutants m = {0};
    ck_assert_int_eq(pim_mutants_of_text("rtl/m.sv", k_text, &m), 0);
    /* line 4: the + swapped (column 16), the assign dropped */
    const pim_mutant *p = find(&m, "rtl/m.sv:4:16:plus>minus");
    ck_assert_ptr_nonnull(p);
    ck_assert_str_eq(p->before, "  assign y = a + b;");
    ck_assert_str_eq(p->after, "  assign y = a - b;");
    ck_assert_ptr_nonnull(find(&m, "rtl/m.sv:4:3:drop"));
    /* the `else branch of a fault is logic; the fault branch is not */
    ck_assert_ptr_nonnull(find(&m, "rtl/m.sv:8:16:band>bor"));
    /* line 13: the condition inverted, < to <=, the constant moved both ways */
    p = find(&m, "rtl/m.sv:13:5:if-invert");
    ck_assert_ptr_nonnull(p);
    ck_assert_str_eq(p->after, "    if (!(c < 3)) t = a;");
    ck_assert_ptr_nonnull(find(&m, "rtl/m.sv:13:11:lt>le"));
    ck_assert_str_eq(find(&m, "rtl/m.sv:13:13:const+1")->after, "    if (c < 4) t = a;");
    ck_assert_str_eq(find(&m, "rtl/m.sv:13:13:const-1")->after, "    if (c < 2) t = a;");
    /* a sized literal moved within its width (9 + 1 fits 4 bits, so both), the nonblocking
     * <= left alone, the statement dropped */
    ck_assert_str_eq(find(&m, "rtl/m.sv:14:13:const+1")->after, "    q <= 4'd10;");
    ck_assert_str_eq(find(&m, "rtl/m.sv:14:13:const-1")->after, "    q <= 4'd8;");
    ck_assert_ptr_nonnull(find(&m, "rtl/m.sv:14:5:drop"));
    for (size_t i = 0; i < m.n; i++) {
        ck_assert_msg(m.v[i].line != 2 && m.v[i].line != 3 && m.v[i].line != 6 &&
                          m.v[i].line != 12 && m.v[i].line != 17 && m.v[i].line != 11 &&
                          m.v[i].line != 19,
                      "mutant of a line left alone: %s", m.v[i].key);
        ck_assert_msg(strcmp(m.v[i].op, "le>lt") != 0, "the nonblocking <= swapped: %s",
                      m.v[i].key);
    }
    ck_assert_str_eq(find(&m, "rtl/m.sv:4:3:drop")->after, "  // (dropped) assign y = a + b;");
    ck_assert_uint_eq(m.n, 11);
    pim_mutants_free(&m);
}
END_TEST

START_TEST(apply_and_stale)
{
    pim_mutants m = {0};
    ck_assert_int_eq(pim_mutants_of_text("rtl/m.sv", k_text, &m), 0);
    const pim_mutant *p = find(&m, "rtl/m.sv:4:16:plus>minus");
    char *o = pim_mutant_apply_text(p, k_text);
    ck_assert_ptr_nonnull(o);
    ck_assert_ptr_nonnull(strstr(o, "\n  assign y = a - b;\n`ifdef PIM_FAULT_X\n"));
    ck_assert_ptr_null(strstr(o, "assign y = a + b;"));
    ck_assert_uint_eq(strlen(o), strlen(k_text)); /* one character changed */
    free(o);
    /* the line changed since: the mutant does not apply */
    char *edited = strdup(k_text);
    char *at = strstr(edited, "a + b;");
    at[2] = '*';
    ck_assert_ptr_null(pim_mutant_apply_text(p, edited));
    free(edited);
    pim_mutants_free(&m);
}
END_TEST

START_TEST(sample_is_seeded)
{
    pim_mutants a = {0}, b = {0}, c = {0};
    ck_assert_int_eq(pim_mutants_of_text("rtl/m.sv", k_text, &a), 0);
    ck_assert_int_eq(pim_mutants_of_text("rtl/m.sv", k_text, &b), 0);
    ck_assert_int_eq(pim_mutants_of_text("rtl/m.sv", k_text, &c), 0);
    pim_mutants_sample(&a, 4, 7);
    pim_mutants_sample(&b, 4, 7);
    pim_mutants_sample(&c, 4, 8);
    ck_assert_uint_eq(a.n, 4);
    int differs = 0;
    for (size_t i = 0; i < 4; i++) {
        ck_assert_str_eq(a.v[i].key, b.v[i].key);
        differs |= strcmp(a.v[i].key, c.v[i].key) != 0;
        if (i)
            ck_assert_uint_le(a.v[i - 1].line, a.v[i].line); /* source order kept */
    }
    ck_assert(differs);
    pim_mutants_free(&a);
    pim_mutants_free(&b);
    pim_mutants_free(&c);
}
END_TEST

/* A cast's width is left alone (any width holding the value gives the same result): its
 * operator and its numbers; the operator outside it is swapped. */
START_TEST(cast_width_left_alone)
{
    pim_mutants m = {0};
    ck_assert_int_eq(pim_mutants_of_text("rtl/c.sv", "module c;\n  assign v = (W + 1)'(a) - b;\nendmodule\n",
                                         &m),
                     0);
    ck_assert_ptr_nonnull(find(&m, "rtl/c.sv:2:26:minus>plus"));
    for (size_t i = 0; i < m.n; i++)
        ck_assert_msg(m.v[i].col != 17, "mutant in the cast's width: %s", m.v[i].key);
    pim_mutants_free(&m);
}
END_TEST

/* A case item's statement is dropped, its label kept (the item then does nothing). */
START_TEST(case_item_dropped_label_kept)
{
    pim_mutants m = {0};
    ck_assert_int_eq(pim_mutants_of_text("rtl/k.sv",
                                         "module k;\n  always_comb begin\n    case (op)\n"
                                         "      pim_pkg::OpX:   y = a;\n    endcase\n  end\nendmodule\n",
                                         &m),
                     0);
    const pim_mutant *d = find(&m, "rtl/k.sv:4:23:drop");
    ck_assert_ptr_nonnull(d);
    ck_assert_str_eq(d->after, "      pim_pkg::OpX:   ;  // (dropped)");
    pim_mutants_free(&m);
}
END_TEST

/* The shipped RTL: mutants in both units, none in a fault branch or an assertion. */
START_TEST(mutants_of_the_rtl)
{
    pim_mutants m = {0};
    char msg[200];
    ck_assert_int_eq(pim_mutants_generate(".", pim_mutate_sources(), &m, msg, sizeof msg), 0);
    size_t tile = 0, vu = 0;
    for (size_t i = 0; i < m.n; i++) {
        tile += strstr(m.v[i].file, "xbar_tile") != NULL;
        vu += strstr(m.v[i].file, "vector_unit") != NULL;
        ck_assert_ptr_null(strstr(m.v[i].before, "PIM_FAULT"));
        ck_assert_ptr_null(strstr(m.v[i].before, "$error"));
        ck_assert_ptr_null(strstr(m.v[i].before, "injected"));
    }
    ck_assert_uint_gt(tile, 100);
    ck_assert_uint_gt(vu, 100);
    pim_mutants_free(&m);
    pim_mutants none = {0};
    static const char *const missing[] = {"rtl/no-such.sv", NULL};
    ck_assert_int_eq(pim_mutants_generate(".", missing, &none, msg, sizeof msg), -1);
    ck_assert_ptr_nonnull(strstr(msg, "rtl/no-such.sv"));
}
END_TEST

static Suite *mutate_suite(void)
{
    Suite *s = suite_create("mutate");
    TCase *t = tcase_create("mutants");
    tcase_add_test(t, mutants_of_a_module);
    tcase_add_test(t, apply_and_stale);
    tcase_add_test(t, sample_is_seeded);
    tcase_add_test(t, mutants_of_the_rtl);
    tcase_add_test(t, cast_width_left_alone);
    tcase_add_test(t, case_item_dropped_label_kept);
    suite_add_tcase(s, t);
    return s;
}

int main(void) { return tu_run_suite(mutate_suite()); }
