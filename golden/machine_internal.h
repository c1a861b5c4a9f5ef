/*
 * machine_internal.h - the golden machine's state, shared by its two files (golden/): machine.c
 * (life cycle, loading, the step and the scheduler) and exec.c (the memory-touching
 * instructions: vector, mvmul, transfers, send/recv). Not public: pim_golden.h is the API.
 */
#ifndef PIM_MACHINE_INTERNAL_H
#define PIM_MACHINE_INTERNAL_H

#include <stdint.h>

#include "pim_golden.h"
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

/* ------------------------------------------------------------------ small helpers */

/* Reports a write of instruction in (core c) to the observer. */
static inline void pim_m_emit(pim_golden *g, uint32_t c, const pim_insn *in, pim_space space,
                              uint32_t owner, uint64_t addr, const uint8_t *data, uint32_t len,
                              uint32_t elem_bytes)
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

/* Writes register r of core c and reports it. */
static inline void pim_m_set_reg(pim_golden *g, uint32_t c, const pim_insn *in, uint32_t r,
                                 uint32_t v)
{
    g->cores[c].regs[r] = v;
    const uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    pim_m_emit(g, c, in, PIM_SPACE_REG, c, r, b, 4, 4);
}

/* An execution error of instruction in on core c: returns st with *err filled. */
static inline pim_status pim_m_fail(pim_golden *g, uint32_t c, const pim_insn *in,
                                    pim_status st, const char *field, const char *msg,
                                    pim_error *err)
{
    pim_error_set(err, st, (long)c, (long)(in - g->cores[c].insns), field, "%s", msg);
    pim_error_set_op(err, pim_op_name(in->op));
    return st;
}

/* 1 when [a, a + an) and [b, b + bn) intersect (empty ranges never do). */
static inline int pim_m_overlaps(uint64_t a, uint64_t an, uint64_t b, uint64_t bn)
{
    return an && bn && a < b + bn && b < a + an;
}

/* The global address in register r (pair r, r+1, or r alone in the pimcomp dialect). */
static inline uint64_t pim_m_global_addr(const pim_golden *g, const core *k, uint32_t r)
{
    if (g->gaddr32)
        return k->regs[r];
    return ((uint64_t)k->regs[r] << 32) | k->regs[r + 1];
}

/* ------------------------------------------------------------------ exec.c */

/* Checks an access of n bytes at base + off inside a memory of `size` bytes: *out the
 * address; PIM_E_EXEC naming field (and the memory, mem) when it is outside. */
pim_status pim_m_check_range(pim_golden *g, uint32_t c, const pim_insn *in, const char *field,
                             const char *mem, uint64_t base, int64_t off, uint64_t n,
                             uint64_t size, uint64_t *out, pim_error *err);

/* The executors: each checks its addresses, computes, writes and reports; PIM_E_EXEC (or the
 * unit's error) with core, index, op and field in *err. */
pim_status pim_exec_vector(pim_golden *g, uint32_t c, const pim_insn *in, pim_error *err);
pim_status pim_exec_mvmul(pim_golden *g, uint32_t c, const pim_insn *in, pim_error *err);
pim_status pim_exec_transfer(pim_golden *g, uint32_t c, const pim_insn *in, pim_error *err);
/* send on core s meets recv on core r: both instructions complete. */
pim_status pim_exec_rendezvous(pim_golden *g, uint32_t s, uint32_t r, pim_error *err);

#endif /* PIM_MACHINE_INTERNAL_H */
