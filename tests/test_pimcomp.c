/*
 * test_pimcomp.c - what PIMCOMP-NN's networks need beyond issue 6's dialect rules
 * (docs/dialects.md): rule 9, fractional lldi immediates as fixed-point constants and the
 * vvmul that rescales by them; sparse core names and what config.core_cnt counts; the
 * compiler's raw output converted with its VerificationInfo (--pimcomp-info). Each rule with
 * its refusals.
 *
 * Expected values are worked out by hand from the rules as docs/dialects.md states them: q =
 * round(f * 2^F) ties away from zero, F the largest in 0..31 with |q| <= 2^(ibiw-1) - 1, and
 * y = sat_obiw(round(a * q / 2^F)) ties away from zero.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <check.h>

#include "pim_config.h"
#include "pim_golden.h"
#include "pim_load.h"
#include "pim_program.h"
#include "pim_status.h"
#include "testutil.h"

/* ------------------------------------------------------------------ rule 9 */

/* Three pairs at ibiw = obiw = 8:
 *   0.25: F = 8 (0.25 * 2^9 = 128 > 127), q = 64; a = 10 -10 -2 127 -> a/4 = 2.5 -2.5 -0.5
 *         31.75 -> 3 -3 -1 32 (ties away from zero)
 *   1/49: F = 12 (4096/49 = 83.59 -> 84; 8192/49 = 167.2 > 127), q = 84; a = 100 -127 24 25
 *         -> 8400 -10668 2016 2100 / 4096 = 2.05 -2.60 0.49 0.51 -> 2 -3 0 1
 *   100.5: F = 0 (201 > 127), q = 101 (100.5 rounds away); a = 2 -> 202 -> saturates to 127
 * and -0.3: F = 8 (76.8 -> 77; 153.6 > 127), q = -77 = 0xb3, read by a = 100 -> -7700 / 256
 * = -30.08 -> -30. */
