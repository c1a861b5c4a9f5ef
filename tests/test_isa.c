/*
 * test_isa.c - opcode table, names, and the 64-bit binary form (include/pim_isa.h).
 *
 * Expected values come from docs/isa.md (section 8, choices 1-7: opcode numbers, field
 * ranges), the ISA text (the fields of each op) and the layout diagram of pim_isa.h; the hand
 * encodings are worked out bit by bit in comments.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <check.h>

#include "pim_arith.h"
#include "pim_isa.h"
#include "pim_status.h"
#include "testutil.h"

/* ------------------------------------------------------------------ the op table by hand */

/* Every op with its opcode, class and JSON fields as the ISA text and docs/isa.md give them
 * (written here by hand, in the field table's order), to hold PIM_OP_TABLE and
 * PIM_FIELD_TABLE to. */
#define VEC3 "rd rs1 rs2 len offset.offset_select offset.offset_value"
#define VEC2 "rd rs1 len offset.offset_select offset.offset_value"
#define XFER "rd rs1 size offset.offset_select offset.offset_value"
static const struct {
    const char *name;
    int opcode;
    int cls;
    const char *fields;
} ops[] = {
    {"nop", 0, PIM_CLASS_SCALAR, ""},
    {"sldi", 1, PIM_CLASS_SCALAR, "rd imm"},
    {"sld", 2, PIM_CLASS_SCALAR, "rd rs1 offset_value"},
    {"sadd", 3, PIM_CLASS_SCALAR, "rd rs1 rs2"},
    {"ssub", 4, PIM_CLASS_SCALAR, "rd rs1 rs2"},
    {"smul", 5, PIM_CLASS_SCALAR, "rd rs1 rs2"},
    {"saddi", 6, PIM_CLASS_SCALAR, "rd rs1 imm"},
    {"smuli", 7, PIM_CLASS_SCALAR, "rd rs1 imm"},
    {"setbw", 8, PIM_CLASS_MATRIX, "ibiw obiw"},
    {"mvmul", 9, PIM_CLASS_MATRIX, "rd rs1 mbiw group relu"},
    {"vvadd", 10, PIM_CLASS_VECTOR, VEC3},
    {"vvsub", 11, PIM_CLASS_VECTOR, VEC3},
    {"vvmul", 12, PIM_CLASS_VECTOR, VEC3},
    {"vvdmul", 13, PIM_CLASS_VECTOR, VEC3},
    {"vvmax", 14, PIM_CLASS_VECTOR, VEC3},
    {"vvsll", 15, PIM_CLASS_VECTOR, VEC3},
    {"vvsra", 16, PIM_CLASS_VECTOR, VEC3},
    {"vavg", 17, PIM_CLASS_VECTOR, "rd rs1 rs2 len offset.offset_value"},
    {"vrelu", 18, PIM_CLASS_VECTOR, VEC2},
    {"vtanh", 19, PIM_CLASS_VECTOR, VEC2},
    {"vsigm", 20, PIM_CLASS_VECTOR, VEC2},
    {"vmv", 21, PIM_CLASS_VECTOR, "rd rs1 rs2 len"},
    {"vrsu", 22, PIM_CLASS_VECTOR, VEC3},
    {"vrsl", 23, PIM_CLASS_VECTOR, VEC3},
    {"ld", 24, PIM_CLASS_TRANSFER, XFER},
    {"st", 25, PIM_CLASS_TRANSFER, XFER},
    {"lldi", 26, PIM_CLASS_TRANSFER, "rd size offset.offset_value imm"},
    {"lmv", 27, PIM_CLASS_TRANSFER, XFER},
    {"send", 28, PIM_CLASS_TRANSFER, "rs1 size core offset.offset_value"},
    {"recv", 29, PIM_CLASS_TRANSFER, "rd size core offset.offset_value"},
    {"wait", 30, PIM_CLASS_SYNC, "event_register wait_value"},
    {"sync", 31, PIM_CLASS_SYNC, "core event_register"},
};
#define N_OPS ((int)(sizeof ops / sizeof ops[0]))

