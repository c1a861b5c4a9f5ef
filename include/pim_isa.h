/*
 * pim_isa.h - the ICT PIM ISA: opcodes, instruction fields and the 64-bit binary form.
 *
 * The one table of the ISA is PIM_OP_TABLE below, with the field names in PIM_FIELD_TABLE; the
 * RTL package (rtl/pim_pkg.sv) is generated from them (`pimcosim isa --sv`, checked by
 * `make check-pkg` in `make test`). Opcode numbers are pimcosim's own (the ISA leaves them open).
 *
 * 64-bit layout (ISA Figure 3, bit 0 = least significant bit):
 *
 *   63                               32 31        21 20    16 15    11 10     6 5      0
 *  +------------------------------------+------------+--------+--------+--------+--------+
 *  |            imm (32)                |  len/size  |  rs2   |  rs1   |   rd   | opcode |
 *  +-------------------------+----------+    (11)    |  (5)   |  (5)   |  (5)   |  (6)   |
 *  |   offset_value (29, signed)  | sel(3) |          |        |        |        |        |
 *  +-------------------------+----------+------------+--------+--------+--------+--------+
 *
 *  - imm (sldi, saddi, smuli) takes bits 32..63 whole.
 *  - offset = offset_select (bits 32..34: bit 0 for rd, 1 for rs1, 2 for rs2) and
 *    offset_value (bits 35..63, two's complement). Ops with a bare offset (sld, vavg, lldi,
 *    send, recv) leave bits 32..34 zero.
 *  - setbw:  ibiw-1 in bits 6..10, obiw-1 in bits 11..15 (widths 1..32 in 5 bits).
 *  - mvmul:  mbiw-1 in bits 16..20, group in bits 21..24, relu in bit 31.
 *  - lldi:   the byte imm in bits 11..18.
 *  - send: its source register rs1 in bits 6..10 (where the others have rd), as Figure 3.
 *  - send/recv/sync: core in bits 11..20; wait: value in bits 11..20; wait/sync: event
 *    register in bits 6..10.
 */
#ifndef PIM_ISA_H
#define PIM_ISA_H

#include <stdint.h>
#include "pim_status.h"

/* Instruction fields: the one table of their names. X(NAME, bit, "key", "path", meaning)
 * - key: the JSON member name (PIMSIM-NN's), and the name of the binary field;
 * - path: where the member sits in an instruction object ("offset.*" live in "offset");
 * - the order is the order in which a loader checks an instruction's members (tests/pyref's
 *   TOP_KEYS follows it; tests/pyref/check_isa.py compares the two).
 * SOFF and BYTE are other forms of a key (sld's bare offset_value, lldi's one-byte imm). */
#define PIM_FIELD_TABLE(X)                                                                    \
    X(RD, 0, "rd", "rd", "destination register")                                             \
    X(RS1, 1, "rs1", "rs1", "first source register")                                         \
    X(RS2, 2, "rs2", "rs2", "second source register")                                        \
    X(IMM, 3, "imm", "imm", "32-bit immediate")                                               \
    X(LEN, 4, "len", "len", "element count")                                                  \
    X(SIZE, 5, "size", "size", "byte count")                                                  \
    X(CORE, 6, "core", "core", "peer core")                                                   \
    X(MBIW, 7, "mbiw", "mbiw", "weight bit width")                                            \
    X(GROUP, 8, "group", "group", "array group")                                              \
    X(RELU, 9, "relu", "relu", "ReLU on the result")                                          \
    X(IBIW, 10, "ibiw", "ibiw", "input bit width")                                            \
    X(OBIW, 11, "obiw", "obiw", "output bit width")                                           \
    X(EV, 12, "event_register", "event_register", "event register")                          \
    X(WVAL, 13, "wait_value", "wait_value", "value a wait waits for")                        \
    X(OFFSEL, 14, "offset_select", "offset.offset_select", "which operands take the offset") \
    X(OFFVAL, 15, "offset_value", "offset.offset_value", "offset (elements or bytes)")       \
    X(SOFF, 16, "offset_value", "offset_value", "sld's bare offset, bytes")                  \
    X(BYTE, 17, "imm", "imm", "lldi's immediate, one byte")

