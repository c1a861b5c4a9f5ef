/*
 * gen_state.c - the generator's machinery (gen_internal.h): random numbers from the seed,
 * instructions emitted as strict JSON, the per-core register model, and address operands
 * placed so that register + offset lands where the generator chose.
 */
#include "gen_internal.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ random numbers */

/* A 32-bit value with edge cases over-represented. */
uint32_t gen_rnd_value(gen *g)
{
    const unsigned r = (unsigned)rnd_below(g, 100);
    if (r < 30)
        return (uint32_t)(int32_t)rnd_range(g, -16, 16);
    if (r < 50) {
        const uint32_t p = 1u << rnd_below(g, 32);
        const uint32_t v = p + (uint32_t)rnd_range(g, -1, 1);
        return chance(g, 50) ? v : (uint32_t)0 - v;
    }
    if (r < 60) {
        static const uint32_t edges[] = {0u, 0x7fffffffu, 0x80000000u, 0xffffffffu, 1u};
        return edges[rnd_below(g, sizeof edges / sizeof edges[0])];
    }
    return (uint32_t)rnd(g);
}

/* Element count: mostly short, sometimes long, rarely the maximum; 0 with zero_pct. */
uint32_t gen_rnd_len(gen *g, uint64_t max, unsigned zero_pct)
{
    if (max > 2047)
        max = 2047;
    if (max == 0 || chance(g, zero_pct))
        return 0;
    const unsigned r = (unsigned)rnd_below(g, 100);
    uint64_t hi = r < 40 ? 8 : r < 85 ? 64 : r < 98 ? 256 : max;
    if (hi > max)
        hi = max;
    return (uint32_t)rnd_range(g, 1, (int64_t)hi);
}

/* A start address in [lo, hi - n] (hi - lo >= n), often at the edges or aligned to align. */
static uint64_t pick_addr(gen *g, uint64_t lo, uint64_t hi, uint64_t n, uint32_t align)
{
    const uint64_t last = hi - n;
    const unsigned r = (unsigned)rnd_below(g, 100);
    if (r < 5)
        return lo;
    if (r < 10)
        return last;
    uint64_t a = (uint64_t)rnd_range(g, (int64_t)lo, (int64_t)last);
    if (r < 60 && align > 1 && a - lo >= a % align)
        a -= a % align;
    return a;
}

/* ------------------------------------------------------------------ emitting instructions */

/* The model effect of an instruction: registers of scalar ops, widths of setbw. */
static void model_apply(gen_core *k, const pim_insn *in)
{
    const uint32_t b1 = 1u << in->rs1, b2 = 1u << in->rs2, bd = 1u << in->rd;
    const uint32_t a = k->regs[in->rs1], b = k->regs[in->rs2];
    int known = 1;
    uint32_t v = 0;
    switch (in->op) {
    case PIM_OP_SLDI: v = in->imm; break;
    case PIM_OP_SADD: v = a + b; known = (k->known & b1) && (k->known & b2); break;
    case PIM_OP_SSUB: v = a - b; known = (k->known & b1) && (k->known & b2); break;
    case PIM_OP_SMUL: v = a * b; known = (k->known & b1) && (k->known & b2); break;
    case PIM_OP_SADDI: v = a + in->imm; known = (k->known & b1) != 0; break;
    case PIM_OP_SMULI: v = a * in->imm; known = (k->known & b1) != 0; break;
    case PIM_OP_SLD: known = 0; break;
    case PIM_OP_SETBW: k->ibiw = in->ibiw; k->obiw = in->obiw; return;
    default: return;
    }
    k->regs[in->rd] = v;
    k->known = known ? (k->known | bd) : (k->known & ~bd);
}

/* Appends *in to core c's stream as strict JSON (every field the op takes, in table order)
 * and applies its effect on the model. Wait keeps its value in imm. */
