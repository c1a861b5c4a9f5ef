/*
 * rtl.c - the RTL units as compute units of a machine (pim_rtl.h).
 *
 * Each unit is a Verilated model behind the extern "C" API of shim/pim_model.h, built once
 * per parameter set and content into build/rtl/<unit>-<params>-h<hash>.so (model.c) and
 * loaded with dlopen, so one pimcosim binary drives any parameter set the configs ask for.
 */
#include "pim_rtl.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pim_isa.h"
#include "pim_model.h"
#include "pim_resident.h"
#include "pim_util.h"
#include "pim_xbar.h"

typedef struct tile_api {
    void (*window)(pim_rtl_tile *, uint64_t, uint64_t);
    pim_rtl_tile *(*create)(uint64_t, const char *);
    void (*destroy)(pim_rtl_tile *);
    void (*params)(const pim_rtl_tile *, pim_rtl_tile_params *);
    void (*set_knobs)(pim_rtl_tile *, const pim_rtl_tile_knobs *);
    void (*reset)(pim_rtl_tile *, unsigned, uint64_t);
    int (*run)(pim_rtl_tile *, const pim_rtl_tile_pass *, const int32_t *, size_t, uint32_t,
               uint32_t, uint32_t, const int64_t *, int64_t *, uint32_t *);
    uint64_t (*cycles)(const pim_rtl_tile *);
    const char *(*error)(const pim_rtl_tile *);
} tile_api;

typedef struct vu_api {
    void (*window)(pim_rtl_vu *, uint64_t, uint64_t);
    pim_rtl_vu *(*create)(uint64_t, const char *);
    void (*destroy)(pim_rtl_vu *);
    void (*params)(const pim_rtl_vu *, pim_rtl_vu_params *);
    void (*set_frac)(pim_rtl_vu *, uint32_t);
    void (*reset)(pim_rtl_vu *, unsigned, uint64_t);
    int (*exec)(pim_rtl_vu *, unsigned, uint32_t, uint32_t, int64_t, const int64_t *,
                const int64_t *, uint64_t, int64_t *, uint32_t *);
    uint64_t (*cycles)(const pim_rtl_vu *);
    uint64_t (*beat_cycle)(const pim_rtl_vu *, uint64_t);
    const char *(*error)(const pim_rtl_vu *);
} vu_api;

struct pim_rtl {
    pim_config cfg;
    void *tile_dl, *vu_dl;
    tile_api t;
    vu_api v;
    pim_rtl_tile *tile;
    pim_rtl_vu *vu;
    pim_rtl_tile_params tp;
    pim_rtl_vu_params vp;
    pim_units units;
    pim_resident *res;            /* where each group's passes live in the tile's store */
    uint32_t *counts;             /* out_count_o of each vector-unit output beat */
    uint64_t counts_cap;
    uint64_t *pass_cycle;         /* the last mvmul: the tile cycle each pass's output left */
    uint32_t pass_cap;
    pim_rtl_failure fail;         /* the last unit failure */
    unsigned stress;              /* the options' stress and its seed (pim_rtl_begin) */
    uint64_t stress_seed;
    char model_hash[2][24];       /* the models' content hashes, for reports */
    char wave[2][1100];           /* FST files written ("" none) */
    const volatile int *stop;     /* set: stop the run at the next instruction */
    int wave_vcd;
};

/* Builds a missing model (shim/build_model.sh). */
static pim_status ensure_model(const pim_rtl_opts *o, const char *path, pim_error *err)
{
    struct stat sb;
    if (stat(path, &sb) == 0)
        return PIM_OK;
    if (!o->build) {
        char why[900];
        return pim_error_set(err, PIM_E_IO, -1, -1, "", "RTL model %s is not built (--no-build): %s",
                             path, pim_rtl_model_missing(o, path, why, sizeof why));
    }
    char *one[1] = {(char *)path};
    if (pim_rtl_build_models(o, one, 1, 1) != 0 ||
        stat(path, &sb) != 0)
        return pim_error_set(err, PIM_E_IO, -1, -1, "", "building RTL model %s failed", path);
    return PIM_OK;
}