/* The paths of an op's fields, in the field table's order, separated by spaces. */
static void field_paths(unsigned op, char *buf, size_t n)
{
    size_t k = 0;
    buf[0] = '\0';
    for (unsigned b = 0; b < PIM_FIELD_COUNT && k < n; b++)
        if (pim_op_fields(op) & (1u << b))
            k += (size_t)snprintf(buf + k, n - k, "%s%s", k ? " " : "", pim_field_path(b));
}

START_TEST(test_op_names)
{
    /* _i runs over every op */
    char got[256];
    ck_assert_int_eq(PIM_OP_COUNT, 32);
    ck_assert_str_eq(pim_op_name((unsigned)ops[_i].opcode), ops[_i].name);
    ck_assert_int_eq(pim_op_from_name(ops[_i].name), ops[_i].opcode);
    ck_assert_int_eq(pim_op_class((unsigned)ops[_i].opcode), ops[_i].cls);
    field_paths((unsigned)ops[_i].opcode, got, sizeof got);
    ck_assert_str_eq(got, ops[_i].fields);
    ck_assert_ptr_nonnull(pim_op_meaning((unsigned)ops[_i].opcode));
    ck_assert_int_gt((int)strlen(pim_op_meaning((unsigned)ops[_i].opcode)), 0);
}
END_TEST

/* The field table: bits, JSON keys and paths as PIMSIM-NN names them. */
START_TEST(test_field_table)
{
    static const struct {
        uint32_t flag;
        const char *key, *path;
    } f[] = {
        {PIM_F_RD, "rd", "rd"},
        {PIM_F_RS1, "rs1", "rs1"},
        {PIM_F_RS2, "rs2", "rs2"},
        {PIM_F_IMM, "imm", "imm"},
        {PIM_F_LEN, "len", "len"},
        {PIM_F_SIZE, "size", "size"},
        {PIM_F_CORE, "core", "core"},
        {PIM_F_MBIW, "mbiw", "mbiw"},
        {PIM_F_GROUP, "group", "group"},
        {PIM_F_RELU, "relu", "relu"},
        {PIM_F_IBIW, "ibiw", "ibiw"},
        {PIM_F_OBIW, "obiw", "obiw"},
        {PIM_F_EV, "event_register", "event_register"},
        {PIM_F_WVAL, "wait_value", "wait_value"},
        {PIM_F_OFFSEL, "offset_select", "offset.offset_select"},
        {PIM_F_OFFVAL, "offset_value", "offset.offset_value"},
        {PIM_F_SOFF, "offset_value", "offset_value"},
        {PIM_F_BYTE, "imm", "imm"},
    };
    ck_assert_int_eq(PIM_FIELD_COUNT, 18);
    for (unsigned i = 0; i < sizeof f / sizeof f[0]; i++) {
        ck_assert_uint_eq(f[i].flag, 1u << i); /* the table's order is the bits' */
        ck_assert_int_eq(pim_field_bit(f[i].flag), (int)i);
        ck_assert_str_eq(pim_field_key(i), f[i].key);
        ck_assert_str_eq(pim_field_path(i), f[i].path);
        ck_assert_int_gt((int)strlen(pim_field_meaning(i)), 0);
    }
    ck_assert_ptr_null(pim_field_key(PIM_FIELD_COUNT));
    ck_assert_ptr_null(pim_field_path(99));
    ck_assert_int_eq(pim_field_bit(0), -1);
    ck_assert_int_eq(pim_field_bit(PIM_F_RD | PIM_F_RS1), -1);
    ck_assert_int_eq(pim_field_bit(1u << PIM_FIELD_COUNT), -1);
}
END_TEST

START_TEST(test_op_names_unknown)
{
    ck_assert_ptr_null(pim_op_name(32));
    ck_assert_ptr_null(pim_op_name(40));
    ck_assert_ptr_null(pim_op_name(63));
    ck_assert_ptr_null(pim_op_name(1000));
    ck_assert_int_eq(pim_op_from_name("vfoo"), -1);
    ck_assert_int_eq(pim_op_from_name(""), -1);
    ck_assert_int_eq(pim_op_from_name("VVADD"), -1); /* names are lower case */
    ck_assert_int_eq(pim_op_from_name("vvadd "), -1);
    ck_assert_int_eq(pim_op_from_name("vv"), -1);
    ck_assert_int_eq(pim_op_class(32), -1);
    ck_assert_uint_eq(pim_op_fields(0), 0);
    ck_assert_uint_eq(pim_op_fields(32), 0);
    ck_assert_str_eq(pim_op_meaning(32), "");
}
END_TEST

