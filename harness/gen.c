/*
 * gen.c - `pimcosim gen`: constrained-random conformance vectors (include/pim_gen.h).
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
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cJSON.h>

#include "pim_arith.h"
#include "pim_config.h"
#include "pim_gen.h"
#include "pim_golden.h"
#include "pim_isa.h"
#include "pim_load.h"
#include "pim_program.h"
#include "pim_status.h"

static const char *const k_class_names[PIM_GEN_NCLASSES] = {"scalar", "matrix", "vector",
                                                            "transfer", "sync"};

static const char *k_gen_usage =
    "usage: pimcosim gen --seed S [--insns N] [--cores C] [--config PATH]\n"
    "                    [--weights scalar=W,matrix=W,vector=W,transfer=W,sync=W]\n"
    "                    [--id ID] [--compact] [--expect] [-o FILE]\n"
    "\n"
    "Writes one constrained-random conformance vector (docs/vectors.md) that runs to\n"
    "completion: every op of the ISA, addresses in range, no undefined overlap, send/recv\n"
    "and sync/wait in one global order (no deadlock), random initial memories, registers\n"
    "and array groups. The same seed and options give the same bytes on every machine.\n"
    "\n"
    "  --seed S        generator seed (required)\n"
    "  --insns N       instructions per core, roughly (default 200, 1..100000)\n"
    "  --cores C       cores (default 2, 1..256)\n"
    "  --config PATH   PIMSIM-NN architecture config (default: the defaults); memories are\n"
    "                  capped at 8192 bytes local, 65536 global; written inline\n"
    "  --weights LIST  class weights 0..1000 (default scalar=2,matrix=2,vector=4,\n"
    "                  transfer=2,sync=1; classes not listed keep their default)\n"
    "  --id ID         vector id (default gen.seed-S)\n"
    "  --compact       unformatted JSON (default: pretty)\n"
    "  --expect        fill \"expected\" from a golden run (default: {}, the run must end\n"
    "                  without error; lockstep checks every write)\n"
    "  -o FILE         output file (default: stdout)\n"
    "\n"
    "Exit: 0 written, 2 bad option or write failure (one line on stderr).\n";

/* ------------------------------------------------------------------ generator state */

#define GEN_MAX_GROUPS 3
#define GEN_HEX_CHUNK 1024u

typedef struct gen_group {
    uint32_t index, mbiw, rows, cols;
} gen_group;

typedef struct gen_core {
    cJSON *insns;          /* this core's instruction array (owned by the document) */
    uint32_t count;        /* instructions emitted */
    uint32_t regs[PIM_NREGS];
    uint32_t known;        /* bit r: regs[r] is the register's value */
    uint32_t ibiw, obiw;
    uint32_t n_groups;
    gen_group groups[GEN_MAX_GROUPS];
    uint32_t ev_used;      /* bit e: event e of this core belongs to a plan */
    uint64_t gslice_lo, gslice_hi; /* this core's private global slice */
} gen_core;

typedef struct gen_plan {
    uint32_t target, ev, need, done, waited, will_wait;
} gen_plan;

typedef struct gen {
    uint64_t rng;
    pim_config cfg;
    uint32_t ncores;
    uint64_t L, G, gshared;
    gen_core *cores;
    gen_plan *plans;
    size_t n_plans, cap_plans;
    int nomem;
} gen;

/* ------------------------------------------------------------------ random numbers */

static uint64_t rnd(gen *g)
{
    return pim_splitmix64(&g->rng);
}

/* Uniform-ish in [0, n) (0 when n == 0). */
static uint64_t rnd_below(gen *g, uint64_t n)
{
    return n ? rnd(g) % n : 0;
}

/* Uniform-ish in [lo, hi], lo <= hi. */
static int64_t rnd_range(gen *g, int64_t lo, int64_t hi)
{
    return lo + (int64_t)rnd_below(g, (uint64_t)(hi - lo) + 1u);
}

static int chance(gen *g, unsigned pct)
{
    return rnd_below(g, 100) < pct;
}

/* A 32-bit value with edge cases over-represented. */
static uint32_t rnd_value(gen *g)
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
static uint32_t rnd_len(gen *g, uint64_t max, unsigned zero_pct)
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

/* ------------------------------------------------------------------ JSON helpers */

static void add_num(gen *g, cJSON *obj, const char *key, double v)
{
    if (!cJSON_AddNumberToObject(obj, key, v))
        g->nomem = 1;
}

static void add_str(gen *g, cJSON *obj, const char *key, const char *s)
{
    if (!cJSON_AddStringToObject(obj, key, s))
        g->nomem = 1;
}

static cJSON *add_obj(gen *g, cJSON *obj, const char *key)
{
    cJSON *o = cJSON_AddObjectToObject(obj, key);
    if (!o)
        g->nomem = 1;
    return o;
}

static cJSON *add_arr(gen *g, cJSON *obj, const char *key)
{
    cJSON *o = cJSON_AddArrayToObject(obj, key);
    if (!o)
        g->nomem = 1;
    return o;
}

static void append(gen *g, cJSON *arr, cJSON *item)
{
    if (!item || !arr || !cJSON_AddItemToArray(arr, item)) {
        cJSON_Delete(item);
        g->nomem = 1;
    }
}

