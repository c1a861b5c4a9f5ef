/* isa.c - the op table and the 64-bit encoding (pim_isa.h). */
#include "pim_isa.h"

#include <string.h>

typedef struct op_info {
    const char *name;
    int klass;
    uint32_t fields;
    const char *meaning;
} op_info;

static const op_info k_ops[PIM_OP_COUNT] = {
#define PIM_X_INFO(N, C, S, K, F, M) [C] = {S, K, F, M},
    PIM_OP_TABLE(PIM_X_INFO)
#undef PIM_X_INFO
};

const char *pim_op_name(unsigned op) { return op < PIM_OP_COUNT ? k_ops[op].name : NULL; }

int pim_op_from_name(const char *name)
{
    if (!name)
        return -1;
    for (unsigned i = 0; i < PIM_OP_COUNT; i++)
        if (strcmp(k_ops[i].name, name) == 0)
            return (int)i;
    return -1;
}

uint32_t pim_op_fields(unsigned op) { return op < PIM_OP_COUNT ? k_ops[op].fields : 0; }
int pim_op_class(unsigned op) { return op < PIM_OP_COUNT ? k_ops[op].klass : -1; }
const char *pim_op_meaning(unsigned op) { return op < PIM_OP_COUNT ? k_ops[op].meaning : ""; }

typedef struct field_info {
    const char *key, *path, *meaning;
} field_info;

static const field_info k_fields[PIM_FIELD_COUNT] = {
#define PIM_X_FIELD(N, B, K, P, M) [B] = {K, P, M},
    PIM_FIELD_TABLE(PIM_X_FIELD)
#undef PIM_X_FIELD
};

const char *pim_field_key(unsigned bit) { return bit < PIM_FIELD_COUNT ? k_fields[bit].key : NULL; }
const char *pim_field_path(unsigned bit) { return bit < PIM_FIELD_COUNT ? k_fields[bit].path : NULL; }
const char *pim_field_meaning(unsigned bit)
{
    return bit < PIM_FIELD_COUNT ? k_fields[bit].meaning : NULL;
}

int pim_field_bit(uint32_t flag)
{
    if (flag == 0 || (flag & (flag - 1)) != 0 || flag >= (1u << PIM_FIELD_COUNT))
        return -1;
    return __builtin_ctz(flag);
}

/* The JSON key of a field flag. */
static const char *key_of(uint32_t flag) { return pim_field_key((unsigned)pim_field_bit(flag)); }

/* One binary field of one op: where the pim_insn member goes. */
typedef enum { M_RD, M_RS1, M_RS2, M_LEN, M_IMM, M_OFFSEL, M_OFFVAL, M_MBIW, M_GROUP, M_RELU,
               M_IBIW, M_OBIW, M_BYTE, M_CORE, M_EV, M_WVAL } member;

typedef struct bitfield {
    member m;
    unsigned pos, size;
    int minus_one; /* binary holds value - 1 (widths) */
    int is_signed;
    const char *name;
} bitfield;

/* The binary fields an op uses, derived from its JSON fields (one table, pim_isa.h). */
static unsigned op_bitfields(unsigned op, bitfield *bf)
{
    const uint32_t f = pim_op_fields(op);
    unsigned n = 0;
#define ADD(M, P, S, MO, SG, NAME) bf[n++] = (bitfield){M, P, S, MO, SG, NAME}
    if (f & PIM_F_RD)
        ADD(M_RD, PIM_POS_RD, PIM_SIZE_RD, 0, 0, key_of(PIM_F_RD));
    if (f & PIM_F_RS1)
        ADD(M_RS1, op == PIM_OP_SEND ? PIM_POS_RD : PIM_POS_RS1, PIM_SIZE_RS1, 0, 0, key_of(PIM_F_RS1));
    if (f & PIM_F_RS2)
        ADD(M_RS2, PIM_POS_RS2, PIM_SIZE_RS2, 0, 0, key_of(PIM_F_RS2));
    if (f & (PIM_F_LEN | PIM_F_SIZE))
        ADD(M_LEN, PIM_POS_LEN, PIM_SIZE_LEN, 0, 0, key_of((f & PIM_F_LEN) ? PIM_F_LEN : PIM_F_SIZE));
    if (f & PIM_F_IMM)
        ADD(M_IMM, PIM_POS_IMM, PIM_SIZE_IMM, 0, 0, key_of(PIM_F_IMM));
    if (f & PIM_F_BYTE)
        ADD(M_BYTE, PIM_POS_BYTE, PIM_SIZE_BYTE, 0, 0, key_of(PIM_F_BYTE));
    if (f & PIM_F_OFFSEL)
        ADD(M_OFFSEL, PIM_POS_OFFSEL, PIM_SIZE_OFFSEL, 0, 0, key_of(PIM_F_OFFSEL));
    if (f & (PIM_F_OFFVAL | PIM_F_SOFF))
        ADD(M_OFFVAL, PIM_POS_OFFVAL, PIM_SIZE_OFFVAL, 0, 1, key_of(PIM_F_OFFVAL));
    if (f & PIM_F_MBIW)
        ADD(M_MBIW, PIM_POS_MBIW, PIM_SIZE_MBIW, 1, 0, key_of(PIM_F_MBIW));
    if (f & PIM_F_GROUP)
        ADD(M_GROUP, PIM_POS_GROUP, PIM_SIZE_GROUP, 0, 0, key_of(PIM_F_GROUP));
    if (f & PIM_F_RELU)
        ADD(M_RELU, PIM_POS_RELU, PIM_SIZE_RELU, 0, 0, key_of(PIM_F_RELU));
    if (f & PIM_F_IBIW)
        ADD(M_IBIW, PIM_POS_IBIW, PIM_SIZE_BW, 1, 0, key_of(PIM_F_IBIW));
    if (f & PIM_F_OBIW)
        ADD(M_OBIW, PIM_POS_OBIW, PIM_SIZE_BW, 1, 0, key_of(PIM_F_OBIW));
    if (f & PIM_F_CORE)
        ADD(M_CORE, PIM_POS_CORE, PIM_SIZE_CORE, 0, 0, key_of(PIM_F_CORE));
    if (f & PIM_F_EV)
        ADD(M_EV, PIM_POS_EV, PIM_SIZE_EV, 0, 0, key_of(PIM_F_EV));
    if (f & PIM_F_WVAL)
        ADD(M_WVAL, PIM_POS_WVAL, PIM_SIZE_WVAL, 0, 0, key_of(PIM_F_WVAL));
#undef ADD
    return n;
}