/* ------------------------------------------------------------------ round trip */

/* An instruction of op with every field it takes at a limit: variant 0 the largest values,
 * 1 the smallest, 2 a mix. ld/sld keep rs1 even and st rd even (register pairs). */
static pim_insn fill(unsigned op, int variant)
{
    const uint32_t f = pim_op_fields(op); /* checked against the hand table in test_op_names */
    pim_insn in;
    memset(&in, 0, sizeof in);
    in.op = (uint8_t)op;
    const int even_rs1 = op == PIM_OP_LD || op == PIM_OP_SLD;
    const int even_rd = op == PIM_OP_ST;
    if (variant == 0) {
        if (f & PIM_F_RD) in.rd = even_rd ? 30 : 31;
        if (f & PIM_F_RS1) in.rs1 = even_rs1 ? 30 : 31;
        if (f & PIM_F_RS2) in.rs2 = 31;
        if (f & PIM_F_IMM) in.imm = 0xFFFFFFFFu;
        if (f & (PIM_F_LEN | PIM_F_SIZE)) in.len = 2047;
        if (f & PIM_F_CORE) in.core = 1023;
        if (f & PIM_F_MBIW) in.mbiw = 32;
        if (f & PIM_F_GROUP) in.group = 15;
        if (f & PIM_F_RELU) in.relu = 1;
        if (f & PIM_F_IBIW) in.ibiw = 32;
        if (f & PIM_F_OBIW) in.obiw = 32;
        if (f & PIM_F_EV) in.ev = 31;
        if (f & PIM_F_WVAL) in.imm = 1023;
        if (f & PIM_F_OFFSEL) in.offset_select = 7;
        if (f & (PIM_F_OFFVAL | PIM_F_SOFF)) in.offset = (int32_t)PIM_OFFVAL_MAX;
        if (f & PIM_F_BYTE) in.imm = 255;
    } else if (variant == 1) {
        if (f & PIM_F_IMM) in.imm = 0x80000000u;
        if (f & PIM_F_MBIW) in.mbiw = 1;
        if (f & PIM_F_IBIW) in.ibiw = 1;
        if (f & PIM_F_OBIW) in.obiw = 1;
        if (f & (PIM_F_OFFVAL | PIM_F_SOFF)) in.offset = (int32_t)PIM_OFFVAL_MIN;
    } else {
        if (f & PIM_F_RD) in.rd = even_rd ? 20 : 21;
        if (f & PIM_F_RS1) in.rs1 = 10;
        if (f & PIM_F_RS2) in.rs2 = 5;
        if (f & PIM_F_IMM) in.imm = 0x12345678u;
        if (f & (PIM_F_LEN | PIM_F_SIZE)) in.len = 1234;
        if (f & PIM_F_CORE) in.core = 513;
        if (f & PIM_F_MBIW) in.mbiw = 17;
        if (f & PIM_F_GROUP) in.group = 10;
        if (f & PIM_F_RELU) in.relu = 1;
        if (f & PIM_F_IBIW) in.ibiw = 9;
        if (f & PIM_F_OBIW) in.obiw = 24;
        if (f & PIM_F_EV) in.ev = 19;
        if (f & PIM_F_WVAL) in.imm = 777;
        if (f & PIM_F_OFFSEL) in.offset_select = 5;
        if (f & (PIM_F_OFFVAL | PIM_F_SOFF)) in.offset = -12345;
        if (f & PIM_F_BYTE) in.imm = 0x5A;
    }
    return in;
}

