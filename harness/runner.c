/*
 * runner.c - `pimcosim run`: conformance vectors in worker processes, lockstep or golden-only,
 * with sharding, filtering, per-vector timeouts, JUnit / TAP / JSON reports; and
 * `pimcosim merge`, which joins the JSON reports of several shards (pim_runner.h).
 *
 * The parent loads every vector once (id, config), keeps its shard, builds the RTL models the
 * configs need (in parallel), then forks N workers. A worker runs one vector at a time with
 * its own Verilated models (opened once per config, reused) and sends a result record back
 * through a pipe. The parent hands out vectors, times each one, kills a worker that runs past
 * the timeout, notices one that died, reports the vector as TIMEOUT or CRASH and starts a new
 * worker; the run goes on.
 */
#include "pim_runner.h"

#include <cJSON.h>
#include <errno.h>
#include <fnmatch.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "pim_cli.h"
#include "pim_debug.h"
#include "pim_shrink.h"
#include "pim_expect.h"
#include "pim_harness.h"
#include "pim_load.h"
#include "load_internal.h"

static const char *k_usage =
    "usage: pimcosim run [options] PATH...\n"
    "\n"
    "Runs conformance vectors (docs/vectors.md) in lockstep: every instruction on the golden\n"
    "model and on the design under test (mvmul through the RTL crossbar tile, vector\n"
    "instructions through the RTL vector unit, both Verilated), comparing every write; the\n"
    "first difference stops the vector with a report. Then checks what the vector expects.\n"
    "A PATH is a vector file (.json or .json.gz) or a directory searched recursively\n"
    "(directories named 'configs' are skipped). The RTL models a config needs are built once\n"
    "into build/rtl.\n"
    "\n"
    "  --golden-only     execute on the golden model alone\n"
    "  --jobs N          N worker processes (default 1)\n"
    "  --shard K/N       run only shard K of N (1 <= K <= N), split by a stable hash of the id\n"
    "  --filter GLOB     run only vectors whose id (or path) matches GLOB (fnmatch)\n"
    "  --timeout S       seconds a vector may take before it is killed (default 600)\n"
    "  --junit FILE      write a JUnit XML report\n"
    "  --tap             print TAP version 13 instead of the plain lines\n"
    "  --json FILE       write a JSON report (pimcosim merge joins shards' reports)\n"
    "  --bless           for each passing vector with empty expectations, write the golden\n"
    "                    model's final state into NAME.blessed.json (never over a file)\n"
    "  --wave[=fst|vcd]  waves of every vector's whole run (FST by default), with GTKWave\n"
    "                    save files, into OUT/<id>/\n"
    "  --wave-on-fail    on a divergence, waves of the cycles around it (rerun with tracing)\n"
    "  --wave-window=B:A that window: B cycles before, A after (default 200:20)\n"
    "  --shrink          on a divergence, also shrink the vector into OUT/<id>/min.json\n"
    "  --out DIR         failure bundles (repro.json, waves, .gtkw): DIR/<id>/ (default\n"
    "                    build/failures)\n"
    "  --seed S          Verilator's +verilator+seed (default 1; 0 means random)\n"
    "  --fault NAME      use RTL models built with +define+NAME (harness self-tests)\n"
    "  --no-build        fail instead of building a missing RTL model\n"
    "  --quiet           print only failures and the summary\n"
    "  --stream STREAM   run a PIMSIM-NN instruction stream instead of vectors (a compiled\n"
    "                    network; `pimcosim run --stream --help` lists its options)\n"
    "\n"
    "Exit: 0 all passed, 1 a mismatch, failure, timeout or crash, 2 bad input.\n";

static const char *k_merge_usage =
    "usage: pimcosim merge [--junit FILE] [--json FILE] REPORT.json...\n"
    "\n"
    "Joins the JSON reports of several `pimcosim run --json` shards into one JUnit and/or JSON\n"
    "report, and prints the combined summary. Exit as `run` would for the combined results.\n";

typedef enum verdict { V_PASS, V_FAIL, V_BAD, V_TIMEOUT, V_CRASH } verdict;
static const char *const k_verdict[] = {"PASS", "FAIL", "ERROR", "TIMEOUT", "CRASH"};

typedef struct result {
    int32_t verdict;
    uint64_t insns, cycles, writes;
    double secs;
    char msg[2048];
    int32_t diverged;        /* 1: div and context describe the first divergence */
    pim_divergence div;
    char context[1536];
    char bundle[1024];       /* the failure's directory (repro.json, waves), "" none */
} result;

typedef struct entry {
    char *path;
    char *id;    /* the vector's id, or its path when it cannot be loaded */
    char *klass; /* the id's first component */
    pim_config cfg;
    int loads;   /* 1: the vector loaded (cfg is valid) */
    result res;
    int done;
} entry;

typedef struct opts {
    int golden_only, quiet, tap, bless, jobs;
    int wave;               /* 0 none, 1 FST, 2 VCD: waves of every vector's whole run */
    int wave_on_fail;       /* waves of the window around the first divergence */
    int shrink;             /* on a divergence, also write the shrunk vector into the bundle */
    uint64_t before, after; /* that window, in cycles */
    uint64_t shard_k, shard_n, timeout;
    const char *filter, *junit, *json;
    const char *out;        /* failure bundles: OUT/<id>/ */
    int argc;               /* the command line, for repro.json */
    char **argv;
    pim_rtl_opts rtl;
    char root[1024];
} opts;

/* Ctrl-C: the parent stops handing out vectors, stops its workers, and still writes the
 * reports. In a worker, SIGTERM (a timeout or Ctrl-C in the parent) stops the running vector
 * at its next instruction, so the waves being written are closed before the worker exits.
 * A signal handler can only reach file-scope flags. */
static volatile sig_atomic_t g_interrupted;
static volatile int g_stop_worker;
static void on_sigint(int sig)
{
    (void)sig;
    g_interrupted = 1;
}
static void on_sigterm_worker(int sig)
{
    (void)sig;
    g_stop_worker = 1;
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

/* 64-bit FNV-1a of the id: the shard a vector belongs to never changes. */
static uint64_t id_hash(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) {
        h ^= (uint8_t)*s;
        h *= 1099511628211ull;
    }
    return h;
}

/* ------------------------------------------------------------------ one vector */

/* Byte ranges a run wrote, for --bless. */
typedef struct span {
    uint8_t space;
    uint32_t owner;
    uint64_t lo, hi; /* [lo, hi) */
} span;
typedef struct spans {
    span *v;
    size_t n, cap;
    int oom;
} spans;

