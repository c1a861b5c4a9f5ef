/*
 * machine.c - the golden reference machine (pim_golden.h): state, the executor of all 31
 * instructions, and the multi-core scheduler. Semantics: spec/profile.md and docs/isa.md.
 */
#include "pim_golden.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pim_arith.h"
#include "pim_xbar.h"

typedef struct core {
    uint32_t regs[PIM_NREGS];
    uint32_t ev[PIM_NEVENTS];
    uint32_t ibiw, obiw;
    uint8_t *lmem;
    const pim_insn *insns;
    uint64_t n_insns;
    uint64_t pc;
    pim_xbar_group **groups; /* indexed by group number */
    uint32_t n_groups;       /* size of groups[] */
    uint32_t xbars_used;
} core;

struct pim_golden {
    pim_config cfg;
    uint32_t n;
    core *cores;
    uint8_t *gmem;
    pim_write_fn obs;
    void *obs_ud;
    pim_golden_stats stats;
    int64_t *ebuf;    /* element staging: operands and results */
    size_t ebuf_cap;
    pim_units units;  /* mvmul / vector compute; zeroed: the golden ones */
    int gaddr32;      /* the pimcomp dialect: a global address is one 32-bit register */
};

void pim_golden_set_units(pim_golden *g, const pim_units *u)
{
    if (u)
        g->units = *u;
    else
        memset(&g->units, 0, sizeof g->units);
}

/* ------------------------------------------------------------------ life cycle */

pim_status pim_golden_new(const pim_config *cfg, pim_golden **out, pim_error *err)
{
    *out = NULL;
    pim_status st = pim_config_validate(cfg, err);
    if (st != PIM_OK)
        return st;
    pim_golden *g = calloc(1, sizeof *g);
    if (!g)
        return pim_error_set(err, PIM_E_NOMEM, -1, -1, "", "out of memory");
    g->cfg = *cfg;
    g->n = cfg->core_cnt;
    g->cores = calloc(g->n, sizeof *g->cores);
    g->gmem = calloc(1, (size_t)cfg->global_mem_size);
    if (!g->cores || !g->gmem)
        goto nomem;
    for (uint32_t c = 0; c < g->n; c++) {
        g->cores[c].ibiw = g->cores[c].obiw = 8;
        g->cores[c].lmem = calloc(1, (size_t)cfg->local_mem_size);
        if (!g->cores[c].lmem)
            goto nomem;
    }
    *out = g;
    return PIM_OK;
nomem:
    pim_golden_free(g);
    return pim_error_set(err, PIM_E_NOMEM, -1, -1, "", "out of memory for %u cores",
                         cfg->core_cnt);
}

void pim_golden_free(pim_golden *g)
{
    if (!g)
        return;
    if (g->cores) {
        for (uint32_t c = 0; c < g->n; c++) {
            free(g->cores[c].lmem);
            for (uint32_t k = 0; k < g->cores[c].n_groups; k++)
                pim_xbar_group_free(g->cores[c].groups[k]);
            free(g->cores[c].groups);
        }
    }
    free(g->cores);
    free(g->gmem);
    free(g->ebuf);
    free(g);
}

void pim_golden_set_observer(pim_golden *g, pim_write_fn fn, void *ud)
{
    g->obs = fn;
    g->obs_ud = ud;
}

const pim_config *pim_golden_config(const pim_golden *g) { return &g->cfg; }
uint8_t *pim_golden_lmem(pim_golden *g, uint32_t c) { return g->cores[c].lmem; }
uint8_t *pim_golden_gmem(pim_golden *g) { return g->gmem; }
uint32_t pim_golden_reg(const pim_golden *g, uint32_t c, uint32_t r) { return g->cores[c].regs[r]; }
void pim_golden_set_reg(pim_golden *g, uint32_t c, uint32_t r, uint32_t v) { g->cores[c].regs[r] = v; }
uint32_t pim_golden_event(const pim_golden *g, uint32_t c, uint32_t e) { return g->cores[c].ev[e]; }
void pim_golden_set_event(pim_golden *g, uint32_t c, uint32_t e, uint32_t v) { g->cores[c].ev[e] = v; }
uint32_t pim_golden_ibiw(const pim_golden *g, uint32_t c) { return g->cores[c].ibiw; }
uint32_t pim_golden_obiw(const pim_golden *g, uint32_t c) { return g->cores[c].obiw; }
uint64_t pim_golden_pc(const pim_golden *g, uint32_t c) { return g->cores[c].pc; }
const pim_golden_stats *pim_golden_get_stats(const pim_golden *g) { return &g->stats; }