static void assert_insn_eq(const pim_insn *a, const pim_insn *b)
{
    ck_assert_uint_eq(a->op, b->op);
    ck_assert_uint_eq(a->rd, b->rd);
    ck_assert_uint_eq(a->rs1, b->rs1);
    ck_assert_uint_eq(a->rs2, b->rs2);
    ck_assert_uint_eq(a->ibiw, b->ibiw);
    ck_assert_uint_eq(a->obiw, b->obiw);
    ck_assert_uint_eq(a->mbiw, b->mbiw);
    ck_assert_uint_eq(a->relu, b->relu);
    ck_assert_uint_eq(a->offset_select, b->offset_select);
    ck_assert_uint_eq(a->ev, b->ev);
    ck_assert_uint_eq(a->group, b->group);
    ck_assert_uint_eq(a->len, b->len);
    ck_assert_uint_eq(a->imm, b->imm);
    ck_assert_int_eq(a->offset, b->offset);
    ck_assert_uint_eq(a->core, b->core);
}

START_TEST(test_round_trip)
{
    /* _i = op * 3 + variant, over all 32 ops */
    const unsigned op = (unsigned)_i / 3u;
    const int variant = _i % 3;
    const pim_insn in = fill(op, variant);
    pim_error err;
    pim_error_clear(&err);
    uint64_t w = 0;
    ck_assert_msg(pim_insn_encode(&in, &w, &err) == PIM_OK, "%s variant %d: %s", pim_op_name(op),
                  variant, err.msg);
    ck_assert_uint_eq(PIM_GET(w, OP), op);
    pim_insn out;
    memset(&out, 0xEE, sizeof out);
    ck_assert_msg(pim_insn_decode(w, &out, &err) == PIM_OK, "%s variant %d: %s", pim_op_name(op),
                  variant, err.msg);
    assert_insn_eq(&out, &in);
    uint64_t w2 = 0;
    ck_assert_int_eq(pim_insn_encode(&out, &w2, &err), PIM_OK);
    ck_assert_uint_eq(w2, w);
    if (variant == 1 && !(pim_op_fields(op) & (PIM_F_IMM | PIM_F_OFFVAL | PIM_F_SOFF | PIM_F_MBIW |
                                              PIM_F_IBIW | PIM_F_OBIW)))
        ck_assert_uint_eq(w, op); /* all fields zero: only the opcode is left */
}
END_TEST

START_TEST(test_vector_fields_positions)
{
    /* The three-operand vector ops and the general-purpose fields sit where the diagram puts
     * them: rd 6..10, rs1 11..15, rs2 16..20, len 21..31, sel 32..34, offset 35..63. */
    pim_insn in = tu_vec(PIM_OP_VVMUL, 17, 9, 3, 1000, 6, -100000);
    uint64_t w = 0;
    pim_error err;
    ck_assert_int_eq(pim_insn_encode(&in, &w, &err), PIM_OK);
    ck_assert_uint_eq(PIM_GET(w, OP), 12);
    ck_assert_uint_eq(PIM_GET(w, RD), 17);
    ck_assert_uint_eq(PIM_GET(w, RS1), 9);
    ck_assert_uint_eq(PIM_GET(w, RS2), 3);
    ck_assert_uint_eq(PIM_GET(w, LEN), 1000);
    ck_assert_uint_eq(PIM_GET(w, OFFSEL), 6);
    ck_assert_int_eq(pim_sext(PIM_GET(w, OFFVAL), 29), -100000);
}
END_TEST

/* ------------------------------------------------------------------ hand encodings */

