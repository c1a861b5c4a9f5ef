/*
 * lockstep.c - the golden model and the design under test, instruction by instruction
 * (pim_harness.h).
 *
 * Two machines run the same program: `ref` with the golden units, `dut` with the RTL units
 * (pim_rtl). The scheduler (pim_golden_run_with on ref) picks a core; the step function
 * executes that core's next instruction on both, and compares the writes each reported
 * (space, owner, address, bytes). Scalar and transfer instructions execute in the harness
 * on both sides; every mvmul goes through the tile and every vector instruction through
 * the vector unit on the dut side.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pim_harness.h"
#include "pim_isa.h"

typedef struct wrec {
    pim_write w;  /* data points into the log's buffer (fixed up after growth) */
    size_t off;
} wrec;

typedef struct wlog {
    wrec *v;
    size_t n, cap;
    uint8_t *buf;
    size_t used, bcap;
    int oom;
} wlog;

static void log_write(void *ud, const pim_write *w)
{
    wlog *l = ud;
    if (l->oom)
        return;
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 16;
        wrec *q = realloc(l->v, cap * sizeof *q);
        if (!q) {
            l->oom = 1;
            return;
        }
        l->v = q;
        l->cap = cap;
    }
    if (l->used + w->len > l->bcap) {
        size_t cap = l->bcap ? l->bcap : 4096;
        while (cap < l->used + w->len)
            cap *= 2;
        uint8_t *q = realloc(l->buf, cap);
        if (!q) {
            l->oom = 1;
            return;
        }
        l->buf = q;
        l->bcap = cap;
    }
    memcpy(l->buf + l->used, w->data, w->len);
    l->v[l->n].w = *w;
    l->v[l->n].off = l->used;
    l->n++;
    l->used += w->len;
}

typedef struct ctx {
    pim_golden *ref, *dut;
    pim_rtl *rtl;
    wlog lr, ld;
    pim_lockstep_report *rep;
} ctx;

static const char *unit_of(unsigned op)
{
    if (op == PIM_OP_MVMUL)
        return "pim_xbar_tile";
    if (pim_op_class(op) == PIM_CLASS_VECTOR)
        return "pim_vector_unit";
    return "harness";
}

static const char *space_name(unsigned s)
{
    switch (s) {
    case PIM_SPACE_REG: return "register";
    case PIM_SPACE_EVENT: return "event";
    case PIM_SPACE_BW: return "widths";
    case PIM_SPACE_LMEM: return "LMem";
    default: return "GMem";
    }
}

static int64_t elem_value(const uint8_t *p, uint32_t n)
{
    uint64_t v = 0;
    for (uint32_t i = 0; i < n && i < 8; i++)
        v |= (uint64_t)p[i] << (8 * i);
    if (n >= 8)
        return (int64_t)v;
    const uint64_t m = (uint64_t)1 << (8 * n - 1);
    return (int64_t)((v ^ m) - m);
}

static uint64_t rtl_cycles(const ctx *x)
{
    return pim_rtl_tile_cycles_total(x->rtl) + pim_rtl_vu_cycles_total(x->rtl);
}

