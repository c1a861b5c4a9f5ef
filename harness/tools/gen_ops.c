/*
 * gen_ops.c - one item of each instruction class (gen_internal.h): a few setup instructions
 * plus the instruction itself, every constraint of pim_gen.h kept.
 */
#include "gen_internal.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ scalar class */

void gen_scalar(gen *g, uint32_t c)
{
    gen_core *k = &g->cores[c];
    static const uint8_t ops[] = {PIM_OP_NOP,  PIM_OP_SLDI, PIM_OP_SLDI,  PIM_OP_SADD,
                                  PIM_OP_SADD, PIM_OP_SSUB, PIM_OP_SSUB,  PIM_OP_SMUL,
                                  PIM_OP_SMUL, PIM_OP_SADDI, PIM_OP_SADDI, PIM_OP_SMULI,
                                  PIM_OP_SMULI, PIM_OP_SLD, PIM_OP_SLD,   PIM_OP_SLD};
    const unsigned op = ops[rnd_below(g, sizeof ops)];
    const uint32_t rd = (uint32_t)rnd_below(g, PIM_NREGS);
    if (op == PIM_OP_NOP) {
        pim_insn in = gen_insn(op);
        gen_emit(g, c, &in);
    } else if (op == PIM_OP_SLDI) {
        gen_emit_rri(g, c, op, rd, 0, 0, gen_rnd_value(g));
    } else if (op == PIM_OP_SADD || op == PIM_OP_SSUB || op == PIM_OP_SMUL) {
        gen_emit_rri(g, c, op, rd, (uint32_t)rnd_below(g, PIM_NREGS),
                 (uint32_t)rnd_below(g, PIM_NREGS), 0);
    } else if (op == PIM_OP_SADDI || op == PIM_OP_SMULI) {
        gen_emit_rri(g, c, op, rd, (uint32_t)rnd_below(g, PIM_NREGS), 0, gen_rnd_value(g));
    } else {
        /* sld: 4 bytes of the shared read-only part or of this core's slice */
        const int own = chance(g, 40);
        opnd o = gen_opnd(own ? k->gslice_lo : 0, own ? k->gslice_hi : g->gshared, 4, 1, 1);
        o.align = 4;
        const int32_t v = gen_pick_offset(g, &o, 1);
        uint32_t mask = 0;
        pim_insn in = gen_insn(op);
        in.rs1 = (uint8_t)gen_place_pair(g, c, &o, v, &mask);
        in.rd = (uint8_t)rd;
        in.offset = v;
        gen_emit(g, c, &in);
    }
}

/* ------------------------------------------------------------------ matrix class */

static uint32_t rnd_width(gen *g)
{
    return chance(g, 40) ? 8u * (uint32_t)rnd_range(g, 1, 4) : (uint32_t)rnd_range(g, 1, 32);
}

void gen_matrix(gen *g, uint32_t c)
{
    gen_core *k = &g->cores[c];
    if (chance(g, 35) || k->n_groups == 0) {
        pim_insn in = gen_insn(PIM_OP_SETBW);
        in.ibiw = (uint8_t)rnd_width(g);
        in.obiw = (uint8_t)rnd_width(g);
        gen_emit(g, c, &in);
        return;
    }
    const gen_group *gr = &k->groups[rnd_below(g, k->n_groups)];
    const uint32_t ibyw = pim_byw(k->ibiw), obyw = pim_byw(k->obiw);
    opnd in1 = gen_opnd(0, g->L, (uint64_t)gr->rows * ibyw, ibyw, 0);
    opnd out = gen_opnd(0, g->L, (uint64_t)gr->cols * obyw, obyw, 0);
    uint32_t mask = 0;
    pim_insn in = gen_insn(PIM_OP_MVMUL);
    in.rs1 = (uint8_t)gen_place(g, c, &in1, 0, &mask);
    if (chance(g, 15) && (uint64_t)in1.addr + out.n <= g->L) {
        out.fixed = 1; /* in place: allowed, inputs are read first */
        out.addr = in1.addr;
    }
    in.rd = (uint8_t)gen_place(g, c, &out, 0, &mask);
    in.mbiw = (uint8_t)gr->mbiw;
    in.group = (uint16_t)gr->index;
    in.relu = (uint8_t)chance(g, 30);
    gen_emit(g, c, &in);
}