static const struct {
    pim_insn in;
    uint64_t word;
} hand[] = {
    /* vvadd rd=3 rs1=4 rs2=5 len=16 sel=0b101 offset=-2:
     *   opcode 10        = 0x0000000A
     *   rd 3  << 6       = 0x000000C0
     *   rs1 4 << 11      = 0x00002000
     *   rs2 5 << 16      = 0x00050000
     *   len 16 << 21     = 0x02000000     low word 0x020520CA
     *   high word: sel 5 in bits 0..2, -2 as 29 bits = 0x1FFFFFFE in bits 3..31:
     *   0x1FFFFFFE << 3 = 0xFFFFFFF0, | 5 = 0xFFFFFFF5 */
    {{.op = PIM_OP_VVADD, .rd = 3, .rs1 = 4, .rs2 = 5, .len = 16, .offset_select = 5, .offset = -2},
     0xFFFFFFF5020520CAull},
    /* sldi rd=7 imm=0xDEADBEEF: 1 | 7<<6 (0x1C0) = 0x1C1, imm in the high word */
    {{.op = PIM_OP_SLDI, .rd = 7, .imm = 0xDEADBEEFu}, 0xDEADBEEF000001C1ull},
    /* setbw ibiw=16 obiw=4: 8 | (16-1)<<6 (0x3C0) | (4-1)<<11 (0x1800) = 0x1BC8 */
    {{.op = PIM_OP_SETBW, .ibiw = 16, .obiw = 4}, 0x0000000000001BC8ull},
    /* mvmul rd=2 rs1=9 mbiw=8 group=5 relu=1:
     *   9 | 2<<6 (0x80) | 9<<11 (0x4800) | (8-1)<<16 (0x70000) | 5<<21 (0xA00000)
     *   | 1<<31 (0x80000000) = 0x80A74889 */
    {{.op = PIM_OP_MVMUL, .rd = 2, .rs1 = 9, .mbiw = 8, .group = 5, .relu = 1},
     0x0000000080A74889ull},
    /* sync ev=3 core=100: 31 (0x1F) | 3<<6 (0xC0) | 100<<11 (0x32000) = 0x320DF */
    {{.op = PIM_OP_SYNC, .ev = 3, .core = 100}, 0x00000000000320DFull},
    /* wait ev=2 value=5: 30 (0x1E) | 2<<6 (0x80) | 5<<11 (0x2800) = 0x289E */
    {{.op = PIM_OP_WAIT, .ev = 2, .imm = 5}, 0x000000000000289Eull},
    /* lldi rd=1 imm=0xAB size=64 offset=8:
     *   26 (0x1A) | 1<<6 (0x40) | 0xAB<<11 (0x55800) | 64<<21 (0x8000000) = 0x0805585A
     *   high word: offset 8 << 3 = 0x40, sel bits 0 */
    {{.op = PIM_OP_LLDI, .rd = 1, .imm = 0xAB, .len = 64, .offset = 8}, 0x000000400805585Aull},
    /* sld rd=1 rs1=2 offset_value=-4: 2 | 1<<6 (0x40) | 2<<11 (0x1000) = 0x1042;
     *   high word: -4 as 29 bits = 0x1FFFFFFC, << 3 = 0xFFFFFFE0 */
    {{.op = PIM_OP_SLD, .rd = 1, .rs1 = 2, .offset = -4}, 0xFFFFFFE000001042ull},
    /* send rs1=5 core=1 size=4 offset=-1: the ISA's Figure 3 (and docs/isa.md) put send's
     * $rs1 in bits 6..10, since core takes 11..20:
     *   28 (0x1C) | 5<<6 (0x140) | 1<<11 (0x800) | 4<<21 (0x800000) = 0x0080095C
     *   high word: -1 as 29 bits = 0x1FFFFFFF, << 3 = 0xFFFFFFF8 */
    {{.op = PIM_OP_SEND, .rs1 = 5, .core = 1, .len = 4, .offset = -1}, 0xFFFFFFF80080095Cull},
    /* recv rd=7 core=1023 size=2047: 29 (0x1D) | 7<<6 (0x1C0) | 1023<<11 (0x1FF800)
     *   | 2047<<21 (0xFFE00000) = 0xFFFFF9DD */
    {{.op = PIM_OP_RECV, .rd = 7, .core = 1023, .len = 2047}, 0x00000000FFFFF9DDull},
};
#define N_HAND ((int)(sizeof hand / sizeof hand[0]))

START_TEST(test_hand_encodings)
{
    pim_error err;
    pim_error_clear(&err);
    uint64_t w = 0;
    ck_assert_msg(pim_insn_encode(&hand[_i].in, &w, &err) == PIM_OK, "%s", err.msg);
    ck_assert_msg(w == hand[_i].word, "case %d: encoded 0x%016llx, expected 0x%016llx", _i,
                  (unsigned long long)w, (unsigned long long)hand[_i].word);
    pim_insn out;
    memset(&out, 0x77, sizeof out);
    ck_assert_msg(pim_insn_decode(hand[_i].word, &out, &err) == PIM_OK, "%s", err.msg);
    assert_insn_eq(&out, &hand[_i].in);
}
END_TEST

