/*
 * stream.c - what `pimcosim exec` and `pimcosim run --stream` share (stream_internal.h): the
 * options, the load of a compiled network, and the summary.
 */
#include "stream_internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "pim_opt.h"
#include "pim_cli.h"
#include "pim_util.h"

/* A one-line error of the command (exit 2). */
#define fail(a, ...) pim_opt_fail(&(const pim_cmd){.name = (a)->cmd}, __VA_ARGS__)

static int parse_dialect(void *ud, const char *value, char *msg, size_t n)
{
    pim_load_opts *l = ud;
    if (pim_dialect_from_name(value, &l->dialect, &l->detect) == PIM_OK)
        return 0;
    snprintf(msg, n, "--dialect takes strict, pimcomp or auto, not '%s'", value);
    return -1;
}

static const char k_exec_about[] =
    "Executes a PIMSIM-NN instruction stream (.json or .json.gz) on the golden model, with\n"
    "the array groups' weights and the global memory's input region filled from the seed,\n"
    "and prints instruction counts per op and per core, the final memory hashes, the time,\n"
    "the instruction rate and the peak memory.\n";
static const char k_run_about[] =
    "Runs a PIMSIM-NN instruction stream in lockstep: every instruction on the golden model and\n"
    "on the design under test (every mvmul through the RTL crossbar tile, every vector\n"
    "instruction through the RTL vector unit, both Verilated), comparing every write. Prints\n"
    "a progress line on stderr, then the summary of `pimcosim exec` (the same hashes for the\n"
    "same seed) and where the time went; the first divergence stops the run with a report.\n";

/* The options of both commands (lockstep: those of run --stream). 0 to go on, 1 after
 * --help, 2 after an error. */
static int parse_args(stream_args *a, int argc, char **argv)
{
    const pim_opt common[] = {
        {.name = "--config", .type = PIM_OPT_STR, .dst = &a->config, .meta = "CFG",
         .help = "PIMSIM-NN architecture config (JSON), required"},
        {.name = "--dialect", .type = PIM_OPT_FN, .dst = &a->load, .fn = parse_dialect,
         .meta = "D",
         .help = a->lockstep ? "strict (default), pimcomp or auto (see `pimcosim exec --help`)"
                             : "strict (default: the ISA text), pimcomp (what PIMCOMP-NN writes,\n"
                               "docs/dialects.md) or auto (strict, or pimcomp with a notice when the\n"
                               "stream is plainly of that dialect)"},
        {.name = "--seed", .type = PIM_OPT_UINT, .dst = &a->seed, .size = sizeof a->seed,
         .hi = UINT64_MAX, .meta = "S",
         .help = "seed for weights and the global memory's input region (default 1)"},
        {.name = "--weight-bits", .type = PIM_OPT_UINT, .dst = &a->weight_bits,
         .size = sizeof a->weight_bits, .hi = PIM_MAX_WIDTH, .meta = "B",
         .help = "seeded weights are B-bit signed values (default: the group's mbiw)"},
        {.name = "--input-bits", .type = PIM_OPT_UINT, .dst = &a->input_bits,
         .size = sizeof a->input_bits, .hi = 8, .meta = "B",
         .help = "seeded global memory bytes are below 2^B (1..8, default 8)"},
        {.name = "--cores", .type = PIM_OPT_STR, .dst = &a->cores, .meta = "LIST",
         .help = "run only these cores (e.g. 0-2,7); transfers with other cores are cut"},
        {.name = "--pimcomp-info", .type = PIM_OPT_STR, .dst = &a->load.pimcomp_info,
         .meta = "FILE",
         .help = "PIMCOMP-NN's VerificationInfo.json[.gz] (-v=YES) of a raw stream: it gives\n"
                 "the array group map the raw output lacks (docs/dialects.md)"},
        PIM_CLI_MEMORY_OPT(&a->load.max_memory),
        {.name = "--max-insns", .type = PIM_OPT_UINT, .dst = &a->max_insns,
         .size = sizeof a->max_insns, .hi = UINT64_MAX, .meta = "N",
         .help = "stop after N instructions in all (0: run to completion)"},
        {.name = "--quiet", .type = PIM_OPT_FLAG, .dst = &a->quiet, .set = 1,
         .help = a->lockstep ? "print the summary only (no per-core lines, no progress)"
                             : "print the summary only (no per-core lines)"},
    };
    const pim_opt lockstep[] = {
        {.name = "--stream", .type = PIM_OPT_STR, .dst = &a->stream, .meta = "STREAM",
         .help = "the PIMSIM-NN instruction stream (.json or .json.gz), required"},
        {.name = "--verilator-seed", .type = PIM_OPT_UINT, .dst = &a->rtl.seed,
         .size = sizeof a->rtl.seed, .hi = UINT64_MAX, .meta = "S",
         .help = "+verilator+seed of the RTL models (default 1; 0 means random)"},
        {.name = "--fault", .type = PIM_OPT_FN, .dst = &a->rtl.fault, .fn = pim_cli_parse_fault,
         .meta = "NAME",
         .help = "use RTL models built with +define+NAME (harness self-tests)"},
        {.name = "--no-build", .type = PIM_OPT_FLAG, .dst = &a->rtl.build, .set = 0,
         .help = "fail instead of building a missing RTL model"},
        PIM_CLI_RTL_OPTS(&a->rtl),
        {.name = "--out", .type = PIM_OPT_STR, .dst = &a->out, .meta = "DIR",
         .help = "on a divergence, write DIR/divergence.json (default\n"
                 "build/failures/<stream file name>)"},
        {.name = "--wave-on-fail", .type = PIM_OPT_FLAG, .dst = &a->wave_on_fail, .set = 1,
         .help = "on a divergence, run again to it with waves of the cycles around\n"
                 "it: DIR/wave.{tile,vu}.fst and GTKWave save files"},
        {.name = "--wave-window", .type = PIM_OPT_FN, .dst = &a->win, .fn = pim_cli_parse_window,
         .meta = "B:A", .help = "that window: B cycles before, A after (default 200:20)"},
        {.name = "--junit", .type = PIM_OPT_STR, .dst = &a->junit, .meta = "FILE",
         .help = "write a JUnit XML report (one test case: the stream)"},
        {.name = "--json", .type = PIM_OPT_STR, .dst = &a->json, .meta = "FILE",
         .help = "write a JSON report: counts, hashes, times, the divergence"},
    };
    enum { NC = sizeof common / sizeof common[0], NL = sizeof lockstep / sizeof lockstep[0] };
    pim_opt opts[NC + NL];
    size_t n = 0;
    if (a->lockstep) /* --config first, then the stream, as the help has always read */
        opts[n++] = common[0], opts[n++] = lockstep[0];
    for (size_t i = a->lockstep ? 1 : 0; i < NC; i++)
        opts[n++] = common[i];
    for (size_t i = 1; a->lockstep && i < NL; i++)
        opts[n++] = lockstep[i];
    const pim_cmd c = {
        a->lockstep ? "run" : "exec",
        a->lockstep ? "--stream STREAM --config CFG [options]" : "STREAM --config CFG [options]",
        a->lockstep ? k_run_about : k_exec_about,
        a->lockstep ? "Exit: 0 no divergence, 1 a divergence, 2 bad input or an execution error.\n"
                    : "Exit: 0 the stream ran to completion (or to --max-insns), 2 bad input or an "
                      "execution\nerror (bad address, deadlock).\n",
        opts, n, a->lockstep ? NULL : pim_opt_take, &a->stream, 1};
    const int rc = pim_opt_parse(&c, argc, argv);
    if (rc)
        return rc;
    a->rtl.quiet = a->quiet;
    if (!a->stream || !a->config)
        return fail(a, "needs %s and --config CFG (see --help)",
                    a->lockstep ? "--stream STREAM" : "STREAM");
    return 0;
}

