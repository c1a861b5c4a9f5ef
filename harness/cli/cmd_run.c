/*
 * cmd_run.c - `pimcosim run`: conformance vectors in worker processes, in lockstep or on the
 * golden model alone, with shards, a filter, per-vector timeouts and JUnit / TAP / JSON
 * reports (run_internal.h). `run --stream` is another command (cmd_stream.c).
 *
 * The parent loads every vector once (id, config), keeps its shard, builds the RTL models the
 * configs need (in parallel), then runs the vectors on the worker pool (run_pool.c).
 */
#include "run_internal.h"

#include <fnmatch.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pim_cli.h"
#include "pim_load.h"
#include "pim_opt.h"
#include "pim_program.h"
#include "pim_util.h"

void run_opts_default(run_opts *o)
{
    memset(o, 0, sizeof *o);
    o->jobs = 1;
    o->timeout = 600;
    o->win.before = 200;
    o->win.after = 20;
    o->out = "build/failures";
    pim_project_root(o->root, sizeof o->root);
    pim_rtl_opts_default(&o->rtl, o->root);
}

static int parse_shard(void *ud, const char *value, char *msg, size_t n)
{
    run_opts *o = ud;
    if (pim_cli_two_numbers(value, '/', &o->shard_k, &o->shard_n) == 0 && o->shard_n >= 1 &&
        o->shard_k >= 1 && o->shard_k <= o->shard_n)
        return 0;
    snprintf(msg, n, "--shard takes K/N with 1 <= K <= N, not '%s'", value);
    return -1;
}

static const char k_about[] =
    "Runs conformance vectors (docs/vectors.md) in lockstep: every instruction on the golden\n"
    "model and on the design under test (mvmul through the RTL crossbar tile, vector\n"
    "instructions through the RTL vector unit, both Verilated), comparing every write; the\n"
    "first difference stops the vector with a report. Then checks what the vector expects.\n"
    "A PATH is a vector file (.json or .json.gz) or a directory searched recursively\n"
    "(directories named 'configs' are skipped). The RTL models a config needs are built once\n"
    "into build/rtl.\n";

