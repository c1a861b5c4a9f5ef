/*
 * test_load.c - loaders (include/pim_load.h): PIMSIM-NN architecture configs, instruction
 * streams (.json and .json.gz) and conformance vectors, and their one-line errors
 * (pim_error_format). Fixtures live in tests/data/; tests run from the repository root.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <check.h>
#include <zlib.h>

#include "pim_config.h"
#include "pim_load.h"
#include "pim_program.h"
#include "pim_status.h"
#include "testutil.h"

#define DATA "tests/data/"
#define REF "../shared/reference/"

static pim_config cfg_cores(uint32_t n)
{
    pim_config cfg;
    pim_config_default(&cfg);
    cfg.core_cnt = n;
    return cfg;
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* "offset.offset_value" and "offset_value" both name the field. */
static int field_matches(const char *got, const char *want)
{
    if (strcmp(got, want) == 0)
        return 1;
    return strncmp(got, "offset.", 7) == 0 && strcmp(got + 7, want) == 0;
}

/* Asserts the one-line message names the file, and core/index/field when given. */
static void check_message(const pim_error *e, const char *path, long core, long index,
                          const char *field)
{
    char buf[PIM_ERROR_MSG_MAX + 512];
    pim_error_format(e, buf, sizeof buf);
    ck_assert_msg(strchr(buf, '\n') == NULL, "message is not one line: %s", buf);
    ck_assert_msg(strstr(buf, base_name(path)) != NULL, "message does not name %s: %s", path, buf);
    ck_assert_msg(strstr(e->file, base_name(path)) != NULL, "err.file '%s' is not %s", e->file,
                  path);
    char want[64];
    if (core >= 0) {
        snprintf(want, sizeof want, "core %ld", core);
        ck_assert_msg(strstr(buf, want) != NULL, "message lacks '%s': %s", want, buf);
    }
    if (index >= 0) {
        snprintf(want, sizeof want, "instruction %ld", index);
        ck_assert_msg(strstr(buf, want) != NULL, "message lacks '%s': %s", want, buf);
    }
    if (field != NULL && field[0] != '\0')
        ck_assert_msg(strstr(buf, field) != NULL, "message lacks field %s: %s", field, buf);
}

/* ------------------------------------------------------------------ status / errors */

START_TEST(test_status)
{
    ck_assert_int_eq(pim_status_exit_code(PIM_OK), 0);
    ck_assert_int_eq(pim_status_exit_code(PIM_E_MISMATCH), 1);
    ck_assert_int_eq(pim_status_exit_code(PIM_E_INPUT), 2);
    ck_assert_int_eq(pim_status_exit_code(PIM_E_EXEC), 2);
    ck_assert_int_eq(pim_status_exit_code(PIM_E_DEADLOCK), 2);
    ck_assert_int_eq(pim_status_exit_code(PIM_E_IO), 2);
    ck_assert_int_eq(pim_status_exit_code(PIM_E_NOMEM), 2);
    ck_assert_str_eq(pim_status_name(PIM_E_INPUT), "input");
    ck_assert_str_eq(pim_status_name(PIM_E_EXEC), "exec");
    ck_assert_str_eq(pim_status_name(PIM_E_DEADLOCK), "deadlock");

    pim_error e;
    pim_error_clear(&e);
    ck_assert_int_eq(e.status, PIM_OK);
    ck_assert_int_eq(e.core, -1);
    ck_assert_int_eq(e.index, -1);
    ck_assert_str_eq(e.file, "");
    ck_assert_str_eq(e.field, "");
    /* the example of pim_status.h */
    ck_assert_int_eq(pim_error_set(&e, PIM_E_INPUT, 2, 17, "len", "%d does not fit %d bits", 3000, 11),
                     PIM_E_INPUT);
    pim_error_set_file(&e, "vec.json");
    pim_error_set_op(&e, "vvadd");
    ck_assert_int_eq(e.status, PIM_E_INPUT);
    ck_assert_int_eq(e.core, 2);
    ck_assert_int_eq(e.index, 17);
    ck_assert_str_eq(e.field, "len");
    char buf[512];
    ck_assert_ptr_eq(pim_error_format(&e, buf, sizeof buf), buf);
    ck_assert_str_eq(buf, "vec.json: core 2, instruction 17 (vvadd), field 'len': 3000 does not fit 11 bits");
    /* truncation keeps a NUL within n bytes */
    char small[10];
    pim_error_format(&e, small, sizeof small);
    ck_assert_uint_eq(strlen(small), 9);
    ck_assert_int_eq(strncmp(small, "vec.json:", 9), 0);
    /* NULL records are ignored */
    pim_error_clear(NULL);
    ck_assert_int_eq(pim_error_set(NULL, PIM_E_EXEC, 0, 0, "rd", "x"), PIM_E_EXEC);
}
END_TEST

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
    const pim_status st = pim_load_config_file(DATA "config_custom.json", &cfg, &e);
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
    snprintf(path, sizeof path, DATA "%s", bad_configs[_i].file);
    pim_config cfg;
    pim_error e;
    pim_error_clear(&e);
    const pim_status st = pim_load_config_file(path, &cfg, &e);
    ck_assert_msg(st == PIM_E_INPUT, "%s: status %d", path, (int)st);
    ck_assert_int_eq(e.status, PIM_E_INPUT);
    ck_assert_msg(strstr(e.field, bad_configs[_i].field) != NULL, "%s: field '%s', expected %s",
                  path, e.field, bad_configs[_i].field);
    check_message(&e, path, -1, -1, bad_configs[_i].field);
}
END_TEST

