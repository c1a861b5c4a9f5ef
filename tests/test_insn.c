/*
 * test_insn.c - instruction parsing in both dialects (harness/load/insn.c): dialect names,
 * each pimcomp form against its strict refusal and hint (global addresses, len, send's rd,
 * integral floats, groups, sizes), vectors (strict, no hint), --dialect auto and its notice
 * (stream.c), and the end of the global input region the loader works out (pass2.c).
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
#include "pim_program.h"
#include "pim_status.h"
#include "testutil.h"

/* ------------------------------------------------------------------ dialects */

#define DIALECT TU_DATA "dialect/"
#define HINT " (this looks like PIMCOMP-NN output: try --dialect pimcomp)"

static pim_program *load_pimcomp(const char *path, uint32_t cores)
{
    pim_program *p;
    pim_error e;
    const pim_status st = tu_load_with(path, cores, PIM_DIALECT_PIMCOMP, 0, 0, &p, &e, NULL);
    char buf[PIM_ERROR_MSG_MAX + 512];
    ck_assert_msg(st == PIM_OK, "%s: %s", path, pim_error_format(&e, buf, sizeof buf));
    ck_assert_int_eq(p->dialect, PIM_DIALECT_PIMCOMP);
    return p;
}

/* Asserts that loading path in dialect d is refused with exactly the one-line error line. */
static void expect_refusal(const char *path, uint32_t cores, pim_dialect d, const char *line)
{
    pim_program *p;
    pim_error e;
    const pim_status st = tu_load_with(path, cores, d, 0, 0, &p, &e, NULL);
    ck_assert_msg(st == PIM_E_INPUT, "%s: status %d", path, (int)st);
    ck_assert_ptr_null(p);
    char buf[PIM_ERROR_MSG_MAX + 512];
    ck_assert_str_eq(pim_error_format(&e, buf, sizeof buf), line);
}

START_TEST(test_dialect_names)
{
    pim_dialect d = PIM_DIALECT_PIMCOMP;
    int detect = 1;
    ck_assert_int_eq(pim_dialect_from_name("strict", &d, &detect), PIM_OK);
    ck_assert_int_eq(d, PIM_DIALECT_STRICT);
    ck_assert_int_eq(detect, 0);
    ck_assert_int_eq(pim_dialect_from_name("pimcomp", &d, &detect), PIM_OK);
    ck_assert_int_eq(d, PIM_DIALECT_PIMCOMP);
    ck_assert_int_eq(detect, 0);
    ck_assert_int_eq(pim_dialect_from_name("auto", &d, &detect), PIM_OK);
    ck_assert_int_eq(d, PIM_DIALECT_STRICT);
    ck_assert_int_eq(detect, 1);
    ck_assert_int_eq(pim_dialect_from_name("PIMCOMP", &d, &detect), PIM_E_INPUT);
    ck_assert_int_eq(pim_dialect_from_name("", &d, &detect), PIM_E_INPUT);
    ck_assert_int_eq(pim_dialect_from_name(NULL, &d, &detect), PIM_E_INPUT);
    ck_assert_int_eq(d, PIM_DIALECT_STRICT); /* untouched by a refusal */
    /* the old entry point is strict and records it */
    pim_config cfg = tu_cfg_cores(2);
    pim_program *p = NULL;
    pim_error e;
    ck_assert_int_eq(pim_load_stream_file(TU_DATA "stream_ok.json", &cfg, &p, &e), PIM_OK);
    ck_assert_int_eq(p->dialect, PIM_DIALECT_STRICT);
    pim_program_free(p);
}
END_TEST

