/*
 * pim_debug.h - after a divergence: GTKWave save files, the repro bundle, the RTL source
 * hash (harness/debug.c).
 */
#ifndef PIM_DEBUG_H
#define PIM_DEBUG_H

#include <stdint.h>

#include "pim_config.h"
#include "pim_harness.h"

/* Writes a GTKWave save file that opens `dump` (an FST, or a VCD) at time `from` with the failing
 * unit's signals grouped ("pim_xbar_tile" or "pim_vector_unit"; only signals present in the
 * dump, read through fst2vcd), a comment trace saying what diverged, and the primary marker
 * at `marker` (wave time: cycle c is times 2c and 2c + 1). Returns 0, or -1. */
int pim_gtkw_write(const char *gtkw, const char *dump, const char *unit, uint64_t marker,
                   uint64_t from, const char *comment);

/* FNV-1a over the RTL sources, the shims and the model build script under root. */
uint64_t pim_rtl_source_hash(const char *root);

/* What a failure bundle's repro.json records. */
typedef struct pim_repro {
    const char *root;      /* project root (for the source hash) */
    const char *vector;    /* the vector file */
    const char *id;
    pim_config cfg;
    int golden_only;
    uint64_t seed;         /* +verilator+seed */
    const char *fault;     /* NULL or the PIM_FAULT_* define */
    int gen_seed_known;    /* the vector came from `pimcosim gen --seed gen_seed` */
    uint64_t gen_seed;
    int argc;              /* the command line */
    char **argv;
    pim_divergence div;
    const char *context;   /* recent instructions and operands, or NULL */
} pim_repro;

/* The divergence as a JSON object (owned by the caller; cJSON_Delete). */
struct cJSON;
struct cJSON *pim_divergence_json(const pim_divergence *d);

/* Writes root as indented JSON and a newline to path (replacing it). Returns 0, or -1
 * when it cannot be printed or written. */
int pim_json_write_file(const char *path, const struct cJSON *root);

/* Writes repro.json (cJSON). Returns 0, or -1. */
int pim_repro_write(const char *path, const pim_repro *r);

/* mkdir -p path (errors are left to the writes that follow). */
void pim_mkdirs(const char *path);

/* Opens fresh RTL units for cfg (from *base, never building) that write waves to
 * DIR/wave.tile.fst and DIR/wave.vu.fst (and .vcd when vcd is 1). With div, only the cycles
 * [c - before, c + after] around each unit's cycle counter at the divergence are dumped;
 * NULL: the whole run. Verilator 5.006: close other live instances of the same models first.
 * *out owned by the caller (pim_rtl_close writes the files). */
pim_status pim_rtl_open_traced(const pim_rtl_opts *base, const pim_config *cfg, const char *dir,
                               int vcd, const pim_divergence *div, uint64_t before,
                               uint64_t after, pim_rtl **out, pim_error *err);

/* GTKWave save files beside DIR's waves: the diverging unit's (both units' when div is NULL),
 * wave.tile.gtkw / wave.vu.gtkw; note (n bytes) receives "gtkwave FILE[; gtkwave FILE]". */
void pim_gtkw_write_dir(const char *dir, const pim_divergence *div, int vcd, char *note, size_t n);

#endif