static void *load_sym(void *dl, const char *name, const char *path, pim_error *err, int *bad)
{
    void *f = dlsym(dl, name);
    if (!f && !*bad) {
        pim_error_set(err, PIM_E_IO, -1, -1, "", "%s lacks %s", path, name);
        *bad = 1;
    }
    return f;
}

/* ------------------------------------------------------------------ units */

/* A unit failure of kind k (element, expected, actual for the report) with message msg. */
static pim_status unit_fail(pim_rtl *r, pim_error *err, pim_rtl_fail_kind k, uint64_t element,
                            int64_t expected, int64_t actual, const char *unit, const char *msg)
{
    r->fail.kind = k;
    r->fail.element = element;
    r->fail.expected = expected;
    r->fail.actual = actual;
    /* the shims' messages name their unit already */
    if (strncmp(msg, unit, strlen(unit)) == 0 && msg[strlen(unit)] == ':')
        return pim_error_set(err, PIM_E_MISMATCH, -1, -1, "", "%s", msg);
    return pim_error_set(err, PIM_E_MISMATCH, -1, -1, "", "%s: %s", unit, msg);
}

/* The index of the first of y[0..n) outside the range of a w-bit signed value, or n. */
static uint64_t out_of_range(const int64_t *y, uint64_t n, uint32_t w)
{
    const int64_t hi = w >= 64 ? INT64_MAX : (int64_t)((UINT64_C(1) << (w - 1)) - 1);
    for (uint64_t i = 0; i < n; i++)
        if (y[i] > hi || y[i] < -hi - 1)
            return i;
    return n;
}

static pim_status range_fail(pim_rtl *r, pim_error *err, const char *unit, const char *what,
                             uint64_t i, int64_t v, uint32_t w)
{
    char msg[200];
    snprintf(msg, sizeof msg, "%s %llu is %lld, not a %u-bit value sign-extended (the output's "
             "stated form)", what, (unsigned long long)i, (long long)v, w);
    return unit_fail(r, err, PIM_RTL_FAIL_RANGE, i, 0, v, unit, msg);
}

static pim_status rtl_mvmul(void *ud, uint32_t core, uint32_t group, const pim_xbar_group *xg,
                            uint32_t ibiw, const int64_t *x, uint32_t relu, uint32_t obiw,
                            int64_t *y, uint64_t *clips, pim_error *err)
{
    pim_rtl *r = ud;
    (void)core;
    (void)group;
    const uint32_t rows = pim_xbar_group_rows(xg), cols = pim_xbar_group_cols(xg);
    const uint32_t tc = r->tp.cols;
    *clips = 0;
    const uint32_t passes = (cols + tc - 1) / tc;
    if (passes > r->pass_cap) {
        uint64_t *q = realloc(r->pass_cycle, passes * sizeof *q);
        if (!q)
            return pim_error_set(err, PIM_E_NOMEM, -1, -1, "", "out of memory");
        r->pass_cycle = q;
        r->pass_cap = passes;
    }
    const uint32_t mbiw = pim_xbar_group_mbiw(xg);
    for (uint32_t c0 = 0; c0 < cols; c0 += tc) {
        const uint32_t n = cols - c0 < tc ? cols - c0 : tc;
        pim_rtl_tile_pass ps = {mbiw, rows, n, 0, 0};
        const int at = pim_resident_place(r->res, xg, c0, n, mbiw, &ps.col, &ps.plane);
        if (at < 0)
            return pim_error_set(err, PIM_E_NOMEM, -1, -1, "", "out of memory");
        uint32_t k = 0;
        if (r->t.run(r->tile, &ps, at ? NULL : pim_xbar_group_weights(xg) + c0, cols, ibiw,
                     obiw, relu, x, y + c0, &k) != 0) {
            if (!at)
                pim_resident_drop(r->res, xg, c0); /* its programming may not have happened */
            return unit_fail(r, err, PIM_RTL_FAIL_PROTOCOL, 0, 0, 0, "pim_xbar_tile",
                             r->t.error(r->tile));
        }
        r->pass_cycle[c0 / tc] = r->t.cycles(r->tile) - 1; /* the output's transfer */
        const uint64_t bad = out_of_range(y + c0, n, obiw);
        if (bad < n)
            return range_fail(r, err, "pim_xbar_tile", "out_y_o column", bad, y[c0 + bad], obiw);
        *clips += k;
    }
    return PIM_OK;
}