static void note_write(void *ud, const pim_write *w)
{
    spans *s = ud;
    if (w->space != PIM_SPACE_LMEM && w->space != PIM_SPACE_GMEM)
        return;
    for (size_t i = 0; i < s->n; i++) { /* extend a touching range of the same memory */
        span *p = &s->v[i];
        if (p->space == w->space && p->owner == w->owner && w->addr <= p->hi &&
            w->addr + w->len >= p->lo) {
            p->lo = w->addr < p->lo ? w->addr : p->lo;
            p->hi = w->addr + w->len > p->hi ? w->addr + w->len : p->hi;
            return;
        }
    }
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 32;
        span *q = realloc(s->v, cap * sizeof *q);
        if (!q) {
            s->oom = 1;
            return;
        }
        s->v = q;
        s->cap = cap;
    }
    s->v[s->n++] = (span){(uint8_t)w->space, w->owner, w->addr, w->addr + w->len};
}

static cJSON *hex_region(uint64_t addr, const uint8_t *bytes, uint64_t n)
{
    static const char digits[] = "0123456789abcdef";
    char *hex = malloc(2 * n + 1);
    if (!hex)
        return NULL;
    for (uint64_t i = 0; i < n; i++) {
        hex[2 * i] = digits[bytes[i] >> 4];
        hex[2 * i + 1] = digits[bytes[i] & 15];
    }
    hex[2 * n] = '\0';
    cJSON *r = cJSON_CreateObject();
    cJSON_AddNumberToObject(r, "addr", (double)addr);
    cJSON_AddStringToObject(r, "hex", hex);
    free(hex);
    return r;
}

static int empty_expectation(const pim_program *p)
{
    if (!p->has_expected || p->n_expect_gmem)
        return 0;
    for (uint32_t c = 0; c < p->n_cores; c++)
        if (p->expect[c].regs_mask || p->expect[c].events_mask || p->expect[c].n_lmem)
            return 0;
    return 1;
}

/* Writes PATH.blessed.json: the vector with "expected" holding the golden model's final
 * registers, event registers and every byte the run wrote. Never over an existing file. */
static pim_status bless(const pim_program *p, char *msg, size_t n)
{
    pim_error err;
    pim_golden *g = NULL;
    spans s = {0};
    char *text = NULL;
    size_t len;
    cJSON *root = NULL;
    pim_status st = pim_golden_new(&p->cfg, &g, &err);
    if (st == PIM_OK)
        st = pim_golden_load(g, p, 1, 0, &err);
    if (st == PIM_OK) {
        pim_golden_set_observer(g, note_write, &s);
        st = pim_golden_run(g, 0, &err);
    }
    if (st == PIM_OK && s.oom)
        st = PIM_E_NOMEM;
    if (st == PIM_OK)
        st = pim_read_file(p->path, &text, &len, &err);
    if (st == PIM_OK && !(root = cJSON_Parse(text)))
        st = PIM_E_INPUT;
    if (st == PIM_OK) {
        cJSON *exp = cJSON_CreateObject();
        cJSON *gm = cJSON_CreateArray();
        for (size_t i = 0; i < s.n; i++)
            if (s.v[i].space == PIM_SPACE_GMEM)
                cJSON_AddItemToArray(gm, hex_region(s.v[i].lo, pim_golden_gmem(g) + s.v[i].lo,
                                                    s.v[i].hi - s.v[i].lo));
        if (cJSON_GetArraySize(gm))
            cJSON_AddItemToObject(exp, "gmem", gm);
        else
            cJSON_Delete(gm);
        for (uint32_t c = 0; c < p->n_cores; c++) {
            cJSON *core = cJSON_CreateObject(), *regs = cJSON_CreateObject();
            cJSON *evs = cJSON_CreateObject(), *lm = cJSON_CreateArray();
            char key[16];
            for (uint32_t r = 0; r < 32; r++) {
                snprintf(key, sizeof key, "r%u", r);
                cJSON_AddNumberToObject(regs, key, pim_golden_reg(g, c, r));
            }
            for (uint32_t e = 0; e < 32; e++) {
                snprintf(key, sizeof key, "e%u", e);
                cJSON_AddNumberToObject(evs, key, pim_golden_event(g, c, e));
            }
            for (size_t i = 0; i < s.n; i++)
                if (s.v[i].space == PIM_SPACE_LMEM && s.v[i].owner == c)
                    cJSON_AddItemToArray(lm, hex_region(s.v[i].lo, pim_golden_lmem(g, c) + s.v[i].lo,
                                                        s.v[i].hi - s.v[i].lo));
            cJSON_AddItemToObject(core, "regs", regs);
            cJSON_AddItemToObject(core, "events", evs);
            cJSON_AddItemToObject(core, "lmem", lm);
            snprintf(key, sizeof key, "core%u", c);
            cJSON_AddItemToObject(exp, key, core);
        }
        cJSON_ReplaceItemInObjectCaseSensitive(root, "expected", exp);
        char out[1100];
        const size_t pl = strlen(p->path);
        const size_t cut = pl > 8 && strcmp(p->path + pl - 8, ".json.gz") == 0 ? 8 : 5;
        snprintf(out, sizeof out, "%.*s.blessed.json", (int)(pl - cut), p->path);
        FILE *f = fopen(out, "wx"); /* C11 exclusive mode: never over an existing file */
        char *printed = cJSON_Print(root);
        if (!f || !printed) {
            snprintf(msg, n, "cannot write %s (%s)", out, f ? "out of memory" : "exists or unwritable");
            st = PIM_E_IO;
        } else {
            fputs(printed, f);
            fputc('\n', f);
            snprintf(msg, n, "blessed into %s", out);
        }
        free(printed);
        if (f && fclose(f) != 0) {
            snprintf(msg, n, "cannot write %s", out);
            st = PIM_E_IO;
        }
    } else if (msg[0] == '\0') {
        snprintf(msg, n, "cannot bless: %s", err.msg);
    }
    cJSON_Delete(root);
    free(text);
    free(s.v);
    pim_golden_free(g);
    return st;
}