int pim_golden_done(const pim_golden *g)
{
    for (uint32_t c = 0; c < g->n; c++)
        if (g->cores[c].pc < g->cores[c].n_insns)
            return 0;
    return 1;
}

uint64_t pim_hash_bytes(const uint8_t *p, uint64_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    uint64_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8); /* little-endian hosts only (as the Makefile checks) */
        h = (h ^ w) * 0x100000001b3ull;
    }
    if (i < n) {
        uint64_t w = 0;
        for (unsigned k = 0; i + k < n; k++)
            w |= (uint64_t)p[i + k] << (8 * k);
        h = (h ^ w) * 0x100000001b3ull;
    }
    h ^= n;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 33;
    return h;
}

uint64_t pim_golden_hash_gmem(const pim_golden *g)
{
    return pim_hash_bytes(g->gmem, g->cfg.global_mem_size);
}

uint64_t pim_golden_hash_lmem(const pim_golden *g, uint32_t c)
{
    return pim_hash_bytes(g->cores[c].lmem, g->cfg.local_mem_size);
}

/* ------------------------------------------------------------------ groups and loading */

pim_status pim_golden_program_group(pim_golden *g, uint32_t c, uint32_t index, uint32_t mbiw,
                                    uint32_t rows, uint32_t cols, const int32_t *w,
                                    pim_error *err)
{
    core *k = &g->cores[c];
    pim_xbar_group *xg;
    pim_status st = pim_xbar_group_new(&g->cfg, mbiw, rows, cols, w, &xg, err);
    if (st != PIM_OK) {
        if (err)
            err->core = (long)c;
        return st;
    }
    if (index >= k->n_groups) {
        pim_xbar_group **q = realloc(k->groups, (size_t)(index + 1) * sizeof *q);
        if (!q) {
            pim_xbar_group_free(xg);
            return pim_error_set(err, PIM_E_NOMEM, (long)c, -1, "", "out of memory");
        }
        memset(q + k->n_groups, 0, (size_t)(index + 1 - k->n_groups) * sizeof *q);
        k->groups = q;
        k->n_groups = index + 1;
    }
    uint32_t used = k->xbars_used + pim_config_xbars_for_group(&g->cfg, mbiw, cols);
    if (k->groups[index]) {
        const pim_xbar_group *old = k->groups[index];
        used -= pim_config_xbars_for_group(&g->cfg, pim_xbar_group_mbiw(old),
                                           pim_xbar_group_cols(old));
    }
    if (used > g->cfg.xbar_array_count) {
        pim_xbar_group_free(xg);
        return pim_error_set(err, PIM_E_INPUT, (long)c, -1, "groups",
                             "group %u makes the core's groups need %u crossbars, it has %u",
                             index, used, g->cfg.xbar_array_count);
    }
    pim_xbar_group_free(k->groups[index]);
    k->groups[index] = xg;
    k->xbars_used = used;
    return PIM_OK;
}

static pim_status apply_regions(uint8_t *mem, uint64_t size, const pim_region *r, size_t n,
                                long c, const char *what, pim_error *err)
{
    for (size_t i = 0; i < n; i++) {
        if (r[i].addr > size || r[i].len > size - r[i].addr)
            return pim_error_set(err, PIM_E_INPUT, c, -1, what,
                                 "region at 0x%llx of %u bytes is outside the memory (%llu bytes)",
                                 (unsigned long long)r[i].addr, r[i].len,
                                 (unsigned long long)size);
        memcpy(mem + r[i].addr, r[i].bytes, r[i].len);
    }
    return PIM_OK;
}