START_TEST(test_nop_is_zero)
{
    pim_insn in = tu_i(PIM_OP_NOP), out;
    uint64_t w = 1;
    pim_error err;
    ck_assert_int_eq(pim_insn_encode(&in, &w, &err), PIM_OK);
    ck_assert_uint_eq(w, 0);
    memset(&out, 0x55, sizeof out);
    ck_assert_int_eq(pim_insn_decode(0, &out, &err), PIM_OK);
    assert_insn_eq(&out, &in);
}
END_TEST

/* Ops with a bare offset keep offset_select zero in binary: a decoded sld/vavg/lldi/send/recv
 * has offset_select 0 and its offset in bits 35..63. */
START_TEST(test_bare_offset)
{
    pim_insn in = tu_i(PIM_OP_VAVG);
    in.rd = 1;
    in.rs1 = 2;
    in.rs2 = 3;
    in.len = 4;
    in.offset = 3;
    uint64_t w = 0;
    pim_error err;
    ck_assert_int_eq(pim_insn_encode(&in, &w, &err), PIM_OK);
    /* 17 | 1<<6 | 2<<11 | 3<<16 | 4<<21 = 0x11 + 0x40 + 0x1000 + 0x30000 + 0x800000
     * = 0x831051; offset 3 << 35 */
    ck_assert_uint_eq(w, ((uint64_t)3 << 35) | 0x831051u);
    ck_assert_uint_eq(PIM_GET(w, OFFSEL), 0);
}
END_TEST

/* ------------------------------------------------------------------ limits: refusals */

static const struct {
    const char *what;
    pim_insn in;
    const char *field;
} refuse[] = {
    {"len 2048", {.op = PIM_OP_VVADD, .len = 2048}, "len"},
    {"size 2048", {.op = PIM_OP_LD, .len = 2048}, "size"},
    {"group 16", {.op = PIM_OP_MVMUL, .mbiw = 8, .group = 16}, "group"},
    {"rd 32", {.op = PIM_OP_SADD, .rd = 32}, "rd"},
    {"rs1 32", {.op = PIM_OP_SADD, .rs1 = 32}, "rs1"},
    {"rs2 32", {.op = PIM_OP_VVADD, .rs2 = 32}, "rs2"},
    {"offset 2^28", {.op = PIM_OP_VVADD, .offset = 1 << 28}, "offset_value"},
    {"offset -2^28-1", {.op = PIM_OP_VVADD, .offset = -(1 << 28) - 1}, "offset_value"},
    {"sld offset 2^28", {.op = PIM_OP_SLD, .offset = 1 << 28}, "offset_value"},
    {"send offset 2^28", {.op = PIM_OP_SEND, .core = 1, .offset = 1 << 28}, "offset_value"},
    {"offset_select 8", {.op = PIM_OP_VVADD, .offset_select = 8}, "offset_select"},
    {"ibiw 0", {.op = PIM_OP_SETBW, .ibiw = 0, .obiw = 8}, "ibiw"},
    {"ibiw 33", {.op = PIM_OP_SETBW, .ibiw = 33, .obiw = 8}, "ibiw"},
    {"obiw 0", {.op = PIM_OP_SETBW, .ibiw = 8, .obiw = 0}, "obiw"},
    {"obiw 33", {.op = PIM_OP_SETBW, .ibiw = 8, .obiw = 33}, "obiw"},
    {"mbiw 0", {.op = PIM_OP_MVMUL, .mbiw = 0}, "mbiw"},
    {"mbiw 33", {.op = PIM_OP_MVMUL, .mbiw = 33}, "mbiw"},
    {"relu 2", {.op = PIM_OP_MVMUL, .mbiw = 8, .relu = 2}, "relu"},
    {"sync core 1024", {.op = PIM_OP_SYNC, .core = 1024}, "core"},
    {"send core 1024", {.op = PIM_OP_SEND, .core = 1024}, "core"},
    {"recv core 1024", {.op = PIM_OP_RECV, .core = 1024}, "core"},
    {"ev 32", {.op = PIM_OP_SYNC, .ev = 32}, "event_register"},
    {"wait value 1024", {.op = PIM_OP_WAIT, .imm = 1024}, "wait_value"},
    {"lldi imm 256", {.op = PIM_OP_LLDI, .imm = 256}, "imm"},
};
#define N_REFUSE ((int)(sizeof refuse / sizeof refuse[0]))

