/*
 * lockstep.c - the golden model and the design under test, instruction by instruction
 * (pim_lockstep.h).
 *
 * Two machines run the same program: `ref` with the golden units, `dut` with the RTL units
 * (pim_rtl). The scheduler (pim_golden_run_with on ref) picks a core; the step function
 * executes that core's next instruction on both, and compares the writes each reported
 * (space, owner, address, bytes). Scalar and transfer instructions execute in the harness
 * on both sides; every mvmul goes through the tile and every vector instruction through
 * the vector unit on the dut side.
 */
#include "pim_lockstep.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pim_isa.h"
#include "pim_util.h"
#include "pim_xbar.h"

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

/* The operands of the last call into an RTL unit (copied: the machine reuses its buffers). */
typedef struct operands {
    unsigned op;
    uint32_t ibiw, obiw, relu;
    int64_t scalar;
    uint64_t n;      /* elements of a (vector) or x (mvmul) */
    int has_b;
    int64_t *a, *b;  /* a / x, b */
    size_t cap;
    const struct pim_xbar_group *xg;
} operands;

#define RECENT 8

typedef struct ctx {
    pim_golden *ref, *dut;
    pim_rtl *rtl;
    wlog lr, ld;
    pim_lockstep_report *rep;
    const pim_program *p;
    pim_units units;          /* the dut's units: the RTL's, recording operands */
    operands last;
    uint64_t recent[RECENT];  /* last instruction indices executed on recent_core */
    uint32_t recent_seen[RECENT][3]; /* their rd, rs1, rs2 as they executed (see_regs) */
    uint32_t seen[3];         /* the instruction of this step's, likewise */
    uint32_t recent_core;
    int recent_n;
    const pim_lockstep_opts *o;
    uint64_t next_progress;
    double t0;
} ctx;

static int keep_operands(operands *o, uint64_t n, const int64_t *a, const int64_t *b)
{
    if (n > o->cap) {
        int64_t *na = realloc(o->a, n * sizeof *na), *nb;
        if (!na)
            return -1;
        o->a = na;
        if (!(nb = realloc(o->b, n * sizeof *nb)))
            return -1;
        o->b = nb;
        o->cap = n;
    }
    if (n)
        memcpy(o->a, a, n * sizeof *a);
    if (b && n)
        memcpy(o->b, b, n * sizeof *b);
    o->n = n;
    o->has_b = b != NULL;
    return 0;
}

static pim_status rec_mvmul(void *ud, uint32_t core, uint32_t group, const struct pim_xbar_group *xg,
                            uint32_t ibiw, const int64_t *x, uint32_t relu, uint32_t obiw,
                            int64_t *y, uint64_t *clips, pim_error *err)
{
    ctx *c = ud;
    const pim_units *u = pim_rtl_units(c->rtl);
    c->last.op = PIM_OP_MVMUL;
    c->last.ibiw = ibiw;
    c->last.obiw = obiw;
    c->last.relu = relu;
    c->last.xg = xg;
    keep_operands(&c->last, pim_xbar_group_rows(xg), x, NULL);
    const double t = pim_now();
    const pim_status st = u->mvmul(u->ud, core, group, xg, ibiw, x, relu, obiw, y, clips, err);
    c->rep->tile_secs += pim_now() - t;
    return st;
}

static pim_status rec_vector(void *ud, uint32_t core, unsigned op, uint32_t ibiw, uint32_t obiw,
                             int64_t scalar, const int64_t *a, const int64_t *b, uint64_t n,
                             int64_t *y, pim_error *err)
{
    ctx *c = ud;
    const pim_units *u = pim_rtl_units(c->rtl);
    c->last.op = op;
    c->last.ibiw = ibiw;
    c->last.obiw = obiw;
    c->last.scalar = scalar;
    c->last.xg = NULL;
    keep_operands(&c->last, n, a, b);
    const double t = pim_now();
    const pim_status st = u->vector(u->ud, core, op, ibiw, obiw, scalar, a, b, n, y, err);
    c->rep->vu_secs += pim_now() - t;
    c->rep->vector_insns++;
    return st;
}

/* The registers an instruction names as it executed: rs1 and rs2 before it ran, rd after
 * when it writes rd (the scalar ops), else before. before[] holds rd, rs1, rs2 before. */
static void see_regs(const ctx *x, uint32_t c, const pim_insn *in, const uint32_t before[3],
                     uint32_t seen[3])
{
    const int writes_rd = pim_op_class(in->op) == PIM_CLASS_SCALAR && in->op != PIM_OP_NOP;
    seen[0] = writes_rd ? pim_golden_reg(x->ref, c, in->rd) : before[0];
    seen[1] = before[1];
    seen[2] = before[2];
}

