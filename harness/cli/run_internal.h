/*
 * run_internal.h - what the files of `pimcosim run`, `merge` and `replay` share (cli/):
 *
 *   cmd_run.c     the command: options, the vectors (loaded once, sharded, filtered), the
 *                 models they need, the run, the reports
 *   run_pool.c    worker processes, one vector at a time each, timeouts and crashes
 *   run_vector.c  one vector: golden-only or in lockstep, judged; on a divergence the
 *                 failure bundle, the waves around it and the shrunk vector
 *   run_report.c  the lines per vector, the table per class, JUnit / TAP / JSON
 *   cmd_merge.c   joining shards' JSON reports; cmd_replay.c rerunning a bundle
 */
#ifndef PIM_RUN_INTERNAL_H
#define PIM_RUN_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "pim_config.h"
#include "pim_cli.h"
#include "pim_divergence.h"
#include "pim_rtl.h"

typedef enum run_verdict { V_PASS, V_FAIL, V_BAD, V_TIMEOUT, V_CRASH, V_COUNT } run_verdict;

/* "PASS", "FAIL", "ERROR", "TIMEOUT", "CRASH". */
const char *run_verdict_name(int v);
/* The verdict of a name, or -1. */
int run_verdict_of(const char *name);

/* One vector's outcome (a plain value: it crosses a pipe from a worker). */
typedef struct run_result {
    int32_t verdict;
    uint64_t insns, cycles, writes;
    double secs;
    char msg[2048];
    int32_t diverged;        /* 1: div and context describe the first divergence */
    pim_divergence div;
    char context[1536];
    char bundle[1024];       /* the failure's directory (repro.json, waves), "" none */
} run_result;

typedef struct run_entry {
    char *path;
    char *id;    /* the vector's id, or its path when it cannot be loaded */
    char *klass; /* the id's first component */
    pim_config cfg;
    int loads;   /* 1: the vector loaded (cfg is valid) */
    run_result res;
    int done;
} run_entry;

typedef struct run_opts {
    int golden_only, quiet, tap, bless, jobs;
    int wave;               /* 0 none, 1 FST, 2 VCD: waves of every vector's whole run */
    int wave_on_fail;       /* waves of the window around the first divergence */
    int shrink;             /* on a divergence, also write the shrunk vector into the bundle */
    pim_window win;         /* that window, in cycles */
    uint64_t shard_k, shard_n, timeout;
    uint64_t max_memory;    /* --max-memory: the loads' budget (0: the default) */
    const char *filter, *junit, *json;
    const char *out;        /* failure bundles: OUT/<id>/ */
    int argc;               /* the command line, for repro.json */
    char **argv;
    pim_rtl_opts rtl;
    const volatile int *stop; /* set: stop the running vector at its next instruction */
    char root[1024];
} run_opts;

/* The defaults of `run` (1 job, timeout 600 s, window 200:20, build/failures, seed 1). */
void run_opts_default(run_opts *o);

/* Runs one vector; fills *r. rc is NULL for golden-only runs. */
struct pim_rtl_set;
void run_vector(const char *path, struct pim_rtl_set *rc, const run_opts *o, run_result *r);

/* Runs the n entries on o->jobs worker processes, printing each result as it comes
 * (run_print_result). Returns 0, or 2 when a worker cannot start; *interrupted is set
 * after Ctrl-C. t0: the start of the run (for the progress line). */
int run_pool(run_entry *e, size_t n, const run_opts *o, double t0, int *interrupted);

/* The line(s) of one result: TAP (number tap_no) or plain. */
void run_print_result(const run_opts *o, const run_entry *e, size_t tap_no);
/* Sort order of the reports: class, then id. */
int run_cmp_entry(const void *a, const void *b);
/* The table per class and the closing lines (on stderr with TAP); returns the exit code. */
int run_summarize(run_entry **v, size_t n, const char *mode, int tap, double secs);
/* JUnit XML and the JSON report of n sorted entries. 0, or -1 when a file cannot be
 * written. */
int run_write_junit(const char *file, run_entry **v, size_t n, const char *suite);
int run_write_json(const char *file, run_entry **v, size_t n, const run_opts *o);

#endif /* PIM_RUN_INTERNAL_H */
