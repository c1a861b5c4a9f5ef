/*
 * pim_gen.h - the constrained-random vector generator (`pimcosim gen`).
 *
 * pim_gen_vector writes one conformance vector (docs/vectors.md) that runs to completion on
 * the golden model: every access in range, no undefined overlap, matching send/recv pairs,
 * every wait satisfied, strict-form fields. The same options give the same bytes on every
 * machine (pim_splitmix64 only; no clock, no rand(), no pointer or locale dependence).
 *
 * How the constraints are kept (details in harness/tools/gen.c):
 *  - the generator models each core's registers (value + "known" bit) and widths; before
 *    each memory instruction it emits sldi/saddi/sadd/ssub/smuli/smul to set the address
 *    registers, so that register + offset lands where it chose;
 *  - global memory: a read-only shared quarter plus one private slice per core (st and ld
 *    only in the core's own slice or the shared part), so the result is schedule-free;
 *  - lmv, vmv and vrsu/vrsl with obyw > ibyw take source and destination from the two
 *    sides of a split point of local memory;
 *  - send/recv and sync/wait follow one global order of events, so no deadlock is possible.
 */
#ifndef PIM_GEN_H
#define PIM_GEN_H

#include <stdint.h>
#include "pim_config.h"
#include "pim_status.h"

/* Instruction classes, in the order of --weights. */
enum {
    PIM_GEN_SCALAR,
    PIM_GEN_MATRIX,
    PIM_GEN_VECTOR,
    PIM_GEN_TRANSFER,
    PIM_GEN_SYNC,
    PIM_GEN_NCLASSES
};

/* Local / global memory sizes of the default machine (and the caps applied to --config). */
#define PIM_GEN_LMEM 8192u
#define PIM_GEN_GMEM 65536u
#define PIM_GEN_MAX_INSNS 100000u
#define PIM_GEN_MAX_CORES 256u

typedef struct pim_gen_opts {
    uint64_t seed;                       /* the only source of randomness */
    uint32_t insns;                      /* instructions per core (roughly), 1..100000 */
    uint32_t cores;                      /* 1..256 */
    uint32_t weights[PIM_GEN_NCLASSES];  /* relative class weights, at least one nonzero */
    const pim_config *cfg;               /* borrowed; NULL: defaults with the small memories.
                                          * Memories are capped at PIM_GEN_LMEM/GMEM, core_cnt
                                          * is replaced by `cores`. */
    const char *config_name;             /* borrowed, for the comment only (may be NULL) */
    const char *id;                      /* borrowed; NULL: "gen.seed-<seed>" */
    int compact;                         /* 1: cJSON_PrintUnformatted, 0: cJSON_Print */
    int expect;                          /* 1: fill "expected" from a golden run (registers,
                                          * events, local and global memories) */
} pim_gen_opts;

/* Fills *o with the defaults: seed 0, 200 insns, 2 cores, weights scalar 2, matrix 2,
 * vector 4, transfer 2, sync 1, default config, pretty, expected {}. */
void pim_gen_opts_default(pim_gen_opts *o);

/* Generates one vector. On success *json_out is a NUL-terminated JSON text ending in a
 * newline, owned by the caller (free()). On failure *json_out is NULL and *err names the
 * problem: PIM_E_INPUT for bad options (field = the option), PIM_E_NOMEM, PIM_E_IO (the
 * temporary file of expect), or the golden model's error for expect (a generator bug). */
pim_status pim_gen_vector(const pim_gen_opts *o, char **json_out, pim_error *err);

/* The name of class cls ("scalar", "matrix", "vector", "transfer", "sync", the order of
 * --weights), NULL past the last. */
const char *pim_gen_class_name(unsigned cls);

#endif /* PIM_GEN_H */