/* Runs one vector; fills *r. rc is NULL for golden-only runs. */
static void run_vector(const char *path, pim_rtl_set *rc, const opts *o, result *r)
{
    pim_error err, judge;
    pim_error_clear(&err);
    pim_error_clear(&judge);
    pim_program *p = NULL;
    pim_golden *g = NULL;
    char msg[PIM_ERROR_MSG_MAX * 2];
    memset(r, 0, sizeof *r);
    const double t0 = pim_now();
    pim_status st = pim_load_vector_file(path, &p, &err);
    if (st != PIM_OK) {
        r->verdict = V_BAD;
        snprintf(r->msg, sizeof r->msg, "%s", pim_error_format(&err, msg, sizeof msg));
        goto out;
    }
    if (p->refused) {
        st = pim_expect_check_error(p, &p->refusal, &judge);
        goto judged;
    }
    if (rc) {
        pim_rtl *rtl, *traced = NULL;
        pim_lockstep_report rep;
        char dir[1100];
        snprintf(dir, sizeof dir, "%.800s/%.200s", o->out, p->id);
        if (o->wave) { /* waves of the whole run: fresh units for this vector */
            pim_mkdirs(dir);
            pim_rtl_set_clear(rc);
            st = pim_rtl_open_traced(&o->rtl, &p->cfg, dir, o->wave == 2, NULL, o->before, o->after, &traced, &err);
            rtl = traced;
            if (traced)
                pim_rtl_set_stop(traced, &g_stop_worker);
        } else {
            st = pim_rtl_set_get(rc, &p->cfg, &rtl, &err);
            if (st == PIM_OK)
                pim_rtl_set_stop(rtl, &g_stop_worker);
        }
        if (st != PIM_OK) {
            r->verdict = V_BAD;
            snprintf(r->msg, sizeof r->msg, "%s", pim_error_format(&err, msg, sizeof msg));
            goto out;
        }
        st = pim_lockstep_run(p, rtl, 0, &rep, &g, &err);
        if (traced) {
            pim_rtl_close(traced); /* waves flushed and closed */
            char note[600];
            pim_gtkw_write_dir(dir, rep.diverged ? &rep.div : NULL, o->wave == 2, note, sizeof note);
            snprintf(r->bundle, sizeof r->bundle, "%.1000s", dir);
        }
        if (st == PIM_E_MISMATCH && rep.diverged) { /* the failure bundle */
            pim_mkdirs(dir);
            char rp[1200], note[600] = "";
            snprintf(rp, sizeof rp, "%.1100s/repro.json", dir);
            pim_repro rr;
            memset(&rr, 0, sizeof rr);
            rr.root = o->root;
            rr.vector = path;
            rr.id = p->id;
            rr.cfg = p->cfg;
            rr.seed = o->rtl.seed;
            rr.fault = o->rtl.fault;
            rr.argc = o->argc;
            rr.argv = o->argv;
            rr.div = rep.div;
            rr.context = rep.context;
            if (strncmp(p->id, "gen.seed-", 9) == 0 && pim_parse_u64(p->id + 9, &rr.gen_seed) == 0)
                rr.gen_seed_known = 1;
            pim_repro_write(rp, &rr);
            if (o->wave_on_fail && !o->wave) { /* rerun, tracing the window around it */
                pim_rtl *w2;
                pim_rtl_set_clear(rc); /* one live instance of a model at a time */
                pim_golden *g2 = NULL;
                pim_lockstep_report rep2;
                pim_error e2;
                if (pim_rtl_open_traced(&o->rtl, &p->cfg, dir, o->wave == 2, &rep.div, o->before, o->after, &w2, &e2) == PIM_OK) {
                    pim_rtl_set_stop(w2, &g_stop_worker);
                    pim_lockstep_run(p, w2, 0, &rep2, &g2, &e2);
                    pim_rtl_close(w2);
                    pim_golden_free(g2);
                    pim_gtkw_write_dir(dir, &rep.div, o->wave == 2, note, sizeof note);
                }
            }
            if (o->shrink) { /* the smallest vector with the same divergence, into the bundle */
                char minp[1200], seed[32];
                snprintf(minp, sizeof minp, "%.1100s/min.json", dir);
                snprintf(seed, sizeof seed, "%llu", (unsigned long long)o->rtl.seed);
                char *av[10];
                int ac = 0;
                av[ac++] = (char *)"shrink";
                if (o->rtl.fault) {
                    av[ac++] = (char *)"--fault";
                    av[ac++] = (char *)o->rtl.fault;
                }
                av[ac++] = (char *)"--seed";
                av[ac++] = seed;
                av[ac++] = (char *)"-o";
                av[ac++] = minp;
                av[ac++] = (char *)path;
                av[ac] = NULL;
                pim_rtl_set_clear(rc); /* one live instance of a model at a time */
                fflush(stdout);
                if (pim_shrink_main(ac, av) == PIM_EXIT_PASS)
                    snprintf(note + strlen(note), sizeof note - strlen(note), "%sshrunk: %.300s",
                             note[0] ? "; " : "", minp);
            }
            snprintf(r->bundle, sizeof r->bundle, "%.1000s", dir);
            r->diverged = 1;
            r->div = rep.div;
            snprintf(r->context, sizeof r->context, "%s", rep.context);
            if (note[0])
                snprintf(r->context + strlen(r->context), sizeof r->context - strlen(r->context),
                         "\nwaves: %s", note);
        }
        r->insns = rep.insns;
        r->cycles = rep.tile_cycles + rep.vu_cycles;
        r->writes = rep.writes;
        if (st == PIM_E_MISMATCH) {
            if (rep.diverged && strcmp(rep.div.what, "protocol") != 0)
                pim_divergence_format(&rep.div, msg, sizeof msg);
            else
                pim_error_format(&err, msg, sizeof msg);
            r->verdict = V_FAIL;
            snprintf(r->msg, sizeof r->msg, "%s; %" PRIu64 " instructions and %" PRIu64
                     " writes matched before it", msg, rep.insns ? rep.insns - 1 : 0, rep.writes);
            goto out;
        }
        if (st != PIM_OK && (st == PIM_E_NOMEM || !g)) {
            r->verdict = V_BAD;
            snprintf(r->msg, sizeof r->msg, "%s", pim_error_format(&err, msg, sizeof msg));
            goto out;
        }
    } else {
        st = pim_golden_new(&p->cfg, &g, &err);
        if (st == PIM_OK)
            st = pim_golden_load(g, p, 1, 0, &err);
        if (st != PIM_OK) { /* the vector's state does not fit its machine */
            r->verdict = V_BAD;
            pim_error_set_file(&err, path);
            snprintf(r->msg, sizeof r->msg, "%s", pim_error_format(&err, msg, sizeof msg));
            goto out;
        }
        st = pim_golden_run(g, 0, &err);
        r->insns = pim_golden_get_stats(g)->executed;
    }
    if (st != PIM_OK) {
        pim_error_set_file(&err, path);
        if (!p->expects_error) { /* an execution error nobody expected: bad input */
            r->verdict = V_BAD;
            snprintf(r->msg, sizeof r->msg, "%s", pim_error_format(&err, msg, sizeof msg));
            goto out;
        }
        st = pim_expect_check_error(p, &err, &judge);
    } else {
        st = pim_expect_check_state(p, g, &judge);
    }
judged:
    if (st == PIM_OK) {
        r->verdict = V_PASS;
        if (o->bless && !p->refused && empty_expectation(p) && bless(p, r->msg, sizeof r->msg) != PIM_OK)
            r->verdict = V_BAD;
    } else {
        r->verdict = V_FAIL;
        snprintf(r->msg, sizeof r->msg, "%s", pim_error_format(&judge, msg, sizeof msg));
    }
out:
    r->secs = pim_now() - t0;
    pim_golden_free(g);
    pim_program_free(p);
}

/* ------------------------------------------------------------------ workers */

typedef struct worker {
    pid_t pid;
    int to, from;  /* pipes: indices to the worker, results from it */
    long current;  /* entry being run, -1 when idle */
    double started;
    double termed; /* when SIGTERM was sent (0: not yet) */
} worker;