/* Rule 1: ld/sld take the global address from rs1 alone, st from rd alone. */
START_TEST(test_dialect_gaddr)
{
    pim_program *p = load_pimcomp(DIALECT "gaddr.json", 1);
    ck_assert_uint_eq(p->n_insns[0], 4);
    ck_assert_uint_eq(p->insns[0][1].op, PIM_OP_LD);
    ck_assert_uint_eq(p->insns[0][1].rs1, 1);
    ck_assert_uint_eq(p->insns[0][1].len, 64);
    ck_assert_uint_eq(p->insns[0][2].op, PIM_OP_SLD);
    ck_assert_uint_eq(p->insns[0][2].rs1, 1);
    ck_assert_int_eq(p->insns[0][2].offset, 8);
    ck_assert_uint_eq(p->insns[0][3].op, PIM_OP_ST);
    ck_assert_uint_eq(p->insns[0][3].rd, 1);
    ck_assert_uint_eq(p->gmem_input_end, 4160); /* ld [4096, 4160), sld [4104, 4108) */
    pim_program_free(p);
    expect_refusal(DIALECT "gaddr.json", 1, PIM_DIALECT_STRICT,
                   DIALECT "gaddr.json: core 0, instruction 1 (ld), field 'rs1': must be even: "
                   "a global address is the register pair rs1, rs1+1" HINT);

    char line[600];
    ck_assert_int_eq(tu_load_text("{\"core0\": [{\"op\": \"sld\", \"rd\": 2, \"rs1\": 3}]}", 1,
                               PIM_DIALECT_STRICT, &p, line, sizeof line), PIM_E_INPUT);
    ck_assert_str_eq(line, "s.json: core 0, instruction 0 (sld), field 'rs1': must be even: a "
                           "global address is the register pair rs1, rs1+1" HINT);
    ck_assert_int_eq(tu_load_text("{\"core0\": [{\"op\": \"st\", \"rd\": 5, \"rs1\": 2, \"size\": 4}]}",
                               1, PIM_DIALECT_STRICT, &p, line, sizeof line), PIM_E_INPUT);
    ck_assert_str_eq(line, "s.json: core 0, instruction 0 (st), field 'rd': must be even: a "
                           "global address is the register pair rd, rd+1" HINT);
}
END_TEST

/* Rule 2: lmv and lldi give their byte count in len. */
START_TEST(test_dialect_len)
{
    pim_program *p = load_pimcomp(DIALECT "len.json", 1);
    const pim_insn *v = p->insns[0];
    ck_assert_uint_eq(p->n_insns[0], 4);
    ck_assert_uint_eq(v[0].op, PIM_OP_LMV);
    ck_assert_uint_eq(v[0].len, 96);
    ck_assert_uint_eq(v[1].op, PIM_OP_LLDI);
    ck_assert_uint_eq(v[1].len, 128);
    ck_assert_uint_eq(v[1].imm, 7);
    ck_assert_uint_eq(v[2].len, 8); /* len and size agree */
    ck_assert_uint_eq(v[3].len, 5); /* size alone, as strict */
    ck_assert_uint_eq(p->gmem_input_end, 0); /* no ld */
    pim_program_free(p);
    expect_refusal(DIALECT "len.json", 1, PIM_DIALECT_STRICT,
                   DIALECT "len.json: core 0, instruction 0 (lmv), field 'len': is not a field "
                   "of lmv (it must be absent or 0)" HINT);
}
END_TEST

START_TEST(test_dialect_len_conflict)
{
    char line[600];
    pim_program *p;
    ck_assert_int_eq(tu_load_text("{\"core0\": [{\"op\": \"lmv\", \"rd\": 0, \"rs1\": 1, \"len\": 8, "
                               "\"size\": 16}]}",
                               1, PIM_DIALECT_PIMCOMP, &p, line, sizeof line), PIM_E_INPUT);
    ck_assert_str_eq(line, "s.json: core 0, instruction 0 (lmv), field 'len': 8, but size is 16 "
                           "(both give the byte count of lmv)");
    ck_assert_int_eq(tu_load_text("{\"core0\": [{\"op\": \"lldi\", \"rd\": 0, \"len\": 3, "
                               "\"size\": 2}]}",
                               1, PIM_DIALECT_PIMCOMP, &p, line, sizeof line), PIM_E_INPUT);
    ck_assert_str_eq(line, "s.json: core 0, instruction 0 (lldi), field 'len': 3, but size is 2 "
                           "(both give the byte count of lldi)");
    /* len 0 with a size: the size */
    ck_assert_int_eq(tu_load_text("{\"core0\": [{\"op\": \"lmv\", \"len\": 0, \"size\": 16}]}", 1,
                               PIM_DIALECT_PIMCOMP, &p, line, sizeof line), PIM_OK);
    ck_assert_uint_eq(p->insns[0][0].len, 16);
    pim_program_free(p);
    /* len is still not a field of ld in pimcomp */
    ck_assert_int_eq(tu_load_text("{\"core0\": [{\"op\": \"ld\", \"len\": 4}]}", 1,
                               PIM_DIALECT_PIMCOMP, &p, line, sizeof line), PIM_E_INPUT);
    ck_assert_str_eq(line, "s.json: core 0, instruction 0 (ld), field 'len': is not a field of ld "
                           "(it must be absent or 0)");
}
END_TEST