/* ------------------------------------------------------------------ vector class */

/* A stride in elements: 1, 0, 2..4, -1..-4 or +-(5..16). */
static int32_t rnd_stride(gen *g)
{
    const unsigned r = (unsigned)rnd_below(g, 100);
    if (r < 25)
        return 1;
    if (r < 35)
        return 0;
    if (r < 55)
        return (int32_t)rnd_range(g, 2, 4);
    if (r < 80)
        return (int32_t)rnd_range(g, -4, -1);
    const int32_t s = (int32_t)rnd_range(g, 5, 16);
    return chance(g, 50) ? s : -s;
}

/* vavg (whole memory, offset on rs1) or vmv (source span and destination on the two sides
 * of a split point, no offset). Operand rs1 is the first element; its span reaches from
 * first + min(0, (n-1)*S*ibyw) to first + max(0, (n-1)*S*ibyw) + ibyw. */
static void gen_strided(gen *g, uint32_t c, unsigned op)
{
    gen_core *k = &g->cores[c];
    const uint32_t ibyw = pim_byw(k->ibiw), obyw = pim_byw(k->obiw);
    const int32_t s = rnd_stride(g);
    const uint64_t as = (uint64_t)(s < 0 ? -(int64_t)s : s);
    const int vmv = op == PIM_OP_VMV;
    const uint64_t zelems = (vmv ? g->L / 2 : g->L) / ibyw;
    /* the source span ((n-1)*|S| + 1 elements) and, for vmv, the n destination elements
     * fit half the memory */
    const uint64_t maxn = as ? (zelems - 1) / as + 1 : zelems;
    const uint32_t n = gen_rnd_len(g, maxn, vmv ? 5 : 0);
    const uint32_t len = (!vmv && n == 0) ? 1 : n; /* vavg of 0 elements is an error */
    const uint64_t ext = len ? (uint64_t)(len - 1) * as * ibyw : 0; /* first to last */
    const uint64_t span = ext + ibyw, dbytes = vmv ? (uint64_t)len * ibyw : obyw;
    uint32_t mask = 0;
    pim_insn in = gen_insn(op);
    in.len = len;
    opnd src, dst;
    if (vmv) {
        const int src_low = chance(g, 50);
        const uint64_t p = src_low ? gen_split_point(g, span, dbytes) : gen_split_point(g, dbytes, span);
        src = gen_opnd(src_low ? 0 : p, src_low ? p : g->L, span, ibyw, 0);
        dst = gen_opnd(src_low ? p : 0, src_low ? g->L : p, dbytes, ibyw, 0);
    } else {
        src = gen_opnd(0, g->L, span, ibyw, 1);
        dst = gen_opnd(0, g->L, dbytes, obyw, 0);
    }
    /* the operand is the first element: shift the window by the span's extent below it */
    if (s < 0) {
        src.lo += ext;
        src.hi += ext;
    }
    src.wild = dst.wild = len == 0 && chance(g, 50); /* vmv of nothing checks nothing */
    const int32_t v = vmv ? 0 : gen_pick_offset(g, &src, 1);
    in.rs1 = (uint8_t)gen_place(g, c, &src, v, &mask);
    in.rs2 = (uint8_t)gen_get_reg(g, c, (uint32_t)s, &mask);
    in.rd = (uint8_t)gen_place(g, c, &dst, 0, &mask);
    in.offset = v;
    gen_emit(g, c, &in);
}