enum {
#define PIM_X_FLAG(N, B, K, P, M) PIM_F_##N = 1u << (B),
    PIM_FIELD_TABLE(PIM_X_FLAG)
#undef PIM_X_FLAG
};
/* The bit of each field (PIM_FB_RD = 0, ...), for pim_field_key and friends. */
enum {
#define PIM_X_BIT(N, B, K, P, M) PIM_FB_##N = B,
    PIM_FIELD_TABLE(PIM_X_BIT)
#undef PIM_X_BIT
};
#define PIM_X_ONE(N, B, K, P, M) +1
enum { PIM_FIELD_COUNT = 0 PIM_FIELD_TABLE(PIM_X_ONE) };
#undef PIM_X_ONE

enum { PIM_CLASS_SCALAR, PIM_CLASS_MATRIX, PIM_CLASS_VECTOR, PIM_CLASS_TRANSFER, PIM_CLASS_SYNC };

#define PIM_F_VEC3 (PIM_F_RD | PIM_F_RS1 | PIM_F_RS2 | PIM_F_LEN | PIM_F_OFFSEL | PIM_F_OFFVAL)
#define PIM_F_VEC2 (PIM_F_RD | PIM_F_RS1 | PIM_F_LEN | PIM_F_OFFSEL | PIM_F_OFFVAL)
#define PIM_F_XFER (PIM_F_RD | PIM_F_RS1 | PIM_F_SIZE | PIM_F_OFFSEL | PIM_F_OFFVAL)

