/*
 * test_stream.c - strict instruction streams (harness/load/stream.c, file.c): a stream of
 * every form, .json.gz shipped and made with zlib, the refusals with their one-line errors
 * (core, instruction, field), and I/O errors.
 *
 * Expected values are worked out by hand from ../shared/spec/profile.md and docs/isa.md
 * (section 8, "Choices the profile leaves to us"). Fixtures live in tests/data/ (TU_DATA);
 * tests run from the repository root.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <check.h>
#include <zlib.h>

#include "pim_config.h"
#include "pim_load.h"
#include "pim_program.h"
#include "pim_status.h"
#include "testutil.h"

/* "offset.offset_value" and "offset_value" both name the field. */
static int field_matches(const char *got, const char *want)
{
    if (strcmp(got, want) == 0)
        return 1;
    return strncmp(got, "offset.", 7) == 0 && strcmp(got + 7, want) == 0;
}

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

    /* vavg: bare offset; offset_select accepted and stored as 0 (docs/isa.md 8, choice 5) */
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
    pim_config cfg = tu_cfg_cores(2);
    pim_program *p = NULL;
    pim_error e;
    pim_error_clear(&e);
    const pim_status st = pim_load_stream_file(TU_DATA "stream_ok.json", &cfg, &p, &e);
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
    pim_config cfg = tu_cfg_cores(2);
    pim_program *p = NULL;
    pim_error e;
    pim_error_clear(&e);
    const pim_status st = pim_load_stream_file(TU_DATA "stream_ok.json.gz", &cfg, &p, &e);
    ck_assert_msg(st == PIM_OK, "%s", e.msg);
    check_stream_ok(p);
    pim_program_free(p);

    /* pim_read_file gunzips: the same bytes as the plain file */
    char *plain = NULL, *unz = NULL;
    size_t n_plain = 0, n_unz = 0;
    ck_assert_int_eq(pim_read_file(TU_DATA "stream_ok.json", &plain, &n_plain, &e), PIM_OK);
    ck_assert_int_eq(pim_read_file(TU_DATA "stream_ok.json.gz", &unz, &n_unz, &e), PIM_OK);
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

    pim_config cfg = tu_cfg_cores(1);
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
    /* hostile input (docs/bad-inputs.md) */
    {"hostile/stream_dup_insn_key.json", 0, 0, "imm"},
    {"hostile/stream_dup_core_cnt.json", -1, -1, "config.core_cnt"},
    {"hostile/stream_nul_op.json", 0, 0, "op"},
    {"hostile/stream_nul_core.json", -1, -1, "core0\\u0000x"},
    {"hostile/stream_group_65536.json", 0, -1, "config.array_group_map"},
};
#define N_BAD_STREAMS ((int)(sizeof bad_streams / sizeof bad_streams[0]))

START_TEST(test_stream_errors)
{
    char path[256];
    snprintf(path, sizeof path, TU_DATA "%s", bad_streams[_i].file);
    pim_config cfg = tu_cfg_cores(2);
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
    tu_check_message(&e, path, bad_streams[_i].core, bad_streams[_i].index, bad_streams[_i].field);
    pim_program_free(p);
}
END_TEST

START_TEST(test_stream_io_error)
{
    pim_config cfg = tu_cfg_cores(2);
    pim_program *p = NULL;
    pim_error e;
    ck_assert_int_eq(pim_load_stream_file(TU_DATA "no_such_stream.json", &cfg, &p, &e), PIM_E_IO);
    ck_assert_int_eq(e.status, PIM_E_IO);
    char *buf = NULL;
    size_t n = 0;
    ck_assert_int_eq(pim_read_file(TU_DATA "no_such_stream.json.gz", &buf, &n, &e), PIM_E_IO);
}
END_TEST

/* What is not a regular file is refused by its type, before a read could block; a gzip
 * member followed by other bytes, and a .gz that is not gzip, are refused; the budget
 * refuses a text larger than itself. */