void gen_vector(gen *g, uint32_t c)
{
    static const uint8_t ops[] = {PIM_OP_VVADD, PIM_OP_VVSUB, PIM_OP_VVMUL, PIM_OP_VVDMUL,
                                  PIM_OP_VVMAX, PIM_OP_VVSLL, PIM_OP_VVSRA, PIM_OP_VAVG,
                                  PIM_OP_VRELU, PIM_OP_VTANH, PIM_OP_VSIGM, PIM_OP_VMV,
                                  PIM_OP_VRSU,  PIM_OP_VRSL};
    const unsigned op = ops[rnd_below(g, sizeof ops)];
    if (op == PIM_OP_VAVG || op == PIM_OP_VMV) {
        gen_strided(g, c, op);
        return;
    }
    gen_core *k = &g->cores[c];
    const uint32_t ibyw = pim_byw(k->ibiw), obyw = pim_byw(k->obiw);
    const int two_vec = op <= PIM_OP_VVSRA; /* vvadd..vvsra, vvdmul */
    const int reduce = op == PIM_OP_VVDMUL;
    const int vrs = op == PIM_OP_VRSU || op == PIM_OP_VRSL;
    const uint32_t dbyw = (op == PIM_OP_VVADD || op == PIM_OP_VVSUB || op == PIM_OP_VVMAX ||
                           op == PIM_OP_VRELU) ? ibyw : obyw;
    const int disjoint = vrs && obyw > ibyw;
    const uint64_t room = disjoint ? g->L / 2 : g->L;
    const uint32_t n = gen_rnd_len(g, room / (ibyw > dbyw ? ibyw : dbyw), 5);
    const uint64_t nout = reduce ? 1 : n;
    const unsigned sel = (unsigned)rnd_below(g, 8);
    opnd o[3]; /* rs1, rs2, rd */
    o[0] = gen_opnd(0, g->L, (uint64_t)n * ibyw, ibyw, (sel & 2) != 0);
    o[1] = gen_opnd(0, g->L, (uint64_t)n * ibyw, ibyw, two_vec && (sel & 4));
    o[2] = gen_opnd(0, g->L, nout * dbyw, dbyw, !reduce && (sel & 1));
    if (disjoint) {
        /* input and output on the two sides of a split point */
        const int in_low = chance(g, 50);
        const uint64_t p = in_low ? gen_split_point(g, o[0].n, o[2].n) : gen_split_point(g, o[2].n, o[0].n);
        o[0].lo = in_low ? 0 : p;
        o[0].hi = in_low ? p : g->L;
        o[2].lo = in_low ? p : 0;
        o[2].hi = in_low ? g->L : p;
    }
    if (n == 0 && chance(g, 40)) { /* nothing is read: any source address passes */
        o[0].wild = o[1].wild = 1;
        o[2].wild = !reduce; /* vvdmul still writes its one element */
    }
    const int32_t v = gen_pick_offset(g, o, 3);
    uint32_t mask = 0;
    pim_insn in = gen_insn(op);
    in.len = n;
    in.offset_select = (uint8_t)sel;
    in.offset = v;
    in.rs1 = (uint8_t)gen_place(g, c, &o[0], v, &mask);
    if (two_vec) {
        if (chance(g, 10) && !o[0].wild) {
            o[1].fixed = 1; /* a op a */
            o[1].addr = o[0].addr;
        }
        in.rs2 = (uint8_t)gen_place(g, c, &o[1], v, &mask);
    } else if (vrs) {
        /* the bound: any register (known or not), or one set to a value near the range */
        const int r = gen_free_reg(g, mask, -1);
        if (chance(g, 70)) {
            const int64_t h = (int64_t)1 << (k->ibiw - 1);
            const uint32_t b = chance(g, 80) ? (uint32_t)rnd_range(g, -h - 2, h + 1) : gen_rnd_value(g);
            gen_set_reg(g, c, (uint32_t)r, b, mask);
        }
        mask |= 1u << r;
        in.rs2 = (uint8_t)r;
    }
    if (!disjoint && !o[0].wild && chance(g, 15) && (uint64_t)o[0].addr + o[2].n <= g->L) {
        o[2].fixed = 1; /* in place */
        o[2].addr = o[0].addr;
    }
    in.rd = (uint8_t)gen_place(g, c, &o[2], v, &mask);
    gen_emit(g, c, &in);
}

/* ------------------------------------------------------------------ transfer class */

/* Byte count: 0 sometimes, mostly short, rarely up to max (<= 2047). */
static uint32_t rnd_size(gen *g, uint64_t max)
{
    if (max > 2047)
        max = 2047;
    if (max == 0 || chance(g, 5))
        return 0;
    const unsigned r = (unsigned)rnd_below(g, 100);
    uint64_t hi = r < 50 ? 32 : r < 90 ? 256 : max;
    if (hi > max)
        hi = max;
    return (uint32_t)rnd_range(g, 1, (int64_t)hi);
}