/* Seconds a worker has after SIGTERM to close its waves before SIGKILL. */
#define TERM_GRACE 3.0

/* All n bytes through a pipe (read or write), retrying after signals; 0, or -1 at EOF or on
 * an error. */
static int pipe_all(int fd, void *buf, size_t n, int writing)
{
    char *p = buf;
    while (n) {
        ssize_t k = writing ? write(fd, p, n) : read(fd, p, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

static int write_all(int fd, const void *buf, size_t n) { return pipe_all(fd, (void *)buf, n, 1); }
static int read_all(int fd, void *buf, size_t n) { return pipe_all(fd, buf, n, 0); }

static void worker_main(int in, int out, entry *e, const opts *o)
{
    signal(SIGINT, SIG_IGN); /* the parent decides */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigterm_worker;
    sigaction(SIGTERM, &sa, NULL);
    pim_rtl_opts ro = o->rtl;
    ro.build = 0; /* the parent built what is needed */
    pim_rtl_set *rc = o->golden_only ? NULL : pim_rtl_set_new(&ro, 4);
    if (!o->golden_only && !rc)
        _exit(3);
    int64_t idx;
    while (read_all(in, &idx, sizeof idx) == 0 && idx >= 0) {
        result r;
        g_stop_worker = 0;
        run_vector(e[idx].path, rc, o, &r);
        if (write_all(out, &idx, sizeof idx) || write_all(out, &r, sizeof r))
            break;
    }
    pim_rtl_set_free(rc); /* final(), waves closed */
    _exit(0);
}

static int spawn(worker *w, entry *e, const opts *o, worker *all, int nall)
{
    int a[2], b[2];
    if (pipe(a) || pipe(b))
        return -1;
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        close(a[1]);
        close(b[0]);
        for (int i = 0; i < nall; i++) /* other workers' pipes are not ours */
            if (all[i].pid > 0 && &all[i] != w) {
                close(all[i].to);
                close(all[i].from);
            }
        worker_main(a[0], b[1], e, o);
    }
    close(a[0]);
    close(b[1]);
    w->pid = pid;
    w->to = a[1];
    w->from = b[0];
    w->current = -1;
    w->termed = 0;
    return 0;
}

static void retire(worker *w)
{
    if (w->pid <= 0)
        return;
    close(w->to);
    close(w->from);
    w->pid = 0;
}

/* ------------------------------------------------------------------ reports */

static int write_junit(const char *file, entry **v, size_t n, const char *suite)
{
    pim_junit_case *c = calloc(n ? n : 1, sizeof *c);
    if (!c)
        return -1;
    for (size_t i = 0; i < n; i++) {
        const entry *e = v[i];
        c[i].classname = e->klass;
        c[i].name = e->id;
        c[i].file = e->path;
        c[i].secs = e->res.secs;
        c[i].outcome = e->res.verdict == V_PASS ? 0 : e->res.verdict == V_FAIL ? 1 : 2;
        c[i].type = k_verdict[e->res.verdict];
        c[i].msg = e->res.msg;
    }
    const int rc = pim_junit_write(file, suite, c, n);
    free(c);
    return rc;
}

static int write_json(const char *file, entry **v, size_t n, const opts *o)
{
    cJSON *root = cJSON_CreateObject(), *arr = cJSON_CreateArray();
    cJSON_AddStringToObject(root, "tool", "pimcosim");
    cJSON_AddStringToObject(root, "mode", o->golden_only ? "golden" : "lockstep");
    if (o->shard_n) {
        char s[48];
        snprintf(s, sizeof s, "%" PRIu64 "/%" PRIu64, o->shard_k, o->shard_n);
        cJSON_AddStringToObject(root, "shard", s);
    }
    for (size_t i = 0; i < n; i++) {
        const entry *e = v[i];
        cJSON *x = cJSON_CreateObject();
        cJSON_AddStringToObject(x, "id", e->id);
        cJSON_AddStringToObject(x, "class", e->klass);
        cJSON_AddStringToObject(x, "path", e->path);
        cJSON_AddStringToObject(x, "verdict", k_verdict[e->res.verdict]);
        cJSON_AddNumberToObject(x, "instructions", (double)e->res.insns);
        cJSON_AddNumberToObject(x, "cycles", (double)e->res.cycles);
        cJSON_AddNumberToObject(x, "writes", (double)e->res.writes);
        cJSON_AddNumberToObject(x, "seconds", e->res.secs);
        cJSON_AddStringToObject(x, "message", e->res.msg);
        if (e->res.diverged) {
            cJSON *dj = pim_divergence_json(&e->res.div);
            cJSON_AddItemToObject(x, "divergence", dj);
            cJSON_AddStringToObject(x, "context", e->res.context);
        }
        if (e->res.bundle[0])
            cJSON_AddStringToObject(x, "bundle", e->res.bundle);
        cJSON_AddItemToArray(arr, x);
    }
    cJSON_AddItemToObject(root, "results", arr);
    const int rc = pim_json_write_file(file, root);
    cJSON_Delete(root);
    return rc;
}

/* Summary table by class, the closing line, and the exit code. */
static int summarize(entry **v, size_t n, const char *mode, int tap, double secs)
{
    size_t pass = 0, fail = 0, bad = 0, other = 0;
    uint64_t insns = 0, cycles = 0, writes = 0;
    for (size_t i = 0; i < n; i++) {
        const result *r = &v[i]->res;
        pass += r->verdict == V_PASS;
        fail += r->verdict == V_FAIL;
        bad += r->verdict == V_BAD;
        other += r->verdict == V_TIMEOUT || r->verdict == V_CRASH;
        insns += r->insns;
        cycles += r->cycles;
        writes += r->writes;
    }
    FILE *o = tap ? stderr : stdout; /* TAP owns stdout */
    fprintf(o, "%-12s %8s %8s %8s %8s %10s\n", "class", "vectors", "passed", "failed", "errors",
            "seconds");
    for (size_t i = 0; i < n;) { /* v is sorted by class */
        size_t j = i, p = 0, f = 0, b = 0;
        double s = 0;
        for (; j < n && strcmp(v[j]->klass, v[i]->klass) == 0; j++) {
            p += v[j]->res.verdict == V_PASS;
            f += v[j]->res.verdict == V_FAIL;
            b += v[j]->res.verdict >= V_BAD;
            s += v[j]->res.secs;
        }
        fprintf(o, "%-12s %8zu %8zu %8zu %8zu %10.3f\n", v[i]->klass, j - i, p, f, b, s);
        i = j;
    }
    fprintf(o, "%zu vectors, %" PRIu64 " instructions, %" PRIu64 " RTL cycles, %" PRIu64
            " writes matched in %.3f s; %zu bad input, %zu timeouts or crashes\n",
            n, insns, cycles, writes, secs, bad, other);
    fprintf(o, "%s: %zu passed, %zu failed\n", mode, pass, fail + bad + other);
    fflush(o);
    return bad ? PIM_EXIT_BAD_INPUT : (fail || other ? PIM_EXIT_MISMATCH : PIM_EXIT_PASS);
}

static int cmp_entry(const void *a, const void *b)
{
    const entry *x = *(entry *const *)a, *y = *(entry *const *)b;
    int c = strcmp(x->klass, y->klass);
    return c ? c : strcmp(x->id, y->id);
}

static void print_result(const opts *o, const entry *e, size_t tap_no)
{
    if (o->tap) {
        printf("%s %zu - %s\n", e->res.verdict == V_PASS ? "ok" : "not ok", tap_no, e->id);
        if (e->res.verdict != V_PASS || e->res.msg[0]) {
            printf("  ---\n  verdict: %s\n  path: %s\n  message: \"", k_verdict[e->res.verdict],
                   e->path);
            for (const char *s = e->res.msg; *s; s++)
                printf(*s == '"' || *s == '\\' ? "\\%c" : "%c", *s);
            printf("\"\n  ...\n");
        }
    } else if (e->res.verdict != V_PASS || !o->quiet) {
        if (e->res.verdict == V_PASS)
            printf("PASS %s%s%s\n", e->id, e->res.msg[0] ? ": " : "", e->res.msg);
        else
            printf("%s %s (%s): %s\n", k_verdict[e->res.verdict], e->id, e->path, e->res.msg);
        if (e->res.verdict != V_PASS && e->res.context[0]) {
            printf("  ");
            for (const char *s = e->res.context; *s; s++)
                printf(*s == '\n' ? "\n  " : "%c", *s);
            printf("\n");
        }
        if (e->res.verdict != V_PASS && e->res.bundle[0])
            printf("  bundle: %s/ (pimcosim replay %s/repro.json)\n", e->res.bundle, e->res.bundle);
    }
    fflush(stdout);
}

/* ------------------------------------------------------------------ models */

/* Builds the missing models the entries need, up to `jobs` builds at a time. */
static int build_models(entry *e, size_t n, const opts *o)
{
    pim_paths need = {0};
    for (size_t i = 0; i < n; i++) {
        if (!e[i].loads)
            continue;
        char p[2][1024];
        pim_rtl_model_paths(&e[i].cfg, &o->rtl, p[0], p[1], sizeof p[0]);
        for (int k = 0; k < 2; k++) {
            struct stat sb;
            int seen = stat(p[k], &sb) == 0;
            for (size_t j = 0; j < need.n && !seen; j++)
                seen = strcmp(need.v[j], p[k]) == 0;
            if (!seen && pim_paths_push(&need, p[k]) != 0)
                return -1;
        }
    }
    if (need.n && !o->rtl.build) {
        fprintf(stderr, "pimcosim run: RTL model %s is not built (--no-build)\n", need.v[0]);
        pim_paths_free(&need);
        return -1;
    }
    int rc = 0;
    size_t next = 0, running = 0;
    while ((next < need.n || running) && rc == 0) {
        while (next < need.n && running < (size_t)o->jobs) {
            const char *path = need.v[next++];
            const char *base = strrchr(path, '/');
            base = base ? base + 1 : path;
            const char *dash = strchr(base, '-');
            char unit[16], key[512], script[1100], dir[1024];
            snprintf(unit, sizeof unit, "%.*s", (int)(dash ? dash - base : 0), base);
            snprintf(key, sizeof key, "%.*s", (int)(strlen(base) - strlen(unit) - 4), base + strlen(unit) + 1);
            snprintf(script, sizeof script, "%s/harness/build_model.sh", o->root);
            snprintf(dir, sizeof dir, "%.*s", (int)(base - path), path);
            if (!o->quiet)
                fprintf(stderr, "pimcosim: building RTL model %s\n", path);
            fflush(stderr);
            pid_t pid = fork();
            if (pid == 0) {
                if (dir[0]) {
                    char cmd[1100];
                    snprintf(cmd, sizeof cmd, "%s", dir);
                    mkdir(cmd, 0777);
                }
                execl("/bin/bash", "bash", script, unit, key, path, (char *)NULL);
                _exit(127);
            }
            if (pid < 0)
                rc = -1;
            else
                running++;
        }
        int status;
        if (running && wait(&status) > 0) {
            running--;
            if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
                rc = -1;
        }
    }
    while (running && wait(NULL) > 0)
        running--;
    if (rc)
        fprintf(stderr, "pimcosim run: building an RTL model failed\n");
    pim_paths_free(&need);
    return rc;
}

/* ------------------------------------------------------------------ run */

static void set_defaults(opts *o)
{
    memset(o, 0, sizeof *o);
    o->jobs = 1;
    o->timeout = 600;
    o->before = 200;
    o->after = 20;
    o->out = "build/failures";
    pim_project_root(o->root, sizeof o->root);
    o->rtl.root = o->root;
    o->rtl.seed = 1;
    o->rtl.build = 1;
}

static int parse_opts(int argc, char **argv, opts *o, pim_paths *paths)
{
    set_defaults(o);
    o->argc = argc + 1;
    o->argv = argv - 1;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        const int more = i + 1 < argc;
        uint64_t v;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(k_usage, stdout);
            return 1;
        } else if (strcmp(a, "--golden-only") == 0) {
            o->golden_only = 1;
        } else if (strcmp(a, "--quiet") == 0) {
            o->quiet = 1;
        } else if (strcmp(a, "--tap") == 0) {
            o->tap = 1;
        } else if (strcmp(a, "--bless") == 0) {
            o->bless = 1;
        } else if (strcmp(a, "--no-build") == 0) {
            o->rtl.build = 0;
        } else if (strcmp(a, "--wave") == 0 || strcmp(a, "--wave=fst") == 0) {
            o->wave = 1;
        } else if (strcmp(a, "--wave=vcd") == 0) {
            o->wave = 2;
        } else if (strcmp(a, "--wave-on-fail") == 0) {
            o->wave_on_fail = 1;
        } else if (strcmp(a, "--shrink") == 0) {
            o->shrink = 1;
        } else if (strncmp(a, "--wave-window", 13) == 0 && (a[13] == '=' || (a[13] == '\0' && more))) {
            const char *w = a[13] == '=' ? a + 14 : argv[++i];
            char b[32];
            const char *colon = strchr(w, ':');
            if (!colon || (size_t)(colon - w) >= sizeof b) {
                fprintf(stderr, "pimcosim run: --wave-window takes BEFORE:AFTER cycles\n");
                return -1;
            }
            snprintf(b, sizeof b, "%.*s", (int)(colon - w), w);
            if (pim_parse_u64(b, &o->before) || pim_parse_u64(colon + 1, &o->after)) {
                fprintf(stderr, "pimcosim run: --wave-window takes BEFORE:AFTER cycles\n");
                return -1;
            }
        } else if (strcmp(a, "--out") == 0 && more) {
            o->out = argv[++i];
        } else if (strcmp(a, "--jobs") == 0 && more) {
            if (pim_parse_u64(argv[++i], &v) || v < 1 || v > 256) {
                fprintf(stderr, "pimcosim run: --jobs takes 1..256\n");
                return -1;
            }
            o->jobs = (int)v;
        } else if (strcmp(a, "--timeout") == 0 && more) {
            if (pim_parse_u64(argv[++i], &o->timeout) || o->timeout < 1) {
                fprintf(stderr, "pimcosim run: --timeout takes a positive number of seconds\n");
                return -1;
            }
        } else if (strcmp(a, "--shard") == 0 && more) {
            const char *s = argv[++i], *slash = strchr(s, '/');
            char k[32];
            if (!slash || (size_t)(slash - s) >= sizeof k) {
                fprintf(stderr, "pimcosim run: --shard takes K/N\n");
                return -1;
            }
            snprintf(k, sizeof k, "%.*s", (int)(slash - s), s);
            if (pim_parse_u64(k, &o->shard_k) || pim_parse_u64(slash + 1, &o->shard_n) ||
                o->shard_n < 1 || o->shard_k < 1 || o->shard_k > o->shard_n) {
                fprintf(stderr, "pimcosim run: --shard takes K/N with 1 <= K <= N\n");
                return -1;
            }
        } else if (strcmp(a, "--filter") == 0 && more) {
            o->filter = argv[++i];
        } else if (strcmp(a, "--junit") == 0 && more) {
            o->junit = argv[++i];
        } else if (strcmp(a, "--json") == 0 && more) {
            o->json = argv[++i];
        } else if (strcmp(a, "--seed") == 0 && more) {
            if (pim_parse_u64(argv[++i], &o->rtl.seed)) {
                fprintf(stderr, "pimcosim run: --seed takes a non-negative integer\n");
                return -1;
            }
        } else if (strcmp(a, "--fault") == 0 && more) {
            o->rtl.fault = argv[++i];
        } else if (a[0] == '-') {
            fprintf(stderr, "pimcosim run: unknown option '%s' (see --help)\n", a);
            return -1;
        } else if (pim_collect_vectors(paths, a) != 0) {
            return -1;
        }
    }
    if (paths->n == 0) {
        fprintf(stderr, "pimcosim run: no vector given (see --help)\n");
        return -1;
    }
    return 0;
}