START_TEST(test_config_io_errors)
{
    pim_config cfg;
    pim_error e;
    ck_assert_int_eq(pim_load_config_file(DATA "no_such_file.json", &cfg, &e), PIM_E_IO);
    ck_assert_int_eq(e.status, PIM_E_IO);
    ck_assert_int_eq(pim_load_config_file(DATA "bad_malformed.json", &cfg, &e), PIM_E_INPUT);
    check_message(&e, DATA "bad_malformed.json", -1, -1, NULL);
}
END_TEST

/* ------------------------------------------------------------------ streams */

static void check_stream_ok(const pim_program *p)
{
    ck_assert_uint_eq(p->n_cores, 2);
    ck_assert_uint_eq(p->n_insns[0], 6);
    ck_assert_uint_eq(p->n_insns[1], 8);
    const pim_insn *a = p->insns[0], *b = p->insns[1];

    ck_assert_uint_eq(a[0].op, PIM_OP_SLDI);
    ck_assert_uint_eq(a[0].rd, 1);
    ck_assert_uint_eq(a[0].imm, 0xFFFFFFFFu); /* -1 stored as 32-bit two's complement */

    ck_assert_uint_eq(a[1].op, PIM_OP_VVADD);
    ck_assert_uint_eq(a[1].rd, 1);
    ck_assert_uint_eq(a[1].rs1, 2);
    ck_assert_uint_eq(a[1].rs2, 3);
    ck_assert_uint_eq(a[1].len, 4);
    ck_assert_uint_eq(a[1].offset_select, 5);
    ck_assert_int_eq(a[1].offset, -2);

    ck_assert_uint_eq(a[2].op, PIM_OP_SEND);
    ck_assert_uint_eq(a[2].rs1, 4);
    ck_assert_uint_eq(a[2].core, 1);
    ck_assert_uint_eq(a[2].len, 8);
    ck_assert_int_eq(a[2].offset, 3);
    ck_assert_uint_eq(a[2].offset_select, 0);

    ck_assert_uint_eq(a[3].op, PIM_OP_SETBW);
    ck_assert_uint_eq(a[3].ibiw, 16);
    ck_assert_uint_eq(a[3].obiw, 32);

    ck_assert_uint_eq(a[4].op, PIM_OP_MVMUL);
    ck_assert_uint_eq(a[4].rd, 2);
    ck_assert_uint_eq(a[4].rs1, 3);
    ck_assert_uint_eq(a[4].mbiw, 8);
    ck_assert_uint_eq(a[4].group, 15);
    ck_assert_uint_eq(a[4].relu, 1);

    ck_assert_uint_eq(a[5].op, PIM_OP_SADDI);
    ck_assert_uint_eq(a[5].rd, 31);
    ck_assert_uint_eq(a[5].rs1, 30);
    ck_assert_uint_eq(a[5].imm, 0xFFFFFFFFu);

    ck_assert_uint_eq(b[0].op, PIM_OP_RECV);
    ck_assert_uint_eq(b[0].rd, 2);
    ck_assert_uint_eq(b[0].core, 0);
    ck_assert_uint_eq(b[0].len, 8);
    ck_assert_int_eq(b[0].offset, 3);

    ck_assert_uint_eq(b[1].op, PIM_OP_SLD);
    ck_assert_uint_eq(b[1].rd, 3);
    ck_assert_uint_eq(b[1].rs1, 2);
    ck_assert_int_eq(b[1].offset, -4);

    ck_assert_uint_eq(b[2].op, PIM_OP_LLDI);
    ck_assert_uint_eq(b[2].rd, 1);
    ck_assert_uint_eq(b[2].imm, 0xFF); /* -1 stored as one byte */
    ck_assert_uint_eq(b[2].len, 3);

    ck_assert_uint_eq(b[3].op, PIM_OP_WAIT);
    ck_assert_uint_eq(b[3].ev, 7);
    ck_assert_uint_eq(b[3].imm, 1023);

    ck_assert_uint_eq(b[4].op, PIM_OP_SYNC);
    ck_assert_uint_eq(b[4].ev, 31);
    ck_assert_uint_eq(b[4].core, 0);

    /* vavg: bare offset; offset_select accepted and stored as 0 (choices 5) */
    ck_assert_uint_eq(b[5].op, PIM_OP_VAVG);
    ck_assert_uint_eq(b[5].len, 5);
    ck_assert_uint_eq(b[5].rs2, 3);
    ck_assert_int_eq(b[5].offset, 2);
    ck_assert_uint_eq(b[5].offset_select, 0);

    ck_assert_uint_eq(b[6].op, PIM_OP_LD);
    ck_assert_uint_eq(b[6].rd, 5);
    ck_assert_uint_eq(b[6].rs1, 6);
    ck_assert_uint_eq(b[6].len, 2047);
    ck_assert_uint_eq(b[6].offset_select, 3);
    ck_assert_int_eq(b[6].offset, -268435456);

    ck_assert_uint_eq(b[7].op, PIM_OP_SMULI);
    ck_assert_uint_eq(b[7].imm, 0x80000000u);
}

