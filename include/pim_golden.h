/*
 * pim_golden.h - the golden reference machine: every instruction of the ISA on any number of
 * cores, bit-exact to spec/profile.md.
 *
 * Pure C: no I/O, no knowledge of the RTL. The machine reports every register, event,
 * width, local- and global-memory write to an observer, instruction by instruction; the
 * harness compares those writes with the design under test's.
 *
 * Execution model: each core runs its instruction array in order. send/recv are a blocking
 * rendezvous; wait blocks until its event register holds the value. pim_golden_run schedules
 * the cores round-robin, each running until it blocks or ends; when every unfinished core
 * is blocked, the run stops with PIM_E_DEADLOCK. A race-free program ends in the same state
 * under any schedule.
 */
#ifndef PIM_GOLDEN_H
#define PIM_GOLDEN_H

#include <stdint.h>
#include "pim_config.h"
#include "pim_program.h"
#include "pim_status.h"

typedef struct pim_golden pim_golden;

typedef enum pim_space {
    PIM_SPACE_REG,   /* addr = register index, data = 4 bytes little-endian */
    PIM_SPACE_EVENT, /* addr = event register index, data = 4 bytes little-endian */
    PIM_SPACE_BW,    /* setbw: addr 0, data = {ibiw, obiw} */
    PIM_SPACE_LMEM,  /* addr = byte address in the owner's local memory */
    PIM_SPACE_GMEM   /* addr = byte address in the global memory */
} pim_space;

/* One observed write. */
typedef struct pim_write {
    uint32_t core;        /* core whose instruction wrote */
    uint64_t index;       /* that instruction's index */
    uint8_t op;           /* its op */
    uint8_t space;        /* pim_space */
    uint8_t elem_bytes;   /* bytes per element of data (1 for byte copies, 4 for registers) */
    uint32_t owner;       /* core owning the register/event/LMem written (0 for GMem) */
    uint64_t addr;
    uint32_t len;         /* bytes */
    const uint8_t *data;  /* the bytes written; valid only during the callback */
} pim_write;

/* Observer: called after each write, in program order. */
typedef void (*pim_write_fn)(void *ud, const pim_write *w);

typedef enum pim_step_result {
    PIM_STEP_EXECUTED = 0, /* one instruction completed (for a rendezvous, both sides) */
    PIM_STEP_BLOCKED,      /* the core waits (send/recv partner, wait value) */
    PIM_STEP_DONE          /* the core has no instruction left */
} pim_step_result;

/* Per-run statistics. */
typedef struct pim_golden_stats {
    uint64_t executed;               /* instructions completed */
    uint64_t per_op[PIM_OP_COUNT];   /* completed, by op */
    uint64_t adc_clips;              /* (step, slice, column) sums clipped by the ADC */
} pim_golden_stats;

/* The compute units a machine uses for mvmul and vector instructions. The machine still
 * reads the operands (checking addresses and overlaps) and writes the results; a unit only
 * computes. The lockstep harness plugs the RTL in here. A unit's failure returns its status
 * and message (the machine adds core, index and op). NULL members: the golden units. */
struct pim_xbar_group;
typedef struct pim_units {
    void *ud;
    pim_status (*mvmul)(void *ud, uint32_t core, uint32_t group, const struct pim_xbar_group *xg,
                        uint32_t ibiw, const int64_t *x, uint32_t relu, uint32_t obiw,
                        int64_t *y, uint64_t *clips, pim_error *err);
    pim_status (*vector)(void *ud, uint32_t core, unsigned op, uint32_t ibiw, uint32_t obiw,
                         int64_t scalar, const int64_t *a, const int64_t *b, uint64_t n,
                         int64_t *y, pim_error *err);
} pim_units;

/* The memory a machine for cfg takes (its memories and cores), and the scratch one
 * instruction needs while it runs (a vector instruction's operand and result elements), in
 * bytes: what a loader charges to its budget before the machine or the run allocates it. */
uint64_t pim_golden_machine_bytes(const pim_config *cfg, uint32_t n_cores);
uint64_t pim_golden_scratch_bytes(const pim_insn *in);

