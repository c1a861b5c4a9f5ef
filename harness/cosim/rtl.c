/*
 * rtl.c - the RTL units as compute units of a machine (pim_rtl.h).
 *
 * Each unit is a Verilated model behind the extern "C" API of shim/pim_model.h, built once
 * per parameter set into build/rtl/<unit>-<key>.so (shim/build_model.sh) and loaded with
 * dlopen, so one pimcosim binary drives any parameter set the configs ask for.
 */
#include "pim_rtl.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pim_isa.h"
#include "pim_model.h"
#include "pim_util.h"
#include "pim_xbar.h"

typedef struct tile_api {
    void (*window)(pim_rtl_tile *, uint64_t, uint64_t);
    pim_rtl_tile *(*create)(uint64_t, const char *);
    void (*destroy)(pim_rtl_tile *);
    void (*params)(const pim_rtl_tile *, pim_rtl_tile_params *);
    int (*program)(pim_rtl_tile *, uint32_t, uint32_t, uint32_t, const int32_t *, size_t);
    int (*mvmul)(pim_rtl_tile *, uint32_t, uint32_t, uint32_t, const int64_t *, uint32_t, int64_t *,
                 uint32_t, uint32_t *);
    uint64_t (*cycles)(const pim_rtl_tile *);
    const char *(*error)(const pim_rtl_tile *);
} tile_api;

typedef struct vu_api {
    void (*window)(pim_rtl_vu *, uint64_t, uint64_t);
    pim_rtl_vu *(*create)(uint64_t, const char *);
    void (*destroy)(pim_rtl_vu *);
    void (*params)(const pim_rtl_vu *, pim_rtl_vu_params *);
    int (*exec)(pim_rtl_vu *, unsigned, uint32_t, uint32_t, int64_t, const int64_t *,
                const int64_t *, uint64_t, int64_t *);
    uint64_t (*cycles)(const pim_rtl_vu *);
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
    pim_units units;
    const pim_xbar_group *loaded; /* group whose columns [loaded_col0, +tp.cols) are in the tile */
    uint32_t loaded_col0;
    uint64_t programs;            /* tile programmings, for statistics */
    char wave[2][1100];           /* FST files written ("" none) */
    const volatile int *stop;     /* set: stop the run at the next instruction */
    int wave_vcd;
};

static const char *or_default(const char *s, const char *d) { return s ? s : d; }

void pim_rtl_model_paths(const pim_config *cfg, const pim_rtl_opts *o, char *tile, char *vu,
                         size_t n)
{
    char dir[512];
    if (o->model_dir)
        snprintf(dir, sizeof dir, "%s", o->model_dir);
    else
        snprintf(dir, sizeof dir, "%s/build/rtl", or_default(o->root, "."));
    /* a fault goes into the unit whose RTL has it: PIM_FAULT_ADC_* / PIM_FAULT_TILE_* in the
     * tile, the others (PIM_FAULT_VVSRA_ROUND, ...) in the vector unit */
    const int tile_fault = o->fault && (strstr(o->fault, "_ADC_") || strstr(o->fault, "_TILE_"));
    const char *tf = tile_fault ? o->fault : "", *vf = (o->fault && !tile_fault) ? o->fault : "";
    const char *cov = o->coverage ? "+cov" : ""; /* build_model.sh: --coverage */
    snprintf(tile, n, "%s/tile-r%u-c%u-p%u-d%u-a%u-k%u-i32-m32-o32%s%s%s.so", dir, cfg->xbar_rows,
             o->tile_cols ? o->tile_cols : 128u, cfg->cell_precision, cfg->dac_resolution,
             cfg->adc_resolution, cfg->adc_clip, *tf ? "+" : "", tf, cov);
    snprintf(vu, n, "%s/vu-l%u-f%u%s%s%s.so", dir, cfg->vector_width, cfg->activation_frac_bits,
             *vf ? "+" : "", vf, cov);
}

const char *const *pim_rtl_model_sources(void)
{
    static const char *const files[] = {
        "rtl/pim_pkg.sv", "rtl/pim_assert.svh", "rtl/pim_xbar_tile.sv", "rtl/pim_vector_unit.sv",
        "rtl/lint.vlt", "harness/cosim/shim/tile_shim.cpp", "harness/cosim/shim/vu_shim.cpp",
        "harness/cosim/shim/model_port.h", "harness/cosim/shim/pim_model.h",
        "harness/cosim/shim/build_model.sh", "include/pim_isa.h", "include/pim_status.h", NULL};
    return files;
}

/* The unit ("tile", "vu") and key of a model file ".../<unit>-<key>.so". */
static int model_key(const char *path, char *unit, size_t un, char *key, size_t kn)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dash = strchr(base, '-');
    const size_t bl = strlen(base);
    if (!dash || bl < 4 || strcmp(base + bl - 3, ".so") != 0)
        return -1;
    snprintf(unit, un, "%.*s", (int)(dash - base), base);
    snprintf(key, kn, "%.*s", (int)(bl - (size_t)(dash - base) - 4), dash + 1);
    return 0;
}