/* The options of `run`, into o and paths. Returns 0, 1 (help), 2 (bad). */
static int parse(int argc, char **argv, run_opts *o, pim_paths *paths)
{
    run_opts_default(o);
    o->argc = argc;
    o->argv = argv;
    const char *stream = NULL;
    const pim_opt opts[] = {
        {.name = "--golden-only", .type = PIM_OPT_FLAG, .dst = &o->golden_only, .set = 1,
         .help = "execute on the golden model alone"},
        {.name = "--jobs", .type = PIM_OPT_UINT, .dst = &o->jobs, .size = sizeof o->jobs, .lo = 1,
         .hi = 256, .meta = "N", .help = "N worker processes (default 1)"},
        {.name = "--shard", .type = PIM_OPT_FN, .dst = o, .fn = parse_shard, .meta = "K/N",
         .help = "run only shard K of N (1 <= K <= N), split by a stable hash of the id"},
        {.name = "--filter", .type = PIM_OPT_STR, .dst = &o->filter, .meta = "GLOB",
         .help = "run only vectors whose id (or path) matches GLOB (fnmatch)"},
        PIM_CLI_MEMORY_OPT(&o->max_memory),
        {.name = "--timeout", .type = PIM_OPT_UINT, .dst = &o->timeout, .size = sizeof o->timeout,
         .lo = 1, .hi = UINT64_MAX, .meta = "S",
         .help = "seconds a vector may take before it is killed (default 600)"},
        {.name = "--junit", .type = PIM_OPT_STR, .dst = &o->junit, .meta = "FILE",
         .help = "write a JUnit XML report"},
        {.name = "--tap", .type = PIM_OPT_FLAG, .dst = &o->tap, .set = 1,
         .help = "print TAP version 13 instead of the plain lines"},
        {.name = "--json", .type = PIM_OPT_STR, .dst = &o->json, .meta = "FILE",
         .help = "write a JSON report (pimcosim merge joins shards' reports)"},
        {.name = "--bless", .type = PIM_OPT_FLAG, .dst = &o->bless, .set = 1,
         .help = "for each passing vector with empty expectations, write the golden\n"
                 "model's final state into NAME.blessed.json (never over a file)"},
        {.name = "--wave", .type = PIM_OPT_CHOICE, .dst = &o->wave, .choices = "fst|vcd",
         .optional = 1,
         .help = "waves of every vector's whole run (FST by default), with GTKWave\n"
                 "save files, into OUT/<id>/; with --wave-on-fail, the format of those\n"
                 "waves instead (the window, in VCD with --wave=vcd)"},
        {.name = "--wave-on-fail", .type = PIM_OPT_FLAG, .dst = &o->wave_on_fail, .set = 1,
         .help = "on a divergence, waves of the cycles around it (rerun with tracing)"},
        {.name = "--wave-window", .type = PIM_OPT_FN, .dst = &o->win, .fn = pim_cli_parse_window,
         .meta = "B:A", .help = "that window: B cycles before, A after (default 200:20)"},
        {.name = "--shrink", .type = PIM_OPT_FLAG, .dst = &o->shrink, .set = 1,
         .help = "on a divergence, also shrink the vector into OUT/<id>/min.json"},
        {.name = "--out", .type = PIM_OPT_STR, .dst = &o->out, .meta = "DIR",
         .help = "failure bundles (repro.json, waves, .gtkw): DIR/<id>/ (default\n"
                 "build/failures)"},
        {.name = "--seed", .type = PIM_OPT_UINT, .dst = &o->rtl.seed, .size = sizeof o->rtl.seed,
         .hi = UINT64_MAX, .meta = "S",
         .help = "Verilator's +verilator+seed (default 1; 0 means random)"},
        {.name = "--fault", .type = PIM_OPT_FN, .dst = &o->rtl.fault, .fn = pim_cli_parse_fault,
         .meta = "NAME",
         .help = "use RTL models built with +define+NAME (harness self-tests)"},
        {.name = "--no-build", .type = PIM_OPT_FLAG, .dst = &o->rtl.build, .set = 0,
         .help = "fail instead of building a missing RTL model"},
        PIM_CLI_RTL_OPTS(&o->rtl),
        {.name = "--quiet", .type = PIM_OPT_FLAG, .dst = &o->quiet, .set = 1,
         .help = "print only failures and the summary"},
        {.name = "--stream", .type = PIM_OPT_STR, .dst = &stream, .meta = "STREAM",
         .help = "run a PIMSIM-NN instruction stream instead of vectors (a compiled\n"
                 "network; `pimcosim run --stream --help` lists its options)"},
    };
    const pim_cmd c = {"run", "[options] PATH...", k_about,
                       "Exit: 0 all passed, 1 a mismatch, failure, timeout or crash, 2 bad input.\n",
                       opts, sizeof opts / sizeof opts[0], pim_cli_add_vectors, paths, -1};
    const int rc = pim_opt_parse(&c, argc - 1, argv + 1);
    if (rc == 0 && paths->n == 0)
        return pim_opt_fail(&c, "no vector given (see --help)");
    return rc;
}

static char *xstrdup(const char *s)
{
    char *d = pim_strdup(s);
    if (!d) {
        fprintf(stderr, "pimcosim: out of memory\n");
        exit(PIM_EXIT_BAD_INPUT);
    }
    return d;
}

/* The shard of a vector: FNV-1a of its id from the basis 1469598103934665603, the value the
 * first runner used (not FNV's 14695981039346656037); keeping it keeps every vector in the
 * shard it has always been in. */
static uint64_t shard_hash(const char *id)
{
    return pim_fnv1a(1469598103934665603ull, id, strlen(id));
}

/* Loads each vector once (id, class, config) and keeps this shard's, filtered. */
static run_entry *entries(const pim_paths *paths, const run_opts *o, size_t *n_out)
{
    run_entry *e = calloc(paths->n ? paths->n : 1, sizeof *e);
    size_t n = 0;
    for (size_t i = 0; e && i < paths->n; i++) {
        pim_program *p;
        pim_error err;
        run_entry *x = &e[n];
        if (pim_load_vector_file_max(paths->v[i], o->max_memory, &p, &err) == PIM_OK) {
            x->id = xstrdup(p->id);
            x->cfg = p->cfg;
            x->loads = 1;
            pim_program_free(p);
        } else {
            x->id = xstrdup(paths->v[i]);
        }
        if ((o->shard_n && shard_hash(x->id) % o->shard_n != o->shard_k - 1) ||
            (o->filter && fnmatch(o->filter, x->id, 0) != 0 &&
             fnmatch(o->filter, paths->v[i], 0) != 0)) {
            free(x->id);
            continue;
        }
        x->path = xstrdup(paths->v[i]);
        /* class: the id's first component ("vector.vvadd.sat-high" -> "vector") */
        x->klass = xstrdup(x->loads ? x->id : "unloadable");
        x->klass[strcspn(x->klass, ".")] = '\0';
        n++;
    }
    *n_out = n;
    return e;
}

