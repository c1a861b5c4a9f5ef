/*
 * pim_cli.h - the pimcosim commands (harness/cli/): one main per command, dispatched by
 * main.c's table, and what several of them share. Every main takes the command's arguments
 * with argv[0] its name, and returns the process exit code: 0 pass, 1 mismatch, 2 bad input.
 */
#ifndef PIM_CLI_H
#define PIM_CLI_H

#include <stddef.h>
#include <stdint.h>

#include "pim_rtl.h"
#include "pim_util.h"

int pim_cmd_run(int argc, char **argv);    /* cmd_run.c: vectors, golden-only or lockstep */
int pim_cmd_stream(int argc, char **argv); /* cmd_stream.c: run --stream, lockstep */
int pim_cmd_exec(int argc, char **argv);   /* cmd_exec.c: a stream on the golden model */
int pim_cmd_gen(int argc, char **argv);    /* cmd_gen.c: a constrained-random vector */
int pim_cmd_shrink(int argc, char **argv); /* cmd_shrink.c */
int pim_cmd_replay(int argc, char **argv); /* cmd_replay.c: rerun a failure bundle */
int pim_cmd_cover(int argc, char **argv);  /* cmd_cover.c: functional (and RTL) coverage */
int pim_cmd_merge(int argc, char **argv);  /* cmd_merge.c: join shards' JSON reports */
int pim_cmd_models(int argc, char **argv); /* cmd_models.c: model files the vectors need */
int pim_cmd_isa(int argc, char **argv);    /* cmd_isa.c: the ISA table, JSON, the RTL package */
int pim_cmd_mutate(int argc, char **argv); /* cmd_mutate.c: mutation testing of the RTL */

/* Shrinks the vector at `in` into `out` (NULL: IN.min.json) on units opened with *ro, and
 * says so as `pimcosim shrink` does (the result line on stdout, a failure on stderr).
 * Returns the exit code of `pimcosim shrink`. */
int pim_cli_shrink(const pim_rtl_opts *ro, const char *in, const char *out);

/* Adds path to l: a file as it is, or every *.json / *.json.gz below a directory
 * (recursively; hidden entries and directories named "configs" are skipped). Returns 0, or
 * -1 after printing a one-line error on stderr. */
int pim_collect_vectors(pim_paths *l, const char *path);
/* pim_collect_vectors as a positional callback of pim_opt.h (ud: the pim_paths). */
int pim_cli_add_vectors(void *ud, const char *arg);
/* A repeatable option of pim_opt.h (PIM_OPT_FN): appends a copy of value to the pim_paths
 * ud. */
int pim_cli_add_string(void *ud, const char *value, char *msg, size_t n);

/* The options of every command that drives the RTL units, as entries of its pim_opt table
 * (pim_opt.h), into the pim_rtl_opts *RO: the driver's stress and whether the models fix
 * their knobs. */
#define PIM_CLI_STRESS_HELP                                                                   \
    "drive the RTL units' streams with stress: random gaps before valid,\n"                   \
    "stalls of out_ready_i, programming offered with an input, random don't-\n"               \
    "care lanes and bits (0 off, 1 moderate, 2 heavy; default 0)"
#define PIM_CLI_RTL_OPTS(RO) PIM_CLI_STRESS_OPTS(RO), PIM_CLI_FIXED_OPT(RO)
#define PIM_CLI_STRESS_OPTS(RO)                                                               \
    {.name = "--stress", .type = PIM_OPT_UINT, .dst = &(RO)->stress,                          \
     .size = sizeof (RO)->stress, .lo = 0, .hi = 2, .meta = "LEVEL",                          \
     .help = PIM_CLI_STRESS_HELP},                                                            \
    {.name = "--stress-seed", .type = PIM_OPT_UINT, .dst = &(RO)->stress_seed,                \
     .size = sizeof (RO)->stress_seed, .hi = UINT64_MAX, .meta = "S",                          \
     .help = "seed of the stress, mixed with each vector's id (default 0)"}
#define PIM_CLI_FIXED_OPT(RO)                                                                 \
    {.name = "--fixed-knobs", .type = PIM_OPT_FLAG, .dst = &(RO)->fixed_knobs, .set = 1,      \
     .help = "RTL models whose knobs (p, d, a, ADC clipping, F) are parameters,\n"            \
             "one per config, as silicon with fixed knobs builds them"}

/* --max-memory SIZE into the uint64_t *DST: the memory budget of the loads (pim_load.h). */
#define PIM_CLI_MEMORY_OPT(DST)                                                               \
    {.name = "--max-memory", .type = PIM_OPT_FN, .dst = (DST), .fn = pim_cli_parse_size,      \
     .meta = "SIZE",                                                                          \
     .help = "memory budget of a load: an input needing more is refused before it\n"          \
             "is allocated (bytes, or with K, M, G, T; default 4G)"}
/* A size ("4096", "512M", "4G") into the uint64_t ud (a pim_opt.h PIM_OPT_FN). */
int pim_cli_parse_size(void *ud, const char *value, char *msg, size_t n);

/* "A<sep>B" (two numbers as pim_parse_u64 reads them) into *a and *b. 0, or -1. */
int pim_cli_two_numbers(const char *s, char sep, uint64_t *a, uint64_t *b);

/* The cycles of waves dumped around a divergence. */
typedef struct pim_window {
    uint64_t before, after;
} pim_window;

/* The --wave-window option (a PIM_OPT_FN of pim_opt.h): "B:A" into *(pim_window *)ud. */
int pim_cli_parse_window(void *ud, const char *value, char *msg, size_t n);
/* --fault NAME (a PIM_OPT_FN): NAME must be a PIM_FAULT_ name that an RTL source (rtl/ *.sv) tests with `ifdef;
 * ud is the const char * it goes into. */
int pim_cli_parse_fault(void *ud, const char *value, char *msg, size_t n);

/* One test case of a JUnit XML report. */
typedef struct pim_junit_case {
    const char *classname; /* written as "pimcosim.<classname>" */
    const char *name;
    const char *file;
    double secs;
    int outcome;           /* 0 passed, 1 failure, 2 error */
    const char *type;      /* the failure's or error's type ("FAIL", "TIMEOUT", ...) */
    const char *msg;       /* its message */
} pim_junit_case;

/* Writes a JUnit XML report of n cases in one test suite. Returns 0, or -1 when the file
 * cannot be written. */
int pim_junit_write(const char *file, const char *suite, const pim_junit_case *c, size_t n);

#endif /* PIM_CLI_H */