/* The width a vector op's result is saturated to: ibiw for those that keep the input's
 * range, obiw for the others (pim_vector_unit.sv's table). */
static uint32_t vector_out_width(unsigned op, uint32_t ibiw, uint32_t obiw)
{
    switch (op) {
    case PIM_OP_VVADD: case PIM_OP_VVSUB: case PIM_OP_VVMAX: case PIM_OP_VRELU: case PIM_OP_VMV:
        return ibiw;
    default:
        return obiw;
    }
}

static pim_status rtl_vector(void *ud, uint32_t core, unsigned op, uint32_t ibiw, uint32_t obiw,
                             int64_t scalar, const int64_t *a, const int64_t *b, uint64_t n,
                             int64_t *y, pim_error *err)
{
    pim_rtl *r = ud;
    (void)core;
    if (op == PIM_OP_VVDMUL && n == 0) { /* the empty sum: no element reaches the unit */
        y[0] = 0;
        return PIM_OK;
    }
    const int reduce = op == PIM_OP_VVDMUL || op == PIM_OP_VAVG;
    const uint64_t lanes = r->vp.lanes, beats = (n + lanes - 1) / lanes, outs = reduce ? 1 : beats;
    if (outs > r->counts_cap) {
        uint32_t *c = realloc(r->counts, outs * sizeof *c);
        if (!c)
            return pim_error_set(err, PIM_E_NOMEM, -1, -1, "", "out of memory");
        r->counts = c;
        r->counts_cap = outs;
    }
    if (r->v.exec(r->vu, op, ibiw, obiw, scalar, a, b, n, y, r->counts) != 0)
        return unit_fail(r, err, PIM_RTL_FAIL_PROTOCOL, 0, 0, 0, "pim_vector_unit",
                         r->v.error(r->vu));
    for (uint64_t k = 0; k < outs; k++) {
        const uint64_t want = reduce ? 1 : (n - k * lanes < lanes ? n - k * lanes : lanes);
        if (r->counts[k] != want) {
            char msg[160];
            snprintf(msg, sizeof msg, "output beat %llu: out_count_o is %u, expected %llu",
                     (unsigned long long)k, r->counts[k], (unsigned long long)want);
            return unit_fail(r, err, PIM_RTL_FAIL_COUNT, k, (int64_t)want, r->counts[k],
                             "pim_vector_unit", msg);
        }
    }
    const uint32_t w = vector_out_width(op, ibiw, obiw);
    const uint64_t m = reduce ? 1 : n, bad = out_of_range(y, m, w);
    if (bad < m)
        return range_fail(r, err, "pim_vector_unit", "out_y_o element", bad, y[bad], w);
    return PIM_OK;
}

/* ------------------------------------------------------------------ open / close */

/* Why a tile and vector unit of these parameters cannot run cfg, or NULL when they can. */
static const char *pim_rtl_params_fit(const pim_config *cfg, const pim_rtl_tile_params *tp,
                               const pim_rtl_vu_params *vp)
{
    if (tp->rows < cfg->xbar_rows)
        return "the tile has fewer rows than the crossbar";
    if (cfg->cell_precision > tp->max_cell_bits || cfg->dac_resolution > tp->max_dac_bits)
        return "the tile's knob bounds (MaxCellBits, MaxDacBits) are too small";
    if ((tp->cell_bits && tp->cell_bits != cfg->cell_precision) ||
        (tp->dac_bits && tp->dac_bits != cfg->dac_resolution) ||
        (tp->adc_bits && tp->adc_bits != cfg->adc_resolution) ||
        (tp->adc_clip >= 0 && (uint32_t)tp->adc_clip != cfg->adc_clip))
        return "the tile fixes other knobs";
    if (tp->columns < tp->cols || (uint64_t)tp->planes < (uint64_t)tp->cols * tp->max_mbiw)
        return "the tile's weight store holds less than one pass";
    if (vp->lanes != cfg->vector_width)
        return "the vector unit has other lanes";
    if (vp->frac_bits >= 0 && (uint32_t)vp->frac_bits != cfg->activation_frac_bits)
        return "the vector unit fixes another F";
    return NULL;
}