static const char k_fixed[] =
    "{\"config\": {\"core_cnt\": 1}, \"core0\": ["
    /* a1 at 16..19, a2 at 48..51, a3 at 80, a4 at 96 (integer lldi of one byte each) */
    "{\"op\": \"sldi\", \"rd\": 3, \"imm\": 16}, {\"op\": \"lldi\", \"rd\": 3, \"imm\": 10, \"len\": 1},"
    "{\"op\": \"sldi\", \"rd\": 3, \"imm\": 17}, {\"op\": \"lldi\", \"rd\": 3, \"imm\": -10, \"len\": 1},"
    "{\"op\": \"sldi\", \"rd\": 3, \"imm\": 18}, {\"op\": \"lldi\", \"rd\": 3, \"imm\": -2, \"len\": 1},"
    "{\"op\": \"sldi\", \"rd\": 3, \"imm\": 19}, {\"op\": \"lldi\", \"rd\": 3, \"imm\": 127, \"len\": 1},"
    "{\"op\": \"sldi\", \"rd\": 3, \"imm\": 48}, {\"op\": \"lldi\", \"rd\": 3, \"imm\": 100, \"len\": 1},"
    "{\"op\": \"sldi\", \"rd\": 3, \"imm\": 49}, {\"op\": \"lldi\", \"rd\": 3, \"imm\": -127, \"len\": 1},"
    "{\"op\": \"sldi\", \"rd\": 3, \"imm\": 50}, {\"op\": \"lldi\", \"rd\": 3, \"imm\": 24, \"len\": 1},"
    "{\"op\": \"sldi\", \"rd\": 3, \"imm\": 51}, {\"op\": \"lldi\", \"rd\": 3, \"imm\": 25, \"len\": 1},"
    "{\"op\": \"sldi\", \"rd\": 3, \"imm\": 80}, {\"op\": \"lldi\", \"rd\": 3, \"imm\": 2, \"len\": 1},"
    "{\"op\": \"sldi\", \"rd\": 3, \"imm\": 96}, {\"op\": \"lldi\", \"rd\": 3, \"imm\": 100, \"len\": 1},"
    /* 20: the constant 0.25 at 0..3, then its vvmul 32 = 16 * const (the constant as rs2) */
    "{\"op\": \"sldi\", \"rd\": 0, \"imm\": 0},"
    "{\"op\": \"lldi\", \"rd\": 0, \"imm\": 0.25, \"len\": 4, \"offset\": {\"offset_select\": 0, \"offset_value\": 0}},"
    "{\"op\": \"sldi\", \"rd\": 0, \"imm\": 32}, {\"op\": \"sldi\", \"rd\": 1, \"imm\": 16},"
    "{\"op\": \"sldi\", \"rd\": 2, \"imm\": 0},"
    "{\"op\": \"vvmul\", \"rd\": 0, \"rs1\": 1, \"rs2\": 2, \"len\": 4},"
    /* 26: 1/49 at 64..67 (offset 60 from 4), read as rs1 this time: 40 = const * 48 */
    "{\"op\": \"sldi\", \"rd\": 0, \"imm\": 4},"
    "{\"op\": \"lldi\", \"rd\": 0, \"imm\": 0.020408163265306121, \"len\": 4, \"offset\": {\"offset_select\": 0, \"offset_value\": 60}},"
    "{\"op\": \"setbw\", \"ibiw\": 8, \"obiw\": 8},"
    "{\"op\": \"sldi\", \"rd\": 0, \"imm\": 40}, {\"op\": \"sldi\", \"rd\": 1, \"imm\": 64},"
    "{\"op\": \"sldi\", \"rd\": 2, \"imm\": 48},"
    "{\"op\": \"vvmul\", \"rd\": 0, \"rs1\": 1, \"rs2\": 2, \"len\": 4},"
    /* 33: 100.5 at 70, 72 = 80 * const */
    "{\"op\": \"sldi\", \"rd\": 0, \"imm\": 70}, {\"op\": \"lldi\", \"rd\": 0, \"imm\": 100.5, \"len\": 1},"
    "{\"op\": \"sldi\", \"rd\": 0, \"imm\": 72}, {\"op\": \"sldi\", \"rd\": 1, \"imm\": 80},"
    "{\"op\": \"sldi\", \"rd\": 2, \"imm\": 70},"
    "{\"op\": \"vvmul\", \"rd\": 0, \"rs1\": 1, \"rs2\": 2, \"len\": 1},"
    /* 39: -0.3 at 90, 91 = 96 * const */
    "{\"op\": \"sldi\", \"rd\": 0, \"imm\": 90}, {\"op\": \"lldi\", \"rd\": 0, \"imm\": -0.3, \"len\": 1},"
    "{\"op\": \"sldi\", \"rd\": 0, \"imm\": 91}, {\"op\": \"sldi\", \"rd\": 1, \"imm\": 96},"
    "{\"op\": \"sldi\", \"rd\": 2, \"imm\": 90},"
    "{\"op\": \"vvmul\", \"rd\": 0, \"rs1\": 1, \"rs2\": 2, \"len\": 1},"
    /* 45: a plain vvmul after them: no rescale (5 * 100 saturates to 127) */
    "{\"op\": \"sldi\", \"rd\": 0, \"imm\": 100}, {\"op\": \"sldi\", \"rd\": 1, \"imm\": 48},"
    "{\"op\": \"sldi\", \"rd\": 2, \"imm\": 19},"
    "{\"op\": \"vvmul\", \"rd\": 0, \"rs1\": 1, \"rs2\": 2, \"len\": 1}"
    "]}";