/* Records a divergence between write a (ref) and b (dut; NULL: missing). */
static pim_status diverge(ctx *x, uint32_t c, uint64_t index, unsigned op, const pim_write *a,
                          const uint8_t *ad, const pim_write *b, const uint8_t *bd,
                          pim_error *err)
{
    pim_divergence *d = &x->rep->div;
    memset(d, 0, sizeof *d);
    x->rep->diverged = 1;
    d->core = c;
    d->index = index;
    snprintf(d->op, sizeof d->op, "%s", pim_op_name(op));
    snprintf(d->unit, sizeof d->unit, "%s", unit_of(op));
    d->cycle = rtl_cycles(x);
    if (a && b && a->space == b->space && a->owner == b->owner && a->addr == b->addr &&
        a->len == b->len) {
        const uint32_t eb = a->elem_bytes ? a->elem_bytes : 1;
        uint32_t k = 0;
        while (k < a->len && ad[k] == bd[k])
            k++;
        const uint32_t e = k / eb;
        snprintf(d->what, sizeof d->what, "%s", space_name(a->space));
        d->owner = a->owner;
        d->element = e;
        d->elem_bytes = eb;
        d->addr = a->space == PIM_SPACE_REG || a->space == PIM_SPACE_EVENT ? a->addr
                                                                           : a->addr + (uint64_t)e * eb;
        d->expected = elem_value(ad + (size_t)e * eb, eb);
        d->actual = elem_value(bd + (size_t)e * eb, eb);
    } else {
        snprintf(d->what, sizeof d->what, "writes");
        if (a) {
            d->owner = a->owner;
            d->addr = a->addr;
        }
        d->expected = a ? (int64_t)a->len : -1;
        d->actual = b ? (int64_t)b->len : -1;
    }
    char line[PIM_ERROR_MSG_MAX];
    pim_divergence_format(d, line, sizeof line);
    pim_error_set(err, PIM_E_MISMATCH, (long)c, (long)index, "", "%s", line);
    pim_error_set_op(err, d->op);
    return PIM_E_MISMATCH;
}

static pim_status step_both(void *ud, uint32_t c, pim_step_result *r, pim_error *err)
{
    ctx *x = ud;
    const uint64_t index = pim_golden_pc(x->ref, c);
    x->lr.n = x->lr.used = 0;
    x->ld.n = x->ld.used = 0;
    pim_step_result rd;
    pim_error derr;
    pim_error_clear(&derr);
    const pim_status sr = pim_golden_step(x->ref, c, r, err);
    const pim_status sd = pim_golden_step(x->dut, c, &rd, &derr);
    if (x->lr.oom || x->ld.oom)
        return pim_error_set(err, PIM_E_NOMEM, (long)c, (long)index, "", "out of memory");
    if (sr != PIM_OK || sd != PIM_OK) {
        if (sd == PIM_E_MISMATCH) { /* the RTL unit failed (protocol, hang) */
            *err = derr;
            x->rep->diverged = 1;
            memset(&x->rep->div, 0, sizeof x->rep->div);
            x->rep->div.core = c;
            x->rep->div.index = index;
            snprintf(x->rep->div.op, sizeof x->rep->div.op, "%s", derr.op);
            snprintf(x->rep->div.unit, sizeof x->rep->div.unit, "%s",
                     unit_of((unsigned)pim_op_from_name(derr.op)));
            snprintf(x->rep->div.what, sizeof x->rep->div.what, "protocol");
            x->rep->div.cycle = rtl_cycles(x);
            return PIM_E_MISMATCH;
        }
        if (sr == sd)
            return sr; /* both sides refuse the same way: the run's own error */
        return pim_error_set(err, PIM_E_MISMATCH, (long)c, (long)index, "",
                             "the golden model %s but the design under test %s",
                             sr == PIM_OK ? "executed" : pim_status_name(sr),
                             sd == PIM_OK ? "executed" : pim_status_name(sd));
    }
    if (*r != rd)
        return pim_error_set(err, PIM_E_MISMATCH, (long)c, (long)index, "",
                             "the golden model and the design under test scheduled differently");
    if (*r != PIM_STEP_EXECUTED)
        return PIM_OK;
    const size_t n = x->lr.n > x->ld.n ? x->lr.n : x->ld.n;
    for (size_t i = 0; i < n; i++) {
        const wrec *a = i < x->lr.n ? &x->lr.v[i] : NULL;
        const wrec *b = i < x->ld.n ? &x->ld.v[i] : NULL;
        const uint8_t *ad = a ? x->lr.buf + a->off : NULL, *bd = b ? x->ld.buf + b->off : NULL;
        if (!a || !b || a->w.space != b->w.space || a->w.owner != b->w.owner ||
            a->w.addr != b->w.addr || a->w.len != b->w.len || memcmp(ad, bd, a->w.len) != 0) {
            const pim_write *wa = a ? &a->w : NULL, *wb = b ? &b->w : NULL;
            const unsigned op = wa ? wa->op : wb->op;
            const uint32_t core = wa ? wa->core : wb->core;
            const uint64_t idx = wa ? wa->index : wb->index;
            return diverge(x, core, idx, op, wa, ad, wb, bd, err);
        }
        x->rep->writes++;
        if (a->w.op == PIM_OP_MVMUL)
            x->rep->mvmuls++;
        else if (pim_op_class(a->w.op) == PIM_CLASS_VECTOR)
            x->rep->vector_elems += a->w.len / (a->w.elem_bytes ? a->w.elem_bytes : 1);
    }
    return PIM_OK;
}