/* Creates a machine for cfg (validated): zeroed memories and registers, widths 8/8.
 * *out is owned by the caller (pim_golden_free). PIM_E_NOMEM when memory is short. */
pim_status pim_golden_new(const pim_config *cfg, pim_golden **out, pim_error *err);
void pim_golden_free(pim_golden *g); /* NULL is ignored */

/* Loads a program: applies its initial state, programs its groups (a group whose weights
 * are NULL gets weights from `seed`, as does GMem[0, p->gmem_input_end) when fill_gmem is
 * set), takes its dialect's addressing, and borrows its instruction arrays, which must
 * outlive the machine.
 * p->cfg must equal the machine's config. */
pim_status pim_golden_load(pim_golden *g, const pim_program *p, uint64_t seed, int fill_gmem,
                           pim_error *err);

/* Replaces the compute units (copied; NULL: back to the golden units). */
void pim_golden_set_units(pim_golden *g, const pim_units *u);

/* Sets the observer (fn NULL: none). */
void pim_golden_set_observer(pim_golden *g, pim_write_fn fn, void *ud);

/* Executes the next instruction of core c. *result tells what happened. An execution error
 * returns PIM_E_EXEC with core, index, op and field or address in *err; the core then stays
 * at the failing instruction. */
pim_status pim_golden_step(pim_golden *g, uint32_t c, pim_step_result *result, pim_error *err);

/* Runs every core to completion (round-robin, each core until it blocks or ends).
 * max_insns > 0 stops after that many instructions (returns PIM_OK; see pim_golden_done).
 * PIM_E_DEADLOCK lists each blocked core, its instruction index and what it waits for. */
pim_status pim_golden_run(pim_golden *g, uint64_t max_insns, pim_error *err);

/* Runs like pim_golden_run, but each instruction is executed by step(ud, core, ...) instead
 * of pim_golden_step (the lockstep harness steps two machines there). The scheduling and
 * the deadlock report are this machine's: step must advance g exactly as pim_golden_step. */
typedef pim_status (*pim_step_fn)(void *ud, uint32_t core, pim_step_result *result,
                                  pim_error *err);
pim_status pim_golden_run_with(pim_golden *g, pim_step_fn step, void *ud, uint64_t max_insns,
                               pim_error *err);

/* 1 when every core has executed all its instructions. */
int pim_golden_done(const pim_golden *g);

/* State access. Pointers stay valid for the machine's life. */
const pim_config *pim_golden_config(const pim_golden *g);
uint8_t *pim_golden_lmem(pim_golden *g, uint32_t c);
uint8_t *pim_golden_gmem(pim_golden *g);
uint32_t pim_golden_reg(const pim_golden *g, uint32_t c, uint32_t r);
void pim_golden_set_reg(pim_golden *g, uint32_t c, uint32_t r, uint32_t v);
uint32_t pim_golden_event(const pim_golden *g, uint32_t c, uint32_t e);
void pim_golden_set_event(pim_golden *g, uint32_t c, uint32_t e, uint32_t v);
uint32_t pim_golden_ibiw(const pim_golden *g, uint32_t c);
uint32_t pim_golden_obiw(const pim_golden *g, uint32_t c);
uint64_t pim_golden_pc(const pim_golden *g, uint32_t c); /* next instruction index */
const pim_golden_stats *pim_golden_get_stats(const pim_golden *g);

/* Programs (or reprograms) group `index` of core c; w as in pim_xbar_group_new. */
pim_status pim_golden_program_group(pim_golden *g, uint32_t c, uint32_t index, uint32_t mbiw,
                                    uint32_t rows, uint32_t cols, const int32_t *w,
                                    pim_error *err);

/* The memory hash of docs/isa.md: FNV-1a (64-bit) over the bytes taken as 64-bit
 * little-endian words (a last partial word zero-padded), then h ^= n and MurmurHash3's
 * fmix64. The same bytes give the same hash on every machine. */
uint64_t pim_hash_bytes(const uint8_t *p, uint64_t n);

/* pim_hash_bytes of the global memory, and of core c's local memory. */
uint64_t pim_golden_hash_gmem(const pim_golden *g);
uint64_t pim_golden_hash_lmem(const pim_golden *g, uint32_t c);

#endif /* PIM_GOLDEN_H */