START_TEST(test_stream_ok)
{
    pim_config cfg = cfg_cores(2);
    pim_program *p = NULL;
    pim_error e;
    pim_error_clear(&e);
    const pim_status st = pim_load_stream_file(DATA "stream_ok.json", &cfg, &p, &e);
    ck_assert_msg(st == PIM_OK, "%s", e.msg);
    check_stream_ok(p);
    ck_assert_uint_eq(pim_program_insn_count(p), 14);
    ck_assert_int_eq(p->refused, 0);
    ck_assert_int_eq(p->expects_error, 0);
    pim_program_free(p);
}
END_TEST

START_TEST(test_stream_gz_shipped)
{
    pim_config cfg = cfg_cores(2);
    pim_program *p = NULL;
    pim_error e;
    pim_error_clear(&e);
    const pim_status st = pim_load_stream_file(DATA "stream_ok.json.gz", &cfg, &p, &e);
    ck_assert_msg(st == PIM_OK, "%s", e.msg);
    check_stream_ok(p);
    pim_program_free(p);

    /* pim_read_file gunzips: the same bytes as the plain file */
    char *plain = NULL, *unz = NULL;
    size_t n_plain = 0, n_unz = 0;
    ck_assert_int_eq(pim_read_file(DATA "stream_ok.json", &plain, &n_plain, &e), PIM_OK);
    ck_assert_int_eq(pim_read_file(DATA "stream_ok.json.gz", &unz, &n_unz, &e), PIM_OK);
    ck_assert_uint_eq(n_plain, n_unz);
    ck_assert_mem_eq(plain, unz, n_plain);
    ck_assert_uint_eq((unsigned char)plain[n_plain], 0); /* NUL terminated */
    free(plain);
    free(unz);
}
END_TEST

/* A .json.gz written at test time with zlib, in a fresh temporary directory. */
START_TEST(test_stream_gz_made)
{
    char dir[] = "/tmp/pimcosim_test_load_XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/made.json.gz", dir);
    static const char text[] = "{\"config\": {\"core_cnt\": 1}, \"core0\": ["
                               "{\"op\": \"sldi\", \"rd\": 4, \"imm\": 305419896},"
                               "{\"op\": \"vrelu\", \"rd\": 1, \"rs1\": 2, \"len\": 7}]}";
    gzFile gz = gzopen(path, "wb");
    ck_assert_ptr_nonnull(gz);
    ck_assert_int_eq(gzwrite(gz, text, (unsigned)strlen(text)), (int)strlen(text));
    ck_assert_int_eq(gzclose(gz), Z_OK);

    pim_config cfg = cfg_cores(1);
    pim_program *p = NULL;
    pim_error e;
    pim_error_clear(&e);
    const pim_status st = pim_load_stream_file(path, &cfg, &p, &e);
    ck_assert_msg(st == PIM_OK, "%s", e.msg);
    ck_assert_uint_eq(p->n_cores, 1);
    ck_assert_uint_eq(p->n_insns[0], 2);
    ck_assert_uint_eq(p->insns[0][0].imm, 0x12345678u);
    ck_assert_uint_eq(p->insns[0][1].op, PIM_OP_VRELU);
    ck_assert_uint_eq(p->insns[0][1].len, 7);
    pim_program_free(p);

    /* a corrupt gzip file is refused, not read as garbage */
    char bad[256];
    snprintf(bad, sizeof bad, "%s/bad.json.gz", dir);
    tu_write_text(bad, "this is not gzip data at all");
    p = NULL;
    const pim_status st2 = pim_load_stream_file(bad, &cfg, &p, &e);
    ck_assert_msg(st2 == PIM_E_INPUT || st2 == PIM_E_IO, "corrupt gzip: status %d", (int)st2);
    unlink(bad);
    unlink(path);
    rmdir(dir);
}
END_TEST