/* Rule 3: send names its register in rd. */
START_TEST(test_dialect_send_rd)
{
    pim_program *p = load_pimcomp(DIALECT "send_rd.json", 2);
    const pim_insn *v = p->insns[0];
    ck_assert_uint_eq(v[0].op, PIM_OP_SEND);
    ck_assert_uint_eq(v[0].rs1, 2);
    ck_assert_uint_eq(v[0].rd, 0); /* send keeps its register in rs1 only */
    ck_assert_uint_eq(v[0].core, 1);
    ck_assert_uint_eq(v[0].len, 16);
    ck_assert_uint_eq(v[1].rs1, 3); /* rd and rs1 agree */
    ck_assert_uint_eq(v[1].rd, 0);
    pim_program_free(p);
    expect_refusal(DIALECT "send_rd.json", 2, PIM_DIALECT_STRICT,
                   DIALECT "send_rd.json: core 0, instruction 0 (send), field 'rd': is not a "
                   "field of send (it must be absent or 0)" HINT);
}
END_TEST

START_TEST(test_dialect_send_conflict)
{
    char line[600];
    pim_program *p;
    ck_assert_int_eq(tu_load_text("{\"core0\": [{\"op\": \"send\", \"rd\": 2, \"rs1\": 3, \"core\": 1, "
                               "\"size\": 4}], \"core1\": [{\"op\": \"recv\", \"core\": 0, "
                               "\"size\": 4}]}",
                               2, PIM_DIALECT_PIMCOMP, &p, line, sizeof line), PIM_E_INPUT);
    ck_assert_str_eq(line, "s.json: core 0, instruction 0 (send), field 'rd': 2, but rs1 is 3 "
                           "(both name the register of send)");
    /* rd on recv is its own field, unchanged */
    ck_assert_int_eq(tu_load_text("{\"core0\": [{\"op\": \"send\", \"rs1\": 3, \"core\": 1, "
                               "\"size\": 4}], \"core1\": [{\"op\": \"recv\", \"rd\": 4, \"core\": 0, "
                               "\"size\": 4}]}",
                               2, PIM_DIALECT_PIMCOMP, &p, line, sizeof line), PIM_OK);
    ck_assert_uint_eq(p->insns[0][0].rs1, 3);
    ck_assert_uint_eq(p->insns[1][0].rd, 4);
    pim_program_free(p);
}
END_TEST

/* Rule 4: integral floats. */
START_TEST(test_dialect_float)
{
    pim_program *p = load_pimcomp(DIALECT "float.json", 1);
    const pim_insn *v = p->insns[0];
    ck_assert_uint_eq(v[0].op, PIM_OP_LLDI);
    ck_assert_uint_eq(v[0].imm, 0);
    ck_assert_uint_eq(v[0].len, 96);
    ck_assert_uint_eq(v[1].rd, 2);
    ck_assert_uint_eq(v[1].imm, 100);
    ck_assert_uint_eq(v[2].len, 4);
    ck_assert_uint_eq(v[2].offset_select, 1);
    ck_assert_int_eq(v[2].offset, -3);
    pim_program_free(p);
    expect_refusal(DIALECT "float.json", 1, PIM_DIALECT_STRICT,
                   DIALECT "float.json: core 0, instruction 0 (lldi), field 'imm': must be an "
                   "integer, not a number with a fraction or exponent (the pimcomp dialect "
                   "writes 0.0)" HINT);
}
END_TEST