/* One instruction of core c in words, with its registers as it executed (seen: rd, rs1,
 * rs2). */
static size_t describe_insn(const ctx *x, uint32_t c, uint64_t i, const uint32_t seen[3],
                            char *buf, size_t n)
{
    const pim_insn *in = &x->p->insns[c][i];
    uint32_t regs[PIM_NREGS];
    for (uint32_t r = 0; r < PIM_NREGS; r++)
        regs[r] = pim_golden_reg(x->ref, c, r);
    regs[in->rs2] = seen[2];
    regs[in->rs1] = seen[1];
    regs[in->rd] = seen[0];
    return pim_insn_describe(in, i, regs, buf, n);
}

/* The report's context: recent instructions on the core, and the operands of element e. */
static void describe_context(ctx *x, uint32_t c, uint64_t index, uint64_t e)
{
    char *buf = x->rep->context;
    const size_t n = sizeof x->rep->context;
    size_t k = (size_t)snprintf(buf, n, "last instructions on core %u:", c);
    const int m = x->recent_core == c ? x->recent_n : 0;
    for (int i = m > RECENT ? m - RECENT : 0; i < m && k < n; i++) {
        k += (size_t)snprintf(buf + k, n - k, "\n  ");
        if (k < n)
            k += describe_insn(x, c, x->recent[i % RECENT], x->recent_seen[i % RECENT], buf + k,
                               n - k);
    }
    if (k < n)
        k += (size_t)snprintf(buf + k, n - k, "\n> ");
    if (k < n)
        k += describe_insn(x, c, index, x->seen, buf + k, n - k);
    const operands *o = &x->last;
    if (k >= n || o->n == 0)
        return;
    if (o->op == PIM_OP_MVMUL && o->xg) {
        const uint32_t rows = pim_xbar_group_rows(o->xg), cols = pim_xbar_group_cols(o->xg);
        k += (size_t)snprintf(buf + k, n - k,
                              "\noperands: group %ux%u, mbiw %u, ibiw %u, obiw %u, relu %u; x =",
                              rows, cols, pim_xbar_group_mbiw(o->xg), o->ibiw, o->obiw, o->relu);
        for (uint64_t i = 0; i < o->n && i < 12 && k < n; i++)
            k += (size_t)snprintf(buf + k, n - k, " %lld", (long long)o->a[i]);
        if (o->n > 12 && k < n)
            k += (size_t)snprintf(buf + k, n - k, " ... (%llu)", (unsigned long long)o->n);
        if (e < cols && k < n) {
            k += (size_t)snprintf(buf + k, n - k, "; column %llu weights =", (unsigned long long)e);
            for (uint32_t i = 0; i < rows && i < 12 && k < n; i++)
                k += (size_t)snprintf(buf + k, n - k, " %d", pim_xbar_group_weight(o->xg, i, (uint32_t)e));
        }
    } else if (o->op != PIM_OP_MVMUL) {
        const uint64_t j = e < o->n ? e : 0;
        k += (size_t)snprintf(buf + k, n - k, "\noperands of element %llu: a = %lld",
                              (unsigned long long)j, (long long)o->a[j]);
        if (o->has_b && k < n)
            k += (size_t)snprintf(buf + k, n - k, ", b = %lld", (long long)o->b[j]);
        if (k < n)
            snprintf(buf + k, n - k, " (ibiw %u, obiw %u, scalar %lld, %llu elements)", o->ibiw,
                     o->obiw, (long long)o->scalar, (unsigned long long)o->n);
    }
}

/* The unit cycle counters into *d, its cycle from its unit's. */
static void set_cycles(const ctx *x, pim_divergence *d)
{
    d->tile_cycle = pim_rtl_tile_cycles_total(x->rtl);
    d->vu_cycle = pim_rtl_vu_cycles_total(x->rtl);
    d->cycle = d->unit == PIM_UNIT_TILE ? d->tile_cycle : d->vu_cycle;
    d->beat_cycle = d->cycle;
    d->lane = 0;
    if (d->kind == PIM_DIV_VALUE && (d->unit == PIM_UNIT_TILE || d->unit == PIM_UNIT_VU))
        d->beat_cycle = pim_rtl_beat_cycle(x->rtl, d->unit == PIM_UNIT_VU, d->op, d->element,
                                           &d->lane);
}