START_TEST(test_fixed_values)
{
    pim_program *p = NULL;
    char line[600];
    ck_assert_msg(tu_load_text(k_fixed, 1, PIM_DIALECT_PIMCOMP, &p, line, sizeof line) == PIM_OK,
                  "%s", line);
    ck_assert_uint_eq(p->n_frac_imm, 4);
    const pim_insn *v = p->insns[0];
    /* the lldi bytes and F, the vvmuls' F */
    ck_assert_uint_eq(v[21].imm, 64);
    ck_assert_uint_eq(v[21].frac, 8);
    ck_assert_uint_eq(v[25].frac, 8);
    ck_assert_uint_eq(v[27].imm, 84);
    ck_assert_uint_eq(v[27].frac, 12);
    ck_assert_uint_eq(v[32].frac, 12);
    ck_assert_uint_eq(v[34].imm, 101);
    ck_assert_uint_eq(v[34].frac, 0);
    ck_assert_uint_eq(v[40].imm, 0xb3);
    ck_assert_uint_eq(v[40].frac, 8);
    ck_assert_uint_eq(v[44].frac, 8);
    ck_assert_uint_eq(v[48].op, PIM_OP_VVMUL);
    ck_assert_uint_eq(v[48].frac, 0);
    /* the integer lldis stay as they were */
    ck_assert_uint_eq(v[3].imm, 0xf6);
    ck_assert_uint_eq(v[3].frac, 0);

    pim_golden *g = NULL;
    pim_error e;
    ck_assert_int_eq(pim_golden_new(&p->cfg, &g, &e), PIM_OK);
    ck_assert_int_eq(pim_golden_load(g, p, 1, 0, &e), PIM_OK);
    ck_assert_int_eq(pim_golden_run(g, 0, &e), PIM_OK);
    const uint8_t *m = pim_golden_lmem(g, 0);
    static const uint8_t want1[4] = {3, 0xfd, 0xff, 32};
    static const uint8_t want2[4] = {2, 0xfd, 0, 1};
    for (int i = 0; i < 4; i++) {
        ck_assert_uint_eq(m[i], 64);
        ck_assert_uint_eq(m[64 + i], 84);
        ck_assert_uint_eq(m[32 + i], want1[i]);
        ck_assert_uint_eq(m[40 + i], want2[i]);
    }
    ck_assert_uint_eq(m[72], 127);
    ck_assert_uint_eq(m[91], (uint8_t)-30);
    ck_assert_uint_eq(m[100], 127);
    pim_golden_free(g);
    pim_program_free(p);
}
END_TEST

/* Refusals: (stream text of core0, dialect, index, field, words of the message). */
#define HEAD "{\"config\": {\"core_cnt\": 1}, \"core0\": ["
#define FRAC(imm) "{\"op\": \"sldi\", \"rd\": 0, \"imm\": 0}, {\"op\": \"lldi\", \"rd\": 0, \"imm\": " imm ", \"len\": 4},"
#define MUL "{\"op\": \"sldi\", \"rd\": 1, \"imm\": 8}, {\"op\": \"sldi\", \"rd\": 2, \"imm\": 0}," \
            "{\"op\": \"vvmul\", \"rd\": 1, \"rs1\": 1, \"rs2\": 2, \"len\": 4}"
static const struct {
    const char *name, *text;
    pim_dialect d;
    long index;
    const char *field, *words;
} k_refused[] = {
    {"next is not a vvmul", HEAD FRAC("0.25") "{\"op\": \"vvadd\", \"rd\": 1, \"rs1\": 1, \"rs2\": 2, \"len\": 4}]}",
     PIM_DIALECT_PIMCOMP, 1, "imm", "must be read by the next vector instruction, a vvmul, but instruction 2 is vvadd"},
    {"the core ends first", HEAD "{\"op\": \"sldi\", \"rd\": 0, \"imm\": 0}, {\"op\": \"lldi\", \"rd\": 0, \"imm\": 0.25, \"len\": 4}]}",
     PIM_DIALECT_PIMCOMP, 1, "imm", "but the core ends first"},
    {"both operands read it", HEAD FRAC("0.25") "{\"op\": \"vvmul\", \"rd\": 1, \"rs1\": 0, \"rs2\": 0, \"len\": 4}]}",
     PIM_DIALECT_PIMCOMP, 2, "rs1", "both operands read it"},
    {"neither operand reads it", HEAD FRAC("0.25") "{\"op\": \"sldi\", \"rd\": 1, \"imm\": 8}, {\"op\": \"vvmul\", \"rd\": 1, \"rs1\": 1, \"rs2\": 1, \"len\": 4}]}",
     PIM_DIALECT_PIMCOMP, 3, "rs1", "neither operand lies within"},
    {"partly inside", HEAD FRAC("0.25") "{\"op\": \"sldi\", \"rd\": 1, \"imm\": 8}, {\"op\": \"sldi\", \"rd\": 2, \"imm\": 2}, {\"op\": \"vvmul\", \"rd\": 1, \"rs1\": 1, \"rs2\": 2, \"len\": 4}]}",
     PIM_DIALECT_PIMCOMP, 4, "rs1", "neither operand lies within"},
    {"ibiw 16", HEAD "{\"op\": \"sldi\", \"rd\": 0, \"imm\": 0}, {\"op\": \"lldi\", \"rd\": 0, \"imm\": 0.25, \"len\": 8},"
     "{\"op\": \"setbw\", \"ibiw\": 16, \"obiw\": 16}," MUL "]}",
     PIM_DIALECT_PIMCOMP, 5, "rs2", "ibiw outside 2..8"},
    {"unknown address", HEAD "{\"op\": \"sld\", \"rd\": 0, \"rs1\": 4, \"offset_value\": 0}, {\"op\": \"lldi\", \"rd\": 0, \"imm\": 0.25, \"len\": 4}," MUL "]}",
     PIM_DIALECT_PIMCOMP, 1, "imm", "must be a known constant"},
    {"too large for a byte", HEAD FRAC("200.5") MUL "]}",
     PIM_DIALECT_PIMCOMP, 1, "imm", "does not fit a fixed-point byte at ibiw 8"},
    {"outside the byte range", HEAD FRAC("300.5") MUL "]}",
     PIM_DIALECT_PIMCOMP, 1, "imm", "300.5 is outside -128..255"},
    {"a fraction elsewhere", HEAD "{\"op\": \"sldi\", \"rd\": 0, \"imm\": 0.5}]}",
     PIM_DIALECT_PIMCOMP, 0, "imm", "must be an integer (got 0.5)"},
    {"strict: the hint", HEAD FRAC("0.25") MUL "]}",
     PIM_DIALECT_STRICT, 1, "imm", "reads a fraction here as a fixed-point constant) (this looks like PIMCOMP-NN output: try --dialect pimcomp)"},
};
enum { N_REFUSED = sizeof k_refused / sizeof k_refused[0] };

