/*
 * run_vector.c - one vector of `pimcosim run` (run_internal.h): loaded, run on the golden
 * model alone or in lockstep with the RTL, judged against what it expects. On a divergence:
 * the failure bundle (repro.json), with --wave-on-fail the waves around it, with --shrink
 * the shrunk vector.
 */
#include "run_internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pim_bless.h"
#include "pim_bundle.h"
#include "pim_cli.h"
#include "pim_expect.h"
#include "pim_load.h"
#include "pim_lockstep.h"
#include "pim_util.h"
#include "pim_wave.h"

/* The failure's directory: OUT/<id>. */
static void bundle_dir(const run_opts *o, const pim_program *p, char *dir, size_t n)
{
    snprintf(dir, n, "%.800s/%.200s", o->out, p->id);
}

/* repro.json of a divergence. */
static void write_repro(const char *dir, const char *path, const pim_program *p,
                        const run_opts *o, const pim_lockstep_report *rep)
{
    char rp[1200];
    snprintf(rp, sizeof rp, "%.1100s/repro.json", dir);
    pim_repro rr;
    memset(&rr, 0, sizeof rr);
    rr.root = o->root;
    rr.vector = path;
    rr.id = p->id;
    rr.cfg = p->cfg;
    rr.seed = o->rtl.seed;
    rr.fault = o->rtl.fault;
    rr.rtl = &o->rtl;
    rr.golden_only = o->golden_only;
    rr.argc = o->argc;
    rr.argv = o->argv;
    rr.div = rep->div;
    rr.context = rep->context;
    if (strncmp(p->id, "gen.seed-", 9) == 0 && pim_parse_u64(p->id + 9, &rr.gen_seed) == 0)
        rr.gen_seed_known = 1;
    pim_repro_write(rp, &rr);
}

/* After a divergence: the bundle, the waves around it (a rerun with tracing), the shrunk
 * vector; their places into note (n bytes). */
static void on_divergence(const char *path, const pim_program *p, pim_rtl_set *rc,
                          const run_opts *o, const pim_lockstep_report *rep, const char *dir,
                          char *note, size_t n)
{
    pim_mkdirs(dir);
    write_repro(dir, path, p, o, rep);
    if (o->wave_on_fail) { /* rerun, tracing the window around it (VCD with --wave=vcd) */
        pim_rtl *w2;
        pim_rtl_set_clear(rc); /* one live instance of a model at a time */
        pim_golden *g2 = NULL;
        pim_lockstep_report rep2;
        pim_error e2;
        if (pim_rtl_open_traced(&o->rtl, &p->cfg, dir, o->wave == 2, &rep->div, o->win.before,
                                o->win.after, &w2, &e2) == PIM_OK) {
            pim_rtl_set_stop(w2, o->stop);
            pim_lockstep_run(p, w2, 0, &rep2, &g2, &e2);
            pim_rtl_close(w2);
            pim_golden_free(g2);
            pim_gtkw_write_dir(dir, &rep->div, o->wave == 2, o->win.before, o->win.after, 0, note, n);
        }
    }
    if (o->shrink) { /* the smallest vector with the same divergence, into the bundle */
        char minp[1200];
        snprintf(minp, sizeof minp, "%.1100s/min.json", dir);
        pim_rtl_set_clear(rc); /* one live instance of a model at a time */
        fflush(stdout);
        if (pim_cli_shrink(&o->rtl, path, minp) == PIM_EXIT_PASS)
            snprintf(note + strlen(note), n - strlen(note), "%sshrunk: %.300s",
                     note[0] ? "; " : "", minp);
    }
}

/* The vector in lockstep. *g receives the golden machine (for judging); the verdict is set
 * here when the run cannot be judged (a divergence, bad input). */