pim_status pim_golden_load(pim_golden *g, const pim_program *p, uint64_t seed, int fill_gmem,
                           pim_error *err)
{
    if (memcmp(&p->cfg, &g->cfg, sizeof g->cfg) != 0)
        return pim_error_set(err, PIM_E_INPUT, -1, -1, "config",
                             "the program was loaded for another machine config");
    g->gaddr32 = p->dialect == PIM_DIALECT_PIMCOMP;
    if (fill_gmem) {
        uint64_t s = seed ^ 0x676d656dull; /* "gmem" */
        size_t n = (size_t)(p->gmem_input_end < g->cfg.global_mem_size ? p->gmem_input_end
                                                                       : g->cfg.global_mem_size);
        size_t i = 0;
        /* --input-bits: every byte keeps its low bits */
        const uint64_t keep = p->fill_input_bits && p->fill_input_bits < 8
                                  ? 0x0101010101010101ull * ((1u << p->fill_input_bits) - 1u)
                                  : ~0ull;
        for (; i + 8 <= n; i += 8) {
            uint64_t v = pim_splitmix64(&s) & keep;
            memcpy(g->gmem + i, &v, 8);
        }
        for (uint64_t v = pim_splitmix64(&s) & keep; i < n; i++, v >>= 8)
            g->gmem[i] = (uint8_t)v;
    }
    pim_status st = apply_regions(g->gmem, g->cfg.global_mem_size, p->init_gmem,
                                  p->n_init_gmem, -1, "gmem", err);
    if (st != PIM_OK)
        return st;
    for (uint32_t c = 0; c < g->n; c++) {
        core *k = &g->cores[c];
        k->insns = p->insns[c];
        k->n_insns = p->n_insns[c];
        k->pc = 0;
        const pim_core_state *s = &p->init[c];
        for (uint32_t r = 0; r < PIM_NREGS; r++)
            if (s->regs_mask >> r & 1u)
                k->regs[r] = s->regs[r];
        for (uint32_t e = 0; e < PIM_NEVENTS; e++)
            if (s->events_mask >> e & 1u)
                k->ev[e] = s->events[e];
        st = apply_regions(k->lmem, g->cfg.local_mem_size, s->lmem, s->n_lmem, (long)c, "lmem",
                           err);
        if (st != PIM_OK)
            return st;
    }
    for (size_t i = 0; i < p->n_groups; i++) {
        const pim_group *gr = &p->groups[i];
        int32_t *w = gr->weights;
        int32_t *filled = NULL;
        if (!w) {
            const size_t n = (size_t)gr->rows * gr->cols;
            filled = malloc((n ? n : 1) * sizeof *filled);
            if (!filled)
                return pim_error_set(err, PIM_E_NOMEM, (long)gr->core, -1, "", "out of memory");
            uint64_t s = seed ^ ((uint64_t)gr->core << 32) ^ ((uint64_t)gr->index << 16) ^ 0x77ull;
            const uint32_t bits = p->fill_weight_bits && p->fill_weight_bits < gr->mbiw
                                      ? p->fill_weight_bits
                                      : gr->mbiw;
            for (size_t k = 0; k < n; k++)
                filled[k] = (int32_t)pim_sext(pim_splitmix64(&s), bits);
            w = filled;
        }
        st = pim_golden_program_group(g, gr->core, gr->index, gr->mbiw, gr->rows, gr->cols, w,
                                      err);
        free(filled);
        if (st != PIM_OK)
            return st;
    }
    memset(&g->stats, 0, sizeof g->stats);
    return PIM_OK;
}

/* ------------------------------------------------------------------ helpers */

static void emit(pim_golden *g, uint32_t c, const pim_insn *in, pim_space space, uint32_t owner,
                 uint64_t addr, const uint8_t *data, uint32_t len, uint32_t elem_bytes)
{
    if (!g->obs || len == 0)
        return;
    pim_write w = {
        .core = c,
        .index = (uint64_t)(in - g->cores[c].insns),
        .op = in->op,
        .space = (uint8_t)space,
        .elem_bytes = (uint8_t)elem_bytes,
        .owner = owner,
        .addr = addr,
        .len = len,
        .data = data,
    };
    g->obs(g->obs_ud, &w);
}

static void set_reg(pim_golden *g, uint32_t c, const pim_insn *in, uint32_t r, uint32_t v)
{
    g->cores[c].regs[r] = v;
    const uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    emit(g, c, in, PIM_SPACE_REG, c, r, b, 4, 4);
}

static pim_status fail(pim_golden *g, uint32_t c, const pim_insn *in, pim_status st,
                       const char *field, const char *msg, pim_error *err)
{
    pim_error_set(err, st, (long)c, (long)(in - g->cores[c].insns), field, "%s", msg);
    pim_error_set_op(err, pim_op_name(in->op));
    return st;
}