START_TEST(test_stream_not_a_file)
{
    char dir[64] = "/tmp/pimcosim_test_file_XXXXXX", fifo[96], gz[96], plain[96];
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(fifo, sizeof fifo, "%s/f.json", dir);
    ck_assert_int_eq(mkfifo(fifo, 0600), 0);
    char *buf = NULL;
    size_t n = 0;
    pim_error e;
    ck_assert_int_eq(pim_read_file(fifo, &buf, &n, &e), PIM_E_INPUT);
    ck_assert_ptr_nonnull(strstr(e.msg, "a FIFO, not a regular file"));
    ck_assert_int_eq(pim_read_file(dir, &buf, &n, &e), PIM_E_INPUT);
    ck_assert_ptr_nonnull(strstr(e.msg, "a directory"));
    ck_assert_ptr_null(buf);
    /* trailing bytes */
    snprintf(gz, sizeof gz, "%s/t.json.gz", dir);
    char *z = NULL;
    size_t zn = 0;
    ck_assert_int_eq(pim_read_file_max(TU_DATA "stream_ok.json.gz", 1u << 20, &buf, &n, &e), PIM_OK);
    free(buf);
    FILE *in = fopen(TU_DATA "stream_ok.json.gz", "rb");
    ck_assert_ptr_nonnull(in);
    z = malloc(1 << 16);
    zn = fread(z, 1, 1 << 16, in);
    fclose(in);
    FILE *o = fopen(gz, "wb");
    fwrite(z, 1, zn, o);
    fwrite("xy", 1, 2, o);
    fclose(o);
    ck_assert_int_eq(pim_read_file(gz, &buf, &n, &e), PIM_E_INPUT);
    ck_assert_ptr_nonnull(strstr(e.msg, "2 bytes of trailing data"));
    /* two members are one file (gzip allows it) */
    o = fopen(gz, "wb");
    fwrite(z, 1, zn, o);
    fwrite(z, 1, zn, o);
    fclose(o);
    char *one = NULL, *two = NULL;
    size_t n1 = 0, n2 = 0;
    ck_assert_int_eq(pim_read_file(TU_DATA "stream_ok.json.gz", &one, &n1, &e), PIM_OK);
    ck_assert_int_eq(pim_read_file(gz, &two, &n2, &e), PIM_OK);
    ck_assert_uint_eq(n2, 2 * n1);
    ck_assert_int_eq(memcmp(two + n1, one, n1), 0);
    free(one);
    free(two);
    free(z);
    /* a plain file named .gz */
    snprintf(plain, sizeof plain, "%s/p.json.gz", dir);
    tu_write_text(plain, "{}");
    ck_assert_int_eq(pim_read_file(plain, &buf, &n, &e), PIM_E_INPUT);
    ck_assert_ptr_nonnull(strstr(e.msg, "not gzip"));
    /* the budget: 100 bytes hold no 400-byte text */
    ck_assert_int_eq(pim_read_file_max(TU_DATA "stream_ok.json", 100, &buf, &n, &e), PIM_E_INPUT);
    ck_assert_ptr_nonnull(strstr(e.msg, "--max-memory"));
    unlink(fifo);
    unlink(gz);
    unlink(plain);
    rmdir(dir);
}
END_TEST

/* The budget is charged before allocating: a vavg of 10^9 elements (pimcomp) is refused at
 * its len; with a budget of 1 MiB the machine's memories are refused. */
START_TEST(test_stream_budget)
{
    pim_program *p = NULL;
    pim_error e;
    pim_config cfg = tu_cfg_cores(2);
    pim_load_opts o = {PIM_DIALECT_PIMCOMP, 0, 1, "", 0, NULL};
    ck_assert_int_eq(pim_load_stream_file_opts(TU_DATA "hostile/pimcomp_vavg_huge.json", &cfg, &o, &p, &e),
                     PIM_E_INPUT);
    ck_assert_int_eq(e.core, 0);
    ck_assert_int_eq(e.index, 0);
    ck_assert_str_eq(e.field, "len");
    ck_assert_ptr_nonnull(strstr(e.msg, "1000000000 elements need 14.9 GiB"));
    o.dialect = PIM_DIALECT_STRICT;
    o.max_memory = (uint64_t)1 << 20;
    ck_assert_int_eq(pim_load_stream_file_opts(TU_DATA "stream_ok.json", &cfg, &o, &p, &e), PIM_E_INPUT);
    ck_assert_str_eq(e.field, "config");
    ck_assert_ptr_nonnull(strstr(e.msg, "the machine's memories: 66.0 MiB needed"));
    ck_assert_ptr_null(p);
}
END_TEST

static Suite *stream_suite(void)
{
    Suite *s = suite_create("stream");
    TCase *core = tcase_create("core");
    tcase_add_test(core, test_stream_ok);
    tcase_add_test(core, test_stream_gz_shipped);
    tcase_add_test(core, test_stream_gz_made);
    suite_add_tcase(s, core);

    TCase *errors = tcase_create("errors");
    tcase_add_loop_test(errors, test_stream_errors, 0, N_BAD_STREAMS);
    tcase_add_test(errors, test_stream_io_error);
    tcase_add_test(errors, test_stream_not_a_file);
    tcase_add_test(errors, test_stream_budget);
    suite_add_tcase(s, errors);
    return s;
}

int main(void)
{
    return tu_run_suite(stream_suite());
}