START_TEST(test_fixed_refused)
{
    pim_program *p = NULL;
    char line[700];
    ck_assert_int_eq(tu_load_text(k_refused[_i].text, 1, k_refused[_i].d, &p, line, sizeof line),
                     PIM_E_INPUT);
    ck_assert_ptr_null(p);
    char where[96];
    snprintf(where, sizeof where, "core 0, instruction %ld", k_refused[_i].index);
    ck_assert_msg(strstr(line, where), "%s: %s", k_refused[_i].name, line);
    char field[64];
    snprintf(field, sizeof field, "field '%s'", k_refused[_i].field);
    ck_assert_msg(strstr(line, field), "%s: %s", k_refused[_i].name, line);
    ck_assert_msg(strstr(line, k_refused[_i].words), "%s: %s", k_refused[_i].name, line);
}
END_TEST

/* text loaded with --dialect auto on `cores` cores: must load; *p gets the program. */
static void load_auto(const char *text, uint32_t cores, pim_program **p, char *notice)
{
    tu_tmp_file t;
    tu_tmp_stream(&t, text);
    pim_error e;
    ck_assert_int_eq(tu_load_with(t.path, cores, PIM_DIALECT_STRICT, 1, 0, p, &e, notice), PIM_OK);
    tu_tmp_done(&t);
}

/* --dialect auto: a strict refusal of a fractional lldi loads as pimcomp, with the notice. */
START_TEST(test_fixed_auto)
{
    pim_program *p = NULL;
    char notice[320];
    load_auto(HEAD FRAC("0.25") MUL "]}", 1, &p, notice);
    ck_assert_ptr_nonnull(strstr(notice, "(core 0, instruction 1 (lldi): a fractional lldi imm 0.25)"));
    ck_assert_int_eq(p->dialect, PIM_DIALECT_PIMCOMP);
    ck_assert_uint_eq(p->n_frac_imm, 1);
    ck_assert_uint_eq(p->insns[0][1].imm, 64);
    pim_program_free(p);
}
END_TEST

/* ------------------------------------------------------------------ sparse core names */

static const char k_sparse[] =
    "{\"config\": {\"core_cnt\": 2}, \"core0\": [{\"op\": \"sldi\", \"rd\": 1, \"imm\": 7}],"
    " \"core5\": [{\"op\": \"sldi\", \"rd\": 1, \"imm\": 9}]}";

