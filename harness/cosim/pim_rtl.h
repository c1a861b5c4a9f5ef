/*
 * pim_rtl.h - the design under test's compute units: the Verilated RTL models (one shared
 * object per unit and parameter set, built by shim/build_model.sh, loaded with dlopen)
 * behind the pim_units interface of the golden machine (pim_golden.h).
 */
#ifndef PIM_RTL_H
#define PIM_RTL_H

#include <stdint.h>

#include "pim_config.h"
#include "pim_golden.h"
#include "pim_program.h"
#include "pim_status.h"

typedef struct pim_rtl_opts {
    const char *root;      /* project root (rtl/, harness/cosim/shim/build_model.sh); "." when
                            * NULL */
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

/* Builds the models at paths[0..n) that do not exist yet (file names as pim_rtl_model_paths
 * gives them), running up to `jobs` builds at a time (shim/build_model.sh). Prints
 * "pimcosim: building RTL model PATH" on stderr for each unless quiet. Returns 0, or -1
 * when a build failed. */
int pim_rtl_build_models(const char *root, char *const *paths, size_t n, int jobs, int quiet);

/* The files, relative to the project root, a model is built from (RTL sources, lint waivers,
 * the shims and their headers, the build script): NULL-terminated, static. */
const char *const *pim_rtl_model_sources(void);

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

#endif /* PIM_RTL_H */
