/*
 * pim_program.h - a loaded, validated program: per-core instruction arrays, the machine
 * config, the array groups, and (for a conformance vector) the initial state and what is
 * expected after the run.
 *
 * Loaders (pim_load.h) build it once; the golden model and the harness only read it.
 * Everything it points to is owned by the program and freed by pim_program_free.
 */
#ifndef PIM_PROGRAM_H
#define PIM_PROGRAM_H

#include <stddef.h>
#include <stdint.h>
#include "pim_config.h"
#include "pim_isa.h"
#include "pim_status.h"

/* The forms of a PIMSIM-NN JSON stream a loader accepts (docs/dialects.md). The strict form
 * is the ISA text; PIM_DIALECT_PIMCOMP is what the PIMCOMP-NN compiler writes. The dialect
 * also changes one rule of execution: in PIMCOMP a global address is one 32-bit register. */
typedef enum pim_dialect { PIM_DIALECT_STRICT = 0, PIM_DIALECT_PIMCOMP } pim_dialect;

/* "strict" / "pimcomp". */
const char *pim_dialect_name(pim_dialect d);

/* A byte region of a memory. */
typedef struct pim_region {
    uint64_t addr;
    uint32_t len;
    uint8_t *bytes; /* len bytes, owned */
} pim_region;

/* An array group of one core. weights == NULL means "fill from the run's seed". */
typedef struct pim_group {
    uint32_t core;
    uint32_t index;  /* group number used by mvmul */
    uint32_t mbiw;
    uint32_t rows, cols;
    int32_t *weights; /* rows*cols, row-major (row = input element), owned; or NULL */
} pim_group;

/* Registers, event registers and local memory regions of one core (initial or expected). */
typedef struct pim_core_state {
    uint32_t regs_mask;   /* bit r set: regs[r] is given */
    uint32_t regs[32];
    uint32_t events_mask; /* bit e set: events[e] is given */
    uint32_t events[32];
    pim_region *lmem;
    size_t n_lmem;
} pim_core_state;

typedef struct pim_program {
    char *path;         /* file it came from, owned */
    char *id;           /* vector id ("" for a bare stream), owned */
    char *comment;      /* owned, may be "" */
    pim_config cfg;
    uint32_t n_cores;   /* == cfg.core_cnt */
    uint32_t n_named;   /* a stream: the cores its file names (pimcomp rule 10: fewer than
                         * n_cores when the names have gaps); else n_cores */
    pim_insn **insns;   /* insns[c]: core c's instructions, owned */
    size_t *n_insns;    /* n_insns[c] */
    pim_group *groups;  /* owned */
    size_t n_groups;
    pim_dialect dialect; /* forms it was written in; PIMCOMP: a global address is the one
                          * 32-bit register named (ld rs1, st rd, sld rs1), not a pair */
    uint8_t fill_weight_bits; /* seeded weights are signed values of this many bits (the low
                               * bits of each splitmix64 output, sign-extended); 0 or >= a
                               * group's mbiw: mbiw */
    uint8_t fill_input_bits;  /* seeded GMem bytes keep their low bits only (values below
                               * 2^bits); 0 or 8: whole bytes */
    uint64_t gmem_input_end; /* a seeded run fills GMem[0, gmem_input_end) from the seed: for
                              * a stream, the end of the highest global read (ld, sld) whose
                              * address the loader can work out, the whole memory when one
                              * cannot be; 0 for a vector */

    uint64_t n_frac_imm;     /* pimcomp: fractional lldi immediates made fixed point
                              * (docs/dialects.md rule 9); 0 otherwise */

    /* Initial state (vectors only; a bare stream starts from zeros). */
    pim_core_state *init;   /* n_cores entries, owned */
    pim_region *init_gmem;
    size_t n_init_gmem;

    /* Expectations (vectors only). */
    int has_expected;
    pim_core_state *expect; /* n_cores entries, owned (present when has_expected) */
    pim_region *expect_gmem;
    size_t n_expect_gmem;

    int expects_error;             /* the vector must end in an error */
    pim_status expect_status;      /* PIM_E_INPUT, PIM_E_EXEC or PIM_E_DEADLOCK */
    long expect_core, expect_index; /* -1: any */
    char expect_field[64];         /* "" : any */

    /* For a vector that must be refused: the loader's error (expects_error is set and the
     * program part was refused; insns are then empty). */
    int refused;
    pim_error refusal;
} pim_program;

/* Allocates an empty program for cfg->core_cnt cores (no instructions, zero state).
 * Returns NULL when out of memory. Owned by the caller (pim_program_free). */
pim_program *pim_program_new(const pim_config *cfg);
void pim_program_free(pim_program *p); /* NULL is ignored */

/* Appends an instruction to core c (c < n_cores). PIM_E_NOMEM on allocation failure. */
pim_status pim_program_append(pim_program *p, uint32_t c, const pim_insn *in);

/* Adds a group (copies weights when not NULL). PIM_E_INPUT if the core already has a group
 * with that index. */
pim_status pim_program_add_group(pim_program *p, const pim_group *g, pim_error *err);

/* Restricts the program to the cores whose keep[c] is non-zero (keep has n_cores entries):
 * the other cores lose their instructions, and in kept cores a send or recv whose peer is
 * not kept becomes a nop (the transfer is cut: a cut recv leaves its destination as it
 * was), and the groups of the other cores are dropped. Instruction indices do not change. *cut (may be NULL) receives the number of
 * transfers cut. */
void pim_program_restrict(pim_program *p, const uint8_t *keep, uint64_t *cut);

/* A malloc'd copy of s (the caller frees it), or NULL when out of memory. */
char *pim_strdup(const char *s);

/* Total instruction count over all cores. */
uint64_t pim_program_insn_count(const pim_program *p);

#endif /* PIM_PROGRAM_H */