static int64_t get_member(const pim_insn *in, member m)
{
    switch (m) {
    case M_RD: return in->rd;
    case M_RS1: return in->rs1;
    case M_RS2: return in->rs2;
    case M_LEN: return in->len;
    case M_IMM: return in->imm;
    case M_OFFSEL: return in->offset_select;
    case M_OFFVAL: return in->offset;
    case M_MBIW: return in->mbiw;
    case M_GROUP: return in->group;
    case M_RELU: return in->relu;
    case M_IBIW: return in->ibiw;
    case M_OBIW: return in->obiw;
    case M_BYTE: return in->imm;
    case M_CORE: return in->core;
    case M_EV: return in->ev;
    case M_WVAL: return in->imm;
    }
    return 0;
}

static void set_member(pim_insn *in, member m, int64_t v)
{
    switch (m) {
    case M_RD: in->rd = (uint8_t)v; break;
    case M_RS1: in->rs1 = (uint8_t)v; break;
    case M_RS2: in->rs2 = (uint8_t)v; break;
    case M_LEN: in->len = (uint32_t)v; break;
    case M_IMM: in->imm = (uint32_t)v; break;
    case M_OFFSEL: in->offset_select = (uint8_t)v; break;
    case M_OFFVAL: in->offset = (int32_t)v; break;
    case M_MBIW: in->mbiw = (uint8_t)v; break;
    case M_GROUP: in->group = (uint16_t)v; break;
    case M_RELU: in->relu = (uint8_t)v; break;
    case M_IBIW: in->ibiw = (uint8_t)v; break;
    case M_OBIW: in->obiw = (uint8_t)v; break;
    case M_BYTE: in->imm = (uint32_t)v; break;
    case M_CORE: in->core = (uint16_t)v; break;
    case M_EV: in->ev = (uint8_t)v; break;
    case M_WVAL: in->imm = (uint32_t)v; break;
    }
}

pim_status pim_insn_encode(const pim_insn *in, uint64_t *out, pim_error *err)
{
    if (in->op >= PIM_OP_COUNT)
        return pim_error_set(err, PIM_E_INPUT, -1, -1, "op", "unknown opcode %u", in->op);
    bitfield bf[16];
    const unsigned n = op_bitfields(in->op, bf);
    uint64_t w = (uint64_t)in->op << PIM_POS_OP;
    for (unsigned i = 0; i < n; i++) {
        int64_t v = get_member(in, bf[i].m);
        if (bf[i].minus_one) {
            if (v < 1)
                return pim_error_set(err, PIM_E_INPUT, -1, -1, bf[i].name,
                                     "%s width %lld is below 1", pim_op_name(in->op),
                                     (long long)v);
            v -= 1;
        }
        const int64_t lo = bf[i].is_signed ? -((int64_t)1 << (bf[i].size - 1)) : 0;
        const int64_t hi = bf[i].is_signed ? ((int64_t)1 << (bf[i].size - 1)) - 1
                                           : (int64_t)PIM_MASK(bf[i].size);
        if (v < lo || v > hi)
            return pim_error_set(err, PIM_E_INPUT, -1, -1, bf[i].name,
                                 "%s: %lld does not fit the %u-bit binary field",
                                 pim_op_name(in->op),
                                 (long long)(bf[i].minus_one ? v + 1 : v), bf[i].size);
        w |= ((uint64_t)v & PIM_MASK(bf[i].size)) << bf[i].pos;
    }
    *out = w;
    return PIM_OK;
}

pim_status pim_insn_decode(uint64_t w, pim_insn *out, pim_error *err)
{
    const unsigned op = (unsigned)PIM_GET(w, OP);
    if (op >= PIM_OP_COUNT)
        return pim_error_set(err, PIM_E_INPUT, -1, -1, "op", "unknown opcode %u", op);
    bitfield bf[16];
    const unsigned n = op_bitfields(op, bf);
    pim_insn in;
    memset(&in, 0, sizeof in);
    in.op = (uint8_t)op;
    uint64_t used = PIM_MASK(PIM_SIZE_OP);
    for (unsigned i = 0; i < n; i++) {
        uint64_t raw = (w >> bf[i].pos) & PIM_MASK(bf[i].size);
        used |= PIM_MASK(bf[i].size) << bf[i].pos;
        int64_t v = bf[i].is_signed ? (int64_t)((raw ^ ((uint64_t)1 << (bf[i].size - 1))) -
                                                ((uint64_t)1 << (bf[i].size - 1)))
                                    : (int64_t)raw;
        if (bf[i].minus_one)
            v += 1;
        set_member(&in, bf[i].m, v);
    }
    if (w & ~used)
        return pim_error_set(err, PIM_E_INPUT, -1, -1, "op",
                             "%s: bits 0x%016llx are set in fields it does not use",
                             pim_op_name(op), (unsigned long long)(w & ~used));
    *out = in;
    return PIM_OK;
}