/* Records a divergence between write a (ref) and b (dut; either NULL: missing). */
static pim_status diverge(ctx *x, const pim_write *a, const uint8_t *ad, const pim_write *b,
                          const uint8_t *bd, pim_error *err)
{
    pim_divergence *d = &x->rep->div;
    pim_divergence_from_writes(d, a, ad, b, bd);
    x->rep->diverged = 1;
    set_cycles(x, d);
    describe_context(x, d->core, d->index, d->element);
    char line[PIM_ERROR_MSG_MAX];
    pim_divergence_format(d, line, sizeof line);
    pim_error_set(err, PIM_E_MISMATCH, (long)d->core, (long)d->index, "", "%s", line);
    pim_error_set_op(err, pim_op_name(d->op));
    return PIM_E_MISMATCH;
}

/* An RTL unit failed on instruction index of core c: a wrong output count is a divergence
 * of its own kind, anything else (hang, handshake, assertion, an output's form) a protocol
 * failure whose words are the unit's. */
static pim_status unit_failed(ctx *x, uint32_t c, uint64_t index, const pim_error *derr,
                              pim_error *err)
{
    *err = *derr;
    pim_divergence *d = &x->rep->div;
    memset(d, 0, sizeof *d);
    x->rep->diverged = 1;
    const pim_rtl_failure *f = pim_rtl_last_failure(x->rtl);
    d->kind = f->kind == PIM_RTL_FAIL_COUNT ? PIM_DIV_COUNT : PIM_DIV_PROTOCOL;
    d->core = c;
    d->index = index;
    d->element = f->element;
    d->expected = f->expected;
    d->actual = f->actual;
    const int op = pim_op_from_name(derr->op);
    d->op = (uint8_t)(op < 0 ? 0 : op);
    d->unit = (uint8_t)pim_unit_of_op(d->op);
    set_cycles(x, d);
    if (d->kind == PIM_DIV_COUNT) {
        describe_context(x, c, index, 0);
        char line[PIM_ERROR_MSG_MAX];
        pim_divergence_format(d, line, sizeof line);
        pim_error_set(err, PIM_E_MISMATCH, (long)c, (long)index, "", "%s", line);
        pim_error_set_op(err, pim_op_name(d->op));
    }
    return PIM_E_MISMATCH;
}

/* The mvmul at index of core c: its ADC clips, golden (expected) and RTL (actual), differ. */
static pim_status clips_diverge(ctx *x, uint32_t c, uint64_t index, uint64_t expected,
                                uint64_t actual, pim_error *err)
{
    pim_divergence *d = &x->rep->div;
    memset(d, 0, sizeof *d);
    x->rep->diverged = 1;
    d->kind = PIM_DIV_CLIPS;
    d->core = c;
    d->owner = c;
    d->index = index;
    d->op = PIM_OP_MVMUL;
    d->unit = PIM_UNIT_TILE;
    d->expected = (int64_t)expected;
    d->actual = (int64_t)actual;
    set_cycles(x, d);
    describe_context(x, c, index, UINT64_MAX);
    char line[PIM_ERROR_MSG_MAX];
    pim_divergence_format(d, line, sizeof line);
    pim_error_set(err, PIM_E_MISMATCH, (long)c, (long)index, "", "%s", line);
    pim_error_set_op(err, "mvmul");
    return PIM_E_MISMATCH;
}

static pim_status step_both(void *ud, uint32_t c, pim_step_result *r, pim_error *err)
{
    ctx *x = ud;
    if (pim_rtl_stop_requested(x->rtl))
        return pim_error_set(err, PIM_E_IO, (long)c, (long)pim_golden_pc(x->ref, c), "",
                             "interrupted (timeout or signal); the waves were closed");
    const uint64_t index = pim_golden_pc(x->ref, c);
    x->lr.n = x->lr.used = 0;
    x->ld.n = x->ld.used = 0;
    pim_step_result rd;
    pim_error derr;
    pim_error_clear(&derr);
    const uint64_t clips_r = pim_golden_get_stats(x->ref)->adc_clips;
    const uint64_t clips_d = pim_golden_get_stats(x->dut)->adc_clips;
    const pim_insn *in = index < x->p->n_insns[c] ? &x->p->insns[c][index] : NULL;
    uint32_t before[3] = {0, 0, 0};
    if (in) {
        before[0] = pim_golden_reg(x->ref, c, in->rd);
        before[1] = pim_golden_reg(x->ref, c, in->rs1);
        before[2] = pim_golden_reg(x->ref, c, in->rs2);
    }
    const double t = pim_now();
    const pim_status sr = pim_golden_step(x->ref, c, r, err);
    x->rep->ref_secs += pim_now() - t;
    const pim_status sd = pim_golden_step(x->dut, c, &rd, &derr);
    if (in)
        see_regs(x, c, in, before, x->seen);
    if (x->lr.oom || x->ld.oom)
        return pim_error_set(err, PIM_E_NOMEM, (long)c, (long)index, "", "out of memory");
    if (sr != PIM_OK || sd != PIM_OK) {
        if (sd == PIM_E_MISMATCH) /* the RTL unit failed (protocol, hang) */
            return unit_failed(x, c, index, &derr, err);
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
            return diverge(x, a ? &a->w : NULL, ad, b ? &b->w : NULL, bd, err);
        }
        x->rep->writes++;
        if (a->w.op == PIM_OP_MVMUL)
            x->rep->mvmuls++;
        else if (pim_op_class(a->w.op) == PIM_CLASS_VECTOR)
            x->rep->vector_elems += a->w.len / (a->w.elem_bytes ? a->w.elem_bytes : 1);
    }
    if (x->recent_core != c) {
        x->recent_core = c;
        x->recent_n = 0;
    }
    memcpy(x->recent_seen[x->recent_n % RECENT], x->seen, sizeof x->seen);
    x->recent[x->recent_n++ % RECENT] = index;
    const uint64_t dr = pim_golden_get_stats(x->ref)->adc_clips - clips_r;
    const uint64_t dd = pim_golden_get_stats(x->dut)->adc_clips - clips_d;
    if (dr != dd)
        return clips_diverge(x, c, index, dr, dd, err);
    if (x->o->progress && pim_golden_get_stats(x->ref)->executed >= x->next_progress) {
        x->rep->insns = pim_golden_get_stats(x->ref)->executed;
        x->rep->run_secs = pim_now() - x->t0;
        x->next_progress = x->rep->insns + (x->o->progress_every ? x->o->progress_every : 65536);
        x->o->progress(x->o->progress_ud, x->rep);
    }
    return PIM_OK;
}

