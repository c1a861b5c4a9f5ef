/*
 * load_internal.h - helpers shared by the loaders (harness/load.c, harness/load_json.c).
 * Not public: tools use pim_load.h.
 */
#ifndef PIM_LOAD_INTERNAL_H
#define PIM_LOAD_INTERNAL_H

#include <cJSON.h>
#include <stdint.h>

#include "pim_config.h"
#include "pim_status.h"

/* Reads an integral JSON number in [lo, hi] into *out; otherwise PIM_E_INPUT naming field.
 * A parsed number keeps no trace of how it was written, so an integral float (0.0) passes
 * here whatever allow_float says: the strict form refuses it by scanning the raw text
 * (load_json.c), and the pimcomp dialect passes allow_float = 1 to say it accepts it. */
pim_status pim_json_int(const cJSON *v, const char *field, int64_t lo, int64_t hi,
                        int allow_float, int64_t *out, pim_error *err);

/* Builds *cfg from a PIMSIM-NN architecture config object (defaults for what is absent).
 * *core_cnt_given (may be NULL) tells whether chip_config.core_cnt was present. */
pim_status pim_config_from_json(const cJSON *root, pim_config *cfg, int *core_cnt_given,
                                pim_error *err);

/* Parses a whole NUL-terminated document; on a syntax error names file, line and column. */
pim_status pim_json_parse_whole(const char *path, const char *text, cJSON **out, pim_error *err);

/* Fills *err with a syntax error at `at` (line/column counted from base) in file path. */
void pim_json_syntax_error(const char *path, const char *base, const char *at, const char *what,
                           pim_error *err);

#endif
