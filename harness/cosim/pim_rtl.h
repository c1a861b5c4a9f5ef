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

/* What identifies the models besides their parameters: a hash per unit of every file it is
 * built from (pim_rtl_unit_sources) and of the tools (Verilator's and the C++ compiler's
 * --version, as build_model.sh runs them). pim_rtl_opts_default computes it. */
typedef struct pim_model_id {
    int known;             /* 1: computed */
    uint64_t hash[2];      /* tile, vector unit */
    char verilator[96], cxx[96]; /* the tools' first --version lines */
} pim_model_id;

typedef struct pim_rtl_opts {
    const char *root;      /* project root (build/, harness/cosim/shim/build_model.sh); "."
                            * when NULL */
    const char *src_root;  /* where the model sources are (rtl/, harness/cosim/shim/,
                            * include/); NULL: root (pimcosim mutate points it at a mutant) */
    const char *model_dir; /* where the models' .so live; "<root>/build/rtl" when NULL */
    uint64_t seed;         /* +verilator+seed (0: random) */
    const char *fault;     /* NULL, or a PIM_FAULT_* define: load a model built with it */
    uint32_t tile_cols;    /* tile outputs computed in parallel (0: 128) */
    int fixed_knobs;       /* 1: models whose knobs (p, d, a, ADC clipping, F) are fixed by
                            * parameters, one per config (silicon with fixed knobs); 0: the
                            * knobs are the units' inputs, one model per size */
    int model_opt;         /* C++ optimization of the model code, 0..2 (0 means 2); a lower
                            * level builds faster and simulates slower (mutants) */
    int build;             /* 1: build a missing model (harness/build_model.sh) */
    int quiet;             /* 1: say nothing when building */
    int coverage;          /* 1: load models built with Verilator --coverage ("...+cov.so"),
                            * which write their coverage data into $PIMCOSIM_COVERAGE_DIR
                            * when closed (pimcosim cover --rtl) */
    const char *wave;      /* NULL: no waves; else a path prefix: WAVE.tile.fst, WAVE.vu.fst */
    int wave_vcd;          /* 1: convert the waves to VCD (fst2vcd) when the units close */
    uint64_t tile_from, tile_to; /* tile cycles dumped (tile_to 0: all) */
    uint64_t vu_from, vu_to;     /* vector-unit cycles dumped (vu_to 0: all) */
    uint64_t store_columns, store_planes; /* the tile's weight store (0 for either: 2^18
                            * columns, 2^21 planes, enough for any conformance vector);
                            * pim_rtl_size_store sizes it for a program */
    unsigned stress;       /* the driver's stress in every run (pim_rtl_begin): 0 off,
                            * 1 moderate, 2 heavy */
    uint64_t stress_seed;  /* its seed, mixed with each program's id */
    pim_model_id id;       /* the sources' and tools' hash (pim_rtl_opts_default) */
} pim_rtl_opts;

/* The defaults: root (NULL: "."), seed 1, build missing models, the models' identity
 * computed from the sources under root and the tools found now. */
void pim_rtl_opts_default(pim_rtl_opts *o, const char *root);

/* (Re)computes o->id from the sources under o->src_root (or o->root) and the tools. */
void pim_rtl_identify(pim_rtl_opts *o);

typedef struct pim_rtl pim_rtl;

/* Paths of the models a config needs (tile and vector unit), into tile/vu (n bytes each):
 * <dir>/tile-<params>-h<hash>[+FAULT][+cov].so, likewise vu-: the parameters, the content
 * hash of the unit's sources and tools (o->id; computed here when not known), the fault
 * define, --coverage. A model is found by its content: a stale one has another name. */
void pim_rtl_model_paths(const pim_config *cfg, const pim_rtl_opts *o, char *tile, char *vu,
                         size_t n);

/* The default weight store of build_model.sh, and pim_rtl_model_paths's key fields -g -q
 * for another. */
#define PIM_RTL_STORE_COLUMNS (UINT64_C(1) << 18)
#define PIM_RTL_STORE_PLANES (UINT64_C(1) << 21)
/* Sizes o's tile weight store so that every group of p is resident at once (each column and
 * its mbiw planes): the default when they fit, else the next powers of two above the need
 * (a model of its own, built on first use). */
void pim_rtl_size_store(pim_rtl_opts *o, const pim_program *p);

