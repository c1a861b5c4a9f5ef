/*
 * stream.c - whole compiled networks: `pimcosim exec` runs a PIMSIM-NN instruction stream on
 * the golden model, `pimcosim run --stream` runs it in lockstep on the golden model and the
 * RTL units (pim_runner.h). Both load the same way (dialect, data seed, --cores, --max-insns)
 * and print the same summary, so their final memory hashes can be compared line for line.
 */
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <cJSON.h>

#include "pim_cli.h"
#include "pim_debug.h"
#include "pim_golden.h"
#include "pim_harness.h"
#include "pim_load.h"
#include "pim_runner.h"

static const char *k_exec_usage =
    "usage: pimcosim exec STREAM --config CFG [options]\n"
    "\n"
    "Executes a PIMSIM-NN instruction stream (.json or .json.gz) on the golden model, with\n"
    "the array groups' weights and the global memory's input region filled from the seed,\n"
    "and prints instruction counts per op and per core, the final memory hashes, the time,\n"
    "the instruction rate and the peak memory.\n"
    "\n"
    "  --config CFG      PIMSIM-NN architecture config (JSON), required\n"
    "  --dialect D       strict (default: the ISA text), pimcomp (what PIMCOMP-NN writes,\n"
    "                    docs/dialects.md) or auto (strict, or pimcomp with a notice when the\n"
    "                    stream is plainly of that dialect)\n"
    "  --seed S          seed for weights and the global memory's input region (default 1)\n"
    "  --weight-bits B   seeded weights are B-bit signed values (default: the group's mbiw)\n"
    "  --input-bits B    seeded global memory bytes are below 2^B (1..8, default 8)\n"
    "  --cores LIST      run only these cores (e.g. 0-2,7); transfers with other cores are cut\n"
    "  --max-insns N     stop after N instructions in all (0: run to completion)\n"
    "  --quiet           print the summary only (no per-core lines)\n"
    "\n"
    "Exit: 0 the stream ran to completion (or to --max-insns), 2 bad input or an execution\n"
    "error (bad address, deadlock).\n";

static const char *k_run_usage =
    "usage: pimcosim run --stream STREAM --config CFG [options]\n"
    "\n"
    "Runs a PIMSIM-NN instruction stream in lockstep: every instruction on the golden model and\n"
    "on the design under test (every mvmul through the RTL crossbar tile, every vector\n"
    "instruction through the RTL vector unit, both Verilated), comparing every write. Prints\n"
    "a progress line on stderr, then the summary of `pimcosim exec` (the same hashes for the\n"
    "same seed) and where the time went; the first divergence stops the run with a report.\n"
    "\n"
    "  --config CFG        PIMSIM-NN architecture config (JSON), required\n"
    "  --dialect D         strict (default), pimcomp or auto (see `pimcosim exec --help`)\n"
    "  --seed S            seed for weights and the global memory's input region (default 1)\n"
    "  --weight-bits B     seeded weights are B-bit signed values (default: the group's mbiw)\n"
    "  --input-bits B      seeded global memory bytes are below 2^B (1..8, default 8)\n"
    "  --cores LIST        run only these cores (e.g. 0-2,7); transfers with others are cut\n"
    "  --max-insns N       stop after N instructions in all (0: run to completion)\n"
    "  --verilator-seed S  +verilator+seed of the RTL models (default 1; 0 means random)\n"
    "  --fault NAME        use RTL models built with +define+NAME (harness self-tests)\n"
    "  --no-build          fail instead of building a missing RTL model\n"
    "  --out DIR           on a divergence, write DIR/divergence.json (default\n"
    "                      build/failures/<stream file name>)\n"
    "  --wave-on-fail      on a divergence, run again to it with waves of the cycles around\n"
    "                      it: DIR/wave.{tile,vu}.fst and GTKWave save files\n"
    "  --wave-window B:A   that window: B cycles before, A after (default 200:20)\n"
    "  --junit FILE        write a JUnit XML report (one test case: the stream)\n"
    "  --json FILE         write a JSON report: counts, hashes, times, the divergence\n"
    "  --quiet             print the summary only (no per-core lines, no progress)\n"
    "\n"
    "Exit: 0 no divergence, 1 a divergence, 2 bad input or an execution error.\n";

