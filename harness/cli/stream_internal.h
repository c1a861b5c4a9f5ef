/*
 * stream_internal.h - what `pimcosim exec` (cmd_exec.c) and `pimcosim run --stream`
 * (cmd_stream.c) share (stream.c): one set of options, one way to load a compiled network
 * (dialect, data seed, --cores, --max-insns), one summary, so that their final memory hashes
 * can be compared line for line.
 */
#ifndef PIM_STREAM_INTERNAL_H
#define PIM_STREAM_INTERNAL_H

#include <stdint.h>

#include "pim_cli.h"
#include "pim_golden.h"
#include "pim_load.h"
#include "pim_program.h"
#include "pim_rtl.h"

typedef struct stream_args {
    const char *cmd;        /* "exec" or "run" */
    const char *stream, *config, *cores;
    const char *out;        /* failure directory (NULL: build/failures/<stream name>) */
    const char *junit, *json; /* reports of run --stream (NULL: none) */
    int wave_on_fail;
    pim_window win;         /* the wave window, in cycles */
    int argc;               /* the command line, for divergence.json */
    char **argv;
    pim_load_opts load;
    uint64_t seed, max_insns;
    uint64_t weight_bits, input_bits; /* 0: full width */
    int quiet, lockstep;
    pim_rtl_opts rtl;
    char root[1024];
} stream_args;

/* Options, then the stream: -1 to go on (*p loaded, *t0 the start of the load), else the
 * exit code (after --help, or a one-line error on stderr). */
int stream_begin(stream_args *a, const char *cmd, int lockstep, int argc, char **argv,
                 pim_program **p, double *t0);

/* The state hash (docs/isa.md 7a): the memory hash of the gmem hash and each core's lmem
 * hash. */
uint64_t stream_state_hash(const pim_golden *g, uint32_t n_cores);

/* The summary both commands print (ops, per-core hashes, state hash, time, rate, memory);
 * returns the state hash. */
uint64_t stream_summary(const stream_args *a, const pim_program *p, const pim_golden *g,
                        double load_s, double run_s);

#endif /* PIM_STREAM_INTERNAL_H */