static void gen_ldst(gen *g, uint32_t c, unsigned op)
{
    const int st = op == PIM_OP_ST;
    const gen_core *k = &g->cores[c];
    /* ld reads the shared part or the own slice; st writes the own slice only */
    const int shared = !st && chance(g, 50);
    const uint64_t glo = shared ? 0 : k->gslice_lo, ghi = shared ? g->gshared : k->gslice_hi;
    const uint32_t size = rnd_size(g, ghi - glo);
    const unsigned sel = (unsigned)rnd_below(g, 8);
    /* ld: rd (bit 0) local, rs1 (bit 1) global; st: rd global, rs1 local */
    opnd o[2]; /* [0] the global side, [1] the local side */
    o[0] = gen_opnd(glo, ghi, size, 1, (sel & (st ? 1u : 2u)) != 0);
    o[1] = gen_opnd(0, g->L, size, 1, (sel & (st ? 2u : 1u)) != 0);
    o[0].align = o[1].align = 4;
    if (size == 0 && chance(g, 40))
        o[0].wild = o[1].wild = 1;
    const int32_t v = gen_pick_offset(g, o, 2);
    uint32_t mask = 0;
    pim_insn in = gen_insn(op);
    in.len = size;
    in.offset_select = (uint8_t)sel;
    in.offset = v;
    const uint32_t pair = gen_place_pair(g, c, &o[0], v, &mask);
    const uint32_t loc = gen_place(g, c, &o[1], v, &mask);
    in.rd = (uint8_t)(st ? pair : loc);
    in.rs1 = (uint8_t)(st ? loc : pair);
    gen_emit(g, c, &in);
}

static void gen_lldi(gen *g, uint32_t c)
{
    const uint32_t size = rnd_size(g, g->L);
    opnd o = gen_opnd(0, g->L, size, 1, 1);
    o.wild = size == 0 && chance(g, 40);
    const int32_t v = gen_pick_offset(g, &o, 1);
    uint32_t mask = 0;
    pim_insn in = gen_insn(PIM_OP_LLDI);
    in.len = size;
    in.offset = v;
    in.imm = (uint32_t)rnd_below(g, 256);
    in.rd = (uint8_t)gen_place(g, c, &o, v, &mask);
    gen_emit(g, c, &in);
}

/* lmv: source and destination on the two sides of a split point, so they never intersect. */
static void gen_lmv(gen *g, uint32_t c)
{
    const uint32_t size = rnd_size(g, g->L / 2);
    const unsigned sel = (unsigned)rnd_below(g, 8);
    const int src_low = chance(g, 50);
    const uint64_t p = gen_split_point(g, size, size);
    opnd o[2]; /* rs1 (source, bit 1), rd (destination, bit 0) */
    o[0] = gen_opnd(src_low ? 0 : p, src_low ? p : g->L, size, 1, (sel & 2) != 0);
    o[1] = gen_opnd(src_low ? p : 0, src_low ? g->L : p, size, 1, (sel & 1) != 0);
    o[0].align = o[1].align = 4;
    const int32_t v = gen_pick_offset(g, o, 2);
    uint32_t mask = 0;
    pim_insn in = gen_insn(PIM_OP_LMV);
    in.len = size;
    in.offset_select = (uint8_t)sel;
    in.offset = v;
    in.rs1 = (uint8_t)gen_place(g, c, &o[0], v, &mask);
    in.rd = (uint8_t)gen_place(g, c, &o[1], v, &mask);
    gen_emit(g, c, &in);
}

/* send on c, the matching recv on a random other core, same size, same place in the order. */
static void gen_sendrecv(gen *g, uint32_t c)
{
    uint32_t t = (uint32_t)rnd_below(g, g->ncores - 1);
    if (t >= c)
        t++;
    const uint32_t size = rnd_size(g, g->L);
    opnd os = gen_opnd(0, g->L, size, 1, 1), orx = gen_opnd(0, g->L, size, 1, 1);
    os.align = orx.align = 4;
    const int32_t vs = gen_pick_offset(g, &os, 1), vr = gen_pick_offset(g, &orx, 1);
    uint32_t ms = 0, mr = 0;
    pim_insn s = gen_insn(PIM_OP_SEND), r = gen_insn(PIM_OP_RECV);
    s.rs1 = (uint8_t)gen_place(g, c, &os, vs, &ms);
    s.core = t;
    s.len = size;
    s.offset = vs;
    r.rd = (uint8_t)gen_place(g, t, &orx, vr, &mr);
    r.core = c;
    r.len = size;
    r.offset = vr;
    gen_emit(g, c, &s);
    gen_emit(g, t, &r);
}