pim_status pim_lockstep_run(const pim_program *p, pim_rtl *rtl, uint64_t max_insns,
                            pim_lockstep_report *rep, pim_golden **ref_out, pim_error *err)
{
    pim_lockstep_opts o;
    memset(&o, 0, sizeof o);
    o.max_insns = max_insns;
    o.seed = 1;
    return pim_lockstep_run_opts(p, rtl, &o, rep, ref_out, NULL, err);
}

pim_status pim_lockstep_run_opts(const pim_program *p, pim_rtl *rtl, const pim_lockstep_opts *o,
                                 pim_lockstep_report *rep, pim_golden **ref_out,
                                 pim_golden **dut_out, pim_error *err)
{
    memset(rep, 0, sizeof *rep);
    *ref_out = NULL;
    if (dut_out)
        *dut_out = NULL;
    ctx x;
    memset(&x, 0, sizeof x);
    x.rtl = rtl;
    x.rep = rep;
    x.o = o;
    x.t0 = pim_now();
    x.next_progress = o->progress_every ? o->progress_every : 65536;
    pim_status st = pim_golden_new(&p->cfg, &x.ref, err);
    if (st == PIM_OK)
        st = pim_golden_new(&p->cfg, &x.dut, err);
    if (st == PIM_OK)
        st = pim_golden_load(x.ref, p, o->seed, o->fill_gmem, err);
    if (st == PIM_OK)
        st = pim_golden_load(x.dut, p, o->seed, o->fill_gmem, err);
    if (st == PIM_OK) {
        /* a reset design for every run: nothing of an earlier program (its groups, whose
         * addresses these may share, or any state) reaches this one, and cycles start at 0 */
        pim_rtl_begin(rtl, p->id);
        x.p = p;
        x.units.ud = &x;
        x.units.mvmul = rec_mvmul;
        x.units.vector = rec_vector;
        x.recent_core = UINT32_MAX;
        pim_golden_set_units(x.dut, &x.units);
        pim_golden_set_observer(x.ref, log_write, &x.lr);
        pim_golden_set_observer(x.dut, log_write, &x.ld);
        const uint64_t t0 = pim_rtl_tile_cycles_total(rtl), v0 = pim_rtl_vu_cycles_total(rtl);
        st = pim_golden_run_with(x.ref, step_both, &x, o->max_insns, err);
        rep->insns = pim_golden_get_stats(x.ref)->executed;
        rep->tile_cycles = pim_rtl_tile_cycles_total(rtl) - t0;
        rep->vu_cycles = pim_rtl_vu_cycles_total(rtl) - v0;
        pim_golden_set_observer(x.ref, NULL, NULL);
        pim_golden_set_observer(x.dut, NULL, NULL);
        pim_golden_set_units(x.dut, NULL);
    }
    rep->run_secs = pim_now() - x.t0;
    if (dut_out)
        *dut_out = x.dut;
    else
        pim_golden_free(x.dut);
    free(x.lr.v);
    free(x.lr.buf);
    free(x.ld.v);
    free(x.ld.buf);
    free(x.last.a);
    free(x.last.b);
    *ref_out = x.ref;
    return st;
}