START_TEST(test_sparse_cores)
{
    pim_program *p = NULL;
    char line[600];
    /* pimcomp: 2 cores named (core_cnt 2), the machine has core0..core5, 1..4 idle */
    ck_assert_msg(tu_load_text(k_sparse, 8, PIM_DIALECT_PIMCOMP, &p, line, sizeof line) == PIM_OK,
                  "%s", line);
    ck_assert_uint_eq(p->n_cores, 6);
    ck_assert_uint_eq(p->n_insns[0], 1);
    for (uint32_t c = 1; c < 5; c++)
        ck_assert_uint_eq(p->n_insns[c], 0);
    ck_assert_uint_eq(p->insns[5][0].imm, 9);
    pim_program_free(p);
    p = NULL;
    /* pimcomp: core_cnt must be the number named */
    ck_assert_int_eq(tu_load_text("{\"config\": {\"core_cnt\": 3}, \"core0\": [], \"core5\": []}", 8,
                                  PIM_DIALECT_PIMCOMP, &p, line, sizeof line), PIM_E_INPUT);
    ck_assert_ptr_nonnull(strstr(line, "field 'config.core_cnt': 3, but the stream names 2 cores"));
    /* the architecture must have core0 up to the highest name */
    ck_assert_int_eq(tu_load_text(k_sparse, 4, PIM_DIALECT_PIMCOMP, &p, line, sizeof line),
                     PIM_E_INPUT);
    ck_assert_ptr_nonnull(strstr(line, "needs 6 cores (core0 up to its highest name), the "
                                       "architecture has 4"));
    /* strict: core_cnt is the machine's size; the sparse form gets the hint */
    ck_assert_int_eq(tu_load_text(k_sparse, 8, PIM_DIALECT_STRICT, &p, line, sizeof line),
                     PIM_E_INPUT);
    ck_assert_ptr_nonnull(strstr(line, "field 'config.core_cnt': 2, but the stream has core5 "
                                       "(this looks like PIMCOMP-NN output: try --dialect pimcomp)"));
    /* a core_cnt that is neither: no hint */
    ck_assert_int_eq(tu_load_text("{\"config\": {\"core_cnt\": 3}, \"core0\": [], \"core5\": []}", 8,
                                  PIM_DIALECT_STRICT, &p, line, sizeof line), PIM_E_INPUT);
    ck_assert_ptr_null(strstr(line, "try --dialect"));
    /* auto: the notice names the form */
    char notice[320];
    load_auto(k_sparse, 8, &p, notice);
    ck_assert_ptr_nonnull(strstr(notice, "(config.core_cnt: sparse core names: 2 cores, up to core5)"));
    ck_assert_uint_eq(p->n_cores, 6);
    pim_program_free(p);
}
END_TEST

/* ------------------------------------------------------------------ raw output */

/* Raw: core0's MVMULs use AG 3, 2, 3 (crossbars 2, 1, 2): its groups are AG2 -> 0 and AG3 ->
 * 1, map [1, 2]; core1's one MVMUL uses AG0 (1 crossbar): group 0, map [1]. */
#define MV(g) "{\"op\": \"mvmul\", \"rd\": 0, \"rs1\": 0, \"mbiw\": 8, \"group\": " #g "}"
static const char k_raw[] =
    "{\"config\": {\"core_cnt\": 2},"
    " \"core0\": [" MV(2) ", {\"op\": \"sldi\", \"rd\": 1, \"imm\": 7}, " MV(1) ", " MV(2) "],"
    " \"core1\": [" MV(1) "]}";
#define AG(i, k) "{\"AG_index\": " #i ", \"crossbar_num\": " #k ", \"node_name\": \"n\"}"
#define INFO_HEAD "{\"AG_info\": [" AG(0, 1) ", " AG(1, 2) ", " AG(2, 1) ", " AG(3, 2) "]," \
                  " \"comm_pair_total_num\": 0, \"instruction\": {\"core_list\": ["
#define M(s) "{\"operation\": \"MVMUL\", \"source\": " #s ", \"stage\": \"MAIN\"}"
#define LD "{\"operation\": \"LD\", \"element_num\": 96}"
static const char k_info[] = INFO_HEAD "[" M(3) ", " LD ", " M(2) ", " M(3) "], [" M(0) "], null]},"
                             " \"node_list\": [{\"a\": [1, {\"b\": 2}]}], \"reshape_info\": {}}";