static pim_status lockstep(const char *path, pim_program *p, pim_rtl_set *rc,
                           const run_opts *o, run_result *r, pim_golden **g, pim_error *err)
{
    char msg[PIM_ERROR_MSG_MAX * 2], dir[1100];
    pim_rtl *rtl, *traced = NULL;
    pim_lockstep_report rep;
    bundle_dir(o, p, dir, sizeof dir);
    pim_status st;
    if (o->wave && !o->wave_on_fail) { /* waves of the whole run: fresh units for this vector */
        pim_mkdirs(dir);
        pim_rtl_set_clear(rc);
        st = pim_rtl_open_traced(&o->rtl, &p->cfg, dir, o->wave == 2, NULL, o->win.before, o->win.after,
                                 &traced, err);
        rtl = traced;
    } else {
        st = pim_rtl_set_get(rc, &p->cfg, &rtl, err);
    }
    if (st != PIM_OK) {
        r->verdict = V_BAD;
        snprintf(r->msg, sizeof r->msg, "%s", pim_error_format(err, msg, sizeof msg));
        return st;
    }
    pim_rtl_set_stop(rtl, o->stop);
    st = pim_lockstep_run(p, rtl, 0, &rep, g, err);
    if (traced) {
        pim_rtl_close(traced); /* waves flushed and closed */
        char note[600];
        const uint64_t ran = rep.tile_cycles > rep.vu_cycles ? rep.tile_cycles : rep.vu_cycles;
        pim_gtkw_write_dir(dir, rep.diverged ? &rep.div : NULL, o->wave == 2, o->win.before,
                           o->win.after, ran, note, sizeof note);
        snprintf(r->bundle, sizeof r->bundle, "%.1000s", dir);
    }
    if (st == PIM_E_MISMATCH && rep.diverged) { /* the failure bundle */
        char note[600] = "";
        on_divergence(path, p, rc, o, &rep, dir, note, sizeof note);
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
        if (rep.diverged && rep.div.kind != PIM_DIV_PROTOCOL)
            pim_divergence_format(&rep.div, msg, sizeof msg);
        else
            pim_error_format(err, msg, sizeof msg);
        r->verdict = V_FAIL;
        snprintf(r->msg, sizeof r->msg, "%s; %" PRIu64 " instructions and %" PRIu64
                 " writes matched before it", msg, rep.insns ? rep.insns - 1 : 0, rep.writes);
    } else if (st != PIM_OK && (st == PIM_E_NOMEM || !*g)) {
        r->verdict = V_BAD;
        snprintf(r->msg, sizeof r->msg, "%s", pim_error_format(err, msg, sizeof msg));
    }
    return st;
}

/* The vector on the golden model alone. */
static pim_status golden(const char *path, const pim_program *p, run_result *r, pim_golden **g,
                         pim_error *err)
{
    pim_status st = pim_golden_new(&p->cfg, g, err);
    if (st == PIM_OK)
        st = pim_golden_load(*g, p, 1, 0, err);
    if (st != PIM_OK) { /* the vector's state does not fit its machine */
        char msg[PIM_ERROR_MSG_MAX * 2];
        r->verdict = V_BAD;
        pim_error_set_file(err, path);
        snprintf(r->msg, sizeof r->msg, "%s", pim_error_format(err, msg, sizeof msg));
        return st;
    }
    st = pim_golden_run(*g, 0, err);
    r->insns = pim_golden_get_stats(*g)->executed;
    return st;
}

/* Judges a finished run (st, *err) against what p expects; sets the verdict. */
static void judge(const char *path, const pim_program *p, pim_golden *g, pim_status st,
                  pim_error *err, const run_opts *o, run_result *r)
{
    char msg[PIM_ERROR_MSG_MAX * 2];
    pim_error verdict;
    pim_error_clear(&verdict);
    if (p->refused) {
        st = pim_expect_check_error(p, &p->refusal, &verdict);
    } else if (st != PIM_OK) {
        pim_error_set_file(err, path);
        if (!p->expects_error) { /* an execution error nobody expected: bad input */
            r->verdict = V_BAD;
            snprintf(r->msg, sizeof r->msg, "%s", pim_error_format(err, msg, sizeof msg));
            return;
        }
        st = pim_expect_check_error(p, err, &verdict);
    } else {
        st = pim_expect_check_state(p, g, &verdict);
    }
    if (st == PIM_OK) {
        r->verdict = V_PASS;
        if (o->bless && pim_bless_wanted(p) && pim_bless(p, r->msg, sizeof r->msg) != PIM_OK)
            r->verdict = V_BAD;
    } else {
        r->verdict = V_FAIL;
        snprintf(r->msg, sizeof r->msg, "%s", pim_error_format(&verdict, msg, sizeof msg));
    }
}

void run_vector(const char *path, pim_rtl_set *rc, const run_opts *o, run_result *r)
{
    pim_error err;
    pim_error_clear(&err);
    pim_program *p = NULL;
    pim_golden *g = NULL;
    memset(r, 0, sizeof *r);
    r->verdict = -1;
    const double t0 = pim_now();
    pim_status st = pim_load_vector_file_max(path, o->max_memory, &p, &err);
    if (st != PIM_OK) {
        char msg[PIM_ERROR_MSG_MAX * 2];
        r->verdict = V_BAD;
        snprintf(r->msg, sizeof r->msg, "%s", pim_error_format(&err, msg, sizeof msg));
    } else if (!p->refused) {
        st = rc ? lockstep(path, p, rc, o, r, &g, &err) : golden(path, p, r, &g, &err);
    }
    if (r->verdict < 0)
        judge(path, p, g, st, &err, o, r);
    r->secs = pim_now() - t0;
    pim_golden_free(g);
    pim_program_free(p);
}