int pim_run_main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--stream") == 0)
            return pim_stream_run_main(argc, argv);
    opts o;
    pim_paths paths = {0};
    int prc = parse_opts(argc - 1, argv + 1, &o, &paths);
    if (prc) {
        pim_paths_free(&paths);
        return prc > 0 ? PIM_EXIT_PASS : PIM_EXIT_BAD_INPUT;
    }
    pim_paths_sort(&paths);
    /* load each vector once: id, class, config; keep this shard's, filtered */
    entry *e = calloc(paths.n, sizeof *e);
    size_t n = 0;
    for (size_t i = 0; i < paths.n; i++) {
        pim_program *p;
        pim_error err;
        entry *x = &e[n];
        if (pim_load_vector_file(paths.v[i], &p, &err) == PIM_OK) {
            x->id = xstrdup(p->id);
            x->cfg = p->cfg;
            x->loads = 1;
            pim_program_free(p);
        } else {
            x->id = xstrdup(paths.v[i]);
        }
        if ((o.shard_n && id_hash(x->id) % o.shard_n != o.shard_k - 1) ||
            (o.filter && fnmatch(o.filter, x->id, 0) != 0 && fnmatch(o.filter, paths.v[i], 0) != 0)) {
            free(x->id);
            continue;
        }
        x->path = xstrdup(paths.v[i]);
        /* class: the id's first component ("vector.vvadd.sat-high" -> "vector") */
        x->klass = xstrdup(x->loads ? x->id : "unloadable");
        x->klass[strcspn(x->klass, ".")] = '\0';
        n++;
    }
    pim_paths_free(&paths);
    int rc = PIM_EXIT_PASS;
    const char *mode = o.golden_only ? "golden" : "lockstep";
    if (!o.golden_only && build_models(e, n, &o) != 0) {
        rc = PIM_EXIT_BAD_INPUT;
        goto done;
    }
    if (o.tap)
        printf("TAP version 13\n1..%zu\n", n);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    const int tty = isatty(STDOUT_FILENO) && !o.tap;
    const int nw = n < (size_t)o.jobs ? (int)(n ? n : 1) : o.jobs;
    worker *w = calloc((size_t)nw, sizeof *w);
    size_t next = 0, finished = 0, tap_no = 0, failed = 0;
    const double t0 = pim_now();
    for (int i = 0; i < nw; i++)
        if (spawn(&w[i], e, &o, w, nw) != 0) {
            fprintf(stderr, "pimcosim run: cannot start a worker\n");
            rc = PIM_EXIT_BAD_INPUT;
            goto stop;
        }
    while (finished < n && !g_interrupted) {
        /* hand out work */
        for (int i = 0; i < nw; i++) {
            if (w[i].pid <= 0 && next < n && spawn(&w[i], e, &o, w, nw) != 0)
                continue;
            if (w[i].pid > 0 && w[i].current < 0 && next < n) {
                int64_t idx = (int64_t)next;
                if (write_all(w[i].to, &idx, sizeof idx) == 0) {
                    w[i].current = (long)next++;
                    w[i].started = pim_now();
                }
            }
        }
        struct pollfd pf[256];
        int np = 0;
        for (int i = 0; i < nw; i++)
            if (w[i].pid > 0) {
                pf[np].fd = w[i].from;
                pf[np].events = POLLIN;
                np++;
            }
        poll(pf, (nfds_t)np, 200);
        for (int i = 0, k = 0; i < nw; i++) {
            if (w[i].pid <= 0)
                continue;
            const short rev = pf[k++].revents;
            entry *x = w[i].current >= 0 ? &e[w[i].current] : NULL;
            if (rev & POLLIN) {
                int64_t idx;
                result r;
                if (read_all(w[i].from, &idx, sizeof idx) == 0 && read_all(w[i].from, &r, sizeof r) == 0 &&
                    x && idx == w[i].current) {
                    if (w[i].termed) { /* it stopped because of the timeout */
                        r.verdict = V_TIMEOUT;
                        snprintf(r.msg, sizeof r.msg, "stopped after the %" PRIu64 " s timeout%s", o.timeout,
                                 o.wave ? "; the waves so far were closed" : "");
                        w[i].termed = 0;
                    }
                    x->res = r;
                    x->done = 1;
                    w[i].current = -1;
                    finished++;
                    failed += r.verdict != V_PASS;
                    print_result(&o, x, ++tap_no);
                    continue;
                }
            }
            int status;
            const int died = (rev & (POLLHUP | POLLERR)) || waitpid(w[i].pid, &status, WNOHANG) == w[i].pid;
            const int late = x && pim_now() - w[i].started > (double)o.timeout;
            if (late && !died && w[i].termed == 0) { /* ask it to stop and close its waves */
                kill(w[i].pid, SIGTERM);
                w[i].termed = pim_now();
                continue;
            }
            if (late && !died && pim_now() - w[i].termed < TERM_GRACE)
                continue;
            if (!died && !late)
                continue;
            if (late)
                kill(w[i].pid, SIGKILL);
            status = 0;
            waitpid(w[i].pid, &status, 0);
            retire(&w[i]);
            if (x) {
                memset(&x->res, 0, sizeof x->res);
                x->res.secs = pim_now() - w[i].started;
                x->res.verdict = late ? V_TIMEOUT : V_CRASH;
                if (late)
                    snprintf(x->res.msg, sizeof x->res.msg, "killed after the %" PRIu64 " s timeout", o.timeout);
                else if (WIFSIGNALED(status))
                    snprintf(x->res.msg, sizeof x->res.msg, "the worker died of signal %d (%s)",
                             WTERMSIG(status), strsignal(WTERMSIG(status)));
                else
                    snprintf(x->res.msg, sizeof x->res.msg, "the worker exited with status %d",
                             WIFEXITED(status) ? WEXITSTATUS(status) : -1);
                x->done = 1;
                finished++;
                failed++;
                print_result(&o, x, ++tap_no);
            }
            w[i].current = -1;
        }
        if (tty && !o.quiet) {
            fprintf(stderr, "\r[%zu/%zu] %zu failed, %.1f s ", finished, n, failed, pim_now() - t0);
            fflush(stderr);
        }
    }
    if (tty && !o.quiet)
        fprintf(stderr, "\r%60s\r", "");