/* Loads stream text with VerificationInfo text (NULL: no --pimcomp-info) on 4 cores. */
static pim_status load_raw(const char *stream, const char *info, pim_program **p, char *line,
                           size_t n)
{
    tu_tmp_file t;
    tu_tmp_stream(&t, stream);
    char ipath[128];
    snprintf(ipath, sizeof ipath, "%s/v.json", t.dir);
    if (info)
        tu_write_text(ipath, info);
    pim_config cfg = tu_cfg_cores(4);
    pim_load_opts o = {PIM_DIALECT_PIMCOMP, 0, 1, "", 0, info ? ipath : NULL};
    pim_error e;
    const pim_status st = pim_load_stream_file_opts(t.path, &cfg, &o, p, &e);
    char buf[PIM_ERROR_MSG_MAX + 512];
    pim_error_format(&e, buf, sizeof buf);
    const char *s = strstr(buf, "s.json");
    const char *vs = strstr(buf, "v.json");
    const char *got = st == PIM_OK ? "" : s ? s : vs ? vs : buf;
    const size_t k = strlen(got) < n ? strlen(got) : n - 1;
    memcpy(line, got, k);
    line[k] = '\0';
    if (info)
        unlink(ipath);
    tu_tmp_done(&t);
    return st;
}

START_TEST(test_raw_converted)
{
    pim_program *p = NULL;
    char line[700];
    ck_assert_msg(load_raw(k_raw, k_info, &p, line, sizeof line) == PIM_OK, "%s", line);
    ck_assert_uint_eq(p->insns[0][0].group, 1);
    ck_assert_uint_eq(p->insns[0][2].group, 0);
    ck_assert_uint_eq(p->insns[0][3].group, 1);
    ck_assert_uint_eq(p->insns[1][0].group, 0);
    ck_assert_uint_eq(p->n_groups, 3);
    /* group columns: k crossbars of xbar_cols / ceil(8 / cell_precision) columns each */
    const uint32_t per = p->cfg.xbar_cols / ((8 + p->cfg.cell_precision - 1) / p->cfg.cell_precision);
    for (size_t i = 0; i < p->n_groups; i++) {
        const pim_group *g = &p->groups[i];
        const uint32_t k = g->core == 0 && g->index == 1 ? 2 : 1;
        ck_assert_uint_eq(g->cols, per * k);
        ck_assert_uint_eq(g->rows, p->cfg.xbar_rows);
    }
    pim_program_free(p);
    p = NULL;
    /* the converted form of the same stream, checked against the same info: it agrees */
    static const char conv[] =
        "{\"config\": {\"core_cnt\": 2, \"array_group_map\": {\"core0\": [1, 2], \"core1\": [1]}},"
        " \"core0\": [" MV(1) ", {\"op\": \"sldi\", \"rd\": 1, \"imm\": 7}, " MV(0) ", " MV(1) "],"
        " \"core1\": [" MV(0) "]}";
    ck_assert_msg(load_raw(conv, k_info, &p, line, sizeof line) == PIM_OK, "%s", line);
    ck_assert_uint_eq(p->insns[0][0].group, 1);
    pim_program_free(p);
}
END_TEST

