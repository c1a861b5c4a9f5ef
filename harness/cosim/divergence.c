/* divergence.c - the first difference between the two sides, in words (pim_divergence.h). */
#include "pim_divergence.h"

#include <cJSON.h>
#include <stdio.h>
#include <string.h>

#include "pim_json.h"

static const char *const k_units[] = {"harness", "pim_xbar_tile", "pim_vector_unit"};

pim_unit_id pim_unit_of_op(unsigned op)
{
    if (op == PIM_OP_MVMUL)
        return PIM_UNIT_TILE;
    if (pim_op_class(op) == PIM_CLASS_VECTOR)
        return PIM_UNIT_VU;
    return PIM_UNIT_HARNESS;
}

const char *pim_unit_name(pim_unit_id u)
{
    return (unsigned)u < sizeof k_units / sizeof k_units[0] ? k_units[u] : "harness";
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

const char *pim_divergence_what(const pim_divergence *d)
{
    switch (d->kind) {
    case PIM_DIV_WRITES: return "writes";
    case PIM_DIV_PROTOCOL: return "protocol";
    case PIM_DIV_CLIPS: return "clips";
    case PIM_DIV_COUNT: return "count";
    default: return space_name(d->space);
    }
}

/* n bytes little-endian, sign-extended from 8n bits. */
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

void pim_divergence_from_writes(pim_divergence *d, const pim_write *a, const uint8_t *ad,
                                const pim_write *b, const uint8_t *bd)
{
    memset(d, 0, sizeof *d);
    const pim_write *w = a ? a : b;
    d->core = w->core;
    d->index = w->index;
    d->op = w->op;
    d->unit = (uint8_t)pim_unit_of_op(w->op);
    if (a && b && a->space == b->space && a->owner == b->owner && a->addr == b->addr &&
        a->len == b->len) {
        const uint32_t eb = a->elem_bytes ? a->elem_bytes : 1;
        uint32_t k = 0;
        while (k < a->len && ad[k] == bd[k])
            k++;
        const uint32_t e = k / eb;
        d->kind = PIM_DIV_VALUE;
        d->space = a->space;
        d->owner = a->owner;
        d->element = e;
        d->elem_bytes = eb;
        d->addr = a->space == PIM_SPACE_REG || a->space == PIM_SPACE_EVENT
                      ? a->addr
                      : a->addr + (uint64_t)e * eb;
        d->expected = elem_value(ad + (size_t)e * eb, eb);
        d->actual = elem_value(bd + (size_t)e * eb, eb);
    } else {
        d->kind = PIM_DIV_WRITES;
        if (a) {
            d->owner = a->owner;
            d->addr = a->addr;
        }
        d->expected = a ? (int64_t)a->len : -1;
        d->actual = b ? (int64_t)b->len : -1;
    }
}

char *pim_divergence_format(const pim_divergence *d, char *buf, size_t n)
{
    const char *op = pim_op_name(d->op), *unit = pim_unit_name((pim_unit_id)d->unit);
    if (d->kind == PIM_DIV_PROTOCOL) {
        snprintf(buf, n, "%s failed at core %u, instruction %llu (%s), cycle %llu", unit,
                 d->core, (unsigned long long)d->index, op, (unsigned long long)d->cycle);
        return buf;
    }
    const int k = snprintf(buf, n, "divergence at core %u, instruction %llu (%s) in %s, cycle %llu: ",
                           d->core, (unsigned long long)d->index, op, unit,
                           (unsigned long long)d->cycle);
    if (k < 0 || (size_t)k >= n)
        return buf;
    char *rest = buf + k;
    const size_t m = n - (size_t)k;
    if (d->kind == PIM_DIV_WRITES)
        snprintf(rest, m, "the golden model wrote %lld bytes, the design under test %lld",
                 (long long)d->expected, (long long)d->actual);
    else if (d->kind == PIM_DIV_CLIPS)
        snprintf(rest, m, "ADC clips (out_clips_o): expected %lld, got %lld",
                 (long long)d->expected, (long long)d->actual);
    else if (d->kind == PIM_DIV_COUNT)
        snprintf(rest, m, "output beat %llu out_count_o: expected %lld, got %lld",
                 (unsigned long long)d->element, (long long)d->expected, (long long)d->actual);
    else
        snprintf(rest, m, "%s of core %u, element %llu at 0x%llx: expected %lld, got %lld",
                 pim_divergence_what(d), d->owner, (unsigned long long)d->element,
                 (unsigned long long)d->addr, (long long)d->expected, (long long)d->actual);
    return buf;
}

cJSON *pim_divergence_json(const pim_divergence *d)
{
    pim_jb b = {0};
    cJSON *dj = cJSON_CreateObject();
    pim_jb_num(&b, dj, "core", d->core);
    pim_jb_num(&b, dj, "index", (double)d->index);
    pim_jb_str(&b, dj, "op", pim_op_name(d->op));
    pim_jb_str(&b, dj, "unit", pim_unit_name((pim_unit_id)d->unit));
    pim_jb_str(&b, dj, "what", pim_divergence_what(d));
    pim_jb_num(&b, dj, "owner", d->owner);
    pim_jb_num(&b, dj, "element", (double)d->element);
    pim_jb_num(&b, dj, "addr", (double)d->addr);
    pim_jb_num(&b, dj, "expected", (double)d->expected);
    pim_jb_num(&b, dj, "actual", (double)d->actual);
    pim_jb_num(&b, dj, "cycle", (double)d->cycle);
    pim_jb_num(&b, dj, "tile_cycle", (double)d->tile_cycle);
    pim_jb_num(&b, dj, "vu_cycle", (double)d->vu_cycle);
    pim_jb_num(&b, dj, "beat_cycle", (double)d->beat_cycle);
    pim_jb_num(&b, dj, "lane", (double)d->lane);
    if (b.oom) {
        cJSON_Delete(dj);
        return NULL;
    }
    return dj;
}

size_t pim_insn_describe(const pim_insn *in, uint64_t index, const uint32_t *regs, char *buf,
                         size_t n)
{
    const uint32_t f = pim_op_fields(in->op);
    size_t k = (size_t)snprintf(buf, n, "#%llu %s", (unsigned long long)index, pim_op_name(in->op));
#define ADD(...)                                                        \
    do {                                                                \
        if (k < n)                                                      \
            k += (size_t)snprintf(buf + k, n - k, __VA_ARGS__);         \
    } while (0)
    /* the register operands, with their values when known */
    static const uint32_t reg_fields[3] = {PIM_F_RD, PIM_F_RS1, PIM_F_RS2};
    for (int i = 0; i < 3; i++) {
        if (!(f & reg_fields[i]))
            continue;
        const unsigned r = i == 0 ? in->rd : i == 1 ? in->rs1 : in->rs2;
        const char *key = pim_field_key((unsigned)pim_field_bit(reg_fields[i]));
        if (regs)
            ADD(" %s=r%u(%d)", key, r, (int32_t)regs[r]);
        else
            ADD(" %s=r%u", key, r);
    }
    if (f & (PIM_F_LEN | PIM_F_SIZE))
        ADD(" %s=%u", (f & PIM_F_LEN) ? PIM_KEY(LEN) : PIM_KEY(SIZE), in->len);
    if (f & (PIM_F_IMM | PIM_F_BYTE))
        ADD(" %s=%d", PIM_KEY(IMM), (int32_t)in->imm);
    if (f & PIM_F_IBIW)
        ADD(" %s=%u %s=%u", PIM_KEY(IBIW), in->ibiw, PIM_KEY(OBIW), in->obiw);
    if (f & PIM_F_MBIW)
        ADD(" %s=%u %s=%u %s=%u", PIM_KEY(MBIW), in->mbiw, PIM_KEY(GROUP), in->group,
            PIM_KEY(RELU), in->relu);
    if (f & PIM_F_CORE)
        ADD(" %s=%u", PIM_KEY(CORE), in->core);
    if ((f & PIM_F_OFFSEL) && in->offset_select)
        ADD(" %s=%u", PIM_KEY(OFFSEL), in->offset_select);
    if ((f & (PIM_F_OFFVAL | PIM_F_SOFF)) && in->offset)
        ADD(" offset=%d", in->offset);
    if (in->frac) /* pimcomp rule 9: a fixed-point constant, or the vvmul that rescales */
        ADD(" fixed-point F=%u", in->frac);
#undef ADD
    return k < n ? k : n - 1;
}