stop:
    for (int i = 0; i < nw; i++) { /* ask idle workers to stop; kill busy ones */
        if (w[i].pid <= 0)
            continue;
        int64_t stop = -1;
        if (w[i].current >= 0 || g_interrupted) { /* stop it, give it time to close waves */
            kill(w[i].pid, SIGTERM);
            const double t = pim_now();
            while (waitpid(w[i].pid, NULL, WNOHANG) == 0 && pim_now() - t < TERM_GRACE)
                poll(NULL, 0, 20);
            kill(w[i].pid, SIGKILL);
        } else {
            write_all(w[i].to, &stop, sizeof stop);
        }
        close(w[i].to);
        waitpid(w[i].pid, NULL, 0);
        close(w[i].from);
    }
    free(w);
    {
        entry **v = calloc(n ? n : 1, sizeof *v);
        size_t m = 0;
        for (size_t i = 0; i < n; i++)
            if (e[i].done)
                v[m++] = &e[i];
        qsort(v, m, sizeof *v, cmp_entry);
        if (o.junit && write_junit(o.junit, v, m, mode) != 0)
            fprintf(stderr, "pimcosim run: cannot write %s\n", o.junit);
        if (o.json && write_json(o.json, v, m, &o) != 0)
            fprintf(stderr, "pimcosim run: cannot write %s\n", o.json);
        const int src = summarize(v, m, mode, o.tap, pim_now() - t0);
        if (rc == PIM_EXIT_PASS)
            rc = src;
        if (g_interrupted) {
            fprintf(stderr, "pimcosim run: interrupted after %zu of %zu vectors\n", m, n);
            if (rc == PIM_EXIT_PASS)
                rc = PIM_EXIT_MISMATCH;
        }
        free(v);
    }