/* Checks an access of n bytes at base + off inside a memory of `size` bytes. */
static pim_status check_range(pim_golden *g, uint32_t c, const pim_insn *in, const char *field,
                              const char *mem, uint64_t base, int64_t off, uint64_t n,
                              uint64_t size, uint64_t *out, pim_error *err)
{
    const pim_i128 a = (pim_i128)base + off;
    *out = 0;
    if (n == 0)
        return PIM_OK;
    if (a < 0 || a + (pim_i128)n > (pim_i128)size) {
        char msg[200];
        if (a < 0)
            snprintf(msg, sizeof msg, "%s address %lld is negative", mem, (long long)a);
        else
            snprintf(msg, sizeof msg,
                     "%s address 0x%llx + %llu bytes is outside the %s (%llu bytes)", mem,
                     (unsigned long long)a, (unsigned long long)n, mem,
                     (unsigned long long)size);
        return fail(g, c, in, PIM_E_EXEC, field, msg, err);
    }
    *out = (uint64_t)a;
    return PIM_OK;
}

static int64_t *elements(pim_golden *g, size_t n)
{
    if (n > g->ebuf_cap) {
        int64_t *q = realloc(g->ebuf, n * sizeof *q);
        if (!q)
            return NULL;
        g->ebuf = q;
        g->ebuf_cap = n;
    }
    return g->ebuf;
}

static int overlaps(uint64_t a, uint64_t an, uint64_t b, uint64_t bn)
{
    return an && bn && a < b + bn && b < a + an;
}

static uint64_t global_addr(const pim_golden *g, const core *k, uint32_t r)
{
    if (g->gaddr32)
        return k->regs[r];
    return ((uint64_t)k->regs[r] << 32) | k->regs[r + 1];
}

/* ------------------------------------------------------------------ vector unit */

