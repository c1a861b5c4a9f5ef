/*
 * pim_bundle.h - a failure bundle's repro.json: the vector, the seeds, the fault, the
 * command line, the tools and the RTL source hash of the failing run, and its divergence
 * (harness/tools/bundle.c). `pimcosim replay` reads it back.
 */
#ifndef PIM_BUNDLE_H
#define PIM_BUNDLE_H

#include <stdint.h>

#include "pim_config.h"
#include "pim_divergence.h"

/* FNV-1a over the files a model is built from (pim_rtl_model_sources) under root. */
uint64_t pim_rtl_source_hash(const char *root);

/* What a failure bundle's repro.json records. Every pointer is borrowed. */
typedef struct pim_repro {
    const char *root;      /* project root (for the source hash) */
    const char *vector;    /* the vector file */
    const char *id;
    pim_config cfg;
    int golden_only;
    uint64_t seed;         /* +verilator+seed */
    const char *fault;     /* NULL or the PIM_FAULT_* define */
    const struct pim_rtl_opts *rtl; /* the RTL options (stress, its seed, fixed knobs, the
                            * models' identity), or NULL */
    int gen_seed_known;    /* the vector came from `pimcosim gen --seed gen_seed` */
    uint64_t gen_seed;
    int argc;              /* the command line */
    char **argv;
    pim_divergence div;
    const char *context;   /* recent instructions and operands, or NULL */
} pim_repro;

/* Writes repro.json (replacing path). Returns 0, or -1. */
int pim_repro_write(const char *path, const pim_repro *r);

#endif /* PIM_BUNDLE_H */