/* Starts one build; its pid, or -1. */
static pid_t start_build(const char *root, const char *path, int quiet)
{
    char unit[16], key[512], script[1100], dir[1024];
    if (model_key(path, unit, sizeof unit, key, sizeof key) != 0)
        return -1;
    snprintf(script, sizeof script, "%s/harness/cosim/shim/build_model.sh", root);
    const char *slash = strrchr(path, '/');
    snprintf(dir, sizeof dir, "%.*s", (int)(slash ? slash - path : 0), path);
    if (!quiet)
        fprintf(stderr, "pimcosim: building RTL model %s\n", path);
    fflush(stdout);
    fflush(stderr);
    const pid_t pid = fork();
    if (pid == 0) {
        if (dir[0])
            pim_mkdirs(dir);
        if (quiet && !freopen("/dev/null", "w", stdout))
            _exit(127);
        if (!quiet)
            dup2(STDERR_FILENO, STDOUT_FILENO); /* the build's words go to stderr */
        execl("/bin/bash", "bash", script, unit, key, path, (char *)NULL);
        _exit(127);
    }
    return pid;
}

int pim_rtl_build_models(const char *root, char *const *paths, size_t n, int jobs, int quiet)
{
    int rc = 0;
    size_t next = 0, running = 0;
    if (jobs < 1)
        jobs = 1;
    while ((next < n || running) && rc == 0) {
        while (next < n && running < (size_t)jobs) {
            struct stat sb;
            const char *path = paths[next++];
            if (stat(path, &sb) == 0)
                continue;
            if (start_build(root ? root : ".", path, quiet) < 0)
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
    return rc;
}

/* Builds a missing model (shim/build_model.sh). */
static pim_status ensure_model(const pim_rtl_opts *o, const char *path, pim_error *err)
{
    struct stat sb;
    if (stat(path, &sb) == 0)
        return PIM_OK;
    if (!o->build)
        return pim_error_set(err, PIM_E_IO, -1, -1, "", "RTL model %s is not built", path);
    char *one[1] = {(char *)path};
    if (pim_rtl_build_models(or_default(o->root, "."), one, 1, 1, o->quiet) != 0 ||
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

static pim_status unit_fail(pim_error *err, const char *unit, const char *msg)
{
    return pim_error_set(err, PIM_E_MISMATCH, -1, -1, "", "%s: %s", unit, msg);
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
    for (uint32_t c0 = 0; c0 < cols; c0 += tc) {
        const uint32_t n = cols - c0 < tc ? cols - c0 : tc;
        if (r->loaded != xg || r->loaded_col0 != c0) {
            if (r->t.program(r->tile, pim_xbar_group_mbiw(xg), rows, n,
                             pim_xbar_group_weights(xg) + c0, cols) != 0)
                return unit_fail(err, "pim_xbar_tile", r->t.error(r->tile));
            r->loaded = xg;
            r->loaded_col0 = c0;
            r->programs++;
        }
        uint32_t k = 0;
        if (r->t.mvmul(r->tile, ibiw, obiw, relu, x, rows, y + c0, n, &k) != 0)
            return unit_fail(err, "pim_xbar_tile", r->t.error(r->tile));
        *clips += k;
    }
    return PIM_OK;
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
    if (r->v.exec(r->vu, op, ibiw, obiw, scalar, a, b, n, y) != 0)
        return unit_fail(err, "pim_vector_unit", r->v.error(r->vu));
    return PIM_OK;
}

/* ------------------------------------------------------------------ open / close */

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
    SYM(r->tile_dl, r->t.program, "pim_rtl_tile_program", tpath);
    SYM(r->tile_dl, r->t.mvmul, "pim_rtl_tile_mvmul", tpath);
    SYM(r->tile_dl, r->t.cycles, "pim_rtl_tile_cycles", tpath);
    SYM(r->tile_dl, r->t.error, "pim_rtl_tile_error", tpath);
    SYM(r->vu_dl, r->v.create, "pim_rtl_vu_new", vpath);
    SYM(r->vu_dl, r->v.destroy, "pim_rtl_vu_free", vpath);
    SYM(r->vu_dl, r->v.params, "pim_rtl_vu_get_params", vpath);
    SYM(r->vu_dl, r->v.exec, "pim_rtl_vu_exec", vpath);
    SYM(r->vu_dl, r->v.cycles, "pim_rtl_vu_cycles", vpath);
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
    if (r->tp.rows < cfg->xbar_rows || r->tp.cell_bits != cfg->cell_precision ||
        r->tp.dac_bits != cfg->dac_resolution || r->tp.adc_bits != cfg->adc_resolution ||
        r->tp.adc_clip != cfg->adc_clip) {
        pim_rtl_close(r);
        return pim_error_set(err, PIM_E_IO, -1, -1, "", "%s was built for other parameters",
                             tpath);
    }
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

void pim_rtl_forget(pim_rtl *r)
{
    r->loaded = NULL;
    r->loaded_col0 = 0;
}

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
uint64_t pim_rtl_vu_cycles_total(const pim_rtl *r) { return r->v.cycles(r->vu); }