void gen_emit(gen *g, uint32_t c, const pim_insn *in)
{
    gen_core *k = &g->cores[c];
    const uint32_t f = pim_op_fields(in->op);
    cJSON *o = cJSON_CreateObject();
    if (!o) {
        g->jb.oom = 1;
        return;
    }
    pim_jb_str(&g->jb, o, "op", pim_op_name(in->op));
    if (f & PIM_F_RD)
        pim_jb_num(&g->jb, o, PIM_KEY(RD), in->rd);
    if (f & PIM_F_RS1)
        pim_jb_num(&g->jb, o, PIM_KEY(RS1), in->rs1);
    if (f & PIM_F_RS2)
        pim_jb_num(&g->jb, o, PIM_KEY(RS2), in->rs2);
    if (f & PIM_F_IMM) {
        /* both spellings of a high value are valid: 4294967295 and -1 */
        const int neg = in->imm >= 0x80000000u && chance(g, 50);
        pim_jb_num(&g->jb, o, PIM_KEY(IMM), neg ? (double)(int32_t)in->imm : (double)in->imm);
    }
    if (f & PIM_F_BYTE) {
        const uint32_t b = in->imm & 0xffu;
        pim_jb_num(&g->jb, o, PIM_KEY(IMM), b >= 128 && chance(g, 30) ? (double)b - 256.0 : (double)b);
    }
    if (f & PIM_F_LEN)
        pim_jb_num(&g->jb, o, PIM_KEY(LEN), in->len);
    if (f & PIM_F_SIZE)
        pim_jb_num(&g->jb, o, PIM_KEY(SIZE), in->len);
    if (f & PIM_F_CORE)
        pim_jb_num(&g->jb, o, PIM_KEY(CORE), in->core);
    if (f & PIM_F_MBIW)
        pim_jb_num(&g->jb, o, PIM_KEY(MBIW), in->mbiw);
    if (f & PIM_F_GROUP)
        pim_jb_num(&g->jb, o, PIM_KEY(GROUP), in->group);
    if (f & PIM_F_RELU)
        pim_jb_num(&g->jb, o, PIM_KEY(RELU), in->relu);
    if (f & PIM_F_IBIW)
        pim_jb_num(&g->jb, o, PIM_KEY(IBIW), in->ibiw);
    if (f & PIM_F_OBIW)
        pim_jb_num(&g->jb, o, PIM_KEY(OBIW), in->obiw);
    if (f & PIM_F_EV)
        pim_jb_num(&g->jb, o, PIM_KEY(EV), in->ev);
    if (f & PIM_F_WVAL)
        pim_jb_num(&g->jb, o, PIM_KEY(WVAL), in->imm);
    if (f & PIM_F_SOFF)
        pim_jb_num(&g->jb, o, PIM_KEY(SOFF), in->offset);
    if (f & PIM_F_OFFVAL) {
        cJSON *off = pim_jb_obj(&g->jb, o, "offset");
        if (off) {
            /* a bare offset ignores offset_select: write 0, sometimes a random one */
            const unsigned sel = (f & PIM_F_OFFSEL) ? in->offset_select
                                 : chance(g, 25)   ? (unsigned)rnd_below(g, 8)
                                                   : 0u;
            pim_jb_num(&g->jb, off, PIM_KEY(OFFSEL), sel);
            pim_jb_num(&g->jb, off, PIM_KEY(OFFVAL), in->offset);
        }
    }
    pim_jb_add(&g->jb, k->insns, NULL, o);
    k->count++;
    model_apply(k, in);
}

pim_insn gen_insn(unsigned op)
{
    pim_insn in;
    memset(&in, 0, sizeof in);
    in.op = (uint8_t)op;
    return in;
}

void gen_emit_rri(gen *g, uint32_t c, unsigned op, uint32_t rd, uint32_t rs1, uint32_t rs2,
                     uint32_t imm)
{
    pim_insn in = gen_insn(op);
    in.rd = (uint8_t)rd;
    in.rs1 = (uint8_t)rs1;
    in.rs2 = (uint8_t)rs2;
    in.imm = imm;
    gen_emit(g, c, &in);
}

/* ------------------------------------------------------------------ registers */

/* A random register not in mask and not `not`, or -1 when none. */
int gen_free_reg(gen *g, uint32_t mask, int not)
{
    uint32_t cand[PIM_NREGS], n = 0;
    for (uint32_t r = 0; r < PIM_NREGS; r++)
        if (!(mask & (1u << r)) && (int)r != not)
            cand[n++] = r;
    return n ? (int)cand[rnd_below(g, n)] : -1;
}

/* A random known register (any), or -1. */
static int known_reg(gen *g, const gen_core *k, int not)
{
    uint32_t cand[PIM_NREGS], n = 0;
    for (uint32_t r = 0; r < PIM_NREGS; r++)
        if ((k->known & (1u << r)) && (int)r != not)
            cand[n++] = r;
    return n ? (int)cand[rnd_below(g, n)] : -1;
}

/* Makes register r of core c hold v, emitting setup instructions that write only r (and a
 * temporary not in mask, for smul). Registers in mask are never written. */