static pim_status exec_vector(pim_golden *g, uint32_t c, const pim_insn *in, pim_error *err)
{
    core *k = &g->cores[c];
    const uint32_t ibiw = k->ibiw, obiw = k->obiw;
    const uint32_t ibyw = pim_byw(ibiw), obyw = pim_byw(obiw);
    const uint64_t n = in->len, lsize = g->cfg.local_mem_size;
    const unsigned op = in->op;
    const int64_t ov = in->offset;
    const uint32_t sel = in->offset_select;
    uint8_t *mem = k->lmem;
    uint64_t a1 = 0, a2 = 0, ad = 0;
    int64_t step = (int64_t)ibyw; /* distance between a's elements */
    pim_status st;

    const int two_vec = op == PIM_OP_VVADD || op == PIM_OP_VVSUB || op == PIM_OP_VVMUL ||
                        op == PIM_OP_VVMAX || op == PIM_OP_VVSLL || op == PIM_OP_VVSRA ||
                        op == PIM_OP_VVDMUL;
    const int reduce = op == PIM_OP_VVDMUL || op == PIM_OP_VAVG;
    /* byte width of a result element */
    const uint32_t dbyw = (op == PIM_OP_VVADD || op == PIM_OP_VVSUB || op == PIM_OP_VVMAX ||
                           op == PIM_OP_VRELU || op == PIM_OP_VMV) ? ibyw : obyw;
    const uint64_t nout = reduce ? 1 : n;

    /* 1. addresses, checked: sources first, then the destination */
    if (op == PIM_OP_VAVG || op == PIM_OP_VMV) {
        if (op == PIM_OP_VAVG && n == 0)
            return fail(g, c, in, PIM_E_EXEC, "len", "vavg of zero elements", err);
        step = (int64_t)(int32_t)k->regs[in->rs2] * (int64_t)ibyw;
        const int64_t base_off = op == PIM_OP_VAVG ? ov * ibyw : 0;
        uint64_t last;
        /* first and last element bound every element: addresses are linear in i */
        if (n && ((st = check_range(g, c, in, "rs1", "local memory", k->regs[in->rs1], base_off,
                                    ibyw, lsize, &a1, err)) ||
                  (st = check_range(g, c, in, "rs1", "local memory", k->regs[in->rs1],
                                    base_off + (int64_t)(n - 1) * step, ibyw, lsize, &last, err))))
            return st;
    } else if ((st = check_range(g, c, in, "rs1", "local memory", k->regs[in->rs1],
                                 (sel & 2) ? ov * ibyw : 0, n * ibyw, lsize, &a1, err))) {
        return st;
    }
    if (two_vec && (st = check_range(g, c, in, "rs2", "local memory", k->regs[in->rs2],
                                     (sel & 4) ? ov * ibyw : 0, n * ibyw, lsize, &a2, err)))
        return st;
    const int64_t dst_off = (reduce || op == PIM_OP_VMV || !(sel & 1)) ? 0 : ov * dbyw;
    if ((st = check_range(g, c, in, "rd", "local memory", k->regs[in->rd], dst_off, nout * dbyw,
                          lsize, &ad, err)))
        return st;

    /* 2. undefined overlaps */
    if (op == PIM_OP_VMV)
        for (uint64_t i = 0; i < n; i++)
            if (overlaps((uint64_t)((int64_t)a1 + (int64_t)i * step), ibyw, ad, n * ibyw))
                return fail(g, c, in, PIM_E_EXEC, "rd",
                            "vmv source element overlaps the destination (undefined)", err);
    if ((op == PIM_OP_VRSU || op == PIM_OP_VRSL) && obyw > ibyw &&
        overlaps(a1, n * ibyw, ad, n * obyw))
        return fail(g, c, in, PIM_E_EXEC, "rd",
                    "input and output overlap while the byte width grows (undefined)", err);
    if (nout == 0 || (n == 0 && op != PIM_OP_VVDMUL))
        return PIM_OK;

    /* 3. operands in, all read before anything is written */
    int64_t *a = elements(g, 2 * n + nout);
    if (!a)
        return fail(g, c, in, PIM_E_NOMEM, "", "out of memory", err);
    int64_t *b = a + n, *y = b + n;
    for (uint64_t i = 0; i < n; i++)
        a[i] = pim_load_elem(mem + (uint64_t)((int64_t)a1 + (int64_t)i * step), ibyw, ibiw);
    if (two_vec)
        for (uint64_t i = 0; i < n; i++)
            b[i] = pim_load_elem(mem + a2 + i * ibyw, ibyw, ibiw);
    const int64_t scalar = op == PIM_OP_VAVG ? (int64_t)n : (int64_t)(int32_t)k->regs[in->rs2];

    /* 4. the vector unit */
    if (g->units.vector) {
        if ((st = g->units.vector(g->units.ud, c, op, ibiw, obiw, scalar, a, two_vec ? b : NULL,
                                  n, y, err)) != PIM_OK) {
            if (err) {
                err->core = (long)c;
                err->index = (long)(in - k->insns);
                pim_error_set_op(err, pim_op_name(op));
            }
            return st;
        }
    } else {
        pim_vec_compute(op, ibiw, obiw, g->cfg.activation_frac_bits, scalar, a, b, n, y);
    }

    /* 5. results out */
    for (uint64_t i = 0; i < nout; i++)
        pim_store_elem(mem + ad + i * dbyw, dbyw, y[i]);
    emit(g, c, in, PIM_SPACE_LMEM, c, ad, mem + ad, (uint32_t)(nout * dbyw), dbyw);
    return PIM_OK;
}

/* ------------------------------------------------------------------ matrix unit */