typedef struct sargs {
    const char *cmd;
    const char *stream, *config, *cores;
    const char *out;        /* failure directory ("": build/failures/<stream name>) */
    const char *junit, *json; /* reports of run --stream (NULL: none) */
    int wave_on_fail;
    uint64_t before, after; /* the wave window, in cycles */
    int argc;               /* the command line, for divergence.json */
    char **argv;
    pim_load_opts load;
    uint64_t seed, max_insns;
    uint64_t weight_bits, input_bits; /* 0: full width */
    int quiet, lockstep;
    pim_rtl_opts rtl;
    char root[1024];
} sargs;

static int bad(const sargs *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int bad(const sargs *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "pimcosim %s: ", a->cmd);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return PIM_EXIT_BAD_INPUT;
}

/* Parses the options; 1 after --help, 0 to go on, PIM_EXIT_BAD_INPUT + 100 on bad options. */
static int parse_args(sargs *a, int argc, char **argv)
{
    for (int i = 0; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(a->lockstep ? k_run_usage : k_exec_usage, stdout);
            return 1;
        }
    for (int i = 0; i < argc; i++) {
        const char *s = argv[i];
        const int more = i + 1 < argc;
        uint64_t *num = NULL;
        if (strcmp(s, "--config") == 0 && more) {
            a->config = argv[++i];
        } else if (strcmp(s, "--stream") == 0 && more && a->lockstep) {
            a->stream = argv[++i];
        } else if (strcmp(s, "--dialect") == 0 && more) {
            if (pim_dialect_from_name(argv[++i], &a->load.dialect, &a->load.detect) != PIM_OK)
                return bad(a, "--dialect takes strict, pimcomp or auto, not '%s'", argv[i]) + 100;
        } else if (strcmp(s, "--cores") == 0 && more) {
            a->cores = argv[++i];
        } else if (strcmp(s, "--seed") == 0 && more) {
            num = &a->seed;
        } else if (strcmp(s, "--max-insns") == 0 && more) {
            num = &a->max_insns;
        } else if (strcmp(s, "--weight-bits") == 0 && more) {
            num = &a->weight_bits;
        } else if (strcmp(s, "--input-bits") == 0 && more) {
            num = &a->input_bits;
        } else if (strcmp(s, "--verilator-seed") == 0 && more && a->lockstep) {
            num = &a->rtl.seed;
        } else if (strcmp(s, "--fault") == 0 && more && a->lockstep) {
            a->rtl.fault = argv[++i];
        } else if (strcmp(s, "--no-build") == 0 && a->lockstep) {
            a->rtl.build = 0;
        } else if (strcmp(s, "--out") == 0 && more && a->lockstep) {
            a->out = argv[++i];
        } else if (strcmp(s, "--junit") == 0 && more && a->lockstep) {
            a->junit = argv[++i];
        } else if (strcmp(s, "--json") == 0 && more && a->lockstep) {
            a->json = argv[++i];
        } else if (strcmp(s, "--wave-on-fail") == 0 && a->lockstep) {
            a->wave_on_fail = 1;
        } else if (strcmp(s, "--wave-window") == 0 && more && a->lockstep) {
            const char *w = argv[++i], *colon = strchr(w, ':');
            char b[32];
            if (!colon || (size_t)(colon - w) >= sizeof b)
                return bad(a, "--wave-window takes BEFORE:AFTER cycles, not '%s'", w) + 100;
            snprintf(b, sizeof b, "%.*s", (int)(colon - w), w);
            if (pim_parse_u64(b, &a->before) || pim_parse_u64(colon + 1, &a->after))
                return bad(a, "--wave-window takes BEFORE:AFTER cycles, not '%s'", w) + 100;
        } else if (strcmp(s, "--quiet") == 0) {
            a->quiet = 1;
            a->rtl.quiet = 1;
        } else if (s[0] == '-' || a->lockstep || a->stream) {
            return bad(a, "unexpected argument '%s' (see --help)", s) + 100;
        } else {
            a->stream = s;
        }
        if (num && pim_parse_u64(argv[++i], num))
            return bad(a, "%s takes a non-negative integer, not '%s'", s, argv[i]) + 100;
    }
    if (a->weight_bits > PIM_MAX_WIDTH || a->input_bits > 8)
        return bad(a, "--weight-bits takes 1..%d and --input-bits 1..8", PIM_MAX_WIDTH) + 100;
    if (!a->stream || !a->config)
        return bad(a, "needs %s and --config CFG (see --help)",
                   a->lockstep ? "--stream STREAM" : "STREAM") + 100;
    return 0;
}