static const struct {
    const char *file;
    long core, index;
    const char *field; /* NULL: not checked */
} bad_streams[] = {
    {"bad_malformed.json", -1, -1, NULL},
    {"bad_top_level.json", -1, -1, NULL},
    {"bad_unknown_op.json", 0, 1, "op"},
    {"bad_reg_range.json", 1, 2, "rd"},
    {"bad_neg_reg.json", 0, 0, "rs1"},
    {"bad_len.json", 1, 0, "len"},
    {"bad_size.json", 0, 1, "size"},
    {"bad_float_imm.json", 0, 1, "imm"},
    {"bad_float_integral.json", 0, 0, "imm"},
    {"bad_float_len.json", 1, 0, "len"},
    {"bad_unknown_key.json", 0, 1, "foo"},
    {"bad_missing_op.json", 1, 1, "op"},
    {"bad_op_type.json", 0, 0, "op"},
    {"bad_unused_field.json", 0, 0, "len"},
    {"bad_unused_rs2.json", 0, 0, "rs2"},
    {"bad_odd_rs1_ld.json", 0, 3, "rs1"},
    {"bad_odd_rs1_sld.json", 0, 0, "rs1"},
    {"bad_odd_rd_st.json", 1, 0, "rd"},
    {"bad_offset_value.json", 0, 0, "offset_value"},
    {"bad_offset_select.json", 0, 0, "offset_select"},
    {"bad_sld_offset.json", 0, 0, "offset_value"},
    {"bad_imm_high.json", 0, 0, "imm"},
    {"bad_imm_low.json", 0, 0, "imm"},
    {"bad_lldi_imm.json", 0, 0, "imm"},
    {"bad_lldi_imm_low.json", 0, 0, "imm"},
    {"bad_send_self.json", 0, 0, "core"},
    {"bad_core_range.json", 1, 0, "core"},
    {"bad_relu.json", 0, 0, "relu"},
    {"bad_group.json", 0, 0, "group"},
    {"bad_width.json", 0, 0, "ibiw"},
    {"bad_width_zero.json", 0, 0, "obiw"},
    {"bad_wait_value.json", 0, 0, "wait_value"},
    {"bad_event.json", 0, 0, "event_register"},
    {"bad_string_field.json", 0, 0, "rd"},
};
#define N_BAD_STREAMS ((int)(sizeof bad_streams / sizeof bad_streams[0]))

START_TEST(test_stream_errors)
{
    char path[256];
    snprintf(path, sizeof path, DATA "%s", bad_streams[_i].file);
    pim_config cfg = cfg_cores(2);
    pim_program *p = NULL;
    pim_error e;
    pim_error_clear(&e);
    const pim_status st = pim_load_stream_file(path, &cfg, &p, &e);
    ck_assert_msg(st == PIM_E_INPUT, "%s: status %d (%s)", path, (int)st, e.msg);
    ck_assert_int_eq(e.status, PIM_E_INPUT);
    if (bad_streams[_i].core >= 0) {
        ck_assert_msg(e.core == bad_streams[_i].core, "%s: core %ld, expected %ld", path, e.core,
                      bad_streams[_i].core);
        ck_assert_msg(e.index == bad_streams[_i].index, "%s: index %ld, expected %ld", path,
                      e.index, bad_streams[_i].index);
    }
    if (bad_streams[_i].field != NULL)
        ck_assert_msg(field_matches(e.field, bad_streams[_i].field),
                      "%s: field '%s', expected '%s'", path, e.field, bad_streams[_i].field);
    check_message(&e, path, bad_streams[_i].core, bad_streams[_i].index, bad_streams[_i].field);
    pim_program_free(p);
}
END_TEST

START_TEST(test_stream_io_error)
{
    pim_config cfg = cfg_cores(2);
    pim_program *p = NULL;
    pim_error e;
    ck_assert_int_eq(pim_load_stream_file(DATA "no_such_stream.json", &cfg, &p, &e), PIM_E_IO);
    ck_assert_int_eq(e.status, PIM_E_IO);
    char *buf = NULL;
    size_t n = 0;
    ck_assert_int_eq(pim_read_file(DATA "no_such_stream.json.gz", &buf, &n, &e), PIM_E_IO);
}
END_TEST

