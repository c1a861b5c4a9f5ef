/*
 * gen.c - `pimcosim gen`: constrained-random conformance vectors (pim_gen.h).
 *
 * The generator builds every core's instruction stream at once, in one global order: at each
 * step it picks a core that still needs instructions and a class by weight, and appends one
 * item (a few setup instructions plus the instruction itself; a send also appends the
 * matching recv to its partner). Because send/recv pairs and sync -> wait pairs are placed in
 * that one total order, the earliest unexecuted blocking instruction can always proceed, so
 * the program cannot deadlock.
 *
 * Constraints kept (docs/isa.md is the reference for each rule):
 *  - registers: a per-core model (value, known bit) of r0..r31; an address operand gets a
 *    register set just before use (sldi, or saddi/sadd/ssub/smuli/smul from a known one) so
 *    that register + offset*byw is the address chosen. sld makes its rd unknown; unknown
 *    registers are used only as data (scalar sources, vrsu/vrsl bounds).
 *  - ranges: every address is chosen inside its memory for the bytes touched (strided
 *    vavg/vmv: the whole span); zero-length accesses sometimes use wild addresses.
 *  - overlaps: lmv, vmv and vrsu/vrsl with obyw > ibyw take source and destination from the
 *    two sides of a split point of local memory (the middle or a random one). Every other op
 *    may overlap (all operands are read before the write); some are in place on purpose.
 *  - registers are reused when one already reaches a valid address with the offset, which
 *    keeps the setup instructions down (about a third of the instructions are sldi).
 *  - global memory: [0, G/4) is read-only, shared; each core owns one slice of the rest for
 *    st (and ld/sld), so no two cores race on a byte.
 *  - wait/sync: a plan (core B, event e, count k in 1..3) claims (B, e) once per program; k
 *    syncs from any cores, then a wait(e, k) on B later in the global order.
 *  - mvmul: 1..3 groups per core in init (mbiw 1..16, rows <= min(64, xbar rows), cols <= 64,
 *    within xbar_array_count); mbiw of each mvmul is its group's.
 */
#include "pim_gen.h"
#include "gen_internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pim_golden.h"
#include "pim_load.h"
#include "pim_program.h"

static const char *const k_class_names[PIM_GEN_NCLASSES] = {"scalar", "matrix", "vector",
                                                            "transfer", "sync"};

const char *pim_gen_class_name(unsigned cls)
{
    return cls < PIM_GEN_NCLASSES ? k_class_names[cls] : NULL;
}

static void add_config(gen *g, cJSON *root)
{
    const pim_config *f = &g->cfg;
    cJSON *cfg = pim_jb_obj(&g->jb, root, "config");
    cJSON *chip = cfg ? pim_jb_obj(&g->jb, cfg, "chip_config") : NULL;
    if (!chip)
        return;
    pim_jb_num(&g->jb, chip, "core_cnt", f->core_cnt);
    cJSON *core = pim_jb_obj(&g->jb, chip, "core_config");
    if (!core)
        return;
    cJSON *mx = pim_jb_obj(&g->jb, core, "matrix_config");
    if (mx) {
        pim_jb_num(&g->jb, mx, "xbar_array_count", f->xbar_array_count);
        cJSON *xs = pim_jb_arr(&g->jb, mx, "xbar_size");
        pim_jb_add(&g->jb, xs, NULL, cJSON_CreateNumber(f->xbar_rows));
        pim_jb_add(&g->jb, xs, NULL, cJSON_CreateNumber(f->xbar_cols));
        pim_jb_num(&g->jb, mx, "cell_precision", f->cell_precision);
        pim_jb_num(&g->jb, mx, "dac_resolution", f->dac_resolution);
        pim_jb_num(&g->jb, mx, "adc_resolution", f->adc_resolution);
        if (!cJSON_AddBoolToObject(mx, "adc_clip", f->adc_clip != 0))
            g->jb.oom = 1;
    }
    pim_jb_num(&g->jb, core, "vector_width", f->vector_width);
    cJSON *vc = pim_jb_obj(&g->jb, core, "vector_config");
    if (vc)
        pim_jb_num(&g->jb, vc, "activation_frac_bits", f->activation_frac_bits);
    cJSON *lm = pim_jb_obj(&g->jb, core, "local_memory_config");
    if (lm)
        pim_jb_num(&g->jb, lm, "memory_size", (double)f->local_mem_size);
    cJSON *gm = pim_jb_obj(&g->jb, chip, "global_memory_config");
    if (gm)
        pim_jb_num(&g->jb, gm, "memory_size", (double)f->global_mem_size);
}