/* Adds hex regions of at most GEN_HEX_CHUNK bytes covering bytes[0..n) at base. */
static void add_hex_regions(gen *g, cJSON *arr, uint64_t base, const uint8_t *bytes, uint64_t n)
{
    static const char hexd[] = "0123456789abcdef";
    char *hex = malloc(2 * GEN_HEX_CHUNK + 1);
    if (!hex) {
        g->nomem = 1;
        return;
    }
    for (uint64_t at = 0; at < n; at += GEN_HEX_CHUNK) {
        const uint64_t len = n - at < GEN_HEX_CHUNK ? n - at : GEN_HEX_CHUNK;
        for (uint64_t i = 0; i < len; i++) {
            hex[2 * i] = hexd[bytes[at + i] >> 4];
            hex[2 * i + 1] = hexd[bytes[at + i] & 15];
        }
        hex[2 * len] = '\0';
        cJSON *r = cJSON_CreateObject();
        if (r) {
            add_num(g, r, "addr", (double)(base + at));
            add_str(g, r, "hex", hex);
        }
        append(g, arr, r);
    }
    free(hex);
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
static void emit(gen *g, uint32_t c, const pim_insn *in)
{
    gen_core *k = &g->cores[c];
    const uint32_t f = pim_op_fields(in->op);
    cJSON *o = cJSON_CreateObject();
    if (!o) {
        g->nomem = 1;
        return;
    }
    add_str(g, o, "op", pim_op_name(in->op));
    if (f & PIM_F_RD)
        add_num(g, o, "rd", in->rd);
    if (f & PIM_F_RS1)
        add_num(g, o, "rs1", in->rs1);
    if (f & PIM_F_RS2)
        add_num(g, o, "rs2", in->rs2);
    if (f & PIM_F_IMM) {
        /* both spellings of a high value are valid: 4294967295 and -1 */
        const int neg = in->imm >= 0x80000000u && chance(g, 50);
        add_num(g, o, "imm", neg ? (double)(int32_t)in->imm : (double)in->imm);
    }
    if (f & PIM_F_BYTE) {
        const uint32_t b = in->imm & 0xffu;
        add_num(g, o, "imm", b >= 128 && chance(g, 30) ? (double)b - 256.0 : (double)b);
    }
    if (f & PIM_F_LEN)
        add_num(g, o, "len", in->len);
    if (f & PIM_F_SIZE)
        add_num(g, o, "size", in->len);
    if (f & PIM_F_CORE)
        add_num(g, o, "core", in->core);
    if (f & PIM_F_MBIW)
        add_num(g, o, "mbiw", in->mbiw);
    if (f & PIM_F_GROUP)
        add_num(g, o, "group", in->group);
    if (f & PIM_F_RELU)
        add_num(g, o, "relu", in->relu);
    if (f & PIM_F_IBIW)
        add_num(g, o, "ibiw", in->ibiw);
    if (f & PIM_F_OBIW)
        add_num(g, o, "obiw", in->obiw);
    if (f & PIM_F_EV)
        add_num(g, o, "event_register", in->ev);
    if (f & PIM_F_WVAL)
        add_num(g, o, "wait_value", in->imm);
    if (f & PIM_F_SOFF)
        add_num(g, o, "offset_value", in->offset);
    if (f & PIM_F_OFFVAL) {
        cJSON *off = add_obj(g, o, "offset");
        if (off) {
            /* a bare offset ignores offset_select: write 0, sometimes a random one */
            const unsigned sel = (f & PIM_F_OFFSEL) ? in->offset_select
                                 : chance(g, 25)   ? (unsigned)rnd_below(g, 8)
                                                   : 0u;
            add_num(g, off, "offset_select", sel);
            add_num(g, off, "offset_value", in->offset);
        }
    }
    append(g, k->insns, o);
    k->count++;
    model_apply(k, in);
}

static pim_insn insn(unsigned op)
{
    pim_insn in;
    memset(&in, 0, sizeof in);
    in.op = (uint8_t)op;
    return in;
}

static void emit_rri(gen *g, uint32_t c, unsigned op, uint32_t rd, uint32_t rs1, uint32_t rs2,
                     uint32_t imm)
{
    pim_insn in = insn(op);
    in.rd = (uint8_t)rd;
    in.rs1 = (uint8_t)rs1;
    in.rs2 = (uint8_t)rs2;
    in.imm = imm;
    emit(g, c, &in);
}

/* ------------------------------------------------------------------ registers */

/* A random register not in mask and not `not`, or -1 when none. */
static int free_reg(gen *g, uint32_t mask, int not)
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
static void set_reg(gen *g, uint32_t c, uint32_t r, uint32_t v, uint32_t mask)
{
    gen_core *k = &g->cores[c];
    if ((k->known & (1u << r)) && k->regs[r] == v)
        return;
    const unsigned pick = (unsigned)rnd_below(g, 100);
    const int src = known_reg(g, k, -1), other = known_reg(g, k, (int)r);
    if (pick < 35 || src < 0) {
        emit_rri(g, c, PIM_OP_SLDI, r, 0, 0, v);
    } else if (pick < 65) {
        emit_rri(g, c, PIM_OP_SADDI, r, (uint32_t)src, 0, v - k->regs[src]);
    } else if (pick < 75 && other >= 0) {
        const uint32_t x = k->regs[other];
        emit_rri(g, c, PIM_OP_SLDI, r, 0, 0, v - x);
        if (chance(g, 50))
            emit_rri(g, c, PIM_OP_SADD, r, r, (uint32_t)other, 0);
        else
            emit_rri(g, c, PIM_OP_SADD, r, (uint32_t)other, r, 0);
    } else if (pick < 85 && other >= 0) {
        emit_rri(g, c, PIM_OP_SLDI, r, 0, 0, v + k->regs[other]);
        emit_rri(g, c, PIM_OP_SSUB, r, r, (uint32_t)other, 0);
    } else {
        /* v = q * m for a power of two m dividing v (m = 1 when v is odd) */
        uint32_t m = 1u << rnd_below(g, 5);
        while (m > 1 && v % m)
            m >>= 1;
        const int t = free_reg(g, mask | (1u << r), -1);
        if (pick < 93 || t < 0) {
            emit_rri(g, c, PIM_OP_SLDI, r, 0, 0, v / m);
            emit_rri(g, c, PIM_OP_SMULI, r, r, 0, m);
        } else {
            emit_rri(g, c, PIM_OP_SLDI, (uint32_t)t, 0, 0, m);
            emit_rri(g, c, PIM_OP_SLDI, r, 0, 0, v / m);
            emit_rri(g, c, PIM_OP_SMUL, r, (uint32_t)t, r, 0);
        }
    }
}

/* A register of core c holding v, added to *mask: shares one already in *mask holding v,
 * or reuses a known one, or sets a free one. */
static uint32_t get_reg(gen *g, uint32_t c, uint32_t v, uint32_t *mask)
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
    const int r = free_reg(g, *mask, -1);
    set_reg(g, c, (uint32_t)r, v, *mask);
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
    set_reg(g, c, r, 0, *mask | (3u << r));
    set_reg(g, c, r + 1, v, *mask | (3u << r));
    *mask |= 3u << r;
    return r;
}

