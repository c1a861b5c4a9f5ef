/*
 * gen_internal.h - what the generator's files share (harness/tools/gen*.c). Not public: the
 * rest of the harness uses pim_gen.h.
 *
 *   gen_state.c  random numbers, emitting an instruction as JSON, the register model,
 *                address operands and offsets
 *   gen_ops.c    one item of each instruction class (scalar, matrix, vector, transfer, sync)
 *   gen.c        the document: config, initial state, groups, the global order, expected
 */
#ifndef PIM_GEN_INTERNAL_H
#define PIM_GEN_INTERNAL_H

#include <cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "pim_arith.h"
#include "pim_config.h"
#include "pim_isa.h"
#include "pim_json.h"

#define GEN_MAX_GROUPS 3
#define GEN_HEX_CHUNK 1024u

typedef struct gen_group {
    uint32_t index, mbiw, rows, cols;
} gen_group;

typedef struct gen_core {
    cJSON *insns;          /* this core's instruction array (owned by the document) */
    uint32_t count;        /* instructions emitted */
    uint32_t regs[PIM_NREGS];
    uint32_t known;        /* bit r: regs[r] is the register's value */
    uint32_t ibiw, obiw;
    uint32_t n_groups;
    gen_group groups[GEN_MAX_GROUPS];
    uint32_t ev_used;      /* bit e: event e of this core belongs to a plan */
    uint64_t gslice_lo, gslice_hi; /* this core's private global slice */
} gen_core;

typedef struct gen_plan {
    uint32_t target, ev, need, done, waited, will_wait;
} gen_plan;

typedef struct gen {
    uint64_t rng;
    pim_config cfg;
    uint32_t ncores;
    uint64_t L, G, gshared;
    gen_core *cores;
    gen_plan *plans;
    size_t n_plans, cap_plans;
    pim_jb jb;             /* the document being built (out of memory noted once) */
} gen;


/* One address operand of an instruction: where its register + offset may point. */
typedef struct opnd {
    uint64_t lo, hi;  /* the bytes [addr, addr + n) must lie in [lo, hi) */
    uint64_t n;       /* bytes touched from addr (for a strided span: see gen_strided) */
    uint32_t unit;    /* bytes per offset unit: the element width, or 1 for transfers */
    uint32_t align;   /* preferred alignment of a fresh address */
    int applies;      /* the instruction's offset is added to this operand */
    int wild;         /* nothing is accessed (zero length): any register value will do */
    int fixed;        /* addr is given (in-place use), not chosen */
    int64_t addr;     /* the address reached (out, or in when fixed) */
} opnd;

/* ------------------------------------------------------------------ random numbers */

static inline uint64_t rnd(gen *g)
{
    return pim_splitmix64(&g->rng);
}

/* Uniform-ish in [0, n) (0 when n == 0). */
static inline uint64_t rnd_below(gen *g, uint64_t n)
{
    return n ? rnd(g) % n : 0;
}

/* Uniform-ish in [lo, hi], lo <= hi. */
static inline int64_t rnd_range(gen *g, int64_t lo, int64_t hi)
{
    return lo + (int64_t)rnd_below(g, (uint64_t)(hi - lo) + 1u);
}

static inline int chance(gen *g, unsigned pct)
{
    return rnd_below(g, 100) < pct;
}

/* A 32-bit value with edge cases over-represented. */
uint32_t gen_rnd_value(gen *g);
/* Element count: mostly short, sometimes long, rarely the maximum; 0 with zero_pct. */
uint32_t gen_rnd_len(gen *g, uint64_t max, unsigned zero_pct);

/* ------------------------------------------------------------------ instructions */

/* An instruction of op, every other member zero. */
pim_insn gen_insn(unsigned op);
/* Appends *in to core c's stream as strict JSON and applies its effect on the model. */
void gen_emit(gen *g, uint32_t c, const pim_insn *in);
void gen_emit_rri(gen *g, uint32_t c, unsigned op, uint32_t rd, uint32_t rs1, uint32_t rs2,
                  uint32_t imm);

/* A random register not in mask and not `not`, or -1 when none. */
int gen_free_reg(gen *g, uint32_t mask, int not);
/* Makes register r of core c hold v (setup instructions write only r, and a temporary not in
 * mask). */
void gen_set_reg(gen *g, uint32_t c, uint32_t r, uint32_t v, uint32_t mask);
/* A register of core c holding v, added to *mask. */
uint32_t gen_get_reg(gen *g, uint32_t c, uint32_t v, uint32_t *mask);

/* ------------------------------------------------------------------ operands */

opnd gen_opnd(uint64_t lo, uint64_t hi, uint64_t n, uint32_t unit, int applies);
/* An offset value every operand can absorb. */
int32_t gen_pick_offset(gen *g, const opnd *ops, size_t n);
/* The register of operand *o for offset v (added to *mask); sets o->addr. */
uint32_t gen_place(gen *g, uint32_t c, opnd *o, int32_t v, uint32_t *mask);
/* The same for a global operand: an even register pair (high word 0). */
uint32_t gen_place_pair(gen *g, uint32_t c, opnd *o, int32_t v, uint32_t *mask);
/* A split point p of [0, L) with a bytes below and b bytes above (a + b <= L). */
uint64_t gen_split_point(gen *g, uint64_t a, uint64_t b);

/* ------------------------------------------------------------------ classes (gen_ops.c) */

void gen_scalar(gen *g, uint32_t c);
void gen_matrix(gen *g, uint32_t c);
void gen_vector(gen *g, uint32_t c);
void gen_transfer(gen *g, uint32_t c);
void gen_syncwait(gen *g, uint32_t c);
/* Completes every plan at the end: the missing syncs, then the waits. */
void gen_finish_plans(gen *g);

#endif /* PIM_GEN_INTERNAL_H */