static int build_quietly(const run_opts *o, pim_paths *need)
{
    pim_rtl_opts ro = o->rtl;
    ro.quiet = o->quiet;
    return pim_rtl_build_models(&ro, need->v, need->n, o->jobs);
}

/* Builds the missing models the entries need, up to o->jobs builds at a time. */
static int build_models(const run_entry *e, size_t n, const run_opts *o)
{
    pim_paths need = {0};
    for (size_t i = 0; i < n; i++) {
        if (!e[i].loads)
            continue;
        char p[2][1024];
        pim_rtl_model_paths(&e[i].cfg, &o->rtl, p[0], p[1], sizeof p[0]);
        for (int k = 0; k < 2; k++) {
            struct stat sb;
            if (stat(p[k], &sb) != 0 && !pim_paths_has(&need, p[k]) &&
                pim_paths_push(&need, p[k]) != 0) {
                pim_paths_free(&need);
                return -1;
            }
        }
    }
    int rc = 0;
    if (need.n && !o->rtl.build) {
        char why[900];
        fprintf(stderr, "pimcosim run: RTL model %s is not built (--no-build): %s\n", need.v[0],
                pim_rtl_model_missing(&o->rtl, need.v[0], why, sizeof why));
        rc = -1;
    } else if (need.n && build_quietly(o, &need) != 0) {
        fprintf(stderr, "pimcosim run: building an RTL model failed\n");
        rc = -1;
    }
    pim_paths_free(&need);
    return rc;
}

/* The reports and the summary of the entries that finished. Returns the exit code. */
static int report(run_entry *e, size_t n, const run_opts *o, double t0, int interrupted)
{
    const char *mode = o->golden_only ? "golden" : "lockstep";
    run_entry **v = calloc(n ? n : 1, sizeof *v);
    if (!v)
        return PIM_EXIT_BAD_INPUT;
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (e[i].done)
            v[m++] = &e[i];
    qsort(v, m, sizeof *v, run_cmp_entry);
    if (o->junit && run_write_junit(o->junit, v, m, mode) != 0)
        fprintf(stderr, "pimcosim run: cannot write %s\n", o->junit);
    if (o->json && run_write_json(o->json, v, m, o) != 0)
        fprintf(stderr, "pimcosim run: cannot write %s\n", o->json);
    int rc = run_summarize(v, m, mode, o->tap, pim_now() - t0);
    if (interrupted) {
        fprintf(stderr, "pimcosim run: interrupted after %zu of %zu vectors\n", m, n);
        if (rc == PIM_EXIT_PASS)
            rc = PIM_EXIT_MISMATCH;
    }
    free(v);
    return rc;
}

int pim_cmd_run(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--stream") == 0 || strncmp(argv[i], "--stream=", 9) == 0)
            return pim_cmd_stream(argc, argv);
    run_opts o;
    pim_paths paths = {0};
    const int prc = parse(argc, argv, &o, &paths);
    if (prc) {
        pim_paths_free(&paths);
        return prc == 1 ? PIM_EXIT_PASS : PIM_EXIT_BAD_INPUT;
    }
    pim_paths_sort(&paths);
    size_t n = 0;
    run_entry *e = entries(&paths, &o, &n);
    const size_t given = paths.n;
    pim_paths_free(&paths);
    if (e && n == 0 && o.filter) {
        fprintf(stderr, "pimcosim run: --filter '%s' matches none of the %zu vectors given\n",
                o.filter, given);
        free(e);
        return PIM_EXIT_BAD_INPUT;
    }
    int rc = e ? PIM_EXIT_PASS : PIM_EXIT_BAD_INPUT;
    if (e && (o.golden_only || build_models(e, n, &o) == 0)) {
        if (o.tap)
            printf("TAP version 13\n1..%zu\n", n);
        const double t0 = pim_now();
        int interrupted = 0;
        rc = run_pool(e, n, &o, t0, &interrupted);
        const int src = report(e, n, &o, t0, interrupted);
        if (rc == PIM_EXIT_PASS)
            rc = src;
    } else if (e) {
        rc = PIM_EXIT_BAD_INPUT;
    }
    for (size_t i = 0; e && i < n; i++) {
        free(e[i].path);
        free(e[i].id);
        free(e[i].klass);
    }
    free(e);
    return rc;
}
