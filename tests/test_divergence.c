/*
 * test_divergence.c - the first difference in words (harness/cosim/divergence.c): from two
 * writes to the element that differs, its kind, unit and space, the one-line report, the JSON
 * form and an instruction described with its registers. Values worked out by hand.
 */
#include <cJSON.h>
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pim_divergence.h"
#include "testutil.h"

static pim_write w_of(unsigned op, uint8_t space, uint64_t addr, uint32_t len, uint8_t eb,
                      const uint8_t *data)
{
    pim_write w;
    memset(&w, 0, sizeof w);
    w.core = 2;
    w.index = 17;
    w.op = (uint8_t)op;
    w.space = space;
    w.elem_bytes = eb;
    w.owner = 2;
    w.addr = addr;
    w.len = len;
    w.data = data;
    return w;
}

START_TEST(test_value)
{
    /* 16-bit elements at 0x100: element 1 (bytes 2..3) differs, 0xfffd = -3 against 0xfffe */
    const uint8_t a[6] = {1, 0, 0xfd, 0xff, 9, 9}, b[6] = {1, 0, 0xfe, 0xff, 9, 9};
    const pim_write wa = w_of(PIM_OP_VVSRA, PIM_SPACE_LMEM, 0x100, 6, 2, a);
    const pim_write wb = w_of(PIM_OP_VVSRA, PIM_SPACE_LMEM, 0x100, 6, 2, b);
    pim_divergence d;
    pim_divergence_from_writes(&d, &wa, a, &wb, b);
    d.cycle = 12;
    ck_assert_uint_eq(d.kind, PIM_DIV_VALUE);
    ck_assert_uint_eq(d.unit, PIM_UNIT_VU);
    ck_assert_uint_eq(d.space, PIM_SPACE_LMEM);
    ck_assert_uint_eq(d.core, 2);
    ck_assert_uint_eq(d.index, 17);
    ck_assert_uint_eq(d.element, 1);
    ck_assert_uint_eq(d.addr, 0x102);
    ck_assert_int_eq(d.expected, -3);
    ck_assert_int_eq(d.actual, -2);
    ck_assert_str_eq(pim_divergence_what(&d), "LMem");
    char line[400];
    ck_assert_str_eq(pim_divergence_format(&d, line, sizeof line),
                     "divergence at core 2, instruction 17 (vvsra) in pim_vector_unit, cycle 12: "
                     "LMem of core 2, element 1 at 0x102: expected -3, got -2");
    cJSON *j = pim_divergence_json(&d);
    ck_assert_ptr_nonnull(j);
    ck_assert_str_eq(cJSON_GetObjectItem(j, "op")->valuestring, "vvsra");
    ck_assert_str_eq(cJSON_GetObjectItem(j, "unit")->valuestring, "pim_vector_unit");
    ck_assert_str_eq(cJSON_GetObjectItem(j, "what")->valuestring, "LMem");
    ck_assert_int_eq((int)cJSON_GetObjectItem(j, "expected")->valuedouble, -3);
    cJSON_Delete(j);
}
END_TEST