/* "0-2,7" -> keep[0..2] = keep[7] = 1. 0, or -1 after a one-line error. */
static int parse_cores(const stream_args *a, const char *list, uint8_t *keep, uint32_t n)
{
    const char *s = list;
    while (*s) {
        char *e;
        unsigned long lo = strtoul(s, &e, 10), hi = lo;
        if (e == s)
            goto malformed;
        if (*e == '-') {
            const char *t = e + 1;
            hi = strtoul(t, &e, 10);
            if (e == t || hi < lo)
                goto malformed;
        }
        if (*e != ',' && *e != '\0')
            goto malformed;
        if (hi >= n) {
            fail(a, "--cores %s: core %lu does not exist (the stream has %u cores)", list, hi, n);
            return -1;
        }
        for (unsigned long c = lo; c <= hi; c++)
            keep[c] = 1;
        s = *e ? e + 1 : e;
    }
    return 0;
malformed:
    fail(a, "--cores takes a list such as 0-2,7, not '%s'", list);
    return -1;
}



/* Loads the config and the stream, restricts it to --cores. 0, or an exit code (after a
 * one-line error on stderr). */
static int load(stream_args *a, pim_program **out)
{
    pim_error err;
    pim_error_clear(&err);
    char msg[PIM_ERROR_MSG_MAX * 2];
    pim_config cfg;
    pim_program *p = NULL;
    pim_status st = pim_load_config_file(a->config, &cfg, &err);
    if (st == PIM_OK)
        st = pim_load_stream_file_opts(a->stream, &cfg, &a->load, &p, &err);
    if (a->load.notice[0])
        fprintf(stderr, "%s\n", a->load.notice);
    if (st != PIM_OK) {
        fprintf(stderr, "pimcosim %s: %s\n", a->cmd, pim_error_format(&err, msg, sizeof msg));
        return pim_status_exit_code(st);
    }
    if (a->cores) {
        uint8_t *keep = calloc(p->n_cores, 1);
        if (!keep || parse_cores(a, a->cores, keep, p->n_cores) != 0) {
            free(keep);
            pim_program_free(p);
            return PIM_EXIT_BAD_INPUT;
        }
        uint64_t cut = 0;
        pim_program_restrict(p, keep, &cut);
        free(keep);
        printf("cores %s kept, %" PRIu64 " transfers with other cores cut\n", a->cores, cut);
    }
    p->fill_weight_bits = (uint8_t)a->weight_bits;
    p->fill_input_bits = (uint8_t)a->input_bits;
    *out = p;
    return 0;
}