void gen_set_reg(gen *g, uint32_t c, uint32_t r, uint32_t v, uint32_t mask)
{
    gen_core *k = &g->cores[c];
    if ((k->known & (1u << r)) && k->regs[r] == v)
        return;
    const unsigned pick = (unsigned)rnd_below(g, 100);
    const int src = known_reg(g, k, -1), other = known_reg(g, k, (int)r);
    if (pick < 35 || src < 0) {
        gen_emit_rri(g, c, PIM_OP_SLDI, r, 0, 0, v);
    } else if (pick < 65) {
        gen_emit_rri(g, c, PIM_OP_SADDI, r, (uint32_t)src, 0, v - k->regs[src]);
    } else if (pick < 75 && other >= 0) {
        const uint32_t x = k->regs[other];
        gen_emit_rri(g, c, PIM_OP_SLDI, r, 0, 0, v - x);
        if (chance(g, 50))
            gen_emit_rri(g, c, PIM_OP_SADD, r, r, (uint32_t)other, 0);
        else
            gen_emit_rri(g, c, PIM_OP_SADD, r, (uint32_t)other, r, 0);
    } else if (pick < 85 && other >= 0) {
        gen_emit_rri(g, c, PIM_OP_SLDI, r, 0, 0, v + k->regs[other]);
        gen_emit_rri(g, c, PIM_OP_SSUB, r, r, (uint32_t)other, 0);
    } else {
        /* v = q * m for a power of two m dividing v (m = 1 when v is odd) */
        uint32_t m = 1u << rnd_below(g, 5);
        while (m > 1 && v % m)
            m >>= 1;
        const int t = gen_free_reg(g, mask | (1u << r), -1);
        if (pick < 93 || t < 0) {
            gen_emit_rri(g, c, PIM_OP_SLDI, r, 0, 0, v / m);
            gen_emit_rri(g, c, PIM_OP_SMULI, r, r, 0, m);
        } else {
            gen_emit_rri(g, c, PIM_OP_SLDI, (uint32_t)t, 0, 0, m);
            gen_emit_rri(g, c, PIM_OP_SLDI, r, 0, 0, v / m);
            gen_emit_rri(g, c, PIM_OP_SMUL, r, (uint32_t)t, r, 0);
        }
    }
}

/* A register of core c holding v, added to *mask: shares one already in *mask holding v,
 * or reuses a known one, or sets a free one. */
uint32_t gen_get_reg(gen *g, uint32_t c, uint32_t v, uint32_t *mask)
{
    gen_core *k = &g->cores[c];
    const int share = chance(g, 80), reuse = chance(g, 50);
    for (uint32_t r = 0; r < PIM_NREGS; r++) {
        const uint32_t b = 1u << r;
        const int ok = (*mask & b) ? share : reuse;
        if ((k->known & b) && k->regs[r] == v && ok) {
            *mask |= b;
            return r;
        }
    }
    const int r = gen_free_reg(g, *mask, -1);
    gen_set_reg(g, c, (uint32_t)r, v, *mask);
    *mask |= 1u << r;
    return (uint32_t)r;
}

/* An even register pair (high word 0, low word v) for a global address, added to *mask. */
static uint32_t get_pair(gen *g, uint32_t c, uint32_t v, uint32_t *mask)
{
    uint32_t cand[PIM_NREGS / 2], n = 0;
    for (uint32_t r = 0; r < PIM_NREGS; r += 2)
        if (!(*mask & (3u << r)))
            cand[n++] = r;
    const uint32_t r = cand[rnd_below(g, n)]; /* at most 6 registers are ever masked */
    gen_set_reg(g, c, r, 0, *mask | (3u << r));
    gen_set_reg(g, c, r + 1, v, *mask | (3u << r));
    *mask |= 3u << r;
    return r;
}

/* ------------------------------------------------------------------ operands and offsets */


opnd gen_opnd(uint64_t lo, uint64_t hi, uint64_t n, uint32_t unit, int applies)
{
    opnd o;
    memset(&o, 0, sizeof o);
    o.lo = lo;
    o.hi = hi;
    o.n = n;
    o.unit = unit;
    o.align = unit;
    o.applies = applies;
    return o;
}

static int64_t opnd_delta(const opnd *o, int64_t v)
{
    return o->applies ? v * (int64_t)o->unit : 0;
}

/* An offset value (strict range) that every operand can absorb: a register value
 * addr - delta in [0, 2^32) exists for an addr in range. */
