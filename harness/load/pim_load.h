/*
 * pim_load.h - loaders for PIMSIM-NN instruction streams (.json, .json.gz), PIMSIM-NN
 * architecture configs, and pimcosim conformance vectors (docs/vectors.md).
 *
 * Each loader validates everything once and refuses bad input with PIM_E_INPUT (or PIM_E_IO
 * for an unreadable file) and a one-line error naming file, core, instruction index and
 * field. Built on cJSON and zlib.
 */
#ifndef PIM_LOAD_H
#define PIM_LOAD_H

#include <stddef.h>
#include <stdint.h>
#include "pim_config.h"
#include "pim_program.h"
#include "pim_status.h"

/* The memory budget (--max-memory): what a load may take for data whose size the input
 * decides (the file, its inflated text, the instructions, the array groups' crossbars, the
 * golden model's memories and element buffers), checked before each such allocation. 0
 * means the default. */
#define PIM_MAX_MEMORY_DEFAULT ((uint64_t)4 << 30)
uint64_t pim_max_memory(uint64_t max_memory); /* max_memory, or the default for 0 */

/* A .gz file may inflate to at most PIM_GUNZIP_RATIO times its compressed size (at least
 * PIM_GUNZIP_FLOOR), and to at most half the budget: real streams inflate about 30 times,
 * a bomb of white space about 1000 times. */
#define PIM_GUNZIP_RATIO 256u
#define PIM_GUNZIP_FLOOR ((uint64_t)64 << 20)
uint64_t pim_gunzip_cap(uint64_t compressed, uint64_t max_memory);

/* Reads a whole regular file (or "-": standard input), gunzipping it when its name ends in
 * ".gz" (every member; other trailing bytes are refused), within the budget max_memory (0:
 * the default) and the cap of pim_gunzip_cap. A directory, FIFO or device is refused with
 * PIM_E_INPUT before anything is read. On success *buf (NUL terminated, owned by the caller,
 * free()) and *len are set. */
pim_status pim_read_file_max(const char *path, uint64_t max_memory, char **buf, size_t *len,
                             pim_error *err);
/* pim_read_file_max with the default budget. */
pim_status pim_read_file(const char *path, char **buf, size_t *len, pim_error *err);

/* Reads a whole JSON document (plain or gzipped) and parses it; a syntax error names the
 * file, line and column. *out is owned by the caller (cJSON_Delete). */
struct cJSON;
pim_status pim_load_json_file(const char *path, struct cJSON **out, pim_error *err);

/* The vector file at path as a JSON tree that stands alone: a "config" given as a path
 * (relative to the vector) is replaced by the config file's own object. *out is owned by the
 * caller (cJSON_Delete). For bundles and shrunk vectors that travel. */
pim_status pim_vector_portable(const char *path, struct cJSON **out, pim_error *err);

/* Loads a PIMSIM-NN architecture config file into *cfg (starting from pim_config_default).
 * Keys pimcosim does not model (latencies, powers, network) are ignored; keys it reads must
 * have the right type and range. */
pim_status pim_load_config_file(const char *path, pim_config *cfg, pim_error *err);

/* How a stream is loaded (docs/dialects.md). */
typedef struct pim_load_opts {
    pim_dialect dialect; /* the forms accepted */
    int detect;          /* 1 (--dialect auto): a strict load refused for a pimcomp form is
                          * loaded again as pimcomp */
    int threads;         /* parser threads, at most 8; 0 = automatic (the online processors,
                          * up to 4; 1 for a document under 1 MiB) */
    char notice[320];    /* out: when detection switched dialects, the one-line notice to print
                          * on stderr (no newline); else "" */
    uint64_t max_memory; /* the budget (0: PIM_MAX_MEMORY_DEFAULT) */
    const char *pimcomp_info; /* borrowed, or NULL: PIMCOMP-NN's VerificationInfo.json[.gz] of
                               * a raw SimulationInfo stream, which gives its group map
                               * (docs/dialects.md, "Raw compiler output") */
} pim_load_opts;

/* Loads a PIMSIM-NN instruction stream for the machine *cfg (the stream's own "config"
 * supplies core_cnt and array_group_map and must agree with *cfg on the crossbar knobs), in
 * the dialect o asks for (NULL: strict, automatic threads). Sets (*out)->dialect to the
 * dialect it was loaded in and (*out)->gmem_input_end. The error is the same whatever the
 * thread count. With o->detect, a strict refusal of a pimcomp form is followed by a pimcomp
 * load: o->notice is then set, and a refusal is that load's. *out is owned by the caller
 * (pim_program_free); NULL on failure. */
pim_status pim_load_stream_file_opts(const char *path, const pim_config *cfg, pim_load_opts *o,
                                     pim_program **out, pim_error *err);

/* pim_load_stream_file_opts in the strict dialect, without detection. */
pim_status pim_load_stream_file(const char *path, const pim_config *cfg, pim_program **out,
                                pim_error *err);

/* "strict", "pimcomp" or "auto" (strict with detection) into *d and *detect. PIM_E_INPUT for
 * any other name (nothing is set). */
pim_status pim_dialect_from_name(const char *s, pim_dialect *d, int *detect);

/* Loads a conformance vector within the budget max_memory (0: the default). A vector whose
 * program must be refused loads with (*out)->refused set and the refusal in
 * (*out)->refusal. */
pim_status pim_load_vector_file_max(const char *path, uint64_t max_memory, pim_program **out,
                                   pim_error *err);
/* pim_load_vector_file_max with the default budget. */
pim_status pim_load_vector_file(const char *path, pim_program **out, pim_error *err);

/* What `pimcosim replay` takes from a failure bundle's repro.json (harness/tools/bundle.c
 * writes it): the run to repeat and the divergence it must show. */
typedef struct pim_repro_in {
    char vector[1024];     /* the vector file */
    uint64_t seed;         /* +verilator+seed */
    char fault[64];        /* a PIM_FAULT_* define, or "" */
    int golden_only;       /* mode "golden" */
    unsigned stress;       /* 0..2 */
    uint64_t stress_seed;
    int fixed_knobs;
    int64_t div_core, div_index, div_element, div_expected, div_actual;
    char div_op[16];       /* an op of the ISA */
} pim_repro_in;

/* Reads and checks repro.json at path (types, ranges, no unknown member; "vector",
 * "verilator_seed" and "divergence" required) into *out. PIM_E_INPUT naming the field. */
pim_status pim_repro_read(const char *path, pim_repro_in *out, pim_error *err);

/* 1 when s is a valid vector id: [a-z0-9][a-z0-9._-]* (docs/vectors.md). */
int pim_id_valid(const char *s);

#endif /* PIM_LOAD_H */