/* "0-2,7" -> keep[0..2] = keep[7] = 1. 0, or -1 after a one-line error. */
static int parse_cores(const sargs *a, const char *list, uint8_t *keep, uint32_t n)
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
            bad(a, "--cores %s: core %lu does not exist (the stream has %u cores)", list, hi, n);
            return -1;
        }
        for (unsigned long c = lo; c <= hi; c++)
            keep[c] = 1;
        s = *e ? e + 1 : e;
    }
    return 0;
malformed:
    bad(a, "--cores takes a list such as 0-2,7, not '%s'", list);
    return -1;
}


/* Loads the config and the stream, restricts it to --cores. 0, or an exit code (after a
 * one-line error on stderr). */
static int load(sargs *a, pim_program **out)
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

static uint64_t state_hash(const pim_golden *g, uint32_t n)
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
static uint64_t summary(const sargs *a, const pim_program *p, const pim_golden *g, double load_s,
                        double run_s)
{
    const pim_golden_stats *s = pim_golden_get_stats(g);
    printf("stream %s: %u cores, %" PRIu64 " instructions, dialect %s\n", a->stream, p->n_cores,
           pim_program_insn_count(p), pim_dialect_name(p->dialect));
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
    const uint64_t h = state_hash(g, p->n_cores);
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

/* A signal handler can only reach a file-scope flag. */
static volatile int g_stop;
static void on_signal(int sig)
{
    (void)sig;
    g_stop = 1;
}

static void init_args(sargs *a, const char *cmd, int lockstep)
{
    memset(a, 0, sizeof *a);
    a->cmd = cmd;
    a->seed = 1;
    a->lockstep = lockstep;
    pim_project_root(a->root, sizeof a->root);
    a->rtl.root = a->root;
    a->rtl.seed = 1;
    a->rtl.build = 1;
    a->before = 200;
    a->after = 20;
}

/* After a divergence: DIR/divergence.json (what diverged, the context, how to rerun) and,
 * with --wave-on-fail, the run again up to it with waves around it. rtl is closed here. */
static void bundle(sargs *a, const pim_program *p, pim_rtl *rtl, const pim_lockstep_report *rep)
{
    char dir[1100];
    if (a->out) {
        snprintf(dir, sizeof dir, "%.1000s", a->out);
    } else {
        const char *base = strrchr(a->stream, '/');
        base = base ? base + 1 : a->stream;
        snprintf(dir, sizeof dir, "%.200s/build/failures/%.300s", a->root, base);
    }
    pim_mkdirs(dir);
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "stream", a->stream);
    cJSON_AddStringToObject(j, "config", a->config);
    cJSON *cmd = cJSON_AddArrayToObject(j, "command");
    cJSON_AddItemToArray(cmd, cJSON_CreateString("pimcosim"));
    for (int i = 0; i < a->argc; i++)
        cJSON_AddItemToArray(cmd, cJSON_CreateString(a->argv[i]));
    cJSON_AddItemToObject(j, "divergence", pim_divergence_json(&rep->div));
    cJSON_AddStringToObject(j, "context", rep->context);
    cJSON_AddNumberToObject(j, "instructions_matched", (double)(rep->insns ? rep->insns - 1 : 0));
    char path[1200];
    snprintf(path, sizeof path, "%.1100s/divergence.json", dir);
    if (pim_json_write_file(path, j) == 0)
        printf("  report: %s\n", path);
    else
        printf("  cannot write %s\n", path);
    cJSON_Delete(j);
    pim_rtl_close(rtl); /* one live instance of a model at a time (Verilator 5.006) */
    if (!a->wave_on_fail)
        return;
    pim_rtl *w = NULL;
    pim_error err;
    pim_lockstep_report rep2;
    pim_golden *g1 = NULL, *g2 = NULL;
    pim_lockstep_opts lo;
    memset(&lo, 0, sizeof lo);
    lo.seed = a->seed;
    lo.fill_gmem = 1;
    lo.max_insns = rep->insns + 1;
    if (pim_rtl_open_traced(&a->rtl, &p->cfg, dir, 0, &rep->div, a->before, a->after, &w,
                            &err) != PIM_OK) {
        char msg[PIM_ERROR_MSG_MAX * 2];
        printf("  no waves: %s\n", pim_error_format(&err, msg, sizeof msg));
        return;
    }
    pim_rtl_set_stop(w, &g_stop);
    pim_lockstep_run_opts(p, w, &lo, &rep2, &g1, &g2, &err);
    pim_rtl_close(w);
    pim_golden_free(g1);
    pim_golden_free(g2);
    char note[2600];
    pim_gtkw_write_dir(dir, &rep->div, 0, note, sizeof note);
    printf("  waves: %s\n", note[0] ? note : "(none written)");
}

