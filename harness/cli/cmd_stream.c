/*
 * cmd_stream.c - `pimcosim run --stream STREAM --config CFG`: a compiled network in lockstep
 * on the golden model and the RTL units, with progress, time accounting, the summary of
 * `exec` checked against the golden machine's, and on a divergence its report, bundle and
 * waves (stream_internal.h).
 */
#include "stream_internal.h"

#include <cJSON.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pim_cli.h"
#include "pim_json.h"
#include "pim_lockstep.h"
#include "pim_util.h"
#include "pim_wave.h"

/* A signal handler can only reach a file-scope flag. */
static volatile int g_stop;
static void on_signal(int sig)
{
    (void)sig;
    g_stop = 1;
}

/* After a divergence: DIR/divergence.json (what diverged, the context, how to rerun) and,
 * with --wave-on-fail, the run again up to it with waves around it. rtl is closed here. */
static void bundle(stream_args *a, const pim_program *p, pim_rtl *rtl, const pim_lockstep_report *rep)
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
    pim_jb b = {0};
    cJSON *j = cJSON_CreateObject();
    pim_jb_str(&b, j, "stream", a->stream);
    pim_jb_str(&b, j, "config", a->config);
    cJSON *cmd = pim_jb_arr(&b, j, "command");
    pim_jb_add(&b, cmd, NULL, cJSON_CreateString("pimcosim"));
    for (int i = 0; i < a->argc; i++)
        pim_jb_add(&b, cmd, NULL, cJSON_CreateString(a->argv[i]));
    pim_jb_add(&b, j, "divergence", pim_divergence_json(&rep->div));
    pim_jb_str(&b, j, "context", rep->context);
    pim_jb_num(&b, j, "instructions_matched", (double)(rep->insns ? rep->insns - 1 : 0));
    char path[1200];
    snprintf(path, sizeof path, "%.1100s/divergence.json", dir);
    if (!b.oom && pim_json_write_file(path, j) == 0)
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
    if (pim_rtl_open_traced(&a->rtl, &p->cfg, dir, 0, &rep->div, a->win.before, a->win.after, &w,
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
    pim_gtkw_write_dir(dir, &rep->div, 0, a->win.before, a->win.after, 0, note, sizeof note);
    printf("  waves: %s\n", note[0] ? note : "(none written)");
}


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

/* --json: counts, hashes, times, the divergence. 0, or -1. */
static int write_json(const stream_args *a, const outcome *o, const pim_lockstep_report *rep)
{
    pim_jb b = {0};
    cJSON *j = cJSON_CreateObject();
    pim_jb_str(&b, j, "stream", a->stream);
    pim_jb_str(&b, j, "config", a->config);
    pim_jb_str(&b, j, "verdict", o->verdict);
    pim_jb_str(&b, j, "message", o->msg);
    pim_jb_num(&b, j, "seed", (double)a->seed);
    pim_jb_str(&b, j, "cores", a->cores ? a->cores : "all");
    pim_jb_num(&b, j, "max_insns", (double)a->max_insns);
    pim_jb_num(&b, j, "weight_bits", (double)a->weight_bits);
    pim_jb_num(&b, j, "input_bits", (double)a->input_bits);
    pim_jb_num(&b, j, "instructions", (double)rep->insns);
    pim_jb_num(&b, j, "mvmul", (double)rep->mvmuls);
    pim_jb_num(&b, j, "vector_instructions", (double)rep->vector_insns);
    pim_jb_num(&b, j, "vector_elements", (double)rep->vector_elems);
    pim_jb_num(&b, j, "writes_compared", (double)rep->writes);
    pim_jb_num(&b, j, "tile_cycles", (double)rep->tile_cycles);
    pim_jb_num(&b, j, "vu_cycles", (double)rep->vu_cycles);
    if (o->have_state) {
        char h[24];
        snprintf(h, sizeof h, "%016" PRIx64, o->gmem_hash);
        pim_jb_str(&b, j, "gmem_hash", h);
        snprintf(h, sizeof h, "%016" PRIx64, o->state_hash);
        pim_jb_str(&b, j, "state_hash", h);
    }
    cJSON *t = pim_jb_obj(&b, j, "seconds");
    pim_jb_num(&b, t, "load", o->load_s);
    pim_jb_num(&b, t, "run", o->run_s);
    pim_jb_num(&b, t, "rtl_tile", rep->tile_secs);
    pim_jb_num(&b, t, "rtl_vector_unit", rep->vu_secs);
    pim_jb_num(&b, t, "golden_model", rep->ref_secs);
    if (rep->diverged)
        pim_jb_add(&b, j, "divergence", pim_divergence_json(&rep->div));
    const int rc = b.oom || !j ? -1 : pim_json_write_file(a->json, j);
    cJSON_Delete(j);
    return rc;
}

/* --junit and --json. Returns 0, or -1 when a report cannot be written (said on stderr). */
static int reports(const stream_args *a, const outcome *o, const pim_lockstep_report *rep)
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
    if (a->json && write_json(a, o, rep) != 0) {
        fprintf(stderr, "pimcosim run: cannot write %s\n", a->json);
        rc = -1;
    }
    return rc;
}

