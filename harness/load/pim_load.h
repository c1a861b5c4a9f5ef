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
#include "pim_config.h"
#include "pim_program.h"
#include "pim_status.h"

/* Reads a whole file, gunzipping it when its name ends in ".gz". On success *buf (NUL
 * terminated, owned by the caller, free()) and *len are set. */
pim_status pim_read_file(const char *path, char **buf, size_t *len, pim_error *err);

/* Reads a whole JSON document (plain or gzipped) and parses it; a syntax error names the
 * file, line and column. *out is owned by the caller (cJSON_Delete). */
struct cJSON;
pim_status pim_load_json_file(const char *path, struct cJSON **out, pim_error *err);

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

/* Loads a conformance vector. A vector whose program must be refused loads with
 * (*out)->refused set and the refusal in (*out)->refusal. */
pim_status pim_load_vector_file(const char *path, pim_program **out, pim_error *err);

/* 1 when s is a valid vector id: [a-z0-9][a-z0-9._-]* (docs/vectors.md). */
int pim_id_valid(const char *s);

#endif /* PIM_LOAD_H */