/* What both commands do first: options, then the stream. -1 to go on (*p loaded, *t0 the
 * start time), else the exit code. */
static int begin(sargs *a, const char *cmd, int lockstep, int argc, char **argv,
                 pim_program **p, double *t0)
{
    init_args(a, cmd, lockstep);
    a->argc = argc;
    a->argv = argv;
    int rc = parse_args(a, argc - 1, argv + 1);
    if (rc)
        return rc == 1 ? PIM_EXIT_PASS : rc - 100;
    *t0 = pim_now();
    *p = NULL;
    rc = load(a, p);
    return rc ? rc : -1;
}

int pim_exec_main(int argc, char **argv)
{
    sargs a;
    pim_program *p;
    double t0 = 0;
    int rc = begin(&a, "exec", 0, argc, argv, &p, &t0);
    if (rc >= 0)
        return rc;
    pim_error err;
    pim_error_clear(&err);
    pim_golden *g = NULL;
    pim_status st = pim_golden_new(&p->cfg, &g, &err);
    if (st == PIM_OK)
        st = pim_golden_load(g, p, a.seed, 1, &err);
    const double t1 = pim_now();
    if (st == PIM_OK)
        st = pim_golden_run(g, a.max_insns, &err);
    const double t2 = pim_now();
    if (st != PIM_OK) {
        char msg[PIM_ERROR_MSG_MAX * 2];
        if (!err.file[0])
            pim_error_set_file(&err, a.stream);
        fprintf(stderr, "pimcosim exec: %s\n", pim_error_format(&err, msg, sizeof msg));
    } else {
        summary(&a, p, g, t1 - t0, t2 - t1);
    }
    fflush(stdout);
    pim_golden_free(g);
    pim_program_free(p);
    return pim_status_exit_code(st);
}

/* ------------------------------------------------------------------ run --stream */


typedef struct progress {
    uint64_t total;
    double last;
    int tty;
} progress;

static void show_progress(void *ud, const pim_lockstep_report *r)
{
    progress *pr = ud;
    if (r->run_secs - pr->last < (pr->tty ? 0.5 : 10.0))
        return;
    pr->last = r->run_secs;
    const double rate = r->run_secs > 0 ? (double)r->insns / r->run_secs : 0;
    fprintf(stderr, "%sprogress: %" PRIu64 " of %" PRIu64 " instructions (%.1f%%), %" PRIu64
            " mvmul, %.0f s, %.0f instructions/s, about %.0f s to go%s",
            pr->tty ? "\r" : "", r->insns, pr->total,
            pr->total ? 100.0 * (double)r->insns / (double)pr->total : 0.0, r->mvmuls,
            r->run_secs, rate, rate > 0 ? (double)(pr->total - r->insns) / rate : 0.0,
            pr->tty ? "   " : "\n");
    fflush(stderr);
}

/* The outcome of run --stream, for its reports. */
typedef struct outcome {
    const char *verdict;  /* PASS, FAIL, ERROR */
    char msg[PIM_ERROR_MSG_MAX * 2];
    double load_s, run_s;
    int have_state;       /* the hashes below are set */
    uint64_t gmem_hash, state_hash;
} outcome;