START_TEST(test_dialect_float_fraction)
{
    char line[600];
    pim_program *p;
    static const char text[] = "{\"core0\": [{\"op\": \"sldi\", \"rd\": 1, \"imm\": 0.5}]}";
    ck_assert_int_eq(tu_load_text(text, 1, PIM_DIALECT_PIMCOMP, &p, line, sizeof line), PIM_E_INPUT);
    ck_assert_str_eq(line, "s.json: core 0, instruction 0 (sldi), field 'imm': must be an integer "
                           "(got 0.5)");
    /* strict: the same refusal as ever, no hint (pimcomp refuses it too) */
    ck_assert_int_eq(tu_load_text(text, 1, PIM_DIALECT_STRICT, &p, line, sizeof line), PIM_E_INPUT);
    ck_assert_str_eq(line, "s.json: core 0, instruction 0 (sldi), field 'imm': must be an integer, "
                           "not a number with a fraction or exponent (the pimcomp dialect writes "
                           "0.0)");
    ck_assert_int_eq(tu_load_text("{\"core0\": [{\"op\": \"vvadd\", \"len\": 2, \"offset\": "
                               "{\"offset_value\": 1.25}}]}",
                               1, PIM_DIALECT_PIMCOMP, &p, line, sizeof line), PIM_E_INPUT);
    ck_assert_str_eq(line, "s.json: core 0, instruction 0 (vvadd), field 'offset.offset_value': "
                           "must be an integer (got 1.25)");
}
END_TEST

/* Rule 5: core-local group indices above 15, groups from array_group_map. */
START_TEST(test_dialect_groups)
{
    pim_program *p = load_pimcomp(DIALECT "groups.json", 2);
    ck_assert_uint_eq(p->insns[0][1].group, 20);
    ck_assert_uint_eq(p->n_groups, 2); /* core0 group 0 is not used: not created */
    ck_assert_uint_eq(p->groups[0].core, 0);
    ck_assert_uint_eq(p->groups[0].index, 1);
    ck_assert_uint_eq(p->groups[0].mbiw, 8);
    ck_assert_uint_eq(p->groups[0].rows, 128);
    ck_assert_uint_eq(p->groups[0].cols, 64); /* floor(128 / ceil(8/2)) * 2 crossbars */
    ck_assert_ptr_null(p->groups[0].weights);
    ck_assert_uint_eq(p->groups[1].core, 1);
    ck_assert_uint_eq(p->groups[1].index, 0);
    ck_assert_uint_eq(p->groups[1].mbiw, 4);
    ck_assert_uint_eq(p->groups[1].cols, 256); /* floor(128 / 2) * 4 */
    pim_program_free(p);
    expect_refusal(DIALECT "groups.json", 2, PIM_DIALECT_STRICT,
                   DIALECT "groups.json: core 0, instruction 1 (mvmul), field 'group': 20 is "
                   "outside 0..15" HINT);
    char line[600];
    ck_assert_int_eq(tu_load_text("{\"core0\": [{\"op\": \"mvmul\", \"mbiw\": 8, \"group\": 65536}]}",
                               1, PIM_DIALECT_PIMCOMP, &p, line, sizeof line), PIM_E_INPUT);
    ck_assert_str_eq(line, "s.json: core 0, instruction 0 (mvmul), field 'group': 65536 is outside "
                           "0..65535");
    /* an mbiw disagreement is found in one pass, at the first mvmul that disagrees */
    ck_assert_int_eq(tu_load_text("{\"config\": {\"array_group_map\": {\"core0\": [1, 1, 1]}},"
                               "\"core0\": [{\"op\": \"mvmul\", \"mbiw\": 8, \"group\": 2},"
                               "{\"op\": \"mvmul\", \"mbiw\": 4, \"group\": 1},"
                               "{\"op\": \"mvmul\", \"mbiw\": 8, \"group\": 1},"
                               "{\"op\": \"mvmul\", \"mbiw\": 4, \"group\": 2},"
                               "{\"op\": \"mvmul\", \"mbiw\": 2, \"group\": 1}]}",
                               1, PIM_DIALECT_PIMCOMP, &p, line, sizeof line), PIM_E_INPUT);
    ck_assert_str_eq(line, "s.json: core 0, instruction 2 (mvmul), field 'mbiw': group 1 is used "
                           "with mbiw 4 and 8");
}
END_TEST