/* ------------------------------------------------------------------ operands and offsets */

/* One address operand of an instruction: where its register + offset may point. */
typedef struct opnd {
    uint64_t lo, hi;  /* the bytes [addr, addr + n) must lie in [lo, hi) */
    uint64_t n;       /* bytes touched from addr (for a strided span: see gen_strided) */
    uint32_t unit;    /* bytes per offset unit: the element width, or 1 for transfers */
    uint32_t align;   /* preferred alignment of a fresh address */
    int applies;      /* the instruction's offset is added to this operand */
    int wild;         /* nothing is accessed (zero length): any register value will do */
    int fixed;        /* addr is given (in-place use), not chosen */
    int64_t addr;     /* the address reached (out, or in when fixed) */
} opnd;

static opnd mk_opnd(uint64_t lo, uint64_t hi, uint64_t n, uint32_t unit, int applies)
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
static int32_t pick_offset(gen *g, const opnd *ops, size_t n)
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
static uint32_t place(gen *g, uint32_t c, opnd *o, int32_t v, uint32_t *mask)
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
        return get_reg(g, c, (uint32_t)rnd(g), mask);
    }
    if (o->fixed && o->addr - d >= 0 && o->addr - d <= (int64_t)UINT32_MAX)
        return get_reg(g, c, (uint32_t)(o->addr - d), mask);
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
    return get_reg(g, c, (uint32_t)(o->addr - d), mask);
}

/* The same for a global operand: an even register pair (high word 0). */
static uint32_t place_pair(gen *g, uint32_t c, opnd *o, int32_t v, uint32_t *mask)
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
static uint64_t split_point(gen *g, uint64_t a, uint64_t b)
{
    return chance(g, 50) ? g->L / 2 : (uint64_t)rnd_range(g, (int64_t)a, (int64_t)(g->L - b));
}

/* ------------------------------------------------------------------ scalar class */

static void gen_scalar(gen *g, uint32_t c)
{
    gen_core *k = &g->cores[c];
    static const uint8_t ops[] = {PIM_OP_NOP,  PIM_OP_SLDI, PIM_OP_SLDI,  PIM_OP_SADD,
                                  PIM_OP_SADD, PIM_OP_SSUB, PIM_OP_SSUB,  PIM_OP_SMUL,
                                  PIM_OP_SMUL, PIM_OP_SADDI, PIM_OP_SADDI, PIM_OP_SMULI,
                                  PIM_OP_SMULI, PIM_OP_SLD, PIM_OP_SLD,   PIM_OP_SLD};
    const unsigned op = ops[rnd_below(g, sizeof ops)];
    const uint32_t rd = (uint32_t)rnd_below(g, PIM_NREGS);
    if (op == PIM_OP_NOP) {
        pim_insn in = insn(op);
        emit(g, c, &in);
    } else if (op == PIM_OP_SLDI) {
        emit_rri(g, c, op, rd, 0, 0, rnd_value(g));
    } else if (op == PIM_OP_SADD || op == PIM_OP_SSUB || op == PIM_OP_SMUL) {
        emit_rri(g, c, op, rd, (uint32_t)rnd_below(g, PIM_NREGS),
                 (uint32_t)rnd_below(g, PIM_NREGS), 0);
    } else if (op == PIM_OP_SADDI || op == PIM_OP_SMULI) {
        emit_rri(g, c, op, rd, (uint32_t)rnd_below(g, PIM_NREGS), 0, rnd_value(g));
    } else {
        /* sld: 4 bytes of the shared read-only part or of this core's slice */
        const int own = chance(g, 40);
        opnd o = mk_opnd(own ? k->gslice_lo : 0, own ? k->gslice_hi : g->gshared, 4, 1, 1);
        o.align = 4;
        const int32_t v = pick_offset(g, &o, 1);
        uint32_t mask = 0;
        pim_insn in = insn(op);
        in.rs1 = (uint8_t)place_pair(g, c, &o, v, &mask);
        in.rd = (uint8_t)rd;
        in.offset = v;
        emit(g, c, &in);
    }
}