int32_t gen_pick_offset(gen *g, const opnd *ops, size_t n)
{
    for (int attempt = 0; attempt < 6; attempt++) {
        const unsigned r = (unsigned)rnd_below(g, 100);
        int64_t v = 0;
        if (r < 35) {
            v = 0;
        } else if (r < 75) {
            v = rnd_range(g, -16, 16);
        } else if (r < 88) {
            /* the offset carries (almost) the whole address: small register values */
            for (size_t i = 0; i < n; i++)
                if (ops[i].applies && !ops[i].wild && !ops[i].fixed) {
                    v = rnd_range(g, (int64_t)(ops[i].lo / ops[i].unit),
                                  (int64_t)((ops[i].hi - ops[i].n) / ops[i].unit));
                    break;
                }
        } else if (r < 95) {
            v = -rnd_range(g, 1, 1 << 20); /* large register values, pulled back */
        } else {
            v = rnd_range(g, PIM_OFFVAL_MIN, PIM_OFFVAL_MAX);
        }
        int ok = 1;
        for (size_t i = 0; i < n && ok; i++) {
            const opnd *o = &ops[i];
            const int64_t d = opnd_delta(o, v);
            if (o->wild)
                continue;
            if (o->fixed)
                ok = o->addr - d >= 0 && o->addr - d <= (int64_t)UINT32_MAX;
            else
                ok = d <= (int64_t)(o->hi - o->n); /* some addr >= d: register >= 0 */
        }
        if (ok)
            return (int32_t)v;
    }
    return 0;
}

/* Chooses the register of operand *o for offset v (added to *mask) and sets o->addr:
 * often a known register that already reaches a valid address, else a fresh address in
 * [max(lo, delta), hi - n] and a register set to addr - delta. */
uint32_t gen_place(gen *g, uint32_t c, opnd *o, int32_t v, uint32_t *mask)
{
    gen_core *k = &g->cores[c];
    const int64_t d = opnd_delta(o, v);
    if (o->wild) {
        o->addr = 0;
        if (chance(g, 50)) { /* any register, known or not */
            const uint32_t r = (uint32_t)rnd_below(g, PIM_NREGS);
            if (!(*mask & (1u << r)) || (k->known & (1u << r))) {
                *mask |= 1u << r;
                return r;
            }
        }
        return gen_get_reg(g, c, (uint32_t)rnd(g), mask);
    }
    if (o->fixed && o->addr - d >= 0 && o->addr - d <= (int64_t)UINT32_MAX)
        return gen_get_reg(g, c, (uint32_t)(o->addr - d), mask);
    const int64_t lo = (int64_t)o->lo > d ? (int64_t)o->lo : d;
    const int64_t last = (int64_t)(o->hi - o->n);
    if (chance(g, 60)) {
        uint32_t cand[PIM_NREGS], n = 0;
        for (uint32_t r = 0; r < PIM_NREGS; r++) {
            const int64_t a = (int64_t)k->regs[r] + d;
            if ((k->known & (1u << r)) && a >= lo && a <= last)
                cand[n++] = r;
        }
        if (n) {
            const uint32_t r = cand[rnd_below(g, n)];
            *mask |= 1u << r;
            o->addr = (int64_t)k->regs[r] + d;
            return r;
        }
    }
    o->addr = (int64_t)pick_addr(g, (uint64_t)lo, o->hi, o->n, o->align);
    return gen_get_reg(g, c, (uint32_t)(o->addr - d), mask);
}

/* The same for a global operand: an even register pair (high word 0). */
uint32_t gen_place_pair(gen *g, uint32_t c, opnd *o, int32_t v, uint32_t *mask)
{
    gen_core *k = &g->cores[c];
    const int64_t d = opnd_delta(o, v);
    if (!o->wild) {
        const int64_t lo = (int64_t)o->lo > d ? (int64_t)o->lo : d;
        const int64_t last = (int64_t)(o->hi - o->n);
        if (chance(g, 60)) {
            uint32_t cand[PIM_NREGS / 2], n = 0;
            for (uint32_t r = 0; r < PIM_NREGS; r += 2) {
                const int64_t a = (int64_t)k->regs[r + 1] + d;
                if ((k->known & (3u << r)) == (3u << r) && k->regs[r] == 0 && a >= lo &&
                    a <= last)
                    cand[n++] = r;
            }
            if (n) {
                const uint32_t r = cand[rnd_below(g, n)];
                *mask |= 3u << r;
                o->addr = (int64_t)k->regs[r + 1] + d;
                return r;
            }
        }
        o->addr = (int64_t)pick_addr(g, (uint64_t)lo, o->hi, o->n, o->align);
    } else {
        o->addr = d + (int64_t)rnd_below(g, 1u << 20);
    }
    return get_pair(g, c, (uint32_t)(o->addr - d), mask);
}

/* A split point p of [0, L) with a bytes below and b bytes above (a + b <= L). */
uint64_t gen_split_point(gen *g, uint64_t a, uint64_t b)
{
    return chance(g, 50) ? g->L / 2 : (uint64_t)rnd_range(g, (int64_t)a, (int64_t)(g->L - b));
}