/* --junit and --json. Returns 0, or -1 when a report cannot be written (said on stderr). */
static int reports(const sargs *a, const outcome *o, const pim_lockstep_report *rep)
{
    int rc = 0;
    if (a->junit) {
        const char *base = strrchr(a->stream, '/');
        pim_junit_case c = {"stream", base ? base + 1 : a->stream, a->stream,
                            o->load_s + o->run_s,
                            strcmp(o->verdict, "PASS") == 0 ? 0 : strcmp(o->verdict, "FAIL") == 0 ? 1 : 2,
                            o->verdict, o->msg};
        if (pim_junit_write(a->junit, "lockstep", &c, 1) != 0) {
            fprintf(stderr, "pimcosim run: cannot write %s\n", a->junit);
            rc = -1;
        }
    }
    if (a->json) {
        cJSON *j = cJSON_CreateObject();
        cJSON_AddStringToObject(j, "stream", a->stream);
        cJSON_AddStringToObject(j, "config", a->config);
        cJSON_AddStringToObject(j, "verdict", o->verdict);
        cJSON_AddStringToObject(j, "message", o->msg);
        cJSON_AddNumberToObject(j, "seed", (double)a->seed);
        cJSON_AddStringToObject(j, "cores", a->cores ? a->cores : "all");
        cJSON_AddNumberToObject(j, "max_insns", (double)a->max_insns);
        cJSON_AddNumberToObject(j, "weight_bits", (double)a->weight_bits);
        cJSON_AddNumberToObject(j, "input_bits", (double)a->input_bits);
        cJSON_AddNumberToObject(j, "instructions", (double)rep->insns);
        cJSON_AddNumberToObject(j, "mvmul", (double)rep->mvmuls);
        cJSON_AddNumberToObject(j, "vector_instructions", (double)rep->vector_insns);
        cJSON_AddNumberToObject(j, "vector_elements", (double)rep->vector_elems);
        cJSON_AddNumberToObject(j, "writes_compared", (double)rep->writes);
        cJSON_AddNumberToObject(j, "tile_cycles", (double)rep->tile_cycles);
        cJSON_AddNumberToObject(j, "vu_cycles", (double)rep->vu_cycles);
        if (o->have_state) {
            char h[24];
            snprintf(h, sizeof h, "%016" PRIx64, o->gmem_hash);
            cJSON_AddStringToObject(j, "gmem_hash", h);
            snprintf(h, sizeof h, "%016" PRIx64, o->state_hash);
            cJSON_AddStringToObject(j, "state_hash", h);
        }
        cJSON *t = cJSON_AddObjectToObject(j, "seconds");
        cJSON_AddNumberToObject(t, "load", o->load_s);
        cJSON_AddNumberToObject(t, "run", o->run_s);
        cJSON_AddNumberToObject(t, "rtl_tile", rep->tile_secs);
        cJSON_AddNumberToObject(t, "rtl_vector_unit", rep->vu_secs);
        cJSON_AddNumberToObject(t, "golden_model", rep->ref_secs);
        if (rep->diverged)
            cJSON_AddItemToObject(j, "divergence", pim_divergence_json(&rep->div));
        if (pim_json_write_file(a->json, j) != 0) {
            fprintf(stderr, "pimcosim run: cannot write %s\n", a->json);
            rc = -1;
        }
        cJSON_Delete(j);
    }
    return rc;
}