/* "offset.offset_value" and "offset_value" both name the field. */
static int field_matches(const char *got, const char *want)
{
    if (strcmp(got, want) == 0)
        return 1;
    const char *dot = strrchr(got, '.');
    return dot != NULL && strncmp(got, "offset.", 7) == 0 && strcmp(dot + 1, want) == 0;
}

START_TEST(test_encode_refuses)
{
    pim_error err;
    pim_error_clear(&err);
    uint64_t w = 0xA5A5A5A5A5A5A5A5ull;
    const pim_status st = pim_insn_encode(&refuse[_i].in, &w, &err);
    ck_assert_msg(st == PIM_E_INPUT, "%s: status %d", refuse[_i].what, (int)st);
    ck_assert_int_eq(err.status, PIM_E_INPUT);
    ck_assert_msg(field_matches(err.field, refuse[_i].field), "%s: field '%s', expected '%s'",
                  refuse[_i].what, err.field, refuse[_i].field);
    ck_assert_uint_eq(w, 0xA5A5A5A5A5A5A5A5ull); /* untouched on failure */
}
END_TEST

START_TEST(test_encode_refuses_unknown_op)
{
    pim_error err;
    pim_insn in = tu_i(40);
    uint64_t w = 7;
    ck_assert_int_eq(pim_insn_encode(&in, &w, &err), PIM_E_INPUT);
    ck_assert_uint_eq(w, 7);
}
END_TEST

/* Widths at the edges that do fit: 1 and 32 for setbw, and offsets exactly at +-2^28. */
START_TEST(test_encode_edges_fit)
{
    pim_error err;
    uint64_t w;
    pim_insn a = tu_setbw(1, 32);
    ck_assert_int_eq(pim_insn_encode(&a, &w, &err), PIM_OK);
    /* 8 | 0<<6 | 31<<11 (0xF800) = 0xF808 */
    ck_assert_uint_eq(w, 0xF808u);
    pim_insn b = tu_vec(PIM_OP_VVADD, 0, 0, 0, 0, 0, -(1 << 28));
    ck_assert_int_eq(pim_insn_encode(&b, &w, &err), PIM_OK);
    /* -2^28 as 29 bits = 0x10000000, << 35 = bit 63 set only */
    ck_assert_uint_eq(w, 0x800000000000000Aull);
    pim_insn c = tu_vec(PIM_OP_VVADD, 0, 0, 0, 0, 0, (1 << 28) - 1);
    ck_assert_int_eq(pim_insn_encode(&c, &w, &err), PIM_OK);
    /* 2^28-1 = 0x0FFFFFFF, << 35: bits 35..62 */
    ck_assert_uint_eq(w, 0x7FFFFFF80000000Aull);
}
END_TEST

/* ------------------------------------------------------------------ decode refusals */