/* X(NAME, opcode, "name", class, fields, meaning) */
#define PIM_OP_TABLE(X)                                                                           \
    X(NOP, 0, "nop", PIM_CLASS_SCALAR, 0, "do nothing")                                           \
    X(SLDI, 1, "sldi", PIM_CLASS_SCALAR, PIM_F_RD | PIM_F_IMM, "$rd = imm")                        \
    X(SLD, 2, "sld", PIM_CLASS_SCALAR, PIM_F_RD | PIM_F_RS1 | PIM_F_SOFF,                          \
      "$rd = GMem[$rs1:$rs1+1 + offset, 4 bytes]")                                                \
    X(SADD, 3, "sadd", PIM_CLASS_SCALAR, PIM_F_RD | PIM_F_RS1 | PIM_F_RS2, "$rd = $rs1 + $rs2")    \
    X(SSUB, 4, "ssub", PIM_CLASS_SCALAR, PIM_F_RD | PIM_F_RS1 | PIM_F_RS2, "$rd = $rs1 - $rs2")    \
    X(SMUL, 5, "smul", PIM_CLASS_SCALAR, PIM_F_RD | PIM_F_RS1 | PIM_F_RS2, "$rd = $rs1 * $rs2")    \
    X(SADDI, 6, "saddi", PIM_CLASS_SCALAR, PIM_F_RD | PIM_F_RS1 | PIM_F_IMM, "$rd = $rs1 + imm")   \
    X(SMULI, 7, "smuli", PIM_CLASS_SCALAR, PIM_F_RD | PIM_F_RS1 | PIM_F_IMM, "$rd = $rs1 * imm")   \
    X(SETBW, 8, "setbw", PIM_CLASS_MATRIX, PIM_F_IBIW | PIM_F_OBIW, "set ibiw, obiw")             \
    X(MVMUL, 9, "mvmul", PIM_CLASS_MATRIX,                                                       \
      PIM_F_RD | PIM_F_RS1 | PIM_F_MBIW | PIM_F_GROUP | PIM_F_RELU, "crossbar matrix x vector")   \
    X(VVADD, 10, "vvadd", PIM_CLASS_VECTOR, PIM_F_VEC3, "element-wise a + b")                    \
    X(VVSUB, 11, "vvsub", PIM_CLASS_VECTOR, PIM_F_VEC3, "element-wise a - b")                    \
    X(VVMUL, 12, "vvmul", PIM_CLASS_VECTOR, PIM_F_VEC3, "element-wise a * b")                    \
    X(VVDMUL, 13, "vvdmul", PIM_CLASS_VECTOR, PIM_F_VEC3, "dot product, one element")            \
    X(VVMAX, 14, "vvmax", PIM_CLASS_VECTOR, PIM_F_VEC3, "element-wise max(a, b)")                \
    X(VVSLL, 15, "vvsll", PIM_CLASS_VECTOR, PIM_F_VEC3, "element-wise a << b")                   \
    X(VVSRA, 16, "vvsra", PIM_CLASS_VECTOR, PIM_F_VEC3, "element-wise a >> b, arithmetic")       \
    X(VAVG, 17, "vavg", PIM_CLASS_VECTOR,                                                        \
      PIM_F_RD | PIM_F_RS1 | PIM_F_RS2 | PIM_F_LEN | PIM_F_OFFVAL, "floor mean, stride $rs2")      \
    X(VRELU, 18, "vrelu", PIM_CLASS_VECTOR, PIM_F_VEC2, "element-wise max(a, 0)")                \
    X(VTANH, 19, "vtanh", PIM_CLASS_VECTOR, PIM_F_VEC2, "PLAN tanh, fixed point")                \
    X(VSIGM, 20, "vsigm", PIM_CLASS_VECTOR, PIM_F_VEC2, "PLAN sigmoid, fixed point")             \
    X(VMV, 21, "vmv", PIM_CLASS_VECTOR, PIM_F_RD | PIM_F_RS1 | PIM_F_RS2 | PIM_F_LEN,              \
      "gather with stride $rs2")                                                                  \
    X(VRSU, 22, "vrsu", PIM_CLASS_VECTOR, PIM_F_VEC3, "resize, min(a, $rs2)")                    \
    X(VRSL, 23, "vrsl", PIM_CLASS_VECTOR, PIM_F_VEC3, "resize, max(a, $rs2)")                    \
    X(LD, 24, "ld", PIM_CLASS_TRANSFER, PIM_F_XFER, "LMem[$rd] = GMem[$rs1:$rs1+1], size bytes") \
    X(ST, 25, "st", PIM_CLASS_TRANSFER, PIM_F_XFER, "GMem[$rd:$rd+1] = LMem[$rs1], size bytes")  \
    X(LLDI, 26, "lldi", PIM_CLASS_TRANSFER, PIM_F_RD | PIM_F_BYTE | PIM_F_SIZE | PIM_F_OFFVAL,     \
      "memset(LMem[$rd + offset], imm, size)")                                                    \
    X(LMV, 27, "lmv", PIM_CLASS_TRANSFER, PIM_F_XFER, "LMem[$rd] = LMem[$rs1], size bytes")      \
    X(SEND, 28, "send", PIM_CLASS_TRANSFER, PIM_F_RS1 | PIM_F_CORE | PIM_F_SIZE | PIM_F_OFFVAL,    \
      "send LMem[$rs1 + offset] to core")                                                         \
    X(RECV, 29, "recv", PIM_CLASS_TRANSFER, PIM_F_RD | PIM_F_CORE | PIM_F_SIZE | PIM_F_OFFVAL,     \
      "receive into LMem[$rd + offset] from core")                                                \
    X(WAIT, 30, "wait", PIM_CLASS_SYNC, PIM_F_EV | PIM_F_WVAL, "block until ev == val, reset ev") \
    X(SYNC, 31, "sync", PIM_CLASS_SYNC, PIM_F_EV | PIM_F_CORE, "event ev of core += 1")

typedef enum pim_op {
#define PIM_X_ENUM(N, C, S, K, F, M) PIM_OP_##N = C,
    PIM_OP_TABLE(PIM_X_ENUM)
#undef PIM_X_ENUM
    PIM_OP_COUNT
} pim_op;

/* Binary field positions and sizes (Lua lopcodes.h style). */
#define PIM_POS_OP 0
#define PIM_SIZE_OP 6
#define PIM_POS_RD 6
#define PIM_SIZE_RD 5
#define PIM_POS_RS1 11
#define PIM_SIZE_RS1 5
#define PIM_POS_RS2 16
#define PIM_SIZE_RS2 5
#define PIM_POS_LEN 21
#define PIM_SIZE_LEN 11
#define PIM_POS_IMM 32
#define PIM_SIZE_IMM 32
#define PIM_POS_OFFSEL 32
#define PIM_SIZE_OFFSEL 3
#define PIM_POS_OFFVAL 35
#define PIM_SIZE_OFFVAL 29
#define PIM_POS_MBIW 16
#define PIM_SIZE_MBIW 5
#define PIM_POS_GROUP 21
#define PIM_SIZE_GROUP 4
#define PIM_POS_RELU 31
#define PIM_SIZE_RELU 1
#define PIM_POS_IBIW 6
#define PIM_POS_OBIW 11
#define PIM_SIZE_BW 5
#define PIM_POS_BYTE 11
#define PIM_SIZE_BYTE 8
#define PIM_POS_CORE 11
#define PIM_SIZE_CORE 10
#define PIM_POS_EV 6
#define PIM_SIZE_EV 5
#define PIM_POS_WVAL 11
#define PIM_SIZE_WVAL 10

