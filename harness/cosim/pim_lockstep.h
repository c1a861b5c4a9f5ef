/*
 * pim_lockstep.h - the golden model and the design under test side by side: a program runs
 * on two machines, one with the golden units and one with the RTL's (pim_rtl.h), instruction
 * by instruction in the same schedule; every write of one is compared with the other's.
 */
#ifndef PIM_LOCKSTEP_H
#define PIM_LOCKSTEP_H

#include <stdint.h>

#include "pim_divergence.h"
#include "pim_golden.h"
#include "pim_program.h"
#include "pim_rtl.h"
#include "pim_status.h"

typedef struct pim_lockstep_report {
    uint64_t insns;          /* instructions completed on both sides */
    uint64_t writes;         /* writes compared and matched */
    uint64_t tile_cycles, vu_cycles;
    uint64_t mvmuls, vector_elems;
    uint64_t vector_insns;   /* vector instructions through the vector unit */
    double ref_secs;         /* wall time in the golden model's steps */
    double tile_secs, vu_secs; /* wall time inside the RTL units (Verilated models) */
    double run_secs;         /* wall time of the whole run (both sides, comparison) */
    int diverged;            /* 1: *div holds the first difference */
    pim_divergence div;
    /* At a divergence: the last instructions executed on that core and the operand values
     * involved, in words (a few lines). */
    char context[1536];
} pim_lockstep_report;

/* Runs p on the golden model and on a second machine whose units are the RTL's, instruction
 * by instruction (same schedule), comparing every write and each mvmul's ADC clip count. The
 * RTL units are reset first (pim_rtl_begin, with the stress their options ask for): every
 * run starts from a reset design at cycle 0, whatever ran on them before. Returns PIM_OK when the run ended
 * with identical writes; PIM_E_MISMATCH at the first divergence (rep->div, and a one-line
 * description in *err); or the run's own error (execution error, deadlock: both sides agree)
 * in *err. *ref_out receives the golden machine (caller frees) for judging expectations. */
pim_status pim_lockstep_run(const pim_program *p, pim_rtl *rtl, uint64_t max_insns,
                            pim_lockstep_report *rep, pim_golden **ref_out, pim_error *err);

/* Options of pim_lockstep_run_opts. Zero-initialized: run to completion, seed 0, no GMem
 * fill, no progress. */
typedef struct pim_lockstep_opts {
    uint64_t max_insns;  /* stop after that many instructions (0: run to completion) */
    uint64_t seed;       /* data seed: weights of groups given without, the GMem input region */
    int fill_gmem;       /* 1: both machines fill GMem[0, p->gmem_input_end) from the seed */
    /* Called about every `progress_every` instructions (0: 65536) with the report so far. */
    void (*progress)(void *ud, const pim_lockstep_report *rep);
    void *progress_ud;
    uint64_t progress_every;
} pim_lockstep_opts;

/* pim_lockstep_run with options. *dut_out (when dut_out is not NULL) receives the machine
 * whose units were the RTL's (caller frees), for its final state. */
pim_status pim_lockstep_run_opts(const pim_program *p, pim_rtl *rtl, const pim_lockstep_opts *o,
                                 pim_lockstep_report *rep, pim_golden **ref_out,
                                 pim_golden **dut_out, pim_error *err);

#endif /* PIM_LOCKSTEP_H */