uint64_t stream_state_hash(const pim_golden *g, uint32_t n)
{
    uint8_t *b = malloc(8 * ((size_t)n + 1));
    if (!b)
        return 0;
    uint64_t h = pim_golden_hash_gmem(g);
    for (uint32_t c = 0; c <= n; c++) {
        for (int k = 0; k < 8; k++)
            b[8 * c + k] = (uint8_t)(h >> (8 * k));
        if (c < n)
            h = pim_golden_hash_lmem(g, c);
    }
    h = pim_hash_bytes(b, 8 * ((size_t)n + 1));
    free(b);
    return h;
}


/* The summary both commands print; returns the state hash. */
uint64_t stream_summary(const stream_args *a, const pim_program *p, const pim_golden *g, double load_s,
                        double run_s)
{
    const pim_golden_stats *s = pim_golden_get_stats(g);
    printf("stream %s: %u cores, %" PRIu64 " instructions, dialect %s", a->stream, p->n_cores,
           pim_program_insn_count(p), pim_dialect_name(p->dialect));
    if (p->n_named != p->n_cores)
        printf(" (%u cores named, the others idle)", p->n_named);
    printf("\n");
    if (p->dialect == PIM_DIALECT_PIMCOMP)
        printf("fixed point: %" PRIu64 " fractional lldi immediates converted (rule 9)\n",
               p->n_frac_imm);
    printf("input region: GMem[0, %" PRIu64 ") filled from seed %" PRIu64, p->gmem_input_end,
           a->seed);
    if (a->input_bits && a->input_bits < 8)
        printf(" (bytes below 2^%" PRIu64 ")", a->input_bits);
    if (a->weight_bits)
        printf(", weights of %" PRIu64 " bits", a->weight_bits);
    printf("\n");
    printf("instructions per op:\n");
    for (unsigned op = 0; op < PIM_OP_COUNT; op++)
        if (s->per_op[op])
            printf("  %-7s %10" PRIu64 "\n", pim_op_name(op), s->per_op[op]);
    if (!a->quiet)
        for (uint32_t c = 0; c < p->n_cores; c++)
            printf("core%u pc %" PRIu64 " of %zu lmem %016" PRIx64 "\n", c, pim_golden_pc(g, c),
                   p->n_insns[c], pim_golden_hash_lmem(g, c));
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    const uint64_t h = stream_state_hash(g, p->n_cores);
    printf("executed %" PRIu64 " instructions (mvmul %" PRIu64 ", ADC clips %" PRIu64 ")%s\n",
           s->executed, s->per_op[PIM_OP_MVMUL], s->adc_clips,
           pim_golden_done(g) ? "" : ", stopped before the end");
    printf("gmem hash %016" PRIx64 "\n", pim_golden_hash_gmem(g));
    printf("state hash %016" PRIx64 "\n", h);
    printf("load %.3f s, run %.3f s, wall %.3f s, %.0f instructions/s, peak memory %ld MiB\n",
           load_s, run_s, load_s + run_s, run_s > 0 ? (double)s->executed / run_s : 0.0,
           ru.ru_maxrss / 1024);
    return h;
}


static void init_args(stream_args *a, const char *cmd, int lockstep)
{
    memset(a, 0, sizeof *a);
    a->cmd = cmd;
    a->seed = 1;
    a->lockstep = lockstep;
    pim_project_root(a->root, sizeof a->root);
    pim_rtl_opts_default(&a->rtl, a->root);
    a->win.before = 200;
    a->win.after = 20;
}

int stream_begin(stream_args *a, const char *cmd, int lockstep, int argc, char **argv,
                 pim_program **p, double *t0)
{
    init_args(a, cmd, lockstep);
    a->argc = argc;
    a->argv = argv;
    *p = NULL;
    int rc = parse_args(a, argc - 1, argv + 1);
    if (rc)
        return rc == 1 ? PIM_EXIT_PASS : PIM_EXIT_BAD_INPUT;
    *t0 = pim_now();
    rc = load(a, p);
    return rc ? rc : -1;
}