void gen_transfer(gen *g, uint32_t c)
{
    const unsigned r = (unsigned)rnd_below(g, g->ncores > 1 ? 11 : 8);
    if (r < 2)
        gen_ldst(g, c, PIM_OP_LD);
    else if (r < 4)
        gen_ldst(g, c, PIM_OP_ST);
    else if (r < 6)
        gen_lldi(g, c);
    else if (r < 8)
        gen_lmv(g, c);
    else
        gen_sendrecv(g, c);
}

/* ------------------------------------------------------------------ sync class */

static void emit_sync(gen *g, uint32_t c, gen_plan *p)
{
    pim_insn in = gen_insn(PIM_OP_SYNC);
    in.ev = (uint8_t)p->ev;
    in.core = p->target;
    gen_emit(g, c, &in);
    p->done++;
}

static void emit_wait(gen *g, gen_plan *p)
{
    pim_insn in = gen_insn(PIM_OP_WAIT);
    in.ev = (uint8_t)p->ev;
    in.imm = p->need;
    gen_emit(g, p->target, &in);
    p->waited = 1;
}

/* Claims a free event register of some core (random start); 0 when all are taken. */
static int new_plan(gen *g, uint32_t c)
{
    const uint32_t t0 = (uint32_t)rnd_below(g, g->ncores), e0 = (uint32_t)rnd_below(g, 32);
    for (uint32_t i = 0; i < g->ncores; i++) {
        const uint32_t t = (t0 + i) % g->ncores;
        if (g->cores[t].ev_used == 0xffffffffu)
            continue;
        uint32_t e = e0;
        while (g->cores[t].ev_used & (1u << e))
            e = (e + 1) % 32;
        if (g->n_plans == g->cap_plans) {
            const size_t cap = g->cap_plans ? 2 * g->cap_plans : 16;
            gen_plan *np = realloc(g->plans, cap * sizeof *np);
            if (!np) {
                g->jb.oom = 1;
                return 0;
            }
            g->plans = np;
            g->cap_plans = cap;
        }
        gen_plan *p = &g->plans[g->n_plans++];
        g->cores[t].ev_used |= 1u << e;
        p->target = t;
        p->ev = e;
        p->need = chance(g, 70) ? 1u : (uint32_t)rnd_range(g, 2, 3);
        p->done = 0;
        p->waited = 0;
        p->will_wait = chance(g, 90);
        emit_sync(g, c, p);
        return 1;
    }
    return 0;
}

void gen_syncwait(gen *g, uint32_t c)
{
    /* a wait on c whose syncs are all placed earlier */
    if (chance(g, 60))
        for (size_t i = 0; i < g->n_plans; i++) {
            gen_plan *p = &g->plans[i];
            if (p->target == c && p->will_wait && !p->waited && p->done == p->need) {
                emit_wait(g, p);
                return;
            }
        }
    /* one more sync for an unfinished plan */
    if (chance(g, 50)) {
        size_t open[64], n = 0;
        for (size_t i = 0; i < g->n_plans && n < 64; i++)
            if (g->plans[i].done < g->plans[i].need)
                open[n++] = i;
        if (n) {
            emit_sync(g, c, &g->plans[open[rnd_below(g, n)]]);
            return;
        }
    }
    if (!new_plan(g, c)) {
        pim_insn in = gen_insn(PIM_OP_NOP);
        gen_emit(g, c, &in);
    }
}

/* Completes every plan at the end: the missing syncs, then the waits. */
void gen_finish_plans(gen *g)
{
    for (size_t i = 0; i < g->n_plans; i++) {
        gen_plan *p = &g->plans[i];
        while (p->done < p->need)
            emit_sync(g, (uint32_t)rnd_below(g, g->ncores), p);
        if (p->will_wait && !p->waited)
            emit_wait(g, p);
    }
}

