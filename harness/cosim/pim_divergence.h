/*
 * pim_divergence.h - the first difference between the golden model and the design under
 * test: what it is (an enum of kinds), where, and its words (one line, JSON, context).
 *
 * A lockstep run (pim_lockstep.h) fills one when the two sides' writes differ or an RTL unit
 * breaks its protocol; reports, bundles, waves and shrink read it.
 */
#ifndef PIM_DIVERGENCE_H
#define PIM_DIVERGENCE_H

#include <stddef.h>
#include <stdint.h>

#include "pim_golden.h"
#include "pim_isa.h"

/* Which part of the design under test executed the instruction. */
typedef enum pim_unit_id {
    PIM_UNIT_HARNESS = 0, /* scalar, transfer and sync instructions: the harness itself */
    PIM_UNIT_TILE,        /* mvmul: the RTL crossbar tile, "pim_xbar_tile" */
    PIM_UNIT_VU           /* vector instructions: the RTL vector unit, "pim_vector_unit" */
} pim_unit_id;

/* The unit that executes op on the design under test. */
pim_unit_id pim_unit_of_op(unsigned op);
/* "harness", "pim_xbar_tile", "pim_vector_unit" (the RTL module names). */
const char *pim_unit_name(pim_unit_id u);

/* The kinds of divergence. */
typedef enum pim_div_kind {
    PIM_DIV_VALUE = 0, /* a write's element differs: space, owner, element, address, values */
    PIM_DIV_WRITES,    /* the two sides wrote different places or sizes (expected/actual: the
                        * byte counts, -1 for a write missing on that side) */
    PIM_DIV_PROTOCOL,  /* an RTL unit broke its valid/ready contract, hung, an RTL
                        * assertion fired, or an output broke its stated form */
    PIM_DIV_CLIPS,     /* an mvmul's ADC clip count (out_clips_o) differs from the golden
                        * model's (expected/actual: the counts) */
    PIM_DIV_COUNT      /* a vector-unit output beat's out_count_o is not the lanes it holds
                        * (element: the beat; expected/actual: the counts) */
} pim_div_kind;

typedef struct pim_divergence {
    uint8_t kind;            /* pim_div_kind */
    uint8_t unit;            /* pim_unit_id */
    uint8_t op;              /* pim_op of the instruction */
    uint8_t space;           /* pim_space of the write (PIM_DIV_VALUE) */
    uint32_t core;
    uint64_t index;          /* instruction index */
    uint32_t owner;          /* core whose memory/register was written */
    uint64_t element;        /* element index within the write */
    uint64_t addr;           /* byte address (or register/event index) of that element */
    uint32_t elem_bytes;
    int64_t expected, actual; /* the element's value, sign-extended from elem_bytes */
    uint64_t cycle;          /* the unit's cycle when it was seen (tile or vector unit) */
    uint64_t tile_cycle, vu_cycle; /* both units' cycle counters then */
    uint64_t beat_cycle;     /* the unit's cycle at whose rising edge the beat holding the
                              * element left it (PIM_DIV_VALUE of a unit's result; else
                              * cycle) */
    uint32_t lane;           /* the element's lane in that beat (tile: its column in the pass) */
} pim_divergence;

/* What diverged in words: the space of a value ("LMem", "GMem", "register", "event",
 * "widths"), "writes", "protocol", "clips" or "count". */
const char *pim_divergence_what(const pim_divergence *d);

/* Fills *d from write a (golden) and b (design under test; either may be NULL: missing),
 * with their bytes ad, bd: the first element that differs, or PIM_DIV_WRITES when the two
 * writes are not of the same place and size. Cycles are left 0. */
void pim_divergence_from_writes(pim_divergence *d, const pim_write *a, const uint8_t *ad,
                                const pim_write *b, const uint8_t *bd);

/* One line describing a divergence (no newline) into buf (n bytes); returns buf. */
char *pim_divergence_format(const pim_divergence *d, char *buf, size_t n);

/* The divergence as a JSON object (owned by the caller; cJSON_Delete), NULL when out of
 * memory. Keys: core, index, op, unit, what, owner, element, addr, expected, actual, cycle,
 * tile_cycle, vu_cycle. */
struct cJSON;
struct cJSON *pim_divergence_json(const pim_divergence *d);

/* One instruction in words, with the register values given in regs (NULL: none):
 * "#12 vvadd rd=r3(256) rs1=r1(0) rs2=r2(128) len=4". Returns the length written (< n). */
size_t pim_insn_describe(const pim_insn *in, uint64_t index, const uint32_t *regs, char *buf,
                         size_t n);

#endif /* PIM_DIVERGENCE_H */