/* ------------------------------------------------------------------ matrix class */

static uint32_t rnd_width(gen *g)
{
    return chance(g, 40) ? 8u * (uint32_t)rnd_range(g, 1, 4) : (uint32_t)rnd_range(g, 1, 32);
}

static void gen_matrix(gen *g, uint32_t c)
{
    gen_core *k = &g->cores[c];
    if (chance(g, 35) || k->n_groups == 0) {
        pim_insn in = insn(PIM_OP_SETBW);
        in.ibiw = (uint8_t)rnd_width(g);
        in.obiw = (uint8_t)rnd_width(g);
        emit(g, c, &in);
        return;
    }
    const gen_group *gr = &k->groups[rnd_below(g, k->n_groups)];
    const uint32_t ibyw = pim_byw(k->ibiw), obyw = pim_byw(k->obiw);
    opnd in1 = mk_opnd(0, g->L, (uint64_t)gr->rows * ibyw, ibyw, 0);
    opnd out = mk_opnd(0, g->L, (uint64_t)gr->cols * obyw, obyw, 0);
    uint32_t mask = 0;
    pim_insn in = insn(PIM_OP_MVMUL);
    in.rs1 = (uint8_t)place(g, c, &in1, 0, &mask);
    if (chance(g, 15) && (uint64_t)in1.addr + out.n <= g->L) {
        out.fixed = 1; /* in place: allowed, inputs are read first */
        out.addr = in1.addr;
    }
    in.rd = (uint8_t)place(g, c, &out, 0, &mask);
    in.mbiw = (uint8_t)gr->mbiw;
    in.group = (uint16_t)gr->index;
    in.relu = (uint8_t)chance(g, 30);
    emit(g, c, &in);
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
    const uint32_t n = rnd_len(g, maxn, vmv ? 5 : 0);
    const uint32_t len = (!vmv && n == 0) ? 1 : n; /* vavg of 0 elements is an error */
    const uint64_t ext = len ? (uint64_t)(len - 1) * as * ibyw : 0; /* first to last */
    const uint64_t span = ext + ibyw, dbytes = vmv ? (uint64_t)len * ibyw : obyw;
    uint32_t mask = 0;
    pim_insn in = insn(op);
    in.len = len;
    opnd src, dst;
    if (vmv) {
        const int src_low = chance(g, 50);
        const uint64_t p = src_low ? split_point(g, span, dbytes) : split_point(g, dbytes, span);
        src = mk_opnd(src_low ? 0 : p, src_low ? p : g->L, span, ibyw, 0);
        dst = mk_opnd(src_low ? p : 0, src_low ? g->L : p, dbytes, ibyw, 0);
    } else {
        src = mk_opnd(0, g->L, span, ibyw, 1);
        dst = mk_opnd(0, g->L, dbytes, obyw, 0);
    }
    /* the operand is the first element: shift the window by the span's extent below it */
    if (s < 0) {
        src.lo += ext;
        src.hi += ext;
    }
    src.wild = dst.wild = len == 0 && chance(g, 50); /* vmv of nothing checks nothing */
    const int32_t v = vmv ? 0 : pick_offset(g, &src, 1);
    in.rs1 = (uint8_t)place(g, c, &src, v, &mask);
    in.rs2 = (uint8_t)get_reg(g, c, (uint32_t)s, &mask);
    in.rd = (uint8_t)place(g, c, &dst, 0, &mask);
    in.offset = v;
    emit(g, c, &in);
}