/* Rule 6: len and size beyond the 11-bit field. */
START_TEST(test_dialect_size)
{
    pim_program *p = load_pimcomp(DIALECT "size.json", 1);
    ck_assert_uint_eq(p->insns[0][0].len, 4096);
    ck_assert_uint_eq(p->insns[0][1].len, 4294967295u);
    ck_assert_uint_eq(p->gmem_input_end, p->cfg.global_mem_size); /* clamped */
    pim_program_free(p);
    expect_refusal(DIALECT "size.json", 1, PIM_DIALECT_STRICT,
                   DIALECT "size.json: core 0, instruction 0 (vvadd), field 'len': 4096 is "
                   "outside 0..2047" HINT);
    char line[600];
    ck_assert_int_eq(tu_load_text("{\"core0\": [{\"op\": \"ld\", \"size\": 4294967296}]}", 1,
                               PIM_DIALECT_PIMCOMP, &p, line, sizeof line), PIM_E_INPUT);
    ck_assert_str_eq(line, "s.json: core 0, instruction 0 (ld), field 'size': 4294967296 is "
                           "outside 0..4294967295");
    /* strict: beyond what pimcomp takes, no hint */
    ck_assert_int_eq(tu_load_text("{\"core0\": [{\"op\": \"ld\", \"size\": 4294967296}]}", 1,
                               PIM_DIALECT_STRICT, &p, line, sizeof line), PIM_E_INPUT);
    ck_assert_str_eq(line, "s.json: core 0, instruction 0 (ld), field 'size': 4294967296 is "
                           "outside 0..2047");
}
END_TEST

/* Vectors are strict and get no hint. */
START_TEST(test_dialect_vector_no_hint)
{
    pim_program *p = NULL;
    pim_error e;
    ck_assert_int_eq(pim_load_vector_file(TU_DATA "vec_refused.json", &p, &e), PIM_OK);
    ck_assert_int_eq(p->refused, 1);
    ck_assert_str_eq(p->refusal.msg, "2048 is outside 0..2047");
    pim_program_free(p);
    ck_assert_int_eq(pim_load_vector_file(TU_DATA "vec_ok.json", &p, &e), PIM_OK);
    ck_assert_uint_eq(p->gmem_input_end, 0);
    ck_assert_int_eq(p->dialect, PIM_DIALECT_STRICT);
    pim_program_free(p);
}
END_TEST

/* --dialect auto: strict, or pimcomp with a notice. */
START_TEST(test_dialect_auto)
{
    pim_program *p;
    pim_error e;
    char notice[320];
    ck_assert_int_eq(tu_load_with(DIALECT "gaddr.json", 1, PIM_DIALECT_STRICT, 1, 0, &p, &e, notice),
                     PIM_OK);
    ck_assert_int_eq(p->dialect, PIM_DIALECT_PIMCOMP);
    ck_assert_uint_eq(p->insns[0][1].rs1, 1);
    ck_assert_str_eq(notice, "pimcosim: " DIALECT "gaddr.json: loading as the pimcomp dialect "
                             "(core 0, instruction 1 (ld): a global address in one register "
                             "(rs1 1))");
    pim_program_free(p);
    static const struct {
        const char *file, *form;
        uint32_t cores;
    } forms[] = {
        {"len.json", "core 0, instruction 0 (lmv): the byte count in len", 1},
        {"send_rd.json", "core 0, instruction 0 (send): the source register of send in rd", 2},
        {"float.json", "core 0, instruction 0 (lldi): an integer written as 0.0", 1},
        {"groups.json", "core 0, instruction 1 (mvmul): group 20 above 15", 2},
        {"size.json", "core 0, instruction 0 (vvadd): len 4096 above 2047", 1},
    };
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        char path[128], want[320];
        snprintf(path, sizeof path, DIALECT "%s", forms[i].file);
        ck_assert_int_eq(tu_load_with(path, forms[i].cores, PIM_DIALECT_STRICT, 1, 0, &p, &e, notice),
                         PIM_OK);
        ck_assert_int_eq(p->dialect, PIM_DIALECT_PIMCOMP);
        snprintf(want, sizeof want, "pimcosim: %s: loading as the pimcomp dialect (%s)", path,
                 forms[i].form);
        ck_assert_str_eq(notice, want);
        pim_program_free(p);
    }
    /* a strict stream stays strict, without a notice */
    ck_assert_int_eq(tu_load_with(TU_DATA "stream_ok.json", 2, PIM_DIALECT_STRICT, 1, 0, &p, &e, notice),
                     PIM_OK);
    ck_assert_int_eq(p->dialect, PIM_DIALECT_STRICT);
    ck_assert_str_eq(notice, "");
    pim_program_free(p);
    /* refused for another reason: the strict refusal, no notice */
    ck_assert_int_eq(tu_load_with(TU_DATA "bad_unknown_op.json", 2, PIM_DIALECT_STRICT, 1, 0, &p, &e,
                               notice),
                     PIM_E_INPUT);
    ck_assert_str_eq(notice, "");
    ck_assert_str_eq(e.field, "op");
    /* a pimcomp form, then an error pimcomp refuses too: the notice and pimcomp's refusal */
    tu_tmp_file t;
    tu_tmp_stream(&t, "{\"core0\": [{\"op\": \"ld\", \"rs1\": 1, \"size\": 4},"
                   "{\"op\": \"sldi\", \"rd\": 1, \"imm\": 0.5}]}");
    ck_assert_int_eq(tu_load_with(t.path, 1, PIM_DIALECT_STRICT, 1, 0, &p, &e, notice), PIM_E_INPUT);
    ck_assert_ptr_nonnull(strstr(notice, "loading as the pimcomp dialect (core 0, instruction 0 "
                                         "(ld)"));
    ck_assert_int_eq(e.index, 1);
    ck_assert_str_eq(e.msg, "must be an integer (got 0.5)");
    /* without detection: the strict refusal and its hint */
    ck_assert_int_eq(tu_load_with(t.path, 1, PIM_DIALECT_STRICT, 0, 0, &p, &e, notice), PIM_E_INPUT);
    ck_assert_str_eq(notice, "");
    ck_assert_int_eq(e.index, 0);
    ck_assert_ptr_nonnull(strstr(e.msg, HINT));
    tu_tmp_done(&t);
}
END_TEST