static const struct {
    const char *what;
    uint64_t word;
} bad_words[] = {
    {"opcode 40", 40},
    {"opcode 32", 32},
    {"opcode 63", 63},
    {"nop with rd bits", 0x40},
    {"nop with bit 63", 0x8000000000000000ull},
    {"sadd with len bits", 3u | (1u << 21)},
    {"sadd with high word", 3u | ((uint64_t)1 << 32)},
    {"sldi with rs1 bits", 1u | (1u << 11)},
    {"sldi with rs2 bits", 1u | (1u << 16)},
    {"setbw with bit 16", 8u | (1u << 16)},
    {"setbw with high word", 8u | ((uint64_t)1 << 40)},
    {"mvmul with bit 25", 9u | (7u << 16) | (1u << 25)},
    {"mvmul with bit 30", 9u | (7u << 16) | (1u << 30)},
    {"mvmul with high word", 9u | (7u << 16) | ((uint64_t)1 << 35)},
    {"vrelu with rs2 bits", 18u | (1u << 16)},
    {"vtanh with rs2 bits", 19u | (4u << 16)},
    {"vavg with offset_select", 17u | ((uint64_t)1 << 32)},
    {"sld with offset_select", 2u | ((uint64_t)1 << 33)},
    {"sld with len bits", 2u | (1u << 21)},
    {"vmv with offset", 21u | ((uint64_t)1 << 35)},
    {"vmv with offset_select", 21u | ((uint64_t)1 << 34)},
    {"lldi with bit 19", 26u | (1u << 19)},
    {"lldi with offset_select", 26u | ((uint64_t)1 << 32)},
    {"send with offset_select", 28u | (1u << 11) | ((uint64_t)1 << 33)},
    {"recv with offset_select", 29u | (1u << 11) | ((uint64_t)1 << 34)},
    {"wait with bit 21", 30u | (1u << 21)},
    {"wait with high word", 30u | ((uint64_t)1 << 32)},
    {"sync with bit 21", 31u | (1u << 21)},
    {"sync with high word", 31u | ((uint64_t)1 << 63)},
    {"ld with rs2 bits", 24u | (1u << 16)},
};
#define N_BAD_WORDS ((int)(sizeof bad_words / sizeof bad_words[0]))

START_TEST(test_decode_refuses)
{
    pim_error err;
    pim_error_clear(&err);
    pim_insn out;
    memset(&out, 0x3C, sizeof out);
    pim_insn before = out;
    const pim_status st = pim_insn_decode(bad_words[_i].word, &out, &err);
    ck_assert_msg(st == PIM_E_INPUT, "%s (0x%016llx): status %d", bad_words[_i].what,
                  (unsigned long long)bad_words[_i].word, (int)st);
    ck_assert_int_eq(err.status, PIM_E_INPUT);
    ck_assert_mem_eq(&out, &before, sizeof out); /* untouched on failure */
}
END_TEST

/* The same words without the stray bits decode (so the refusals above are about the bits). */
START_TEST(test_decode_clean_words)
{
    static const uint64_t ok[] = {0, 3, 1, 8, 9u | (7u << 16), 18, 17, 2, 21, 26, 28u | (1u << 11),
                                  29u | (1u << 11), 30, 31, 24};
    pim_error err;
    pim_insn out;
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        ck_assert_msg(pim_insn_decode(ok[i], &out, &err) == PIM_OK, "0x%llx: %s",
                      (unsigned long long)ok[i], err.msg);
}
END_TEST

static Suite *isa_suite(void)
{
    Suite *s = suite_create("isa");
    TCase *core = tcase_create("core");
    tcase_add_loop_test(core, test_op_names, 0, N_OPS);
    tcase_add_test(core, test_field_table);
    tcase_add_loop_test(core, test_round_trip, 0, 32 * 3);
    tcase_add_test(core, test_vector_fields_positions);
    tcase_add_loop_test(core, test_hand_encodings, 0, N_HAND);
    tcase_add_test(core, test_nop_is_zero);
    tcase_add_test(core, test_bare_offset);
    suite_add_tcase(s, core);

    TCase *limits = tcase_create("limits");
    tcase_add_loop_test(limits, test_encode_refuses, 0, N_REFUSE);
    tcase_add_test(limits, test_encode_edges_fit);
    suite_add_tcase(s, limits);

    TCase *errors = tcase_create("errors");
    tcase_add_test(errors, test_op_names_unknown);
    tcase_add_test(errors, test_encode_refuses_unknown_op);
    tcase_add_loop_test(errors, test_decode_refuses, 0, N_BAD_WORDS);
    tcase_add_test(errors, test_decode_clean_words);
    suite_add_tcase(s, errors);
    return s;
}

int main(void)
{
    return tu_run_suite(isa_suite());
}