/* After the run: the divergence (its report and bundle; rtl is closed), an execution error,
 * or the summary and the final states of both machines compared. Fills *oc; returns the
 * status. */
static pim_status conclude(stream_args *a, const pim_program *p, pim_rtl *rtl, pim_status st,
                           pim_error *err, const pim_lockstep_report *rep, const pim_golden *ref,
                           const pim_golden *dut, outcome *oc)
{
    char *msg = oc->msg;
    oc->verdict = st == PIM_OK ? "PASS" : st == PIM_E_MISMATCH ? "FAIL" : "ERROR";
    if (st == PIM_E_MISMATCH) {
        if (rep->diverged && rep->div.kind != PIM_DIV_PROTOCOL) {
            pim_divergence_format(&rep->div, msg, sizeof oc->msg);
        } else {
            if (!err->file[0])
                pim_error_set_file(err, a->stream);
            pim_error_format(err, msg, sizeof oc->msg);
        }
        printf("FAIL %s\n  %s\n", a->stream, msg);
        if (rep->diverged && rep->context[0])
            printf("  %s\n", rep->context);
        printf("lockstep: %" PRIu64 " instructions matched before the divergence\n",
               rep->insns ? rep->insns - 1 : 0);
        bundle(a, p, rtl, rep);
        return st;
    }
    pim_rtl_store store;
    pim_rtl_store_stats(rtl, &store);
    pim_rtl_close(rtl);
    if (st != PIM_OK) {
        if (!err->file[0])
            pim_error_set_file(err, a->stream);
        fprintf(stderr, "pimcosim run: %s\n", pim_error_format(err, msg, sizeof oc->msg));
        return st;
    }
    const uint64_t h = stream_summary(a, p, dut, oc->load_s, oc->run_s);
    oc->have_state = 1;
    oc->state_hash = h;
    oc->gmem_hash = pim_golden_hash_gmem(dut);
    const uint64_t hr = stream_state_hash(ref, p->n_cores);
    printf("lockstep: %" PRIu64 " instructions, %" PRIu64 " mvmul through the RTL tile (%" PRIu64
           " cycles), %" PRIu64 " vector instructions (%" PRIu64 " elements) through the RTL "
           "vector unit (%" PRIu64 " cycles), %" PRIu64 " writes compared, no divergence\n",
           rep->insns, rep->mvmuls, rep->tile_cycles, rep->vector_insns, rep->vector_elems,
           rep->vu_cycles, rep->writes);
    const double words = (double)((store.rows + 63) / 64) * 8.0; /* bytes a plane takes */
    printf("tile weight store: %" PRIu64 " passes placed (each programmed once), %" PRIu64
           " uses of a resident pass, %" PRIu64 " evictions; at most %" PRIu64 " columns and %"
           PRIu64 " planes of %" PRIu64 " rows (%.1f MiB of the store's %.1f MiB)\n",
           store.placed, store.hits, store.flushes, store.columns_peak, store.planes_peak,
           store.rows, (double)store.planes_peak * words / 1048576.0,
           (double)store.planes * words / 1048576.0);
    const double rest = rep->run_secs - rep->ref_secs - rep->tile_secs - rep->vu_secs;
    printf("time: RTL tile %.1f s, RTL vector unit %.1f s, golden model %.1f s, second "
           "machine and comparison %.1f s, load %.1f s\n",
           rep->tile_secs, rep->vu_secs, rep->ref_secs, rest > 0 ? rest : 0.0, oc->load_s);
    if (h != hr) {
        snprintf(msg, sizeof oc->msg, "the final states differ: golden model %016" PRIx64
                 ", design under test %016" PRIx64, hr, h);
        printf("FAIL %s\n  %s\n", a->stream, msg);
        oc->verdict = "FAIL";
        return PIM_E_MISMATCH;
    }
    printf("PASS %s\n", a->stream);
    return PIM_OK;
}

int pim_cmd_stream(int argc, char **argv)
{
    stream_args a;
    pim_program *p;
    double t0 = 0;
    int rc = stream_begin(&a, "run", 1, argc, argv, &p, &t0);
    if (rc >= 0)
        return rc;
    pim_rtl_size_store(&a.rtl, p); /* every group resident at once */
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
    oc.load_s = t1 - t0;
    oc.run_s = t2 - t1;
    st = conclude(&a, p, rtl, st, &err, &rep, ref, dut, &oc);
    if (reports(&a, &oc, &rep) != 0 && st == PIM_OK)
        st = PIM_E_IO;
    fflush(stdout);
    pim_golden_free(ref);
    pim_golden_free(dut);
    pim_program_free(p);
    return pim_status_exit_code(st);
}