/* Random groups for core c into its init object. */
static void add_groups(gen *g, uint32_t c, cJSON *init_core)
{
    gen_core *k = &g->cores[c];
    cJSON *arr = pim_jb_arr(&g->jb, init_core, "groups");
    uint32_t left = g->cfg.xbar_array_count, used = 0;
    const uint32_t want = (uint32_t)rnd_range(g, 1, GEN_MAX_GROUPS);
    const uint32_t maxr = g->cfg.xbar_rows < 64 ? g->cfg.xbar_rows : 64;
    for (uint32_t i = 0; i < want && left > 0; i++) {
        uint32_t idx;
        do
            idx = (uint32_t)rnd_below(g, 16);
        while (used & (1u << idx));
        uint32_t mbiw = (uint32_t)rnd_range(g, 1, 16);
        while (mbiw > 1 && pim_config_cols_per_xbar(&g->cfg, mbiw) == 0)
            mbiw--;
        if (pim_config_cols_per_xbar(&g->cfg, mbiw) == 0)
            break; /* not even a 1-bit weight fits a crossbar row */
        const uint32_t rows = (uint32_t)(chance(g, 50) ? rnd_range(g, 1, maxr < 16 ? maxr : 16)
                                                       : rnd_range(g, 1, maxr));
        uint32_t cols = (uint32_t)(chance(g, 50) ? rnd_range(g, 1, 16) : rnd_range(g, 1, 64));
        while (cols > 1 && pim_config_xbars_for_group(&g->cfg, mbiw, cols) > left)
            cols /= 2;
        const uint32_t xb = pim_config_xbars_for_group(&g->cfg, mbiw, cols);
        if (xb == 0 || xb > left)
            break;
        left -= xb;
        used |= 1u << idx;
        k->groups[k->n_groups++] = (gen_group){idx, mbiw, rows, cols};

        cJSON *go = cJSON_CreateObject();
        if (go) {
            pim_jb_num(&g->jb, go, "index", idx);
            pim_jb_num(&g->jb, go, "mbiw", mbiw);
            cJSON *w = pim_jb_arr(&g->jb, go, "weights");
            const int64_t h = (int64_t)1 << (mbiw - 1);
            for (uint32_t r = 0; r < rows && w; r++) {
                cJSON *row = cJSON_CreateArray();
                for (uint32_t j = 0; j < cols && row; j++) {
                    const unsigned pick = (unsigned)rnd_below(g, 100);
                    const int64_t x = pick < 10 ? -h : pick < 20 ? h - 1 : rnd_range(g, -h, h - 1);
                    pim_jb_add(&g->jb, row, NULL, cJSON_CreateNumber((double)x));
                }
                pim_jb_add(&g->jb, w, NULL, row);
            }
        }
        pim_jb_add(&g->jb, arr, NULL, go);
    }
}

static void add_init(gen *g, cJSON *root)
{
    cJSON *init = pim_jb_obj(&g->jb, root, "init");
    if (!init)
        return;
    uint8_t *buf = malloc(g->G > g->L ? g->G : g->L);
    if (!buf) {
        g->jb.oom = 1;
        return;
    }
    for (uint64_t i = 0; i < g->G; i++)
        buf[i] = (uint8_t)rnd(g);
    cJSON *gm = pim_jb_arr(&g->jb, init, "gmem");
    pim_jb_regions(&g->jb, gm, 0, buf, g->G, GEN_HEX_CHUNK);
    for (uint32_t c = 0; c < g->ncores; c++) {
        gen_core *k = &g->cores[c];
        char key[32];
        snprintf(key, sizeof key, "core%" PRIu32, c);
        cJSON *ic = pim_jb_obj(&g->jb, init, key);
        if (!ic)
            break;
        cJSON *regs = pim_jb_obj(&g->jb, ic, "regs");
        k->known = 0xffffffffu; /* registers start at 0 unless given */
        for (uint32_t r = 0; r < PIM_NREGS && regs; r++)
            if (chance(g, 50)) {
                char rk[8];
                snprintf(rk, sizeof rk, "r%" PRIu32, r);
                k->regs[r] = gen_rnd_value(g);
                pim_jb_num(&g->jb, regs, rk, k->regs[r]);
            }
        for (uint64_t i = 0; i < g->L; i++)
            buf[i] = (uint8_t)rnd(g);
        cJSON *lm = pim_jb_arr(&g->jb, ic, "lmem");
        pim_jb_regions(&g->jb, lm, 0, buf, g->L, GEN_HEX_CHUNK);
        add_groups(g, c, ic);
    }
    free(buf);
}