int pim_stream_run_main(int argc, char **argv)
{
    sargs a;
    pim_program *p;
    double t0 = 0;
    int rc = begin(&a, "run", 1, argc, argv, &p, &t0);
    if (rc >= 0)
        return rc;
    pim_error err;
    pim_error_clear(&err);
    pim_rtl *rtl = NULL;
    outcome oc;
    memset(&oc, 0, sizeof oc);
    pim_lockstep_report rep;
    memset(&rep, 0, sizeof rep);
    pim_status st = pim_rtl_open(&p->cfg, &a.rtl, &rtl, &err);
    if (st != PIM_OK) {
        oc.verdict = "ERROR";
        fprintf(stderr, "pimcosim run: %s\n", pim_error_format(&err, oc.msg, sizeof oc.msg));
        reports(&a, &oc, &rep);
        pim_program_free(p);
        return pim_status_exit_code(st);
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    pim_rtl_set_stop(rtl, &g_stop);

    progress pr = {0};
    pr.total = pim_program_insn_count(p);
    if (a.max_insns && a.max_insns < pr.total)
        pr.total = a.max_insns;
    pr.tty = isatty(STDERR_FILENO);
    pim_lockstep_opts lo;
    memset(&lo, 0, sizeof lo);
    lo.max_insns = a.max_insns;
    lo.seed = a.seed;
    lo.fill_gmem = 1;
    if (!a.quiet) {
        lo.progress = show_progress;
        lo.progress_ud = &pr;
        lo.progress_every = 4096;
    }
    pim_golden *ref = NULL, *dut = NULL;
    const double t1 = pim_now();
    st = pim_lockstep_run_opts(p, rtl, &lo, &rep, &ref, &dut, &err);
    const double t2 = pim_now();
    if (pr.tty && pr.last > 0)
        fputc('\n', stderr);
    char *msg = oc.msg;
    oc.load_s = t1 - t0;
    oc.run_s = t2 - t1;
    oc.verdict = st == PIM_OK ? "PASS" : st == PIM_E_MISMATCH ? "FAIL" : "ERROR";
    if (st == PIM_E_MISMATCH) {
        if (rep.diverged && strcmp(rep.div.what, "protocol") != 0) {
            pim_divergence_format(&rep.div, msg, sizeof oc.msg);
        } else {
            if (!err.file[0])
                pim_error_set_file(&err, a.stream);
            pim_error_format(&err, msg, sizeof oc.msg);
        }
        printf("FAIL %s\n  %s\n", a.stream, msg);
        if (rep.diverged && rep.context[0])
            printf("  %s\n", rep.context);
        printf("lockstep: %" PRIu64 " instructions matched before the divergence\n",
               rep.insns ? rep.insns - 1 : 0);
        bundle(&a, p, rtl, &rep);
        rtl = NULL;
    } else if (st != PIM_OK) {
        if (!err.file[0])
            pim_error_set_file(&err, a.stream);
        fprintf(stderr, "pimcosim run: %s\n", pim_error_format(&err, msg, sizeof oc.msg));
    } else {
        const uint64_t h = summary(&a, p, dut, t1 - t0, t2 - t1);
        oc.have_state = 1;
        oc.state_hash = h;
        oc.gmem_hash = pim_golden_hash_gmem(dut);
        const uint64_t hr = state_hash(ref, p->n_cores);
        printf("lockstep: %" PRIu64 " instructions, %" PRIu64 " mvmul through the RTL tile (%" PRIu64
               " cycles), %" PRIu64 " vector instructions (%" PRIu64 " elements) through the RTL "
               "vector unit (%" PRIu64 " cycles), %" PRIu64 " writes compared, no divergence\n",
               rep.insns, rep.mvmuls, rep.tile_cycles, rep.vector_insns, rep.vector_elems,
               rep.vu_cycles, rep.writes);
        const double rest = rep.run_secs - rep.ref_secs - rep.tile_secs - rep.vu_secs;
        printf("time: RTL tile %.1f s, RTL vector unit %.1f s, golden model %.1f s, second "
               "machine and comparison %.1f s, load %.1f s\n",
               rep.tile_secs, rep.vu_secs, rep.ref_secs, rest > 0 ? rest : 0.0, t1 - t0);
        if (h != hr) {
            snprintf(msg, sizeof oc.msg, "the final states differ: golden model %016" PRIx64
                     ", design under test %016" PRIx64, hr, h);
            printf("FAIL %s\n  %s\n", a.stream, msg);
            oc.verdict = "FAIL";
            st = PIM_E_MISMATCH;
        } else {
            printf("PASS %s\n", a.stream);
        }
    }
    if (reports(&a, &oc, &rep) != 0 && st == PIM_OK)
        st = PIM_E_IO;
    fflush(stdout);
    pim_golden_free(ref);
    pim_golden_free(dut);
    pim_rtl_close(rtl);
    pim_program_free(p);
    return pim_status_exit_code(st);
}