#define PIM_MASK(size) ((uint64_t)(((uint64_t)1 << (size)) - 1u))
#define PIM_GET(w, field) ((uint32_t)(((w) >> PIM_POS_##field) & PIM_MASK(PIM_SIZE_##field)))

#define PIM_NREGS 32
#define PIM_NEVENTS 32
#define PIM_MAX_WIDTH 32
#define PIM_OFFVAL_MIN (-(1L << 28))
#define PIM_OFFVAL_MAX ((1L << 28) - 1)

/* One decoded instruction. Which members mean something depends on the op (see the table);
 * the rest are zero. Plain value type, 28 bytes. */
typedef struct pim_insn {
    uint8_t op;            /* pim_op */
    uint8_t rd, rs1, rs2;  /* register indices; send keeps its source register in rs1 */
    uint8_t ibiw, obiw;    /* setbw */
    uint8_t mbiw, relu;    /* mvmul */
    uint8_t offset_select; /* bit 0 rd, bit 1 rs1, bit 2 rs2 */
    uint8_t ev;            /* wait/sync event register */
    uint8_t frac;          /* pimcomp fixed point (docs/dialects.md rule 9): F of an lldi whose
                            * imm was a fraction (its byte is that fraction times 2^F), and of
                            * the vvmul that reads it (its products are scaled by 2^-F,
                            * rounded); 0 for every other instruction */
    uint16_t group;        /* mvmul array group */
    uint16_t core;         /* send/recv/sync peer core (< PIM_MAX_CORES) */
    uint32_t len;          /* len (elements) or size (bytes) */
    uint32_t imm;          /* sldi/saddi/smuli imm (two's complement), lldi byte, wait value */
    int32_t offset;        /* offset_value: elements for vector ops, bytes otherwise */
} pim_insn;
#ifndef __cplusplus
_Static_assert(sizeof(pim_insn) == 28, "pim_insn is 28 bytes (a million instructions: 28 MB)");
#endif

/* Name of an op ("vvadd"), or NULL if op is not a valid opcode. */
const char *pim_op_name(unsigned op);
/* Opcode for a lower-case name, or -1 when unknown. */
int pim_op_from_name(const char *name);
/* Fields (PIM_F_*) that an op takes; 0 for nop or an invalid opcode. */
uint32_t pim_op_fields(unsigned op);
/* Instruction class (PIM_CLASS_*), -1 for an invalid opcode. */
int pim_op_class(unsigned op);
/* One-line meaning of an op, "" for an invalid opcode. */
const char *pim_op_meaning(unsigned op);

/* The field whose flag is bit `bit` of the table (0 <= bit < PIM_FIELD_COUNT): its JSON
 * key, its path in an instruction object, its meaning. NULL for any other bit. */
const char *pim_field_key(unsigned bit);
const char *pim_field_path(unsigned bit);
const char *pim_field_meaning(unsigned bit);
/* The bit of a field flag (PIM_F_*, one bit set), or -1. */
int pim_field_bit(uint32_t flag);
/* The JSON key of field NAME, as error records and reports name it: PIM_KEY(RS1) is "rs1". */
#define PIM_KEY(NAME) pim_field_key(PIM_FB_##NAME)

/* Encodes *in into *out. Refuses (PIM_E_INPUT, field named in *err) any value that does
 * not fit its binary field: nothing is truncated. *out is untouched on failure. */
pim_status pim_insn_encode(const pim_insn *in, uint64_t *out, pim_error *err);

/* Decodes w into *out. Refuses an unknown opcode or bits set in a field the op does not
 * use (PIM_E_INPUT). *out is untouched on failure. */
pim_status pim_insn_decode(uint64_t w, pim_insn *out, pim_error *err);

#endif /* PIM_ISA_H */