static void gen_vector(gen *g, uint32_t c)
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
    const uint32_t n = rnd_len(g, room / (ibyw > dbyw ? ibyw : dbyw), 5);
    const uint64_t nout = reduce ? 1 : n;
    const unsigned sel = (unsigned)rnd_below(g, 8);
    opnd o[3]; /* rs1, rs2, rd */
    o[0] = mk_opnd(0, g->L, (uint64_t)n * ibyw, ibyw, (sel & 2) != 0);
    o[1] = mk_opnd(0, g->L, (uint64_t)n * ibyw, ibyw, two_vec && (sel & 4));
    o[2] = mk_opnd(0, g->L, nout * dbyw, dbyw, !reduce && (sel & 1));
    if (disjoint) {
        /* input and output on the two sides of a split point */
        const int in_low = chance(g, 50);
        const uint64_t p = in_low ? split_point(g, o[0].n, o[2].n) : split_point(g, o[2].n, o[0].n);
        o[0].lo = in_low ? 0 : p;
        o[0].hi = in_low ? p : g->L;
        o[2].lo = in_low ? p : 0;
        o[2].hi = in_low ? g->L : p;
    }
    if (n == 0 && chance(g, 40)) { /* nothing is read: any source address passes */
        o[0].wild = o[1].wild = 1;
        o[2].wild = !reduce; /* vvdmul still writes its one element */
    }
    const int32_t v = pick_offset(g, o, 3);
    uint32_t mask = 0;
    pim_insn in = insn(op);
    in.len = n;
    in.offset_select = (uint8_t)sel;
    in.offset = v;
    in.rs1 = (uint8_t)place(g, c, &o[0], v, &mask);
    if (two_vec) {
        if (chance(g, 10) && !o[0].wild) {
            o[1].fixed = 1; /* a op a */
            o[1].addr = o[0].addr;
        }
        in.rs2 = (uint8_t)place(g, c, &o[1], v, &mask);
    } else if (vrs) {
        /* the bound: any register (known or not), or one set to a value near the range */
        const int r = free_reg(g, mask, -1);
        if (chance(g, 70)) {
            const int64_t h = (int64_t)1 << (k->ibiw - 1);
            const uint32_t b = chance(g, 80) ? (uint32_t)rnd_range(g, -h - 2, h + 1) : rnd_value(g);
            set_reg(g, c, (uint32_t)r, b, mask);
        }
        mask |= 1u << r;
        in.rs2 = (uint8_t)r;
    }
    if (!disjoint && !o[0].wild && chance(g, 15) && (uint64_t)o[0].addr + o[2].n <= g->L) {
        o[2].fixed = 1; /* in place */
        o[2].addr = o[0].addr;
    }
    in.rd = (uint8_t)place(g, c, &o[2], v, &mask);
    emit(g, c, &in);
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
    o[0] = mk_opnd(glo, ghi, size, 1, (sel & (st ? 1u : 2u)) != 0);
    o[1] = mk_opnd(0, g->L, size, 1, (sel & (st ? 2u : 1u)) != 0);
    o[0].align = o[1].align = 4;
    if (size == 0 && chance(g, 40))
        o[0].wild = o[1].wild = 1;
    const int32_t v = pick_offset(g, o, 2);
    uint32_t mask = 0;
    pim_insn in = insn(op);
    in.len = size;
    in.offset_select = (uint8_t)sel;
    in.offset = v;
    const uint32_t pair = place_pair(g, c, &o[0], v, &mask);
    const uint32_t loc = place(g, c, &o[1], v, &mask);
    in.rd = (uint8_t)(st ? pair : loc);
    in.rs1 = (uint8_t)(st ? loc : pair);
    emit(g, c, &in);
}

static void gen_lldi(gen *g, uint32_t c)
{
    const uint32_t size = rnd_size(g, g->L);
    opnd o = mk_opnd(0, g->L, size, 1, 1);
    o.wild = size == 0 && chance(g, 40);
    const int32_t v = pick_offset(g, &o, 1);
    uint32_t mask = 0;
    pim_insn in = insn(PIM_OP_LLDI);
    in.len = size;
    in.offset = v;
    in.imm = (uint32_t)rnd_below(g, 256);
    in.rd = (uint8_t)place(g, c, &o, v, &mask);
    emit(g, c, &in);
}

/* lmv: source and destination on the two sides of a split point, so they never intersect. */
static void gen_lmv(gen *g, uint32_t c)
{
    const uint32_t size = rnd_size(g, g->L / 2);
    const unsigned sel = (unsigned)rnd_below(g, 8);
    const int src_low = chance(g, 50);
    const uint64_t p = split_point(g, size, size);
    opnd o[2]; /* rs1 (source, bit 1), rd (destination, bit 0) */
    o[0] = mk_opnd(src_low ? 0 : p, src_low ? p : g->L, size, 1, (sel & 2) != 0);
    o[1] = mk_opnd(src_low ? p : 0, src_low ? g->L : p, size, 1, (sel & 1) != 0);
    o[0].align = o[1].align = 4;
    const int32_t v = pick_offset(g, o, 2);
    uint32_t mask = 0;
    pim_insn in = insn(PIM_OP_LMV);
    in.len = size;
    in.offset_select = (uint8_t)sel;
    in.offset = v;
    in.rs1 = (uint8_t)place(g, c, &o[0], v, &mask);
    in.rd = (uint8_t)place(g, c, &o[1], v, &mask);
    emit(g, c, &in);
}

/* send on c, the matching recv on a random other core, same size, same place in the order. */
static void gen_sendrecv(gen *g, uint32_t c)
{
    uint32_t t = (uint32_t)rnd_below(g, g->ncores - 1);
    if (t >= c)
        t++;
    const uint32_t size = rnd_size(g, g->L);
    opnd os = mk_opnd(0, g->L, size, 1, 1), orx = mk_opnd(0, g->L, size, 1, 1);
    os.align = orx.align = 4;
    const int32_t vs = pick_offset(g, &os, 1), vr = pick_offset(g, &orx, 1);
    uint32_t ms = 0, mr = 0;
    pim_insn s = insn(PIM_OP_SEND), r = insn(PIM_OP_RECV);
    s.rs1 = (uint8_t)place(g, c, &os, vs, &ms);
    s.core = t;
    s.len = size;
    s.offset = vs;
    r.rd = (uint8_t)place(g, t, &orx, vr, &mr);
    r.core = c;
    r.len = size;
    r.offset = vr;
    emit(g, c, &s);
    emit(g, t, &r);
}

