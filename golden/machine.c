/*
 * machine.c - the golden reference machine (pim_golden.h): state, loading, the step of every
 * instruction (the scalar and sync ones here, the others in exec.c) and the multi-core
 * scheduler with its deadlock report. Semantics: spec/profile.md and docs/isa.md.
 */
#include "pim_golden.h"
#include "machine_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pim_arith.h"
#include "pim_xbar.h"

void pim_golden_set_units(pim_golden *g, const pim_units *u)
{
    if (u)
        g->units = *u;
    else
        memset(&g->units, 0, sizeof g->units);
}

/* ------------------------------------------------------------------ life cycle */

uint64_t pim_golden_machine_bytes(const pim_config *cfg, uint32_t n_cores)
{
    return sizeof(pim_golden) + (uint64_t)n_cores * (sizeof(core) + cfg->local_mem_size) +
           cfg->global_mem_size;
}

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
    case PIM_OP_SLDI: pim_m_set_reg(g, c, in, in->rd, in->imm); break;
    case PIM_OP_SADD: pim_m_set_reg(g, c, in, in->rd, R[in->rs1] + R[in->rs2]); break;
    case PIM_OP_SSUB: pim_m_set_reg(g, c, in, in->rd, R[in->rs1] - R[in->rs2]); break;
    case PIM_OP_SMUL: pim_m_set_reg(g, c, in, in->rd, R[in->rs1] * R[in->rs2]); break;
    case PIM_OP_SADDI: pim_m_set_reg(g, c, in, in->rd, R[in->rs1] + in->imm); break;
    case PIM_OP_SMULI: pim_m_set_reg(g, c, in, in->rd, R[in->rs1] * in->imm); break;
    case PIM_OP_SLD: {
        uint64_t a;
        st = pim_m_check_range(g, c, in, PIM_KEY(RS1), "global memory", pim_m_global_addr(g, k, in->rs1), in->offset, 4,
                         g->cfg.global_mem_size, &a, err);
        if (st == PIM_OK) {
            const uint8_t *p = g->gmem + a;
            pim_m_set_reg(g, c, in, in->rd,
                    (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
                        (uint32_t)p[3] << 24);
        }
        break;
    }
    case PIM_OP_SETBW: {
        k->ibiw = in->ibiw;
        k->obiw = in->obiw;
        const uint8_t b[2] = {in->ibiw, in->obiw};
        pim_m_emit(g, c, in, PIM_SPACE_BW, c, 0, b, 2, 1);
        break;
    }
    case PIM_OP_MVMUL: st = pim_exec_mvmul(g, c, in, err); break;
    case PIM_OP_LD:
    case PIM_OP_ST:
    case PIM_OP_LLDI:
    case PIM_OP_LMV: st = pim_exec_transfer(g, c, in, err); break;
    case PIM_OP_SEND:
    case PIM_OP_RECV: {
        const pim_insn *peer = current(g, in->core);
        const unsigned want = in->op == PIM_OP_SEND ? PIM_OP_RECV : PIM_OP_SEND;
        if (!peer || peer->op != want || peer->core != c) {
            *result = PIM_STEP_BLOCKED;
            return PIM_OK;
        }
        st = in->op == PIM_OP_SEND ? pim_exec_rendezvous(g, c, in->core, err)
                                   : pim_exec_rendezvous(g, in->core, c, err);
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
            pim_m_emit(g, c, in, PIM_SPACE_EVENT, c, in->ev, b, 4, 4);
        }
        break;
    case PIM_OP_SYNC: {
        core *t = &g->cores[in->core];
        const uint32_t v = ++t->ev[in->ev];
        const uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
        pim_m_emit(g, c, in, PIM_SPACE_EVENT, in->core, in->ev, b, 4, 4);
        break;
    }
    default: st = pim_exec_vector(g, c, in, err); break;
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