/* ------------------------------------------------------------------ expected (golden run) */

/* Writes text to a temporary file, loads it as a vector, runs it on the golden model and
 * adds its final state as "expected" to root (replacing the empty one). */
static pim_status fill_expected(gen *g, cJSON *root, const char *text, pim_error *err)
{
    const char *dir = getenv("TMPDIR");
    char path[512];
    snprintf(path, sizeof path, "%s/pimcosim-gen-%.6s", dir && *dir ? dir : "/tmp",
             "XX" "XX" "XX"); /* mkstemp's template */
    const int fd = mkstemp(path);
    if (fd < 0)
        return pim_error_set(err, PIM_E_IO, -1, -1, "", "cannot create a temporary file in %s",
                             dir && *dir ? dir : "/tmp");
    FILE *f = fdopen(fd, "wb");
    const size_t n = strlen(text);
    int bad = !f || fwrite(text, 1, n, f) != n;
    if (f)
        bad |= fclose(f) != 0;
    else
        close(fd);
    if (bad) {
        unlink(path);
        return pim_error_set(err, PIM_E_IO, -1, -1, "", "cannot write %s", path);
    }
    pim_program *p = NULL;
    pim_golden *m = NULL;
    pim_status st = pim_load_vector_file(path, &p, err);
    unlink(path);
    if (st == PIM_OK)
        st = pim_golden_new(&p->cfg, &m, err);
    if (st == PIM_OK)
        st = pim_golden_load(m, p, 0, 0, err);
    if (st == PIM_OK)
        st = pim_golden_run(m, 0, err);
    if (st == PIM_OK) {
        cJSON_DeleteItemFromObjectCaseSensitive(root, "expected");
        cJSON *ex = pim_jb_obj(&g->jb, root, "expected");
        for (uint32_t c = 0; c < g->ncores && ex; c++) {
            char key[32];
            snprintf(key, sizeof key, "core%" PRIu32, c);
            cJSON *ec = pim_jb_obj(&g->jb, ex, key);
            cJSON *regs = ec ? pim_jb_obj(&g->jb, ec, "regs") : NULL;
            cJSON *evs = ec ? pim_jb_obj(&g->jb, ec, "events") : NULL;
            for (uint32_t r = 0; r < 32 && regs && evs; r++) {
                char rk[8];
                snprintf(rk, sizeof rk, "r%" PRIu32, r);
                pim_jb_num(&g->jb, regs, rk, pim_golden_reg(m, c, r));
                snprintf(rk, sizeof rk, "e%" PRIu32, r);
                pim_jb_num(&g->jb, evs, rk, pim_golden_event(m, c, r));
            }
            cJSON *lm = ec ? pim_jb_arr(&g->jb, ec, "lmem") : NULL;
            if (lm)
                pim_jb_regions(&g->jb, lm, 0, pim_golden_lmem(m, c), g->L, GEN_HEX_CHUNK);
        }
        cJSON *gm = ex ? pim_jb_arr(&g->jb, ex, "gmem") : NULL;
        if (gm)
            pim_jb_regions(&g->jb, gm, 0, pim_golden_gmem(m), g->G, GEN_HEX_CHUNK);
    }
    pim_golden_free(m);
    pim_program_free(p);
    return st;
}

/* ------------------------------------------------------------------ entry points */

void pim_gen_opts_default(pim_gen_opts *o)
{
    memset(o, 0, sizeof *o);
    o->insns = 200;
    o->cores = 2;
    o->weights[PIM_GEN_SCALAR] = 2;
    o->weights[PIM_GEN_MATRIX] = 2;
    o->weights[PIM_GEN_VECTOR] = 4;
    o->weights[PIM_GEN_TRANSFER] = 2;
    o->weights[PIM_GEN_SYNC] = 1;
}

