/*
 * exec.c - the golden machine's memory-touching instructions (machine_internal.h): vector
 * instructions (gather, compute on the vector unit, store), mvmul (gather, the matrix unit,
 * store), the transfers and the send/recv rendezvous. Semantics: spec/profile.md, docs/isa.md.
 * Every operand is read before anything is written; every address is checked first.
 */
#include "machine_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pim_arith.h"

/* Checks an access of n bytes at base + off inside a memory of `size` bytes. */
pim_status pim_m_check_range(pim_golden *g, uint32_t c, const pim_insn *in, const char *field,
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
        return pim_m_fail(g, c, in, PIM_E_EXEC, field, msg, err);
    }
    *out = (uint64_t)a;
    return PIM_OK;
}

static int reduces(unsigned op) { return op == PIM_OP_VVDMUL || op == PIM_OP_VAVG; }

/* Elements of the scratch of a vector instruction of n elements giving nout results. */
static uint64_t scratch_elements(uint64_t n, uint64_t nout) { return 2 * n + nout; }

uint64_t pim_golden_scratch_bytes(const pim_insn *in)
{
    if (pim_op_class(in->op) != PIM_CLASS_VECTOR)
        return 0; /* mvmul's rows + cols are bounded by the config */
    const uint64_t n = in->len;
    return scratch_elements(n, reduces(in->op) ? 1 : n) * sizeof(int64_t);
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

/* ------------------------------------------------------------------ vector unit */

/* The element addresses of a vector instruction: a1 (first source element; a's elements
 * are `step` bytes apart), a2 (the second source), ad (the destination). */
typedef struct vaddrs {
    uint64_t a1, a2, ad;
    int64_t step;
} vaddrs;

/* Which operands a vector op has, and its result's width. */
static int two_vectors(unsigned op)
{
    return op == PIM_OP_VVADD || op == PIM_OP_VVSUB || op == PIM_OP_VVMUL || op == PIM_OP_VVMAX ||
           op == PIM_OP_VVSLL || op == PIM_OP_VVSRA || op == PIM_OP_VVDMUL;
}
static uint32_t result_byw(unsigned op, uint32_t ibyw, uint32_t obyw)
{
    return (op == PIM_OP_VVADD || op == PIM_OP_VVSUB || op == PIM_OP_VVMAX ||
            op == PIM_OP_VRELU || op == PIM_OP_VMV) ? ibyw : obyw;
}

/* 1. The addresses, checked: sources first, then the destination. */
static pim_status vector_addrs(pim_golden *g, uint32_t c, const pim_insn *in, vaddrs *v,
                               pim_error *err)
{
    core *k = &g->cores[c];
    const uint32_t ibyw = pim_byw(k->ibiw), obyw = pim_byw(k->obiw);
    const uint64_t n = in->len, lsize = g->cfg.local_mem_size;
    const unsigned op = in->op;
    const int64_t ov = in->offset;
    const uint32_t sel = in->offset_select, dbyw = result_byw(op, ibyw, obyw);
    pim_status st;
    v->a1 = v->a2 = v->ad = 0;
    v->step = (int64_t)ibyw;
    if (op == PIM_OP_VAVG || op == PIM_OP_VMV) {
        if (op == PIM_OP_VAVG && n == 0)
            return pim_m_fail(g, c, in, PIM_E_EXEC, PIM_KEY(LEN), "vavg of zero elements", err);
        v->step = (int64_t)(int32_t)k->regs[in->rs2] * (int64_t)ibyw;
        const int64_t base_off = op == PIM_OP_VAVG ? ov * ibyw : 0;
        uint64_t last;
        /* first and last element bound every element: addresses are linear in i. The last
         * one's offset is worked out in 128 bits (len and the stride come from the input): one
         * that does not fit 64 bits is outside any memory. */
        const pim_i128 last_off = n ? (pim_i128)base_off + (pim_i128)(n - 1) * v->step : 0;
        if (last_off > INT64_MAX || last_off < INT64_MIN) {
            char msg[200];
            snprintf(msg, sizeof msg,
                     "local memory: element %llu at stride %lld bytes is outside the local "
                     "memory (%llu bytes)",
                     (unsigned long long)(n - 1), (long long)v->step,
                     (unsigned long long)lsize);
            return pim_m_fail(g, c, in, PIM_E_EXEC, PIM_KEY(RS1), msg, err);
        }
        if (n && ((st = pim_m_check_range(g, c, in, PIM_KEY(RS1), "local memory", k->regs[in->rs1],
                                          base_off, ibyw, lsize, &v->a1, err)) ||
                  (st = pim_m_check_range(g, c, in, PIM_KEY(RS1), "local memory", k->regs[in->rs1],
                                          (int64_t)last_off, ibyw, lsize, &last, err))))
            return st;
    } else if ((st = pim_m_check_range(g, c, in, PIM_KEY(RS1), "local memory", k->regs[in->rs1],
                                       (sel & 2) ? ov * ibyw : 0, n * ibyw, lsize, &v->a1, err))) {
        return st;
    }
    if (two_vectors(op) &&
        (st = pim_m_check_range(g, c, in, PIM_KEY(RS2), "local memory", k->regs[in->rs2],
                                (sel & 4) ? ov * ibyw : 0, n * ibyw, lsize, &v->a2, err)))
        return st;
    const int64_t dst_off = (reduces(op) || op == PIM_OP_VMV || !(sel & 1)) ? 0 : ov * dbyw;
    return pim_m_check_range(g, c, in, PIM_KEY(RD), "local memory", k->regs[in->rd], dst_off,
                             (reduces(op) ? 1 : n) * dbyw, lsize, &v->ad, err);
}

pim_status pim_exec_vector(pim_golden *g, uint32_t c, const pim_insn *in, pim_error *err)
{
    core *k = &g->cores[c];
    const uint32_t ibiw = k->ibiw, obiw = k->obiw;
    const uint32_t ibyw = pim_byw(ibiw), obyw = pim_byw(obiw);
    const uint64_t n = in->len;
    const unsigned op = in->op;
    uint8_t *mem = k->lmem;
    const int two_vec = two_vectors(op);
    const uint32_t dbyw = result_byw(op, ibyw, obyw); /* byte width of a result element */
    const uint64_t nout = reduces(op) ? 1 : n;
    vaddrs v;
    pim_status st = vector_addrs(g, c, in, &v, err);
    if (st != PIM_OK)
        return st;
    const uint64_t a1 = v.a1, a2 = v.a2, ad = v.ad;
    const int64_t step = v.step;

    /* 2. undefined overlaps */
    if (op == PIM_OP_VMV)
        for (uint64_t i = 0; i < n; i++)
            if (pim_m_overlaps((uint64_t)((int64_t)a1 + (int64_t)i * step), ibyw, ad, n * ibyw))
                return pim_m_fail(g, c, in, PIM_E_EXEC, PIM_KEY(RD),
                            "vmv source element overlaps the destination (undefined)", err);
    if ((op == PIM_OP_VRSU || op == PIM_OP_VRSL) && obyw > ibyw &&
        pim_m_overlaps(a1, n * ibyw, ad, n * obyw))
        return pim_m_fail(g, c, in, PIM_E_EXEC, PIM_KEY(RD),
                    "input and output overlap while the byte width grows (undefined)", err);
    if (nout == 0 || (n == 0 && op != PIM_OP_VVDMUL))
        return PIM_OK;

    /* 3. operands in, all read before anything is written */
    int64_t *a = elements(g, scratch_elements(n, nout));
    if (!a)
        return pim_m_fail(g, c, in, PIM_E_NOMEM, "", "out of memory", err);
    int64_t *b = a + n, *y = b + n;
    for (uint64_t i = 0; i < n; i++)
        a[i] = pim_load_elem(mem + (uint64_t)((int64_t)a1 + (int64_t)i * step), ibyw, ibiw);
    if (two_vec)
        for (uint64_t i = 0; i < n; i++)
            b[i] = pim_load_elem(mem + a2 + i * ibyw, ibyw, ibiw);
    const int64_t scalar = op == PIM_OP_VAVG    ? (int64_t)n
                           : op == PIM_OP_VVMUL ? (int64_t)in->frac
                                                : (int64_t)(int32_t)k->regs[in->rs2];

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
    pim_m_emit(g, c, in, PIM_SPACE_LMEM, c, ad, mem + ad, (uint32_t)(nout * dbyw), dbyw);
    return PIM_OK;
}

/* ------------------------------------------------------------------ matrix unit */

pim_status pim_exec_mvmul(pim_golden *g, uint32_t c, const pim_insn *in, pim_error *err)
{
    core *k = &g->cores[c];
    char msg[160];
    if (in->group >= k->n_groups || !k->groups[in->group]) {
        snprintf(msg, sizeof msg, "core %u has no array group %u", c, in->group);
        return pim_m_fail(g, c, in, PIM_E_EXEC, PIM_KEY(GROUP), msg, err);
    }
    const pim_xbar_group *xg = k->groups[in->group];
    if (pim_xbar_group_mbiw(xg) != in->mbiw) {
        snprintf(msg, sizeof msg, "mbiw %u differs from array group %u's %u bits", in->mbiw,
                 in->group, pim_xbar_group_mbiw(xg));
        return pim_m_fail(g, c, in, PIM_E_EXEC, PIM_KEY(MBIW), msg, err);
    }
    const uint32_t rows = pim_xbar_group_rows(xg), cols = pim_xbar_group_cols(xg);
    const uint32_t ibyw = pim_byw(k->ibiw), obyw = pim_byw(k->obiw);
    uint64_t ax, ay;
    pim_status st;
    if ((st = pim_m_check_range(g, c, in, PIM_KEY(RS1), "local memory", k->regs[in->rs1], 0,
                          (uint64_t)rows * ibyw, g->cfg.local_mem_size, &ax, err)) ||
        (st = pim_m_check_range(g, c, in, PIM_KEY(RD), "local memory", k->regs[in->rd], 0,
                          (uint64_t)cols * obyw, g->cfg.local_mem_size, &ay, err)))
        return st;
    int64_t *x = elements(g, (size_t)rows + cols);
    if (!x)
        return pim_m_fail(g, c, in, PIM_E_NOMEM, "", "out of memory", err);
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
    pim_m_emit(g, c, in, PIM_SPACE_LMEM, c, ay, k->lmem + ay, cols * obyw, obyw);
    return PIM_OK;
}

/* ------------------------------------------------------------------ transfers */

pim_status pim_exec_transfer(pim_golden *g, uint32_t c, const pim_insn *in, pim_error *err)
{
    core *k = &g->cores[c];
    const uint64_t n = in->len, ls = g->cfg.local_mem_size, gs = g->cfg.global_mem_size;
    const int64_t ov = in->offset;
    const uint32_t sel = in->offset_select;
    uint64_t src, dst;
    pim_status st;
    switch (in->op) {
    case PIM_OP_LD:
        if ((st = pim_m_check_range(g, c, in, PIM_KEY(RS1), "global memory", pim_m_global_addr(g, k, in->rs1),
                              (sel & 2) ? ov : 0, n, gs, &src, err)) ||
            (st = pim_m_check_range(g, c, in, PIM_KEY(RD), "local memory", k->regs[in->rd], (sel & 1) ? ov : 0,
                              n, ls, &dst, err)))
            return st;
        memcpy(k->lmem + dst, g->gmem + src, n);
        pim_m_emit(g, c, in, PIM_SPACE_LMEM, c, dst, k->lmem + dst, (uint32_t)n, 1);
        return PIM_OK;
    case PIM_OP_ST:
        if ((st = pim_m_check_range(g, c, in, PIM_KEY(RS1), "local memory", k->regs[in->rs1],
                              (sel & 2) ? ov : 0, n, ls, &src, err)) ||
            (st = pim_m_check_range(g, c, in, PIM_KEY(RD), "global memory", pim_m_global_addr(g, k, in->rd),
                              (sel & 1) ? ov : 0, n, gs, &dst, err)))
            return st;
        memcpy(g->gmem + dst, k->lmem + src, n);
        pim_m_emit(g, c, in, PIM_SPACE_GMEM, 0, dst, g->gmem + dst, (uint32_t)n, 1);
        return PIM_OK;
    case PIM_OP_LLDI:
        if ((st = pim_m_check_range(g, c, in, PIM_KEY(RD), "local memory", k->regs[in->rd], ov, n, ls, &dst,
                              err)))
            return st;
        memset(k->lmem + dst, (int)(in->imm & 0xffu), n);
        pim_m_emit(g, c, in, PIM_SPACE_LMEM, c, dst, k->lmem + dst, (uint32_t)n, 1);
        return PIM_OK;
    case PIM_OP_LMV:
        if ((st = pim_m_check_range(g, c, in, PIM_KEY(RS1), "local memory", k->regs[in->rs1],
                              (sel & 2) ? ov : 0, n, ls, &src, err)) ||
            (st = pim_m_check_range(g, c, in, PIM_KEY(RD), "local memory", k->regs[in->rd], (sel & 1) ? ov : 0,
                              n, ls, &dst, err)))
            return st;
        if (pim_m_overlaps(src, n, dst, n))
            return pim_m_fail(g, c, in, PIM_E_EXEC, PIM_KEY(RD),
                        "lmv source and destination overlap (undefined)", err);
        memcpy(k->lmem + dst, k->lmem + src, n);
        pim_m_emit(g, c, in, PIM_SPACE_LMEM, c, dst, k->lmem + dst, (uint32_t)n, 1);
        return PIM_OK;
    default:
        return pim_m_fail(g, c, in, PIM_E_EXEC, "op", "not a transfer", err);
    }
}

/* send on core s meets recv on core r: both instructions complete. */
pim_status pim_exec_rendezvous(pim_golden *g, uint32_t s, uint32_t r, pim_error *err)
{
    core *ks = &g->cores[s], *kr = &g->cores[r];
    const pim_insn *is = &ks->insns[ks->pc], *ir = &kr->insns[kr->pc];
    char msg[200];
    if (is->len != ir->len) {
        snprintf(msg, sizeof msg, "recv of %u bytes from core %u meets send of %u bytes "
                 "(core %u, instruction %llu)", ir->len, s, is->len, s,
                 (unsigned long long)ks->pc);
        return pim_m_fail(g, r, ir, PIM_E_EXEC, PIM_KEY(SIZE), msg, err);
    }
    uint64_t src, dst;
    pim_status st;
    if ((st = pim_m_check_range(g, s, is, PIM_KEY(RS1), "local memory", ks->regs[is->rs1], is->offset,
                          is->len, g->cfg.local_mem_size, &src, err)) ||
        (st = pim_m_check_range(g, r, ir, PIM_KEY(RD), "local memory", kr->regs[ir->rd], ir->offset,
                          ir->len, g->cfg.local_mem_size, &dst, err)))
        return st;
    memcpy(kr->lmem + dst, ks->lmem + src, is->len);
    pim_m_emit(g, r, ir, PIM_SPACE_LMEM, r, dst, kr->lmem + dst, is->len, 1);
    ks->pc++;
    kr->pc++;
    g->stats.executed += 2;
    g->stats.per_op[PIM_OP_SEND]++;
    g->stats.per_op[PIM_OP_RECV]++;
    return PIM_OK;
}