static void gen_transfer(gen *g, uint32_t c)
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
    pim_insn in = insn(PIM_OP_SYNC);
    in.ev = (uint8_t)p->ev;
    in.core = p->target;
    emit(g, c, &in);
    p->done++;
}

static void emit_wait(gen *g, gen_plan *p)
{
    pim_insn in = insn(PIM_OP_WAIT);
    in.ev = (uint8_t)p->ev;
    in.imm = p->need;
    emit(g, p->target, &in);
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
                g->nomem = 1;
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

static void gen_syncwait(gen *g, uint32_t c)
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
        pim_insn in = insn(PIM_OP_NOP);
        emit(g, c, &in);
    }
}

/* Completes every plan at the end: the missing syncs, then the waits. */
static void finish_plans(gen *g)
{
    for (size_t i = 0; i < g->n_plans; i++) {
        gen_plan *p = &g->plans[i];
        while (p->done < p->need)
            emit_sync(g, (uint32_t)rnd_below(g, g->ncores), p);
        if (p->will_wait && !p->waited)
            emit_wait(g, p);
    }
}

/* ------------------------------------------------------------------ the document */

static void add_config(gen *g, cJSON *root)
{
    const pim_config *f = &g->cfg;
    cJSON *cfg = add_obj(g, root, "config");
    cJSON *chip = cfg ? add_obj(g, cfg, "chip_config") : NULL;
    if (!chip)
        return;
    add_num(g, chip, "core_cnt", f->core_cnt);
    cJSON *core = add_obj(g, chip, "core_config");
    if (!core)
        return;
    cJSON *mx = add_obj(g, core, "matrix_config");
    if (mx) {
        add_num(g, mx, "xbar_array_count", f->xbar_array_count);
        cJSON *xs = add_arr(g, mx, "xbar_size");
        append(g, xs, cJSON_CreateNumber(f->xbar_rows));
        append(g, xs, cJSON_CreateNumber(f->xbar_cols));
        add_num(g, mx, "cell_precision", f->cell_precision);
        add_num(g, mx, "dac_resolution", f->dac_resolution);
        add_num(g, mx, "adc_resolution", f->adc_resolution);
        if (!cJSON_AddBoolToObject(mx, "adc_clip", f->adc_clip != 0))
            g->nomem = 1;
    }
    add_num(g, core, "vector_width", f->vector_width);
    cJSON *vc = add_obj(g, core, "vector_config");
    if (vc)
        add_num(g, vc, "activation_frac_bits", f->activation_frac_bits);
    cJSON *lm = add_obj(g, core, "local_memory_config");
    if (lm)
        add_num(g, lm, "memory_size", (double)f->local_mem_size);
    cJSON *gm = add_obj(g, chip, "global_memory_config");
    if (gm)
        add_num(g, gm, "memory_size", (double)f->global_mem_size);
}

/* Random groups for core c into its init object. */
static void add_groups(gen *g, uint32_t c, cJSON *init_core)
{
    gen_core *k = &g->cores[c];
    cJSON *arr = add_arr(g, init_core, "groups");
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
            add_num(g, go, "index", idx);
            add_num(g, go, "mbiw", mbiw);
            cJSON *w = add_arr(g, go, "weights");
            const int64_t h = (int64_t)1 << (mbiw - 1);
            for (uint32_t r = 0; r < rows && w; r++) {
                cJSON *row = cJSON_CreateArray();
                for (uint32_t j = 0; j < cols && row; j++) {
                    const unsigned pick = (unsigned)rnd_below(g, 100);
                    const int64_t x = pick < 10 ? -h : pick < 20 ? h - 1 : rnd_range(g, -h, h - 1);
                    append(g, row, cJSON_CreateNumber((double)x));
                }
                append(g, w, row);
            }
        }
        append(g, arr, go);
    }
}