pim_status pim_rtl_open(const pim_config *cfg, const pim_rtl_opts *o, pim_rtl **out,
                        pim_error *err)
{
    *out = NULL;
    char tpath[1024], vpath[1024];
    pim_rtl_model_paths(cfg, o, tpath, vpath, sizeof tpath);
    pim_status st;
    if ((st = ensure_model(o, tpath, err)) != PIM_OK || (st = ensure_model(o, vpath, err)) != PIM_OK)
        return st;
    pim_rtl *r = calloc(1, sizeof *r);
    if (!r)
        return pim_error_set(err, PIM_E_NOMEM, -1, -1, "", "out of memory");
    r->cfg = *cfg;
    r->stress = o->stress;
    r->stress_seed = o->stress_seed;
    r->tile_dl = dlopen(tpath, RTLD_NOW | RTLD_LOCAL);
    r->vu_dl = r->tile_dl ? dlopen(vpath, RTLD_NOW | RTLD_LOCAL) : NULL;
    if (!r->tile_dl || !r->vu_dl) {
        pim_error_set(err, PIM_E_IO, -1, -1, "", "cannot load RTL model: %s", dlerror());
        pim_rtl_close(r);
        return PIM_E_IO;
    }
    int bad = 0;
    /* POSIX dlsym returns object pointers; casting them to function pointers is how the
     * interface is meant to be used. */
#define SYM(dl, dst, name, path) *(void **)(&(dst)) = load_sym(dl, name, path, err, &bad)
    SYM(r->tile_dl, r->t.create, "pim_rtl_tile_new", tpath);
    SYM(r->tile_dl, r->t.destroy, "pim_rtl_tile_free", tpath);
    SYM(r->tile_dl, r->t.params, "pim_rtl_tile_get_params", tpath);
    SYM(r->tile_dl, r->t.set_knobs, "pim_rtl_tile_set_knobs", tpath);
    SYM(r->tile_dl, r->t.reset, "pim_rtl_tile_reset", tpath);
    SYM(r->tile_dl, r->t.run, "pim_rtl_tile_run", tpath);
    SYM(r->tile_dl, r->t.cycles, "pim_rtl_tile_cycles", tpath);
    SYM(r->tile_dl, r->t.error, "pim_rtl_tile_error", tpath);
    SYM(r->vu_dl, r->v.create, "pim_rtl_vu_new", vpath);
    SYM(r->vu_dl, r->v.destroy, "pim_rtl_vu_free", vpath);
    SYM(r->vu_dl, r->v.params, "pim_rtl_vu_get_params", vpath);
    SYM(r->vu_dl, r->v.set_frac, "pim_rtl_vu_set_frac", vpath);
    SYM(r->vu_dl, r->v.reset, "pim_rtl_vu_reset", vpath);
    SYM(r->vu_dl, r->v.exec, "pim_rtl_vu_exec", vpath);
    SYM(r->vu_dl, r->v.cycles, "pim_rtl_vu_cycles", vpath);
    SYM(r->vu_dl, r->v.beat_cycle, "pim_rtl_vu_beat_cycle", vpath);
    SYM(r->vu_dl, r->v.error, "pim_rtl_vu_error", vpath);
    SYM(r->tile_dl, r->t.window, "pim_rtl_tile_trace_window", tpath);
    SYM(r->vu_dl, r->v.window, "pim_rtl_vu_trace_window", vpath);
#undef SYM
    if (bad) {
        pim_rtl_close(r);
        return PIM_E_IO;
    }
    if (o->wave) {
        snprintf(r->wave[0], sizeof r->wave[0], "%s.tile.fst", o->wave);
        snprintf(r->wave[1], sizeof r->wave[1], "%s.vu.fst", o->wave);
        r->wave_vcd = o->wave_vcd;
    }
    r->tile = r->t.create(o->seed, o->wave ? r->wave[0] : NULL);
    r->vu = r->v.create(o->seed, o->wave ? r->wave[1] : NULL);
    if (!r->tile || !r->vu) {
        pim_rtl_close(r);
        return pim_error_set(err, PIM_E_IO, -1, -1, "", "cannot create the RTL models");
    }
    if (o->wave) {
        r->t.window(r->tile, o->tile_from, o->tile_to ? o->tile_to : ~0ull);
        r->v.window(r->vu, o->vu_from, o->vu_to ? o->vu_to : ~0ull);
    }
    r->t.params(r->tile, &r->tp);
    r->v.params(r->vu, &r->vp);
    const char *why = pim_rtl_params_fit(cfg, &r->tp, &r->vp);
    if (why) {
        pim_rtl_close(r);
        return pim_error_set(err, PIM_E_IO, -1, -1, "", "%s or %s was built for other "
                             "parameters: %s", tpath, vpath, why);
    }
    r->res = pim_resident_new(r->tp.columns, r->tp.planes);
    if (!r->res) {
        pim_rtl_close(r);
        return pim_error_set(err, PIM_E_NOMEM, -1, -1, "", "out of memory");
    }
    pim_rtl_configure(r, cfg);
    snprintf(r->model_hash[0], sizeof r->model_hash[0], "%016llx", (unsigned long long)o->id.hash[0]);
    snprintf(r->model_hash[1], sizeof r->model_hash[1], "%016llx", (unsigned long long)o->id.hash[1]);
    r->units.ud = r;
    r->units.mvmul = rtl_mvmul;
    r->units.vector = rtl_vector;
    *out = r;
    return PIM_OK;
}