pim_status pim_lockstep_run(const pim_program *p, pim_rtl *rtl, uint64_t max_insns,
                            pim_lockstep_report *rep, pim_golden **ref_out, pim_error *err)
{
    memset(rep, 0, sizeof *rep);
    *ref_out = NULL;
    ctx x;
    memset(&x, 0, sizeof x);
    x.rtl = rtl;
    x.rep = rep;
    pim_status st = pim_golden_new(&p->cfg, &x.ref, err);
    if (st == PIM_OK)
        st = pim_golden_new(&p->cfg, &x.dut, err);
    if (st == PIM_OK)
        st = pim_golden_load(x.ref, p, 1, 0, err);
    if (st == PIM_OK)
        st = pim_golden_load(x.dut, p, 1, 0, err);
    if (st == PIM_OK) {
        pim_rtl_forget(rtl); /* groups of an earlier program may share addresses with these */
        pim_golden_set_units(x.dut, pim_rtl_units(rtl));
        pim_golden_set_observer(x.ref, log_write, &x.lr);
        pim_golden_set_observer(x.dut, log_write, &x.ld);
        const uint64_t t0 = pim_rtl_tile_cycles_total(rtl), v0 = pim_rtl_vu_cycles_total(rtl);
        st = pim_golden_run_with(x.ref, step_both, &x, max_insns, err);
        rep->insns = pim_golden_get_stats(x.ref)->executed;
        rep->tile_cycles = pim_rtl_tile_cycles_total(rtl) - t0;
        rep->vu_cycles = pim_rtl_vu_cycles_total(rtl) - v0;
        pim_golden_set_observer(x.ref, NULL, NULL);
    }
    pim_golden_free(x.dut);
    free(x.lr.v);
    free(x.lr.buf);
    free(x.ld.v);
    free(x.ld.buf);
    *ref_out = x.ref;
    return st;
}

char *pim_divergence_format(const pim_divergence *d, char *buf, size_t n)
{
    if (strcmp(d->what, "writes") == 0)
        snprintf(buf, n,
                 "divergence at core %u, instruction %llu (%s) in %s, cycle %llu: the golden "
                 "model wrote %lld bytes, the design under test %lld",
                 d->core, (unsigned long long)d->index, d->op, d->unit,
                 (unsigned long long)d->cycle, (long long)d->expected, (long long)d->actual);
    else if (strcmp(d->what, "protocol") == 0)
        snprintf(buf, n, "%s failed at core %u, instruction %llu (%s), cycle %llu", d->unit,
                 d->core, (unsigned long long)d->index, d->op, (unsigned long long)d->cycle);
    else
        snprintf(buf, n,
                 "divergence at core %u, instruction %llu (%s) in %s, cycle %llu: %s of core %u, "
                 "element %llu at 0x%llx: expected %lld, got %lld",
                 d->core, (unsigned long long)d->index, d->op, d->unit,
                 (unsigned long long)d->cycle, d->what, d->owner, (unsigned long long)d->element,
                 (unsigned long long)d->addr, (long long)d->expected, (long long)d->actual);
    return buf;
}