static void add_init(gen *g, cJSON *root)
{
    cJSON *init = add_obj(g, root, "init");
    if (!init)
        return;
    uint8_t *buf = malloc(g->G > g->L ? g->G : g->L);
    if (!buf) {
        g->nomem = 1;
        return;
    }
    for (uint64_t i = 0; i < g->G; i++)
        buf[i] = (uint8_t)rnd(g);
    cJSON *gm = add_arr(g, init, "gmem");
    add_hex_regions(g, gm, 0, buf, g->G);
    for (uint32_t c = 0; c < g->ncores; c++) {
        gen_core *k = &g->cores[c];
        char key[32];
        snprintf(key, sizeof key, "core%" PRIu32, c);
        cJSON *ic = add_obj(g, init, key);
        if (!ic)
            break;
        cJSON *regs = add_obj(g, ic, "regs");
        k->known = 0xffffffffu; /* registers start at 0 unless given */
        for (uint32_t r = 0; r < PIM_NREGS && regs; r++)
            if (chance(g, 50)) {
                char rk[8];
                snprintf(rk, sizeof rk, "r%" PRIu32, r);
                k->regs[r] = rnd_value(g);
                add_num(g, regs, rk, k->regs[r]);
            }
        for (uint64_t i = 0; i < g->L; i++)
            buf[i] = (uint8_t)rnd(g);
        cJSON *lm = add_arr(g, ic, "lmem");
        add_hex_regions(g, lm, 0, buf, g->L);
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
        cJSON *ex = add_obj(g, root, "expected");
        for (uint32_t c = 0; c < g->ncores && ex; c++) {
            char key[32];
            snprintf(key, sizeof key, "core%" PRIu32, c);
            cJSON *ec = add_obj(g, ex, key);
            cJSON *regs = ec ? add_obj(g, ec, "regs") : NULL;
            cJSON *evs = ec ? add_obj(g, ec, "events") : NULL;
            for (uint32_t r = 0; r < 32 && regs && evs; r++) {
                char rk[8];
                snprintf(rk, sizeof rk, "r%" PRIu32, r);
                add_num(g, regs, rk, pim_golden_reg(m, c, r));
                snprintf(rk, sizeof rk, "e%" PRIu32, r);
                add_num(g, evs, rk, pim_golden_event(m, c, r));
            }
            cJSON *lm = ec ? add_arr(g, ec, "lmem") : NULL;
            if (lm)
                add_hex_regions(g, lm, 0, pim_golden_lmem(m, c), g->L);
        }
        cJSON *gm = ex ? add_arr(g, ex, "gmem") : NULL;
        if (gm)
            add_hex_regions(g, gm, 0, pim_golden_gmem(m), g->G);
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

static int id_ok(const char *s)
{
    if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')))
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '.' || *s == '_' ||
              *s == '-'))
            return 0;
    return 1;
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
    if (o->id && !id_ok(o->id))
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

pim_status pim_gen_vector(const pim_gen_opts *o, char **json_out, pim_error *err)
{
    *json_out = NULL;
    gen g;
    memset(&g, 0, sizeof g);
    /* mix the seed so that seeds 0, 1, 2 start far apart */
    g.rng = o->seed ^ 0x70696d636f73696dull;
    pim_status st = gen_setup(&g, o, err);
    cJSON *root = NULL;
    if (st != PIM_OK)
        goto out;
    root = cJSON_CreateObject();
    if (!root) {
        g.nomem = 1;
        goto out;
    }
    char idbuf[64], comment[512];
    snprintf(idbuf, sizeof idbuf, "gen.seed-%" PRIu64, o->seed);
    add_str(&g, root, "id", o->id ? o->id : idbuf);
    gen_comment(o, comment, sizeof comment);
    add_str(&g, root, "comment", comment);
    add_config(&g, root);
    cJSON *prog = add_obj(&g, root, "program");
    cJSON *pcfg = prog ? add_obj(&g, prog, "config") : NULL;
    if (pcfg)
        add_num(&g, pcfg, "core_cnt", g.ncores);
    for (uint32_t c = 0; c < g.ncores && prog; c++) {
        char key[32];
        snprintf(key, sizeof key, "core%" PRIu32, c);
        g.cores[c].insns = add_arr(&g, prog, key);
    }
    add_init(&g, root);
    add_obj(&g, root, "expected");
    if (g.nomem)
        goto out;

    /* the body, in one global order */
    uint32_t wsum = 0;
    for (int i = 0; i < PIM_GEN_NCLASSES; i++)
        wsum += o->weights[i];
    uint32_t *open = malloc(g.ncores * sizeof *open);
    if (!open) {
        g.nomem = 1;
        goto out;
    }
    for (;;) {
        uint32_t n = 0;
        for (uint32_t c = 0; c < g.ncores; c++)
            if (g.cores[c].count < o->insns)
                open[n++] = c;
        if (n == 0 || g.nomem)
            break;
        const uint32_t c = open[rnd_below(&g, n)];
        uint32_t w = (uint32_t)rnd_below(&g, wsum), cls = 0;
        while (w >= o->weights[cls])
            w -= o->weights[cls++];
        switch (cls) {
        case PIM_GEN_SCALAR: gen_scalar(&g, c); break;
        case PIM_GEN_MATRIX: gen_matrix(&g, c); break;
        case PIM_GEN_VECTOR: gen_vector(&g, c); break;
        case PIM_GEN_TRANSFER: gen_transfer(&g, c); break;
        default: gen_syncwait(&g, c); break;
        }
    }
    free(open);
    finish_plans(&g);
    if (g.nomem)
        goto out;

    char *text = o->compact ? cJSON_PrintUnformatted(root) : cJSON_Print(root);
    if (text && o->expect) {
        st = fill_expected(&g, root, text, err);
        cJSON_free(text);
        text = NULL;
        if (st != PIM_OK)
            goto out;
        if (!g.nomem)
            text = o->compact ? cJSON_PrintUnformatted(root) : cJSON_Print(root);
    }
    if (!text) {
        g.nomem = 1;
        goto out;
    }
    const size_t len = strlen(text);
    *json_out = malloc(len + 2);
    if (*json_out) {
        memcpy(*json_out, text, len);
        (*json_out)[len] = '\n';
        (*json_out)[len + 1] = '\0';
    } else {
        g.nomem = 1;
    }
    cJSON_free(text);

out:
    if (st == PIM_OK && g.nomem)
        st = pim_error_set(err, PIM_E_NOMEM, -1, -1, "", "out of memory");
    cJSON_Delete(root);
    free(g.cores);
    free(g.plans);
    return st;
}

/* ------------------------------------------------------------------ command line */

static int parse_u64_dec(const char *s, uint64_t *out)
{
    if (!s || !*s)
        return -1;
    uint64_t v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        const uint64_t d = (uint64_t)(*s - '0');
        if (v > (UINT64_MAX - d) / 10)
            return -1;
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

static int parse_u32_in(const char *s, uint32_t lo, uint32_t hi, uint32_t *out)
{
    uint64_t v;
    if (parse_u64_dec(s, &v) || v < lo || v > hi)
        return -1;
    *out = (uint32_t)v;
    return 0;
}

/* "scalar=2,vector=4": updates the named weights; -1 and a message on error. */
static int parse_weights(const char *s, uint32_t *w, char *msg, size_t n)
{
    char buf[256];
    if (strlen(s) >= sizeof buf) {
        snprintf(msg, n, "--weights is too long");
        return -1;
    }
    strcpy(buf, s);
    char *save = NULL;
    for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(tok, '=');
        if (!eq) {
            snprintf(msg, n, "--weights: '%s' is not CLASS=W", tok);
            return -1;
        }
        *eq = '\0';
        int cls = -1;
        for (int i = 0; i < PIM_GEN_NCLASSES; i++)
            if (strcmp(tok, k_class_names[i]) == 0)
                cls = i;
        if (cls < 0) {
            snprintf(msg, n, "--weights: unknown class '%s' (scalar, matrix, vector, transfer, "
                     "sync)", tok);
            return -1;
        }
        if (parse_u32_in(eq + 1, 0, 1000, &w[cls])) {
            snprintf(msg, n, "--weights: %s=%s is not an integer in 0..1000", tok, eq + 1);
            return -1;
        }
    }
    return 0;
}

static int gen_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int gen_fail(const char *fmt, ...)
{
    char line[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    fprintf(stderr, "pimcosim gen: %s\n", line);
    return PIM_EXIT_BAD_INPUT;
}

int pim_gen_main(int argc, char **argv)
{
    pim_gen_opts o;
    pim_gen_opts_default(&o);
    const char *out = NULL, *config = NULL;
    int have_seed = 0;
    char msg[400];
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(k_gen_usage, stdout);
            return PIM_EXIT_PASS;
        } else if (strcmp(a, "--compact") == 0) {
            o.compact = 1;
        } else if (strcmp(a, "--expect") == 0) {
            o.expect = 1;
        } else if (strcmp(a, "--seed") == 0 || strcmp(a, "--insns") == 0 ||
                   strcmp(a, "--cores") == 0 || strcmp(a, "--config") == 0 ||
                   strcmp(a, "--weights") == 0 || strcmp(a, "--id") == 0 ||
                   strcmp(a, "-o") == 0) {
            if (!val)
                return gen_fail("%s needs a value (see --help)", a);
            i++;
            if (strcmp(a, "--seed") == 0) {
                if (parse_u64_dec(val, &o.seed))
                    return gen_fail("--seed '%s' is not an integer in 0..2^64-1", val);
                have_seed = 1;
            } else if (strcmp(a, "--insns") == 0) {
                if (parse_u32_in(val, 1, PIM_GEN_MAX_INSNS, &o.insns))
                    return gen_fail("--insns '%s' is not an integer in 1..%u", val,
                                    PIM_GEN_MAX_INSNS);
            } else if (strcmp(a, "--cores") == 0) {
                if (parse_u32_in(val, 1, PIM_GEN_MAX_CORES, &o.cores))
                    return gen_fail("--cores '%s' is not an integer in 1..%u", val,
                                    PIM_GEN_MAX_CORES);
            } else if (strcmp(a, "--config") == 0) {
                config = val;
            } else if (strcmp(a, "--weights") == 0) {
                if (parse_weights(val, o.weights, msg, sizeof msg))
                    return gen_fail("%s", msg);
            } else if (strcmp(a, "--id") == 0) {
                o.id = val;
            } else {
                out = val;
            }
        } else {
            return gen_fail("unexpected argument '%s' (see --help)", a);
        }
    }
    if (!have_seed)
        return gen_fail("needs --seed S (see --help)");

    pim_error err;
    pim_error_clear(&err);
    pim_config cfg;
    if (config) {
        if (pim_load_config_file(config, &cfg, &err) != PIM_OK) {
            pim_error_format(&err, msg, sizeof msg);
            return gen_fail("%s", msg);
        }
        o.cfg = &cfg;
        o.config_name = config;
    }
    char *text = NULL;
    if (pim_gen_vector(&o, &text, &err) != PIM_OK) {
        /* option errors carry their own "--option" wording; others the usual record */
        if (err.status == PIM_E_INPUT &&
            (strcmp(err.field, "insns") == 0 || strcmp(err.field, "cores") == 0 ||
             strcmp(err.field, "weights") == 0 || strcmp(err.field, "id") == 0 ||
             strcmp(err.field, "config") == 0))
            snprintf(msg, sizeof msg, "%s", err.msg);
        else
            pim_error_format(&err, msg, sizeof msg);
        return gen_fail("%s", msg);
    }
    FILE *f = out ? fopen(out, "wb") : stdout;
    if (!f) {
        free(text);
        return gen_fail("cannot create %s", out);
    }
    const size_t n = strlen(text);
    int bad = fwrite(text, 1, n, f) != n;
    bad |= out ? fclose(f) != 0 : fflush(f) != 0;
    free(text);
    if (bad)
        return gen_fail("cannot write %s", out ? out : "stdout");
    return PIM_EXIT_PASS;
}
