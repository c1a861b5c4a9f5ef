/*
 * pim_harness.h - the design under test: the RTL units (Verilated models loaded from
 * shared objects) plugged into a machine, and the lockstep runner that executes a program
 * on the golden model and on the RTL side by side, comparing every write.
 */
#ifndef PIM_HARNESS_H
#define PIM_HARNESS_H

#include <stdint.h>

#include "pim_config.h"
#include "pim_golden.h"
#include "pim_program.h"
#include "pim_status.h"

/* ------------------------------------------------------------------ RTL units */

typedef struct pim_rtl_opts {
    const char *root;      /* project root (rtl/, harness/build_model.sh); "." when NULL */
    const char *model_dir; /* where the models' .so live; "<root>/build/rtl" when NULL */
    uint64_t seed;         /* +verilator+seed (0: random) */
    const char *fault;     /* NULL, or a PIM_FAULT_* define: load a model built with it */
    uint32_t tile_cols;    /* tile outputs computed in parallel (0: 128) */
    int build;             /* 1: build a missing model (harness/build_model.sh) */
    int quiet;             /* 1: say nothing when building */
    int coverage;          /* 1: load models built with Verilator --coverage ("...+cov.so"),
                            * which write their coverage data into $PIMCOSIM_COVERAGE_DIR
                            * when closed (pimcosim cover --rtl) */
    const char *wave;      /* NULL: no waves; else a path prefix: WAVE.tile.fst, WAVE.vu.fst */
    int wave_vcd;          /* 1: convert the waves to VCD (fst2vcd) when the units close */
    uint64_t tile_from, tile_to; /* tile cycles dumped (tile_to 0: all) */
    uint64_t vu_from, vu_to;     /* vector-unit cycles dumped (vu_to 0: all) */
} pim_rtl_opts;

typedef struct pim_rtl pim_rtl;

/* Paths of the models a config needs (tile and vector unit), into tile/vu (n bytes each):
 * <dir>/tile-<key>[+FAULT][+cov].so and <dir>/vu-<key>[+FAULT][+cov].so. */
void pim_rtl_model_paths(const pim_config *cfg, const pim_rtl_opts *o, char *tile, char *vu,
                         size_t n);

/* Loads (building if allowed and missing) the RTL units for cfg. *out owned by the caller. */
pim_status pim_rtl_open(const pim_config *cfg, const pim_rtl_opts *o, pim_rtl **out,
                        pim_error *err);
void pim_rtl_close(pim_rtl *r); /* final(), waves closed; NULL is ignored */

/* The units to plug into a machine (pim_golden_set_units); valid while r lives. */
const pim_units *pim_rtl_units(const pim_rtl *r);
/* A set of opened RTL units, one per distinct config (model files), so a run opens each
 * parameter set once. When more than `capacity` are open, the oldest is closed (its waves
 * and coverage are written then). */
typedef struct pim_rtl_set pim_rtl_set;
pim_rtl_set *pim_rtl_set_new(const pim_rtl_opts *o, int capacity); /* NULL: out of memory */
/* The units for cfg, opened on first use; owned by the set. */
pim_status pim_rtl_set_get(pim_rtl_set *s, const pim_config *cfg, pim_rtl **out, pim_error *err);
void pim_rtl_set_free(pim_rtl_set *s); /* closes every unit; NULL is ignored */
/* Closes every unit (they reopen on demand). Call before opening other units of the same
 * model files: Verilator 5.006's runtime deadlocks freeing one of two live instances of a
 * model in one process. NULL is ignored. */
void pim_rtl_set_clear(pim_rtl_set *s);

/* A flag (set from a signal handler) that makes a lockstep run on these units stop at the
 * next instruction with PIM_E_IO "interrupted", so its caller can close the waves.
 * NULL: none. The flag must outlive r. */
void pim_rtl_set_stop(pim_rtl *r, const volatile int *flag);
int pim_rtl_stop_requested(const pim_rtl *r);

/* Forgets which group the tile holds (a new program's groups may reuse old addresses). */
void pim_rtl_forget(pim_rtl *r);
/* Cycles clocked so far: tile, vector unit. */
uint64_t pim_rtl_tile_cycles_total(const pim_rtl *r);
uint64_t pim_rtl_vu_cycles_total(const pim_rtl *r);

/* ------------------------------------------------------------------ lockstep */

/* The first divergence between the golden model and the design under test. */
typedef struct pim_divergence {
    uint32_t core;
    uint64_t index;          /* instruction index */
    char op[12];
    char unit[24];           /* "pim_xbar_tile", "pim_vector_unit", or "harness" */
    char what[48];           /* "LMem", "GMem", "register", "event", "widths", "writes" */
    uint32_t owner;          /* core whose memory/register was written */
    uint64_t element;        /* element index within the write */
    uint64_t addr;           /* byte address (or register/event index) of that element */
    uint32_t elem_bytes;
    int64_t expected, actual; /* the element's value, sign-extended from elem_bytes */
    uint64_t cycle;          /* the unit's cycle when it was seen (tile or vector unit) */
    uint64_t tile_cycle, vu_cycle; /* both units' cycle counters then */
} pim_divergence;

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
 * by instruction (same schedule), comparing every write. Returns PIM_OK when the run ended
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

/* One line describing a divergence (no newline) into buf; returns buf. */
char *pim_divergence_format(const pim_divergence *d, char *buf, size_t n);

#endif /* PIM_HARNESS_H */