static pim_status exec_mvmul(pim_golden *g, uint32_t c, const pim_insn *in, pim_error *err)
{
    core *k = &g->cores[c];
    char msg[160];
    if (in->group >= k->n_groups || !k->groups[in->group]) {
        snprintf(msg, sizeof msg, "core %u has no array group %u", c, in->group);
        return fail(g, c, in, PIM_E_EXEC, "group", msg, err);
    }
    const pim_xbar_group *xg = k->groups[in->group];
    if (pim_xbar_group_mbiw(xg) != in->mbiw) {
        snprintf(msg, sizeof msg, "mbiw %u differs from array group %u's %u bits", in->mbiw,
                 in->group, pim_xbar_group_mbiw(xg));
        return fail(g, c, in, PIM_E_EXEC, "mbiw", msg, err);
    }
    const uint32_t rows = pim_xbar_group_rows(xg), cols = pim_xbar_group_cols(xg);
    const uint32_t ibyw = pim_byw(k->ibiw), obyw = pim_byw(k->obiw);
    uint64_t ax, ay;
    pim_status st;
    if ((st = check_range(g, c, in, "rs1", "local memory", k->regs[in->rs1], 0,
                          (uint64_t)rows * ibyw, g->cfg.local_mem_size, &ax, err)) ||
        (st = check_range(g, c, in, "rd", "local memory", k->regs[in->rd], 0,
                          (uint64_t)cols * obyw, g->cfg.local_mem_size, &ay, err)))
        return st;
    int64_t *x = elements(g, (size_t)rows + cols);
    if (!x)
        return fail(g, c, in, PIM_E_NOMEM, "", "out of memory", err);
    int64_t *y = x + rows;
    for (uint32_t i = 0; i < rows; i++)
        x[i] = pim_load_elem(k->lmem + ax + (uint64_t)i * ibyw, ibyw, k->ibiw);
    if (g->units.mvmul) {
        uint64_t clips = 0;
        pim_status ust = g->units.mvmul(g->units.ud, c, in->group, xg, k->ibiw, x, in->relu,
                                        k->obiw, y, &clips, err);
        if (ust != PIM_OK) {
            if (err) {
                err->core = (long)c;
                err->index = (long)(in - k->insns);
                pim_error_set_op(err, "mvmul");
            }
            return ust;
        }
        g->stats.adc_clips += clips;
    } else {
        g->stats.adc_clips += pim_xbar_mvmul(xg, &g->cfg, k->ibiw, x, in->relu, k->obiw, y);
    }
    for (uint32_t j = 0; j < cols; j++)
        pim_store_elem(k->lmem + ay + (uint64_t)j * obyw, obyw, y[j]);
    emit(g, c, in, PIM_SPACE_LMEM, c, ay, k->lmem + ay, cols * obyw, obyw);
    return PIM_OK;
}

/* ------------------------------------------------------------------ transfers */

static pim_status exec_transfer(pim_golden *g, uint32_t c, const pim_insn *in, pim_error *err)
{
    core *k = &g->cores[c];
    const uint64_t n = in->len, ls = g->cfg.local_mem_size, gs = g->cfg.global_mem_size;
    const int64_t ov = in->offset;
    const uint32_t sel = in->offset_select;
    uint64_t src, dst;
    pim_status st;
    switch (in->op) {
    case PIM_OP_LD:
        if ((st = check_range(g, c, in, "rs1", "global memory", global_addr(g, k, in->rs1),
                              (sel & 2) ? ov : 0, n, gs, &src, err)) ||
            (st = check_range(g, c, in, "rd", "local memory", k->regs[in->rd], (sel & 1) ? ov : 0,
                              n, ls, &dst, err)))
            return st;
        memcpy(k->lmem + dst, g->gmem + src, n);
        emit(g, c, in, PIM_SPACE_LMEM, c, dst, k->lmem + dst, (uint32_t)n, 1);
        return PIM_OK;
    case PIM_OP_ST:
        if ((st = check_range(g, c, in, "rs1", "local memory", k->regs[in->rs1],
                              (sel & 2) ? ov : 0, n, ls, &src, err)) ||
            (st = check_range(g, c, in, "rd", "global memory", global_addr(g, k, in->rd),
                              (sel & 1) ? ov : 0, n, gs, &dst, err)))
            return st;
        memcpy(g->gmem + dst, k->lmem + src, n);
        emit(g, c, in, PIM_SPACE_GMEM, 0, dst, g->gmem + dst, (uint32_t)n, 1);
        return PIM_OK;
    case PIM_OP_LLDI:
        if ((st = check_range(g, c, in, "rd", "local memory", k->regs[in->rd], ov, n, ls, &dst,
                              err)))
            return st;
        memset(k->lmem + dst, (int)(in->imm & 0xffu), n);
        emit(g, c, in, PIM_SPACE_LMEM, c, dst, k->lmem + dst, (uint32_t)n, 1);
        return PIM_OK;
    case PIM_OP_LMV:
        if ((st = check_range(g, c, in, "rs1", "local memory", k->regs[in->rs1],
                              (sel & 2) ? ov : 0, n, ls, &src, err)) ||
            (st = check_range(g, c, in, "rd", "local memory", k->regs[in->rd], (sel & 1) ? ov : 0,
                              n, ls, &dst, err)))
            return st;
        if (overlaps(src, n, dst, n))
            return fail(g, c, in, PIM_E_EXEC, "rd",
                        "lmv source and destination overlap (undefined)", err);
        memcpy(k->lmem + dst, k->lmem + src, n);
        emit(g, c, in, PIM_SPACE_LMEM, c, dst, k->lmem + dst, (uint32_t)n, 1);
        return PIM_OK;
    default:
        return fail(g, c, in, PIM_E_EXEC, "op", "not a transfer", err);
    }
}