void pim_rtl_close(pim_rtl *r)
{
    if (!r)
        return;
    if (r->tile)
        r->t.destroy(r->tile);
    if (r->vu)
        r->v.destroy(r->vu);
    free(r->counts);
    free(r->pass_cycle);
    pim_resident_free(r->res);
    if (r->tile_dl)
        dlclose(r->tile_dl);
    if (r->vu_dl)
        dlclose(r->vu_dl);
    for (int k = 0; k < 2 && r->wave_vcd; k++) { /* FST -> VCD with GTKWave's converter */
        char vcd[1100], cmd[2400];
        const size_t n = strlen(r->wave[k]);
        if (n < 4 || strchr(r->wave[k], '\''))
            continue;
        snprintf(vcd, sizeof vcd, "%.*s.vcd", (int)(n - 4), r->wave[k]);
        snprintf(cmd, sizeof cmd, "fst2vcd -f '%s' -o '%s' >/dev/null 2>&1 && rm -f '%s'", r->wave[k],
                 vcd, r->wave[k]);
        if (system(cmd) != 0)
            fprintf(stderr, "pimcosim: fst2vcd could not convert %s (the FST stays)\n", r->wave[k]);
    }
    free(r);
}

void pim_rtl_set_stop(pim_rtl *r, const volatile int *flag) { r->stop = flag; }
int pim_rtl_stop_requested(const pim_rtl *r) { return r->stop && *r->stop; }

void pim_rtl_configure(pim_rtl *r, const pim_config *cfg)
{
    r->cfg = *cfg;
    const pim_rtl_tile_knobs knobs = {cfg->cell_precision, cfg->dac_resolution,
                                      cfg->adc_resolution, cfg->adc_clip};
    r->t.set_knobs(r->tile, &knobs);
    r->v.set_frac(r->vu, cfg->activation_frac_bits);
}

void pim_rtl_forget(pim_rtl *r)
{
    if (r->res)
        pim_resident_clear(r->res);
}

void pim_rtl_reset(pim_rtl *r, unsigned stress, uint64_t seed)
{
    r->t.reset(r->tile, stress, seed);
    r->v.reset(r->vu, stress, seed ^ UINT64_C(0x9e3779b97f4a7c15));
    pim_rtl_forget(r);
    memset(&r->fail, 0, sizeof r->fail);
}

uint64_t pim_rtl_stress_seed(uint64_t stress_seed, const char *id)
{
    return pim_fnv1a_str(id ? id : "") ^ (stress_seed * UINT64_C(0x9e3779b97f4a7c15));
}

void pim_rtl_begin(pim_rtl *r, const char *id)
{
    pim_rtl_reset(r, r->stress, pim_rtl_stress_seed(r->stress_seed, id));
}

const pim_rtl_failure *pim_rtl_last_failure(const pim_rtl *r) { return &r->fail; }