/* ------------------------------------------------------------------ vectors */

START_TEST(test_vector_refused)
{
    pim_program *p = NULL;
    pim_error e;
    pim_error_clear(&e);
    const pim_status st = pim_load_vector_file(DATA "vec_refused.json", &p, &e);
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
    check_message(&p->refusal, DATA "vec_refused.json", 0, 1, "len");
    pim_program_free(p);
}
END_TEST

START_TEST(test_vector_ok)
{
    pim_program *p = NULL;
    pim_error e;
    pim_error_clear(&e);
    const pim_status st = pim_load_vector_file(DATA "vec_ok.json", &p, &e);
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

static const char *const bad_vectors[] = {
    "vec_bad_key.json", "vec_bad_id.json", "vec_both.json", "vec_no_id.json",
    "vec_weight_range.json", "bad_malformed.json",
};

START_TEST(test_vector_errors)
{
    char path[256];
    snprintf(path, sizeof path, DATA "%s", bad_vectors[_i]);
    pim_program *p = NULL;
    pim_error e;
    pim_error_clear(&e);
    const pim_status st = pim_load_vector_file(path, &p, &e);
    ck_assert_msg(st == PIM_E_INPUT, "%s: status %d", path, (int)st);
    check_message(&e, path, -1, -1, NULL);
    pim_program_free(p);
}
END_TEST

/* ------------------------------------------------------------------ dialects */

#define DIALECT DATA "dialect/"
#define HINT " (this looks like PIMCOMP-NN output: try --dialect pimcomp)"

/* Loads a stream file with options; *notice (may be NULL) gets the notice. */
static pim_status load_with(const char *path, uint32_t cores, pim_dialect d, int detect,
                            int threads, pim_program **p, pim_error *e, char *notice)
{
    pim_config cfg = cfg_cores(cores);
    pim_load_opts o;
    memset(&o, 0, sizeof o);
    o.dialect = d;
    o.detect = detect;
    o.threads = threads;
    strcpy(o.notice, "stale");
    pim_error_clear(e);
    *p = NULL;
    const pim_status st = pim_load_stream_file_opts(path, &cfg, &o, p, e);
    if (notice)
        snprintf(notice, 320, "%s", o.notice);
    return st;
}

static pim_program *load_pimcomp(const char *path, uint32_t cores)
{
    pim_program *p;
    pim_error e;
    const pim_status st = load_with(path, cores, PIM_DIALECT_PIMCOMP, 0, 0, &p, &e, NULL);
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
    const pim_status st = load_with(path, cores, d, 0, 0, &p, &e, NULL);
    ck_assert_msg(st == PIM_E_INPUT, "%s: status %d", path, (int)st);
    ck_assert_ptr_null(p);
    char buf[PIM_ERROR_MSG_MAX + 512];
    ck_assert_str_eq(pim_error_format(&e, buf, sizeof buf), line);
}

/* A stream written to a fresh temporary file; tmp_done removes it. */
typedef struct tmp_file {
    char dir[64], path[96];
} tmp_file;

static void tmp_stream(tmp_file *t, const char *text)
{
    snprintf(t->dir, sizeof t->dir, "/tmp/pimcosim_test_dialect_XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(t->dir));
    snprintf(t->path, sizeof t->path, "%s/s.json", t->dir);
    tu_write_text(t->path, text);
}

static void tmp_done(tmp_file *t)
{
    unlink(t->path);
    rmdir(t->dir);
}

/* Loads text in dialect d: the status, and the formatted error in line. */
static pim_status load_text(const char *text, uint32_t cores, pim_dialect d, pim_program **p,
                            char *line, size_t n)
{
    tmp_file t;
    tmp_stream(&t, text);
    pim_error e;
    const pim_status st = load_with(t.path, cores, d, 0, 0, p, &e, NULL);
    char buf[PIM_ERROR_MSG_MAX + 512];
    pim_error_format(&e, buf, sizeof buf);
    /* without the directory part, which is random */
    const char *s = strstr(buf, "s.json");
    const char *got = st == PIM_OK ? "" : s ? s : buf;
    const size_t k = strlen(got) < n ? strlen(got) : n - 1;
    memcpy(line, got, k);
    line[k] = '\0';
    tmp_done(&t);
    return st;
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
    pim_config cfg = cfg_cores(2);
    pim_program *p = NULL;
    pim_error e;
    ck_assert_int_eq(pim_load_stream_file(DATA "stream_ok.json", &cfg, &p, &e), PIM_OK);
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
    ck_assert_int_eq(load_text("{\"core0\": [{\"op\": \"sld\", \"rd\": 2, \"rs1\": 3}]}", 1,
                               PIM_DIALECT_STRICT, &p, line, sizeof line), PIM_E_INPUT);
    ck_assert_str_eq(line, "s.json: core 0, instruction 0 (sld), field 'rs1': must be even: a "
                           "global address is the register pair rs1, rs1+1" HINT);
    ck_assert_int_eq(load_text("{\"core0\": [{\"op\": \"st\", \"rd\": 5, \"rs1\": 2, \"size\": 4}]}",
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
    ck_assert_int_eq(load_text("{\"core0\": [{\"op\": \"lmv\", \"rd\": 0, \"rs1\": 1, \"len\": 8, "
                               "\"size\": 16}]}",
                               1, PIM_DIALECT_PIMCOMP, &p, line, sizeof line), PIM_E_INPUT);
    ck_assert_str_eq(line, "s.json: core 0, instruction 0 (lmv), field 'len': 8, but size is 16 "
                           "(both give the byte count of lmv)");
    ck_assert_int_eq(load_text("{\"core0\": [{\"op\": \"lldi\", \"rd\": 0, \"len\": 3, "
                               "\"size\": 2}]}",
                               1, PIM_DIALECT_PIMCOMP, &p, line, sizeof line), PIM_E_INPUT);
    ck_assert_str_eq(line, "s.json: core 0, instruction 0 (lldi), field 'len': 3, but size is 2 "
                           "(both give the byte count of lldi)");
    /* len 0 with a size: the size */
    ck_assert_int_eq(load_text("{\"core0\": [{\"op\": \"lmv\", \"len\": 0, \"size\": 16}]}", 1,
                               PIM_DIALECT_PIMCOMP, &p, line, sizeof line), PIM_OK);
    ck_assert_uint_eq(p->insns[0][0].len, 16);
    pim_program_free(p);
    /* len is still not a field of ld in pimcomp */
    ck_assert_int_eq(load_text("{\"core0\": [{\"op\": \"ld\", \"len\": 4}]}", 1,
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
    ck_assert_int_eq(load_text("{\"core0\": [{\"op\": \"send\", \"rd\": 2, \"rs1\": 3, \"core\": 1, "
                               "\"size\": 4}], \"core1\": [{\"op\": \"recv\", \"core\": 0, "
                               "\"size\": 4}]}",
                               2, PIM_DIALECT_PIMCOMP, &p, line, sizeof line), PIM_E_INPUT);
    ck_assert_str_eq(line, "s.json: core 0, instruction 0 (send), field 'rd': 2, but rs1 is 3 "
                           "(both name the register of send)");
    /* rd on recv is its own field, unchanged */
    ck_assert_int_eq(load_text("{\"core0\": [{\"op\": \"send\", \"rs1\": 3, \"core\": 1, "
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
    ck_assert_int_eq(load_text(text, 1, PIM_DIALECT_PIMCOMP, &p, line, sizeof line), PIM_E_INPUT);
    ck_assert_str_eq(line, "s.json: core 0, instruction 0 (sldi), field 'imm': must be an integer "
                           "(got 0.5)");
    /* strict: the same refusal as ever, no hint (pimcomp refuses it too) */
    ck_assert_int_eq(load_text(text, 1, PIM_DIALECT_STRICT, &p, line, sizeof line), PIM_E_INPUT);
    ck_assert_str_eq(line, "s.json: core 0, instruction 0 (sldi), field 'imm': must be an integer, "
                           "not a number with a fraction or exponent (the pimcomp dialect writes "
                           "0.0)");
    ck_assert_int_eq(load_text("{\"core0\": [{\"op\": \"vvadd\", \"len\": 2, \"offset\": "
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
    ck_assert_int_eq(load_text("{\"core0\": [{\"op\": \"mvmul\", \"mbiw\": 8, \"group\": 65536}]}",
                               1, PIM_DIALECT_PIMCOMP, &p, line, sizeof line), PIM_E_INPUT);
    ck_assert_str_eq(line, "s.json: core 0, instruction 0 (mvmul), field 'group': 65536 is outside "
                           "0..65535");
    /* an mbiw disagreement is found in one pass, at the first mvmul that disagrees */
    ck_assert_int_eq(load_text("{\"config\": {\"array_group_map\": {\"core0\": [1, 1, 1]}},"
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
    ck_assert_int_eq(load_text("{\"core0\": [{\"op\": \"ld\", \"size\": 4294967296}]}", 1,
                               PIM_DIALECT_PIMCOMP, &p, line, sizeof line), PIM_E_INPUT);
    ck_assert_str_eq(line, "s.json: core 0, instruction 0 (ld), field 'size': 4294967296 is "
                           "outside 0..4294967295");
    /* strict: beyond what pimcomp takes, no hint */
    ck_assert_int_eq(load_text("{\"core0\": [{\"op\": \"ld\", \"size\": 4294967296}]}", 1,
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
    ck_assert_int_eq(pim_load_vector_file(DATA "vec_refused.json", &p, &e), PIM_OK);
    ck_assert_int_eq(p->refused, 1);
    ck_assert_str_eq(p->refusal.msg, "2048 is outside 0..2047");
    pim_program_free(p);
    ck_assert_int_eq(pim_load_vector_file(DATA "vec_ok.json", &p, &e), PIM_OK);
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
    ck_assert_int_eq(load_with(DIALECT "gaddr.json", 1, PIM_DIALECT_STRICT, 1, 0, &p, &e, notice),
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
        ck_assert_int_eq(load_with(path, forms[i].cores, PIM_DIALECT_STRICT, 1, 0, &p, &e, notice),
                         PIM_OK);
        ck_assert_int_eq(p->dialect, PIM_DIALECT_PIMCOMP);
        snprintf(want, sizeof want, "pimcosim: %s: loading as the pimcomp dialect (%s)", path,
                 forms[i].form);
        ck_assert_str_eq(notice, want);
        pim_program_free(p);
    }
    /* a strict stream stays strict, without a notice */
    ck_assert_int_eq(load_with(DATA "stream_ok.json", 2, PIM_DIALECT_STRICT, 1, 0, &p, &e, notice),
                     PIM_OK);
    ck_assert_int_eq(p->dialect, PIM_DIALECT_STRICT);
    ck_assert_str_eq(notice, "");
    pim_program_free(p);
    /* refused for another reason: the strict refusal, no notice */
    ck_assert_int_eq(load_with(DATA "bad_unknown_op.json", 2, PIM_DIALECT_STRICT, 1, 0, &p, &e,
                               notice),
                     PIM_E_INPUT);
    ck_assert_str_eq(notice, "");
    ck_assert_str_eq(e.field, "op");
    /* a pimcomp form, then an error pimcomp refuses too: the notice and pimcomp's refusal */
    tmp_file t;
    tmp_stream(&t, "{\"core0\": [{\"op\": \"ld\", \"rs1\": 1, \"size\": 4},"
                   "{\"op\": \"sldi\", \"rd\": 1, \"imm\": 0.5}]}");
    ck_assert_int_eq(load_with(t.path, 1, PIM_DIALECT_STRICT, 1, 0, &p, &e, notice), PIM_E_INPUT);
    ck_assert_ptr_nonnull(strstr(notice, "loading as the pimcomp dialect (core 0, instruction 0 "
                                         "(ld)"));
    ck_assert_int_eq(e.index, 1);
    ck_assert_str_eq(e.msg, "must be an integer (got 0.5)");
    /* without detection: the strict refusal and its hint */
    ck_assert_int_eq(load_with(t.path, 1, PIM_DIALECT_STRICT, 0, 0, &p, &e, notice), PIM_E_INPUT);
    ck_assert_str_eq(notice, "");
    ck_assert_int_eq(e.index, 0);
    ck_assert_ptr_nonnull(strstr(e.msg, HINT));
    tmp_done(&t);
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
        const pim_status st = load_text(cases[i].text, 2, cases[i].d, &p, line, sizeof line);
        ck_assert_msg(st == PIM_OK, "case %zu: %s", i, line);
        const uint64_t want = cases[i].end == UINT64_MAX ? p->cfg.global_mem_size : cases[i].end;
        ck_assert_msg(p->gmem_input_end == want, "case %zu: input end %llu, expected %llu", i,
                      (unsigned long long)p->gmem_input_end, (unsigned long long)want);
        pim_program_free(p);
    }
}
END_TEST

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
    return load_with(path, cores, PIM_DIALECT_PIMCOMP, 0, threads, p, e, NULL);
}

START_TEST(test_dialect_threads_same_program)
{
    static const int order[6] = {2, 0, 5, 1, 4, 3};
    static const long none[6] = {-1, -1, -1, -1, -1, -1};
    static const int kind[6] = {0};
    char *text = make_stream(order, 6, none, kind);
    tmp_file t;
    tmp_stream(&t, text);
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
        ck_assert_int_eq(memcmp(many->groups, one->groups, one->n_groups * sizeof *one->groups), 0);
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
    tmp_done(&t);
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
        tmp_file t;
        tmp_stream(&t, text);
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
        tmp_done(&t);
    }
}
END_TEST

/* Pass 1 only counts brackets: what it skips is still parsed and refused in pass 2. */
START_TEST(test_dialect_skip)
{
    char line[600];
    pim_program *p;
    /* brackets and quotes inside strings */
    ck_assert_int_eq(load_text("{\"core0\": [{\"op\": \"nop\"}, {\"op\": \"nop\", \"x]}\\\"[\": 0}],"
                               " \"core1\": []}",
                               2, PIM_DIALECT_PIMCOMP, &p, line, sizeof line), PIM_E_INPUT);
    ck_assert_str_eq(line, "s.json: core 0, instruction 1 (nop), field 'x]}\"[': unknown key");
    /* an array that does not end */
    ck_assert_int_eq(load_text("{\"core0\": [{\"op\": \"nop\"}", 1, PIM_DIALECT_PIMCOMP, &p, line,
                               sizeof line), PIM_E_INPUT);
    ck_assert_ptr_nonnull(strstr(line, "JSON syntax error at line 1"));
    /* mismatched brackets */
    ck_assert_int_eq(load_text("{\"core0\": [{\"op\": \"nop\"]}", 1, PIM_DIALECT_PIMCOMP, &p, line,
                               sizeof line), PIM_E_INPUT);
    ck_assert_ptr_nonnull(strstr(line, "JSON syntax error at line 1"));
    ck_assert_int_eq(load_text("{\"core0\": [{\"op\": \"nop\"} {\"op\": \"nop\"}]}", 1,
                               PIM_DIALECT_PIMCOMP, &p, line, sizeof line), PIM_E_INPUT);
    ck_assert_str_eq(line, "s.json: JSON syntax error at line 1, column 26: expected ',' or ']'");
    /* not an array */
    ck_assert_int_eq(load_text("{\"core0\": {\"op\": \"nop\"}}", 1, PIM_DIALECT_PIMCOMP, &p, line,
                               sizeof line), PIM_E_INPUT);
    ck_assert_str_eq(line, "s.json: core 0, field 'core0': must be an array of instructions");
    /* empty arrays, and an empty stream */
    ck_assert_int_eq(load_text("{\"core0\": [ ], \"core1\": []}", 2, PIM_DIALECT_PIMCOMP, &p, line,
                               sizeof line), PIM_OK);
    ck_assert_uint_eq(p->n_insns[0], 0);
    ck_assert_uint_eq(p->n_insns[1], 0);
    pim_program_free(p);
    /* an array of 64 bytes and more, where a block holds backslashes */
    ck_assert_int_eq(load_text("{\"core0\": [{\"op\": \"nop\"}, {\"op\": \"nop\"},"
                               "{\"op\": \"n\\u006fp\"}, {\"op\": \"nop\"}, {\"op\": \"nop\"}, "
                               "{\"op\": \"nop\"}, {\"op\": \"nop\"}, {\"op\": \"nop\"}]}",
                               1, PIM_DIALECT_PIMCOMP, &p, line, sizeof line), PIM_OK);
    ck_assert_uint_eq(p->n_insns[0], 8);
    pim_program_free(p);
}
END_TEST

static Suite *load_suite(void)
{
    Suite *s = suite_create("load");
    TCase *core = tcase_create("core");
    tcase_add_test(core, test_status);
    tcase_add_test(core, test_config_default);
    tcase_add_test(core, test_config_pimsim);
    tcase_add_test(core, test_config_pimcomp);
    tcase_add_test(core, test_config_custom);
    tcase_add_test(core, test_stream_ok);
    tcase_add_test(core, test_stream_gz_shipped);
    tcase_add_test(core, test_stream_gz_made);
    tcase_add_test(core, test_vector_ok);
    tcase_add_test(core, test_vector_refused);
    suite_add_tcase(s, core);

    TCase *errors = tcase_create("errors");
    tcase_add_loop_test(errors, test_config_errors, 0,
                        (int)(sizeof bad_configs / sizeof bad_configs[0]));
    tcase_add_test(errors, test_config_io_errors);
    tcase_add_loop_test(errors, test_stream_errors, 0, N_BAD_STREAMS);
    tcase_add_test(errors, test_stream_io_error);
    tcase_add_loop_test(errors, test_vector_errors, 0,
                        (int)(sizeof bad_vectors / sizeof bad_vectors[0]));
    suite_add_tcase(s, errors);

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
    tcase_add_test(dialect, test_dialect_threads_same_program);
    tcase_add_test(dialect, test_dialect_threads_same_error);
    tcase_add_test(dialect, test_dialect_skip);
    suite_add_tcase(s, dialect);
    return s;
}

int main(void)
{
    return tu_run_suite(load_suite());
}