/* Checks the options and sets up the machine of g. */
static pim_status gen_setup(gen *g, const pim_gen_opts *o, pim_error *err)
{
    if (o->insns < 1 || o->insns > PIM_GEN_MAX_INSNS)
        return pim_error_set(err, PIM_E_INPUT, -1, -1, "insns", "--insns %" PRIu32
                             " is outside 1..%u", o->insns, PIM_GEN_MAX_INSNS);
    if (o->cores < 1 || o->cores > PIM_GEN_MAX_CORES)
        return pim_error_set(err, PIM_E_INPUT, -1, -1, "cores", "--cores %" PRIu32
                             " is outside 1..%u", o->cores, PIM_GEN_MAX_CORES);
    uint64_t wsum = 0;
    for (int i = 0; i < PIM_GEN_NCLASSES; i++) {
        if (o->weights[i] > 1000)
            return pim_error_set(err, PIM_E_INPUT, -1, -1, "weights",
                                 "weight %s=%" PRIu32 " is outside 0..1000", k_class_names[i],
                                 o->weights[i]);
        wsum += o->weights[i];
    }
    if (wsum == 0)
        return pim_error_set(err, PIM_E_INPUT, -1, -1, "weights",
                             "--weights: every class weight is 0");
    if (o->id && !pim_id_valid(o->id))
        return pim_error_set(err, PIM_E_INPUT, -1, -1, "id",
                             "--id '%s' does not match ^[a-z0-9][a-z0-9._-]*$", o->id);
    if (o->cfg) {
        g->cfg = *o->cfg;
    } else {
        pim_config_default(&g->cfg);
        g->cfg.local_mem_size = PIM_GEN_LMEM;
        g->cfg.global_mem_size = PIM_GEN_GMEM;
    }
    if (g->cfg.local_mem_size > PIM_GEN_LMEM)
        g->cfg.local_mem_size = PIM_GEN_LMEM;
    if (g->cfg.global_mem_size > PIM_GEN_GMEM)
        g->cfg.global_mem_size = PIM_GEN_GMEM;
    g->cfg.core_cnt = o->cores;
    pim_status st = pim_config_validate(&g->cfg, err);
    if (st != PIM_OK)
        return st;
    g->ncores = o->cores;
    g->L = g->cfg.local_mem_size;
    g->G = g->cfg.global_mem_size;
    g->gshared = g->G / 4;
    const uint64_t slice = (g->G - g->gshared) / g->ncores;
    if (g->L < 1024)
        return pim_error_set(err, PIM_E_INPUT, -1, -1, "config",
                             "--config: local memory of %" PRIu64
                             " bytes is below the 1024 gen needs", g->L);
    if (g->gshared < 64 || slice < 64)
        return pim_error_set(err, PIM_E_INPUT, -1, -1, "config",
                             "--config: global memory of %" PRIu64
                             " bytes leaves less than 64 bytes per core", g->G);
    g->cores = calloc(g->ncores, sizeof *g->cores);
    if (!g->cores)
        return pim_error_set(err, PIM_E_NOMEM, -1, -1, "", "out of memory");
    for (uint32_t c = 0; c < g->ncores; c++) {
        g->cores[c].ibiw = g->cores[c].obiw = 8;
        g->cores[c].gslice_lo = g->gshared + c * slice;
        g->cores[c].gslice_hi = g->gshared + (c + 1) * slice;
    }
    return PIM_OK;
}

static void gen_comment(const pim_gen_opts *o, char *buf, size_t n)
{
    snprintf(buf, n,
             "constrained-random vector: pimcosim gen --seed %" PRIu64 " --insns %" PRIu32
             " --cores %" PRIu32 " --weights scalar=%" PRIu32 ",matrix=%" PRIu32
             ",vector=%" PRIu32 ",transfer=%" PRIu32 ",sync=%" PRIu32 "%s%s%s; %s",
             o->seed, o->insns, o->cores, o->weights[0], o->weights[1], o->weights[2],
             o->weights[3], o->weights[4], o->config_name ? " --config " : "",
             o->config_name ? o->config_name : "", o->expect ? " --expect" : "",
             o->expect ? "expected: the golden model's final state"
                       : "expected {}: the run must end without error");
}

/* The document's skeleton: id, comment, config, program (one empty array per core), init
 * and an empty "expected". NULL when out of memory. */