/* send on core s meets recv on core r: both instructions complete. */
static pim_status rendezvous(pim_golden *g, uint32_t s, uint32_t r, pim_error *err)
{
    core *ks = &g->cores[s], *kr = &g->cores[r];
    const pim_insn *is = &ks->insns[ks->pc], *ir = &kr->insns[kr->pc];
    char msg[200];
    if (is->len != ir->len) {
        snprintf(msg, sizeof msg, "recv of %u bytes from core %u meets send of %u bytes "
                 "(core %u, instruction %llu)", ir->len, s, is->len, s,
                 (unsigned long long)ks->pc);
        return fail(g, r, ir, PIM_E_EXEC, "size", msg, err);
    }
    uint64_t src, dst;
    pim_status st;
    if ((st = check_range(g, s, is, "rs1", "local memory", ks->regs[is->rs1], is->offset,
                          is->len, g->cfg.local_mem_size, &src, err)) ||
        (st = check_range(g, r, ir, "rd", "local memory", kr->regs[ir->rd], ir->offset,
                          ir->len, g->cfg.local_mem_size, &dst, err)))
        return st;
    memcpy(kr->lmem + dst, ks->lmem + src, is->len);
    emit(g, r, ir, PIM_SPACE_LMEM, r, dst, kr->lmem + dst, is->len, 1);
    ks->pc++;
    kr->pc++;
    g->stats.executed += 2;
    g->stats.per_op[PIM_OP_SEND]++;
    g->stats.per_op[PIM_OP_RECV]++;
    return PIM_OK;
}

static const pim_insn *current(const pim_golden *g, uint32_t c)
{
    const core *k = &g->cores[c];
    return k->pc < k->n_insns ? &k->insns[k->pc] : NULL;
}

/* ------------------------------------------------------------------ step and run */