START_TEST(test_register_and_writes)
{
    /* a register write: the address is the register's index, not a byte address */
    const uint8_t a[4] = {8, 0, 0, 0}, b[4] = {7, 0, 0, 0};
    const pim_write wa = w_of(PIM_OP_SADD, PIM_SPACE_REG, 3, 4, 4, a);
    const pim_write wb = w_of(PIM_OP_SADD, PIM_SPACE_REG, 3, 4, 4, b);
    pim_divergence d;
    pim_divergence_from_writes(&d, &wa, a, &wb, b);
    ck_assert_uint_eq(d.unit, PIM_UNIT_HARNESS);
    ck_assert_uint_eq(d.addr, 3);
    ck_assert_int_eq(d.expected, 8);
    ck_assert_int_eq(d.actual, 7);
    ck_assert_str_eq(pim_divergence_what(&d), "register");
    /* different places: the byte counts; a missing write is -1 */
    const pim_write wc = w_of(PIM_OP_MVMUL, PIM_SPACE_LMEM, 0x400, 8, 1, a);
    pim_divergence_from_writes(&d, &wc, a, NULL, NULL);
    ck_assert_uint_eq(d.kind, PIM_DIV_WRITES);
    ck_assert_uint_eq(d.unit, PIM_UNIT_TILE);
    ck_assert_int_eq(d.expected, 8);
    ck_assert_int_eq(d.actual, -1);
    char line[400];
    ck_assert_str_eq(pim_divergence_format(&d, line, sizeof line),
                     "divergence at core 2, instruction 17 (mvmul) in pim_xbar_tile, cycle 0: the "
                     "golden model wrote 8 bytes, the design under test -1");
    d.kind = PIM_DIV_PROTOCOL;
    ck_assert_str_eq(pim_divergence_format(&d, line, sizeof line),
                     "pim_xbar_tile failed at core 2, instruction 17 (mvmul), cycle 0");
    ck_assert_str_eq(pim_divergence_what(&d), "protocol");
    /* the counts a unit reports: the tile's ADC clips, a vector-unit beat's lanes */
    d.kind = PIM_DIV_CLIPS;
    d.expected = 2;
    d.actual = 4;
    d.cycle = 8;
    ck_assert_str_eq(pim_divergence_format(&d, line, sizeof line),
                     "divergence at core 2, instruction 17 (mvmul) in pim_xbar_tile, cycle 8: ADC "
                     "clips (out_clips_o): expected 2, got 4");
    ck_assert_str_eq(pim_divergence_what(&d), "clips");
    d.kind = PIM_DIV_COUNT;
    d.op = PIM_OP_VVADD;
    d.unit = PIM_UNIT_VU;
    d.element = 3;
    d.expected = 32;
    d.actual = 33;
    ck_assert_str_eq(pim_divergence_format(&d, line, sizeof line),
                     "divergence at core 2, instruction 17 (vvadd) in pim_vector_unit, cycle 8: "
                     "output beat 3 out_count_o: expected 32, got 33");
    ck_assert_str_eq(pim_divergence_what(&d), "count");
    cJSON *j = pim_divergence_json(&d);
    ck_assert_str_eq(cJSON_GetObjectItem(j, "what")->valuestring, "count");
    ck_assert_int_eq((int)cJSON_GetObjectItem(j, "element")->valuedouble, 3);
    cJSON_Delete(j);
    /* a line cut short stays terminated */
    char small[20];
    pim_divergence_format(&d, small, sizeof small);
    ck_assert_uint_eq(strlen(small), sizeof small - 1);
}
END_TEST

START_TEST(test_units)
{
    ck_assert_int_eq(pim_unit_of_op(PIM_OP_MVMUL), PIM_UNIT_TILE);
    ck_assert_int_eq(pim_unit_of_op(PIM_OP_VAVG), PIM_UNIT_VU);
    ck_assert_int_eq(pim_unit_of_op(PIM_OP_SETBW), PIM_UNIT_HARNESS);
    ck_assert_int_eq(pim_unit_of_op(PIM_OP_LD), PIM_UNIT_HARNESS);
    ck_assert_str_eq(pim_unit_name(PIM_UNIT_TILE), "pim_xbar_tile");
    ck_assert_str_eq(pim_unit_name(PIM_UNIT_VU), "pim_vector_unit");
    ck_assert_str_eq(pim_unit_name(PIM_UNIT_HARNESS), "harness");
}
END_TEST

START_TEST(test_describe)
{
    uint32_t regs[32] = {0};
    regs[3] = 0x100;
    regs[2] = (uint32_t)-5;
    pim_insn in;
    memset(&in, 0, sizeof in);
    in.op = PIM_OP_VVADD;
    in.rd = 3;
    in.rs1 = 1;
    in.rs2 = 2;
    in.len = 4;
    in.offset_select = 5;
    in.offset = -2;
    char buf[200];
    ck_assert_uint_eq(pim_insn_describe(&in, 12, regs, buf, sizeof buf), strlen(buf));
    ck_assert_str_eq(buf, "#12 vvadd rd=r3(256) rs1=r1(0) rs2=r2(-5) len=4 offset_select=5 "
                          "offset=-2");
    ck_assert_uint_eq(pim_insn_describe(&in, 12, NULL, buf, sizeof buf), strlen(buf));
    ck_assert_str_eq(buf, "#12 vvadd rd=r3 rs1=r1 rs2=r2 len=4 offset_select=5 offset=-2");
    memset(&in, 0, sizeof in);
    in.op = PIM_OP_SEND;
    in.rs1 = 4;
    in.core = 1;
    in.len = 16;
    ck_assert_uint_eq(pim_insn_describe(&in, 0, NULL, buf, sizeof buf), strlen(buf));
    ck_assert_str_eq(buf, "#0 send rs1=r4 size=16 core=1");
    /* truncation: the length written stays below n */
    ck_assert_uint_eq(pim_insn_describe(&in, 0, NULL, buf, 8), 7);
    ck_assert_str_eq(buf, "#0 send");
}
END_TEST

static Suite *divergence_suite(void)
{
    Suite *s = suite_create("divergence");
    TCase *core = tcase_create("core");
    tcase_add_test(core, test_value);
    tcase_add_test(core, test_register_and_writes);
    tcase_add_test(core, test_units);
    tcase_add_test(core, test_describe);
    suite_add_tcase(s, core);
    return s;
}

int main(void)
{
    return tu_run_suite(divergence_suite());
}