const char *pim_rtl_model_hash(const pim_rtl *r, int unit) { return r->model_hash[unit ? 1 : 0]; }



struct pim_rtl_set {
    pim_rtl_opts opts;
    int cap, n;
    char (*key)[2100]; /* "tile|vu" model paths */
    pim_rtl **rtl;
};

pim_rtl_set *pim_rtl_set_new(const pim_rtl_opts *o, int capacity)
{
    pim_rtl_set *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->opts = *o;
    s->cap = capacity > 0 ? capacity : 1;
    s->key = calloc((size_t)s->cap, sizeof *s->key);
    s->rtl = calloc((size_t)s->cap, sizeof *s->rtl);
    if (!s->key || !s->rtl) {
        pim_rtl_set_free(s);
        return NULL;
    }
    return s;
}

pim_status pim_rtl_set_get(pim_rtl_set *s, const pim_config *cfg, pim_rtl **out, pim_error *err)
{
    char tile[1024], vu[1024], key[2100];
    pim_rtl_model_paths(cfg, &s->opts, tile, vu, sizeof tile);
    snprintf(key, sizeof key, "%s|%s", tile, vu);
    for (int i = 0; i < s->n; i++)
        if (strcmp(s->key[i], key) == 0) {
            pim_rtl_configure(s->rtl[i], cfg); /* the same models serve configs whose
                                                * knobs differ: drive this one's */
            *out = s->rtl[i];
            return PIM_OK;
        }
    pim_rtl *r;
    pim_status st = pim_rtl_open(cfg, &s->opts, &r, err);
    if (st != PIM_OK)
        return st;
    if (s->n == s->cap) { /* drop the oldest */
        pim_rtl_close(s->rtl[0]);
        memmove(s->rtl, s->rtl + 1, (size_t)(s->cap - 1) * sizeof *s->rtl);
        memmove(s->key, s->key + 1, (size_t)(s->cap - 1) * sizeof *s->key);
        s->n--;
    }
    snprintf(s->key[s->n], sizeof s->key[0], "%s", key);
    s->rtl[s->n++] = r;
    *out = r;
    return PIM_OK;
}

void pim_rtl_set_clear(pim_rtl_set *s)
{
    if (!s)
        return;
    for (int i = 0; i < s->n; i++)
        pim_rtl_close(s->rtl[i]);
    s->n = 0;
}

void pim_rtl_set_free(pim_rtl_set *s)
{
    if (!s)
        return;
    for (int i = 0; i < s->n; i++)
        pim_rtl_close(s->rtl[i]);
    free(s->key);
    free(s->rtl);
    free(s);
}

const pim_units *pim_rtl_units(const pim_rtl *r) { return &r->units; }
uint64_t pim_rtl_tile_cycles_total(const pim_rtl *r) { return r->t.cycles(r->tile); }

void pim_rtl_store_stats(const pim_rtl *r, pim_rtl_store *st)
{
    pim_resident_stats rs;
    pim_resident_get_stats(r->res, &rs);
    st->columns = r->tp.columns;
    st->planes = r->tp.planes;
    st->rows = r->tp.rows;
    st->placed = rs.placed;
    st->hits = rs.hits;
    st->flushes = rs.flushes;
    st->columns_peak = rs.columns_peak;
    st->planes_peak = rs.planes_peak;
}
uint64_t pim_rtl_vu_cycles_total(const pim_rtl *r) { return r->v.cycles(r->vu); }

uint64_t pim_rtl_beat_cycle(const pim_rtl *r, int unit, unsigned op, uint64_t element,
                            uint32_t *lane)
{
    if (unit == 0) {
        const uint64_t cols = r->tp.cols ? r->tp.cols : 1, pass = element / cols;
        *lane = (uint32_t)(element % cols);
        return r->pass_cycle && pass < r->pass_cap ? r->pass_cycle[pass] : r->t.cycles(r->tile);
    }
    const int reduce = op == PIM_OP_VVDMUL || op == PIM_OP_VAVG;
    const uint64_t lanes = r->vp.lanes ? r->vp.lanes : 1;
    *lane = reduce ? 0 : (uint32_t)(element % lanes);
    return r->v.beat_cycle(r->vu, reduce ? 0 : element / lanes);
}