/* The input region: the end of the highest global read the loader can work out. */
START_TEST(test_dialect_input_end)
{
    static const struct {
        const char *text;
        pim_dialect d;
        uint64_t end; /* UINT64_MAX: the whole memory */
    } cases[] = {
        /* known constants through sldi, saddi, smuli, sadd, ssub; offset_select bit 1 */
        {"{\"core0\": [{\"op\": \"sldi\", \"rd\": 1, \"imm\": 1000},"
         "{\"op\": \"saddi\", \"rd\": 2, \"rs1\": 1, \"imm\": 24},"
         "{\"op\": \"smuli\", \"rd\": 3, \"rs1\": 2, \"imm\": 2},"
         "{\"op\": \"sadd\", \"rd\": 4, \"rs1\": 3, \"rs2\": 2},"
         "{\"op\": \"ssub\", \"rd\": 5, \"rs1\": 4, \"rs2\": 1},"
         "{\"op\": \"ld\", \"rs1\": 5, \"size\": 100, \"offset\": {\"offset_select\": 2, "
         "\"offset_value\": 8}},"
         "{\"op\": \"ld\", \"rs1\": 3, \"size\": 16, \"offset\": {\"offset_select\": 1, "
         "\"offset_value\": 9000}}]}",
         PIM_DIALECT_PIMCOMP, 2180},
        /* smul, and 32-bit wrap-around: 0xffffffff + 17 = 16 */
        {"{\"core0\": [{\"op\": \"sldi\", \"rd\": 1, \"imm\": -1},"
         "{\"op\": \"saddi\", \"rd\": 1, \"rs1\": 1, \"imm\": 17},"
         "{\"op\": \"sldi\", \"rd\": 2, \"imm\": 3},"
         "{\"op\": \"smul\", \"rd\": 3, \"rs1\": 1, \"rs2\": 2},"
         "{\"op\": \"ld\", \"rs1\": 3, \"size\": 4}]}",
         PIM_DIALECT_PIMCOMP, 52},
        /* registers start at 0; sld reads 4 bytes at a + offset_value */
        {"{\"core0\": [{\"op\": \"sld\", \"rd\": 3, \"rs1\": 0, \"offset_value\": 20}]}",
         PIM_DIALECT_PIMCOMP, 24},
        /* a register sld wrote is unknown: the whole memory */
        {"{\"core0\": [{\"op\": \"sld\", \"rd\": 2, \"rs1\": 1},"
         "{\"op\": \"ld\", \"rs1\": 2, \"size\": 4}]}",
         PIM_DIALECT_PIMCOMP, UINT64_MAX},
        /* ... and stays unknown through arithmetic, until sldi makes it known again */
        {"{\"core0\": [{\"op\": \"sld\", \"rd\": 2, \"rs1\": 1},"
         "{\"op\": \"saddi\", \"rd\": 3, \"rs1\": 2, \"imm\": 1},"
         "{\"op\": \"sldi\", \"rd\": 2, \"imm\": 40},"
         "{\"op\": \"ld\", \"rs1\": 2, \"size\": 4},"
         "{\"op\": \"ld\", \"rs1\": 3, \"size\": 4}]}",
         PIM_DIALECT_PIMCOMP, UINT64_MAX},
        {"{\"core0\": [{\"op\": \"sld\", \"rd\": 2, \"rs1\": 1},"
         "{\"op\": \"sldi\", \"rd\": 2, \"imm\": 40},"
         "{\"op\": \"ld\", \"rs1\": 2, \"size\": 4}]}",
         PIM_DIALECT_PIMCOMP, 44},
        /* strict: the pair rs1 (high word), rs1+1 (low word) */
        {"{\"core0\": [{\"op\": \"sldi\", \"rd\": 3, \"imm\": 5000},"
         "{\"op\": \"ld\", \"rs1\": 2, \"size\": 16}]}",
         PIM_DIALECT_STRICT, 5016},
        {"{\"core0\": [{\"op\": \"sldi\", \"rd\": 3, \"imm\": 5000},"
         "{\"op\": \"sldi\", \"rd\": 2, \"imm\": 1},"
         "{\"op\": \"ld\", \"rs1\": 2, \"size\": 16}]}",
         PIM_DIALECT_STRICT, UINT64_MAX}, /* 2^32 + 5000: beyond the memory, clamped */
        {"{\"core0\": [{\"op\": \"sld\", \"rd\": 3, \"rs1\": 0},"
         "{\"op\": \"ld\", \"rs1\": 2, \"size\": 16}]}",
         PIM_DIALECT_STRICT, UINT64_MAX}, /* the low word is unknown */
        /* the max over cores; st and size 0 read nothing */
        {"{\"core0\": [{\"op\": \"sldi\", \"rd\": 1, \"imm\": 64},"
         "{\"op\": \"ld\", \"rs1\": 1, \"size\": 8}],"
         "\"core1\": [{\"op\": \"sldi\", \"rd\": 1, \"imm\": 96},"
         "{\"op\": \"ld\", \"rs1\": 1, \"size\": 8},"
         "{\"op\": \"st\", \"rd\": 0, \"size\": 9000},"
         "{\"op\": \"sld\", \"rd\": 1, \"rs1\": 2},"
         "{\"op\": \"ld\", \"rs1\": 1, \"size\": 0}]}",
         PIM_DIALECT_PIMCOMP, 104},
        {"{\"core0\": [{\"op\": \"sldi\", \"rd\": 1, \"imm\": 64}]}", PIM_DIALECT_PIMCOMP, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        pim_program *p;
        char line[600];
        const pim_status st = tu_load_text(cases[i].text, 2, cases[i].d, &p, line, sizeof line);
        ck_assert_msg(st == PIM_OK, "case %zu: %s", i, line);
        const uint64_t want = cases[i].end == UINT64_MAX ? p->cfg.global_mem_size : cases[i].end;
        ck_assert_msg(p->gmem_input_end == want, "case %zu: input end %llu, expected %llu", i,
                      (unsigned long long)p->gmem_input_end, (unsigned long long)want);
        pim_program_free(p);
    }
}
END_TEST

static Suite *insn_suite(void)
{
    Suite *s = suite_create("insn");
    TCase *dialect = tcase_create("dialect");
    tcase_set_timeout(dialect, 30);
    tcase_add_test(dialect, test_dialect_names);
    tcase_add_test(dialect, test_dialect_gaddr);
    tcase_add_test(dialect, test_dialect_len);
    tcase_add_test(dialect, test_dialect_len_conflict);
    tcase_add_test(dialect, test_dialect_send_rd);
    tcase_add_test(dialect, test_dialect_send_conflict);
    tcase_add_test(dialect, test_dialect_float);
    tcase_add_test(dialect, test_dialect_float_fraction);
    tcase_add_test(dialect, test_dialect_groups);
    tcase_add_test(dialect, test_dialect_size);
    tcase_add_test(dialect, test_dialect_vector_no_hint);
    tcase_add_test(dialect, test_dialect_auto);
    tcase_add_test(dialect, test_dialect_input_end);
    suite_add_tcase(s, dialect);
    return s;
}

int main(void)
{
    return tu_run_suite(insn_suite());
}