/* Builds the models at paths[0..n) that do not exist yet (file names as pim_rtl_model_paths
 * gives them for *o), running up to `jobs` builds at a time (shim/build_model.sh on the
 * sources of o->src_root), and writes each one's manifest (PATH without .so, .json: its
 * parameters, every source file's hash, the tools). Prints "pimcosim: building RTL model
 * PATH" on stderr for each unless o->quiet. Returns 0, or -1 when a build failed. */
int pim_rtl_build_models(const pim_rtl_opts *o, char *const *paths, size_t n, int jobs);

/* The files, relative to the project root, a model is built from (RTL sources, lint waivers,
 * the shims and their headers, the build script): NULL-terminated, static. unit 0 the tile's,
 * 1 the vector unit's; pim_rtl_model_sources() all of them. */
const char *const *pim_rtl_unit_sources(int unit);
const char *const *pim_rtl_model_sources(void);

/* Why the model at path cannot be used, for a refusal: "no model of these parameters is
 * built" or which of its sources (or tools) differ from those of the newest built model of
 * the same parameters, whose name is given. Into msg (n bytes); returns msg. */
char *pim_rtl_model_missing(const pim_rtl_opts *o, const char *path, char *msg, size_t n);

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

/* Drives cfg's knobs (p, d, a, ADC clipping, F) into the units from now on; cfg must fit
 * the models (the same sizes: pim_rtl_model_paths gives the same files). */
void pim_rtl_configure(pim_rtl *r, const pim_config *cfg);
/* Forgets which group the tile holds (a new program's groups may reuse old addresses). */
void pim_rtl_forget(pim_rtl *r);
/* Resets both units (a reset sequence: every register back to its reset value, the tile
 * holding no group), restarts their cycle counters at 0, and sets the driver's stress:
 * level 0 off, 1 moderate, 2 heavy, from seed (the same seed, the same cycles). */
void pim_rtl_reset(pim_rtl *r, unsigned stress, uint64_t seed);

/* pim_rtl_reset for a run of the program `id` (NULL: ""): the stress of r's options, seeded
 * from their stress_seed and id, so that a vector is driven the same way whatever ran before
 * it and in whichever worker. */
void pim_rtl_begin(pim_rtl *r, const char *id);
/* The seed pim_rtl_begin gives the stress of program id under stress_seed. */
uint64_t pim_rtl_stress_seed(uint64_t stress_seed, const char *id);

/* What the last unit failure was, beyond its message. */
typedef enum pim_rtl_fail_kind {
    PIM_RTL_FAIL_NONE = 0,
    PIM_RTL_FAIL_PROTOCOL, /* hang, broken handshake, RTL assertion, lanes past the count */
    PIM_RTL_FAIL_COUNT,    /* out_count_o of output beat `element`: expected, actual */
    PIM_RTL_FAIL_RANGE     /* output `element` (actual) is not a sign-extended value of its
                            * width */
} pim_rtl_fail_kind;
typedef struct pim_rtl_failure {
    pim_rtl_fail_kind kind;
    uint64_t element;
    int64_t expected, actual;
} pim_rtl_failure;
/* Valid while r lives; cleared by pim_rtl_reset. */
const pim_rtl_failure *pim_rtl_last_failure(const pim_rtl *r);
/* The content hash (16 hex digits) of the loaded models: unit 0 the tile, 1 the vector unit. */
const char *pim_rtl_model_hash(const pim_rtl *r, int unit);
/* The tile's weight store and its use: its size (columns, planes of `rows` bits), the passes
 * placed (each programmed once), the uses of a resident pass, the times it was full and
 * everything was evicted, the most it held. Counted since pim_rtl_open. */
typedef struct pim_rtl_store {
    uint64_t columns, planes, rows;
    uint64_t placed, hits, flushes;
    uint64_t columns_peak, planes_peak;
} pim_rtl_store;
void pim_rtl_store_stats(const pim_rtl *r, pim_rtl_store *st);
/* Cycles clocked so far: tile, vector unit. */
uint64_t pim_rtl_tile_cycles_total(const pim_rtl *r);
uint64_t pim_rtl_vu_cycles_total(const pim_rtl *r);
/* The cycle at whose rising edge the result holding element `element` of the last
 * instruction of `op` on unit (0 the tile: the output of its pass of columns; 1 the vector
 * unit: its output beat) left the unit; *lane: the element's column in the pass, or lane in
 * the beat. */
uint64_t pim_rtl_beat_cycle(const pim_rtl *r, int unit, unsigned op, uint64_t element,
                            uint32_t *lane);

#endif /* PIM_RTL_H */