done:
    for (size_t i = 0; i < n; i++) {
        free(e[i].path);
        free(e[i].id);
        free(e[i].klass);
    }
    free(e);
    return rc;
}

/* ------------------------------------------------------------------ replay */

static const char *k_replay_usage =
    "usage: pimcosim replay [--wave-on-fail] [--out DIR] REPRO.json\n"
    "\n"
    "Runs the vector a failure bundle names, with the same Verilator seed and fault, and says\n"
    "whether the same divergence (core, instruction, op, unit, element, expected and actual\n"
    "values) comes back. Exit 1 when it does (or another failure shows), 0 when the vector\n"
    "passes now, 2 on a bad bundle.\n";

int pim_replay_main(int argc, char **argv)
{
    opts o;
    const char *bundle = NULL;
    int wave_on_fail = 0;
    const char *out = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0) {
            fputs(k_replay_usage, stdout);
            return PIM_EXIT_PASS;
        } else if (strcmp(argv[i], "--wave-on-fail") == 0) {
            wave_on_fail = 1;
        } else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc) {
            out = argv[++i];
        } else if (argv[i][0] == '-' || bundle) {
            fprintf(stderr, "pimcosim replay: unexpected argument '%s' (see --help)\n", argv[i]);
            return PIM_EXIT_BAD_INPUT;
        } else {
            bundle = argv[i];
        }
    }
    if (!bundle) {
        fprintf(stderr, "pimcosim replay: needs REPRO.json (see --help)\n");
        return PIM_EXIT_BAD_INPUT;
    }
    char *text = NULL;
    size_t len;
    pim_error err;
    cJSON *root = NULL;
    if (pim_read_file(bundle, &text, &len, &err) != PIM_OK ||
        pim_json_parse_whole(bundle, text, &root, &err) != PIM_OK) {
        char line[PIM_ERROR_MSG_MAX * 2];
        fprintf(stderr, "pimcosim replay: %s\n", pim_error_format(&err, line, sizeof line));
        free(text);
        return PIM_EXIT_BAD_INPUT;
    }
    free(text);
    const cJSON *vec = cJSON_GetObjectItemCaseSensitive(root, "vector");
    const cJSON *seed = cJSON_GetObjectItemCaseSensitive(root, "verilator_seed");
    const cJSON *fault = cJSON_GetObjectItemCaseSensitive(root, "fault");
    const cJSON *mode = cJSON_GetObjectItemCaseSensitive(root, "mode");
    const cJSON *div = cJSON_GetObjectItemCaseSensitive(root, "divergence");
    if (!cJSON_IsString(vec) || !cJSON_IsNumber(seed) || !cJSON_IsObject(div)) {
        fprintf(stderr, "pimcosim replay: %s: not a repro bundle (vector, verilator_seed, divergence)\n",
                bundle);
        cJSON_Delete(root);
        return PIM_EXIT_BAD_INPUT;
    }
    /* the run's options, as recorded */
    set_defaults(&o);
    o.rtl.seed = (uint64_t)seed->valuedouble;
    o.rtl.fault = cJSON_IsString(fault) ? fault->valuestring : NULL;
    o.golden_only = cJSON_IsString(mode) && strcmp(mode->valuestring, "golden") == 0;
    o.wave_on_fail = wave_on_fail;
    o.out = out ? out : "build/failures";
    o.argc = argc;
    o.argv = argv;
    pim_rtl_set *rc = o.golden_only ? NULL : pim_rtl_set_new(&o.rtl, 1);
    result r;
    run_vector(vec->valuestring, rc, &o, &r);
    pim_rtl_set_free(rc);
    int rc_exit;
    if (r.verdict == V_PASS) {
        printf("does not reproduce: %s passes now\n", vec->valuestring);
        rc_exit = PIM_EXIT_PASS;
    } else {
        const double ecore = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(div, "core"));
        const double eidx = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(div, "index"));
        const double eel = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(div, "element"));
        const double eexp = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(div, "expected"));
        const double eact = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(div, "actual"));
        const cJSON *eop = cJSON_GetObjectItemCaseSensitive(div, "op");
        const int same = r.diverged && (double)r.div.core == ecore && (double)r.div.index == eidx &&
                         (double)r.div.element == eel && (double)r.div.expected == eexp &&
                         (double)r.div.actual == eact && cJSON_IsString(eop) &&
                         strcmp(r.div.op, eop->valuestring) == 0;
        printf("%s: %s %s\n", same ? "reproduced" : "a different failure", k_verdict[r.verdict], r.msg);
        if (r.context[0])
            printf("%s\n", r.context);
        rc_exit = r.verdict == V_BAD ? PIM_EXIT_BAD_INPUT : PIM_EXIT_MISMATCH;
    }
    cJSON_Delete(root);
    return rc_exit;
}