static const struct {
    const char *name, *stream, *info, *words;
} k_raw_bad[] = {
    {"no --pimcomp-info", k_raw, NULL,
     "s.json: core 0, instruction 0 (mvmul), field 'group': the stream has no "
     "config.array_group_map, so no array group: PIMCOMP-NN's raw output, whose mvmul.group is "
     "a crossbar count? Give its VerificationInfo.json with --pimcomp-info FILE"},
    {"a crossbar count that disagrees",
     "{\"config\": {\"core_cnt\": 2}, \"core0\": [" MV(2) ", " MV(2) ", " MV(1) ", " MV(2) "], \"core1\": [" MV(1) "]}",
     k_info, "s.json: core 0, instruction 1 (mvmul), field 'group': 2 crossbars, but MVMUL 1 of "
             "core 0 in the VerificationInfo uses array group 2, of 1 crossbars"},
    {"one mvmul more than the info",
     "{\"config\": {\"core_cnt\": 2}, \"core0\": [" MV(2) ", " MV(1) ", " MV(2) "], \"core1\": [" MV(1) ", " MV(1) "]}",
     k_info, "core 1, instruction 1 (mvmul), field 'group': this is mvmul 1 of core 1, but the "
             "VerificationInfo"},
    {"one mvmul fewer than the info",
     "{\"config\": {\"core_cnt\": 2}, \"core0\": [" MV(2) ", " MV(1) "], \"core1\": [" MV(1) "]}",
     k_info, "s.json: core 0, field 'group': the stream has 2 mvmuls on core 0, its "
             "VerificationInfo"},
    {"a core the stream lacks",
     "{\"config\": {\"core_cnt\": 1}, \"core0\": [" MV(2) ", " MV(1) ", " MV(2) "]}",
     k_info, "core 1, field 'group': the VerificationInfo"},
    {"a converted group index that disagrees",
     "{\"config\": {\"core_cnt\": 2, \"array_group_map\": {\"core0\": [1, 2], \"core1\": [1]}},"
     " \"core0\": [" MV(0) ", " MV(0) ", " MV(1) "], \"core1\": [" MV(0) "]}",
     k_info, "s.json: core 0, instruction 0 (mvmul), field 'group': group 0, but MVMUL 0 of core "
             "0 in the VerificationInfo uses array group 3, the core's group 1"},
    {"a converted map that disagrees",
     "{\"config\": {\"core_cnt\": 2, \"array_group_map\": {\"core0\": [1, 1], \"core1\": [1]}},"
     " \"core0\": [" MV(1) ", " MV(0) ", " MV(1) "], \"core1\": [" MV(0) "]}",
     k_info, "field 'config.array_group_map': core0 group 1 has 1 crossbars, the VerificationInfo 2"},
    {"a source outside AG_info", k_raw,
     INFO_HEAD "[" M(3) ", " M(9) ", " M(3) "], [" M(0) "]]}}",
     "v.json: core 0, field 'source': an MVMUL of core 0 uses array group 9, but AG_info has 4"},
    {"AG_index out of order", k_raw,
     "{\"AG_info\": [" AG(1, 1) "], \"instruction\": {\"core_list\": []}}",
     "v.json: field 'AG_info[0].AG_index': 1, but it is element 0"},
    {"a key twice", k_raw,
     "{\"AG_info\": [{\"AG_index\": 0, \"crossbar_num\": 1, \"crossbar_num\": 2}], \"instruction\": {\"core_list\": []}}",
     "v.json"},
    {"not a VerificationInfo", k_raw, "{\"AG_info\": []}",
     "v.json: field 'instruction.core_list': missing: is this PIMCOMP-NN's VerificationInfo.json?"},
    {"an MVMUL without source", k_raw,
     INFO_HEAD "[{\"operation\": \"MVMUL\"}]]}}",
     "v.json: core 0, instruction 0, field 'source': missing"},
    {"malformed", k_raw, "{\"AG_info\": [", "v.json"},
};
enum { N_RAW_BAD = sizeof k_raw_bad / sizeof k_raw_bad[0] };

START_TEST(test_raw_refused)
{
    pim_program *p = NULL;
    char line[700];
    ck_assert_int_eq(load_raw(k_raw_bad[_i].stream, k_raw_bad[_i].info, &p, line, sizeof line),
                     PIM_E_INPUT);
    ck_assert_ptr_null(p);
    ck_assert_msg(strstr(line, k_raw_bad[_i].words), "%s: %s", k_raw_bad[_i].name, line);
    ck_assert_msg(!strchr(line, '\n'), "%s: more than one line: %s", k_raw_bad[_i].name, line);
}
END_TEST

static Suite *pimcomp_suite(void)
{
    Suite *s = suite_create("pimcomp");
    TCase *fixed = tcase_create("fixed");
    tcase_add_test(fixed, test_fixed_values);
    tcase_add_loop_test(fixed, test_fixed_refused, 0, N_REFUSED);
    tcase_add_test(fixed, test_fixed_auto);
    suite_add_tcase(s, fixed);
    TCase *cores = tcase_create("cores");
    tcase_add_test(cores, test_sparse_cores);
    suite_add_tcase(s, cores);
    TCase *raw = tcase_create("raw");
    tcase_add_test(raw, test_raw_converted);
    tcase_add_loop_test(raw, test_raw_refused, 0, N_RAW_BAD);
    suite_add_tcase(s, raw);
    return s;
}

int main(void)
{
    return tu_run_suite(pimcomp_suite());
}
