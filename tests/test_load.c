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
    return s;
}

int main(void)
{
    return tu_run_suite(load_suite());
}