/* ------------------------------------------------------------------ merge */

int pim_merge_main(int argc, char **argv)
{
    const char *junit = NULL, *json = NULL;
    pim_paths in = {0};
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0) {
            fputs(k_merge_usage, stdout);
            return PIM_EXIT_PASS;
        } else if (strcmp(argv[i], "--junit") == 0 && i + 1 < argc) {
            junit = argv[++i];
        } else if (strcmp(argv[i], "--json") == 0 && i + 1 < argc) {
            json = argv[++i];
        } else if (argv[i][0] == '-') {
            fprintf(stderr, "pimcosim merge: unknown option '%s' (see --help)\n", argv[i]);
            return PIM_EXIT_BAD_INPUT;
        } else if (pim_paths_push(&in, argv[i]) != 0) {
            return PIM_EXIT_BAD_INPUT;
        }
    }
    if (!in.n) {
        fprintf(stderr, "pimcosim merge: no report given (see --help)\n");
        return PIM_EXIT_BAD_INPUT;
    }
    size_t n = 0, cap = 0;
    entry *e = NULL;
    int rc = PIM_EXIT_PASS;
    char mode[16] = "lockstep";
    for (size_t f = 0; f < in.n && rc == PIM_EXIT_PASS; f++) {
        char *text;
        size_t len;
        pim_error err;
        cJSON *root = NULL;
        if (pim_read_file(in.v[f], &text, &len, &err) != PIM_OK ||
            pim_json_parse_whole(in.v[f], text, &root, &err) != PIM_OK) {
            char line[PIM_ERROR_MSG_MAX * 2];
            fprintf(stderr, "pimcosim merge: %s\n", pim_error_format(&err, line, sizeof line));
            rc = PIM_EXIT_BAD_INPUT;
            if (text)
                free(text);
            break;
        }
        free(text);
        const cJSON *res = cJSON_GetObjectItemCaseSensitive(root, "results");
        const cJSON *md = cJSON_GetObjectItemCaseSensitive(root, "mode");
        if (cJSON_IsString(md))
            snprintf(mode, sizeof mode, "%s", md->valuestring);
        if (!cJSON_IsArray(res)) {
            fprintf(stderr, "pimcosim merge: %s: no \"results\" array (not a pimcosim run --json report)\n",
                    in.v[f]);
            rc = PIM_EXIT_BAD_INPUT;
        }
        for (const cJSON *x = res ? res->child : NULL; x && rc == PIM_EXIT_PASS; x = x->next) {
            const cJSON *id = cJSON_GetObjectItemCaseSensitive(x, "id");
            const cJSON *kl = cJSON_GetObjectItemCaseSensitive(x, "class");
            const cJSON *pa = cJSON_GetObjectItemCaseSensitive(x, "path");
            const cJSON *vd = cJSON_GetObjectItemCaseSensitive(x, "verdict");
            const cJSON *ms = cJSON_GetObjectItemCaseSensitive(x, "message");
            if (!cJSON_IsString(id) || !cJSON_IsString(kl) || !cJSON_IsString(pa) ||
                !cJSON_IsString(vd) || !cJSON_IsString(ms)) {
                fprintf(stderr, "pimcosim merge: %s: a result lacks id, class, path, verdict or message\n",
                        in.v[f]);
                rc = PIM_EXIT_BAD_INPUT;
                break;
            }
            if (n == cap) {
                cap = cap ? 2 * cap : 256;
                e = realloc(e, cap * sizeof *e);
            }
            entry *y = &e[n++];
            memset(y, 0, sizeof *y);
            y->id = xstrdup(id->valuestring);
            y->klass = xstrdup(kl->valuestring);
            y->path = xstrdup(pa->valuestring);
            y->done = 1;
            for (int k = 0; k < 5; k++)
                if (strcmp(vd->valuestring, k_verdict[k]) == 0)
                    y->res.verdict = k;
            y->res.insns = (uint64_t)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(x, "instructions"));
            y->res.cycles = (uint64_t)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(x, "cycles"));
            y->res.writes = (uint64_t)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(x, "writes"));
            y->res.secs = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(x, "seconds"));
            snprintf(y->res.msg, sizeof y->res.msg, "%s", ms->valuestring);
        }
        cJSON_Delete(root);
    }
    if (rc == PIM_EXIT_PASS) {
        entry **v = calloc(n ? n : 1, sizeof *v);
        double secs = 0;
        for (size_t i = 0; i < n; i++) {
            v[i] = &e[i];
            secs += e[i].res.secs;
        }
        qsort(v, n, sizeof *v, cmp_entry);
        for (size_t i = 1; i < n; i++)
            if (strcmp(v[i]->id, v[i - 1]->id) == 0) {
                fprintf(stderr, "pimcosim merge: vector %s appears in two reports\n", v[i]->id);
                rc = PIM_EXIT_BAD_INPUT;
                break;
            }
        opts o;
        memset(&o, 0, sizeof o);
        o.golden_only = strcmp(mode, "golden") == 0;
        if (rc == PIM_EXIT_PASS && junit && write_junit(junit, v, n, mode) != 0)
            rc = PIM_EXIT_BAD_INPUT;
        if (rc == PIM_EXIT_PASS && json && write_json(json, v, n, &o) != 0)
            rc = PIM_EXIT_BAD_INPUT;
        if (rc == PIM_EXIT_PASS)
            rc = summarize(v, n, mode, 0, secs);
        free(v);
    }
    for (size_t i = 0; i < n; i++) {
        free(e[i].id);
        free(e[i].klass);
        free(e[i].path);
    }
    free(e);
    pim_paths_free(&in);
    return rc;
}
