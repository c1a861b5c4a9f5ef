/*
 * cover_internal.h - what the coverage files share (harness/tools/cover*.c): the corner
 * classes (one X-macro table) and the accumulator. Not public: the rest uses pim_cover.h.
 *
 *   cover.c         classifying each instruction and result of a golden run
 *   cover_report.c  the table and the JSON report
 *   cover_rtl.c     Verilator line/toggle coverage of the RTL in lockstep
 */
#ifndef PIM_COVER_INTERNAL_H
#define PIM_COVER_INTERNAL_H

#include <stdint.h>

#include "pim_cover.h"
#include "pim_isa.h"

/* X(ENUM, "name", required, "meaning"). Saturation: vvadd/vvsub saturate to ibiw, the others
 * to obiw; vsigm's result is never negative, so it has no low edge. */
#define SAT2(OP, op)                                                                   \
    X(SAT_HI_##OP, "sat_high." op, 1, "result elements whose exact value is above the max") \
    X(SAT_LO_##OP, "sat_low." op, 1, "result elements whose exact value is below the min")
#define BITW(W, w)                                                                     \
    X(W##_1, w ".1", 1, "instructions with that width")                                \
    X(W##_2_7, w ".2-7", 1, "")                                                        \
    X(W##_8, w ".8", 1, "")                                                            \
    X(W##_9_15, w ".9-15", 1, "")                                                      \
    X(W##_16, w ".16", 1, "")                                                          \
    X(W##_17_31, w ".17-31", 1, "")                                                    \
    X(W##_32, w ".32", 1, "")
#define BYTEW(W, w)                                                                    \
    X(W##_1, w ".1", 1, "instructions with that byte width")                           \
    X(W##_2, w ".2", 1, "")                                                            \
    X(W##_3, w ".3", 1, "")                                                            \
    X(W##_4, w ".4", 1, "")

#define COVER_CLASSES(X)                                                                   \
    SAT2(VVADD, "vvadd")                                                                   \
    SAT2(VVSUB, "vvsub")                                                                   \
    SAT2(VVMUL, "vvmul")                                                                   \
    SAT2(VVDMUL, "vvdmul")                                                                 \
    SAT2(VVSLL, "vvsll")                                                                   \
    SAT2(VVSRA, "vvsra")                                                                   \
    SAT2(VAVG, "vavg")                                                                     \
    SAT2(VTANH, "vtanh")                                                                   \
    X(SAT_HI_VSIGM, "sat_high.vsigm", 1, "result elements whose exact value is above the max") \
    SAT2(VRSU, "vrsu")                                                                     \
    SAT2(VRSL, "vrsl")                                                                     \
    SAT2(MVMUL, "mvmul")                                                                   \
    X(ADC_CLIP_HIT, "adc.clip_hit", 1, "mvmuls whose ADC clipped at least one sum")        \
    X(ADC_CLIP_SUMS, "adc.clip_sums", 0, "(step, slice, column) sums the ADC clipped")     \
    X(ADC_CLIP_OFF, "adc.clip_off", 1, "mvmuls on an ideal ADC (adc_clip false)")          \
    X(ADC_AT_FS, "adc.sum_at_full_scale", 1, "mvmuls with a sum of exactly 2^a - 1 (kept)")   \
    X(ADC_ONE_OVER, "adc.sum_2^a", 1, "mvmuls with a sum of exactly 2^a (clipped by one)")     \
    X(ADC_NEAR_MAX, "adc.near_max", 1, "mvmuls whose 2^a - 1 is within 2x below the largest "   \
      "possible sum")                                                                        \
    X(ADC_NEVER, "adc.never_clips", 1, "clipping mvmuls whose 2^a - 1 reaches the largest "     \
      "possible sum")                                                                        \
    X(DAC_SHORT, "mvmul.dac_short_digit", 1, "mvmuls whose DAC width does not divide ibiw")  \
    X(CELL_SHORT, "mvmul.cell_short_slice", 1, "mvmuls whose cell width does not divide mbiw") \
    X(KNOB_ODD, "knob.odd_p_or_d", 1, "mvmuls with an odd cell or DAC width above 1")        \
    X(XBAR_ODD, "xbar.odd_size", 1, "mvmuls on crossbars of an odd row or column count")      \
    X(GROUP_ODD, "mvmul.odd_group", 1, "mvmuls on groups of odd rows and odd columns above 1") \
    X(RELU_ON, "relu.on", 1, "mvmuls with relu 1")                                         \
    X(RELU_OFF, "relu.off", 1, "mvmuls with relu 0")                                       \
    X(OFFSEL_RD_VEC, "offset_select.rd.vector", 1, "vector ops applying offset to rd")     \
    X(OFFSEL_RS1_VEC, "offset_select.rs1.vector", 1, "vector ops applying offset to rs1")  \
    X(OFFSEL_RS2_VEC, "offset_select.rs2.vector", 1, "vector ops applying offset to rs2")  \
    X(OFFSEL_RD_XFER, "offset_select.rd.transfer", 1, "ld/st/lmv applying offset to rd")   \
    X(OFFSEL_RS1_XFER, "offset_select.rs1.transfer", 1, "ld/st/lmv applying offset to rs1") \
    BITW(IBIW, "ibiw")                                                                     \
    BYTEW(IBYW, "ibyw")                                                                    \
    BITW(OBIW, "obiw")                                                                     \
    BYTEW(OBYW, "obyw")                                                                    \
    X(WIDTH_3, "width.3", 1, "instructions with ibiw or obiw 3")                           \
    X(WIDTH_10, "width.10", 1, "instructions with ibiw or obiw 10")                        \
    X(WIDTH_17, "width.17", 1, "instructions with ibiw or obiw 17")                        \
    X(STRIDE_GT1_VAVG, "stride.gt1.vavg", 1, "vavg with $rs2 > 1")                         \
    X(STRIDE_NEG_VAVG, "stride.neg.vavg", 1, "vavg with $rs2 < 0")                         \
    X(STRIDE_0_VAVG, "stride.0.vavg", 1, "vavg with $rs2 == 0")                            \
    X(STRIDE_GT1_VMV, "stride.gt1.vmv", 1, "vmv with $rs2 > 1")                            \
    X(STRIDE_NEG_VMV, "stride.neg.vmv", 1, "vmv with $rs2 < 0")                            \
    X(STRIDE_0_VMV, "stride.0.vmv", 1, "vmv with $rs2 == 0")                               \
    X(LEN0_VEC, "len.0.vector", 1, "vector ops with len 0")                                \
    X(LENMAX_VEC, "len.2047.vector", 1, "vector ops with len 2047")                        \
    X(SIZE0_XFER, "size.0.transfer", 1, "transfers with size 0")                           \
    X(SIZEMAX_XFER, "size.2047.transfer", 1, "transfers with size 2047")                   \
    X(SEND_RECV, "multicore.send_recv", 1, "send/recv pairs that met")                     \
    X(SYNC_WAIT, "multicore.sync_wait", 1, "waits released by a sync")                     \
    X(BARRIER, "multicore.barrier", 1, "waits that blocked before they completed")         \
    X(DEADLOCK, "multicore.deadlock", 1, "runs that ended in deadlock")                    \
    X(ERR_RANGE_RS1, "error.range.rs1", 1, "runs ending: rs1 address out of range")        \
    X(ERR_RANGE_RS2, "error.range.rs2", 1, "runs ending: rs2 address out of range")        \
    X(ERR_RANGE_RD, "error.range.rd", 1, "runs ending: rd address out of range")           \
    X(ERR_OVERLAP, "error.overlap", 1, "runs ending: undefined overlap")                   \
    X(ERR_LEN, "error.len", 1, "runs ending: vavg of 0 elements")                          \
    X(ERR_GROUP, "error.group", 1, "runs ending: missing array group")                     \
    X(ERR_MBIW, "error.mbiw", 1, "runs ending: mbiw differs from the group's")             \
    X(ERR_SIZE, "error.size", 1, "runs ending: send/recv size mismatch")                   \
    X(ERR_OTHER, "error.other", 0, "runs ending in another execution error")               \
    X(REFUSED, "error.input", 1, "vectors refused at load")                                \
    X(REFUSED_NO_OP, "error.input.no_op", 0, "refusals that name no op")

enum {
#define X(E, N, R, M) K_##E,
    COVER_CLASSES(X)
#undef X
    K_COUNT
};


typedef struct pim_cover_class {
    const char *name;
    int required;
    const char *meaning;
} pim_cover_class;

/* The classes, K_COUNT entries in the order of the enum. */
extern const pim_cover_class pim_cover_classes[K_COUNT];

#define MAX_KNOB 16 /* cell_precision and dac_resolution are 1..16 */

struct pim_cover {
    uint64_t vectors, refused;
    uint64_t op_exec[PIM_OP_COUNT], op_vectors[PIM_OP_COUNT], op_errors[PIM_OP_COUNT],
        op_refused[PIM_OP_COUNT], op_len0[PIM_OP_COUNT], op_lenmax[PIM_OP_COUNT];
    uint64_t k[K_COUNT];
    uint64_t cell_precision[MAX_KNOB + 1], dac_resolution[MAX_KNOB + 1];
    uint64_t adc_resolution[33];
};

#endif /* PIM_COVER_INTERNAL_H */