pim_status pim_golden_step(pim_golden *g, uint32_t c, pim_step_result *result, pim_error *err)
{
    core *k = &g->cores[c];
    *result = PIM_STEP_DONE;
    if (k->pc >= k->n_insns)
        return PIM_OK;
    const pim_insn *in = &k->insns[k->pc];
    pim_status st = PIM_OK;
    uint32_t *R = k->regs;
    switch (in->op) {
    case PIM_OP_NOP: break;
    case PIM_OP_SLDI: set_reg(g, c, in, in->rd, in->imm); break;
    case PIM_OP_SADD: set_reg(g, c, in, in->rd, R[in->rs1] + R[in->rs2]); break;
    case PIM_OP_SSUB: set_reg(g, c, in, in->rd, R[in->rs1] - R[in->rs2]); break;
    case PIM_OP_SMUL: set_reg(g, c, in, in->rd, R[in->rs1] * R[in->rs2]); break;
    case PIM_OP_SADDI: set_reg(g, c, in, in->rd, R[in->rs1] + in->imm); break;
    case PIM_OP_SMULI: set_reg(g, c, in, in->rd, R[in->rs1] * in->imm); break;
    case PIM_OP_SLD: {
        uint64_t a;
        st = check_range(g, c, in, "rs1", "global memory", global_addr(g, k, in->rs1), in->offset, 4,
                         g->cfg.global_mem_size, &a, err);
        if (st == PIM_OK) {
            const uint8_t *p = g->gmem + a;
            set_reg(g, c, in, in->rd,
                    (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
                        (uint32_t)p[3] << 24);
        }
        break;
    }
    case PIM_OP_SETBW: {
        k->ibiw = in->ibiw;
        k->obiw = in->obiw;
        const uint8_t b[2] = {in->ibiw, in->obiw};
        emit(g, c, in, PIM_SPACE_BW, c, 0, b, 2, 1);
        break;
    }
    case PIM_OP_MVMUL: st = exec_mvmul(g, c, in, err); break;
    case PIM_OP_LD:
    case PIM_OP_ST:
    case PIM_OP_LLDI:
    case PIM_OP_LMV: st = exec_transfer(g, c, in, err); break;
    case PIM_OP_SEND:
    case PIM_OP_RECV: {
        const pim_insn *peer = current(g, in->core);
        const unsigned want = in->op == PIM_OP_SEND ? PIM_OP_RECV : PIM_OP_SEND;
        if (!peer || peer->op != want || peer->core != c) {
            *result = PIM_STEP_BLOCKED;
            return PIM_OK;
        }
        st = in->op == PIM_OP_SEND ? rendezvous(g, c, in->core, err)
                                   : rendezvous(g, in->core, c, err);
        if (st == PIM_OK)
            *result = PIM_STEP_EXECUTED;
        return st;
    }
    case PIM_OP_WAIT:
        if (k->ev[in->ev] != in->imm) {
            *result = PIM_STEP_BLOCKED;
            return PIM_OK;
        }
        k->ev[in->ev] = 0;
        {
            const uint8_t b[4] = {0, 0, 0, 0};
            emit(g, c, in, PIM_SPACE_EVENT, c, in->ev, b, 4, 4);
        }
        break;
    case PIM_OP_SYNC: {
        core *t = &g->cores[in->core];
        const uint32_t v = ++t->ev[in->ev];
        const uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
        emit(g, c, in, PIM_SPACE_EVENT, in->core, in->ev, b, 4, 4);
        break;
    }
    default: st = exec_vector(g, c, in, err); break;
    }
    if (st != PIM_OK)
        return st;
    k->pc++;
    g->stats.executed++;
    g->stats.per_op[in->op]++;
    *result = PIM_STEP_EXECUTED;
    return PIM_OK;
}

/* What a blocked core waits for, for the deadlock report. */
static int describe_block(const pim_golden *g, uint32_t c, char *buf, size_t n)
{
    const core *k = &g->cores[c];
    const pim_insn *in = current(g, c);
    switch (in->op) {
    case PIM_OP_SEND:
        return snprintf(buf, n, "core %u at instruction %llu (send to core %u)", c,
                        (unsigned long long)k->pc, in->core);
    case PIM_OP_RECV:
        return snprintf(buf, n, "core %u at instruction %llu (recv from core %u)", c,
                        (unsigned long long)k->pc, in->core);
    default:
        return snprintf(buf, n, "core %u at instruction %llu (wait event %u == %u, holds %u)", c,
                        (unsigned long long)k->pc, in->ev, in->imm, k->ev[in->ev]);
    }
}

static pim_status own_step(void *ud, uint32_t c, pim_step_result *r, pim_error *err)
{
    return pim_golden_step(ud, c, r, err);
}

pim_status pim_golden_run(pim_golden *g, uint64_t max_insns, pim_error *err)
{
    return pim_golden_run_with(g, own_step, g, max_insns, err);
}

pim_status pim_golden_run_with(pim_golden *g, pim_step_fn step, void *ud, uint64_t max_insns,
                               pim_error *err)
{
    for (;;) {
        int progress = 0, all_done = 1;
        for (uint32_t c = 0; c < g->n; c++) {
            pim_step_result r = PIM_STEP_EXECUTED;
            while (r == PIM_STEP_EXECUTED) {
                if (max_insns && g->stats.executed >= max_insns)
                    return PIM_OK;
                pim_status st = step(ud, c, &r, err);
                if (st != PIM_OK)
                    return st;
                if (r == PIM_STEP_EXECUTED)
                    progress = 1;
            }
            if (r != PIM_STEP_DONE)
                all_done = 0;
        }
        if (all_done)
            return PIM_OK;
        if (!progress) {
            char msg[PIM_ERROR_MSG_MAX];
            size_t used = (size_t)snprintf(msg, sizeof msg, "deadlock: ");
            long first = -1;
            const char *sep = "";
            for (uint32_t c = 0; c < g->n && used < sizeof msg; c++) {
                if (!current(g, c))
                    continue;
                if (first < 0)
                    first = (long)c;
                used += (size_t)snprintf(msg + used, sizeof msg - used, "%s", sep);
                if (used < sizeof msg)
                    used += (size_t)describe_block(g, c, msg + used, sizeof msg - used);
                sep = "; ";
            }
            pim_error_set(err, PIM_E_DEADLOCK, first, (long)g->cores[first].pc, "", "%s", msg);
            pim_error_set_op(err, pim_op_name(current(g, (uint32_t)first)->op));
            return PIM_E_DEADLOCK;
        }
    }
}