static cJSON *skeleton(gen *g, const pim_gen_opts *o)
{
    cJSON *root = cJSON_CreateObject();
    if (!root) {
        g->jb.oom = 1;
        return NULL;
    }
    char idbuf[64], comment[512];
    snprintf(idbuf, sizeof idbuf, "gen.seed-%" PRIu64, o->seed);
    pim_jb_str(&g->jb, root, "id", o->id ? o->id : idbuf);
    gen_comment(o, comment, sizeof comment);
    pim_jb_str(&g->jb, root, "comment", comment);
    add_config(g, root);
    cJSON *prog = pim_jb_obj(&g->jb, root, "program");
    cJSON *pcfg = prog ? pim_jb_obj(&g->jb, prog, "config") : NULL;
    if (pcfg)
        pim_jb_num(&g->jb, pcfg, "core_cnt", g->ncores);
    for (uint32_t c = 0; c < g->ncores && prog; c++) {
        char key[32];
        snprintf(key, sizeof key, "core%" PRIu32, c);
        g->cores[c].insns = pim_jb_arr(&g->jb, prog, key);
    }
    add_init(g, root);
    pim_jb_obj(&g->jb, root, "expected");
    return root;
}

/* The body, in one global order: a core that still needs instructions, a class by weight,
 * one item; then every plan completed. */
static void body(gen *g, const pim_gen_opts *o)
{
    uint32_t wsum = 0;
    for (int i = 0; i < PIM_GEN_NCLASSES; i++)
        wsum += o->weights[i];
    uint32_t *open = malloc(g->ncores * sizeof *open);
    if (!open) {
        g->jb.oom = 1;
        return;
    }
    for (;;) {
        uint32_t n = 0;
        for (uint32_t c = 0; c < g->ncores; c++)
            if (g->cores[c].count < o->insns)
                open[n++] = c;
        if (n == 0 || g->jb.oom)
            break;
        const uint32_t c = open[rnd_below(g, n)];
        uint32_t w = (uint32_t)rnd_below(g, wsum), cls = 0;
        while (w >= o->weights[cls])
            w -= o->weights[cls++];
        switch (cls) {
        case PIM_GEN_SCALAR: gen_scalar(g, c); break;
        case PIM_GEN_MATRIX: gen_matrix(g, c); break;
        case PIM_GEN_VECTOR: gen_vector(g, c); break;
        case PIM_GEN_TRANSFER: gen_transfer(g, c); break;
        default: gen_syncwait(g, c); break;
        }
    }
    free(open);
    gen_finish_plans(g);
}

/* The text of the document (with "expected" filled from a golden run for --expect), ending
 * in a newline, into *json_out (owned by the caller). */
static pim_status print_doc(gen *g, const pim_gen_opts *o, cJSON *root, char **json_out,
                            pim_error *err)
{
    char *text = o->compact ? cJSON_PrintUnformatted(root) : cJSON_Print(root);
    if (text && o->expect) {
        pim_status st = fill_expected(g, root, text, err);
        cJSON_free(text);
        text = NULL;
        if (st != PIM_OK)
            return st;
        if (!g->jb.oom)
            text = o->compact ? cJSON_PrintUnformatted(root) : cJSON_Print(root);
    }
    if (!text) {
        g->jb.oom = 1;
        return PIM_OK;
    }
    const size_t len = strlen(text);
    *json_out = malloc(len + 2);
    if (*json_out) {
        memcpy(*json_out, text, len);
        (*json_out)[len] = '\n';
        (*json_out)[len + 1] = '\0';
    } else {
        g->jb.oom = 1;
    }
    cJSON_free(text);
    return PIM_OK;
}

pim_status pim_gen_vector(const pim_gen_opts *o, char **json_out, pim_error *err)
{
    *json_out = NULL;
    gen g;
    memset(&g, 0, sizeof g);
    /* mix the seed so that seeds 0, 1, 2 start far apart */
    g.rng = o->seed ^ 0x70696d636f73696dull;
    pim_status st = gen_setup(&g, o, err);
    cJSON *root = st == PIM_OK ? skeleton(&g, o) : NULL;
    if (st == PIM_OK && !g.jb.oom)
        body(&g, o);
    if (st == PIM_OK && !g.jb.oom)
        st = print_doc(&g, o, root, json_out, err);
    if (st == PIM_OK && g.jb.oom) {
        free(*json_out);
        *json_out = NULL;
        st = pim_error_set(err, PIM_E_NOMEM, -1, -1, "", "out of memory");
    }
    cJSON_Delete(root);
    free(g.cores);
    free(g.plans);
    return st;
}
