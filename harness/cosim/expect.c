/* expect.c - judging a run against a vector's expectations (pim_expect.h). */
#include "pim_expect.h"

#include <stdio.h>
#include <string.h>

static pim_status mismatch(pim_error *err, long core, const char *field, const char *fmt,
                           unsigned long long want, unsigned long long got)
{
    return pim_error_set(err, PIM_E_MISMATCH, core, -1, field, fmt, want, got);
}

static pim_status check_regions(const pim_region *r, size_t n, const uint8_t *mem, long core,
                                const char *space, pim_error *err)
{
    for (size_t i = 0; i < n; i++)
        for (uint32_t k = 0; k < r[i].len; k++)
            if (mem[r[i].addr + k] != r[i].bytes[k]) {
                char field[64];
                snprintf(field, sizeof field, "%s[0x%llx]", space,
                         (unsigned long long)(r[i].addr + k));
                return mismatch(err, core, field, "expected byte 0x%02llx, got 0x%02llx",
                                r[i].bytes[k], mem[r[i].addr + k]);
            }
    return PIM_OK;
}

pim_status pim_expect_check_state(const pim_program *p, pim_golden *g, pim_error *err)
{
    if (p->expects_error)
        return pim_error_set(err, PIM_E_MISMATCH, -1, -1, "error",
                             "the run ended without the expected %s error",
                             pim_status_name(p->expect_status));
    pim_status st = check_regions(p->expect_gmem, p->n_expect_gmem, pim_golden_gmem(g), -1,
                                  "gmem", err);
    if (st != PIM_OK)
        return st;
    for (uint32_t c = 0; c < p->n_cores; c++) {
        const pim_core_state *s = &p->expect[c];
        for (uint32_t r = 0; r < 32; r++) {
            if (!(s->regs_mask >> r & 1u) || pim_golden_reg(g, c, r) == s->regs[r])
                continue;
            char field[16];
            snprintf(field, sizeof field, "r%u", r);
            return mismatch(err, (long)c, field, "expected 0x%08llx, got 0x%08llx", s->regs[r],
                            pim_golden_reg(g, c, r));
        }
        for (uint32_t e = 0; e < 32; e++) {
            if (!(s->events_mask >> e & 1u) || pim_golden_event(g, c, e) == s->events[e])
                continue;
            char field[16];
            snprintf(field, sizeof field, "e%u", e);
            return mismatch(err, (long)c, field, "expected %llu, got %llu", s->events[e],
                            pim_golden_event(g, c, e));
        }
        st = check_regions(s->lmem, s->n_lmem, pim_golden_lmem(g, c), (long)c, "lmem", err);
        if (st != PIM_OK)
            return st;
    }
    return PIM_OK;
}

pim_status pim_expect_check_error(const pim_program *p, const pim_error *got, pim_error *err)
{
    char line[PIM_ERROR_MSG_MAX * 2];
    pim_error_format(got, line, sizeof line);
    if (!p->expects_error)
        return pim_error_set(err, PIM_E_MISMATCH, got->core, got->index, "",
                             "unexpected %s error: %.400s", pim_status_name(got->status), line);
    if (got->status != p->expect_status)
        return pim_error_set(err, PIM_E_MISMATCH, got->core, got->index, "error.kind",
                             "expected a %s error, got %s: %.400s",
                             pim_status_name(p->expect_status), pim_status_name(got->status),
                             line);
    if ((p->expect_core >= 0 && p->expect_core != got->core) ||
        (p->expect_index >= 0 && p->expect_index != got->index))
        return pim_error_set(err, PIM_E_MISMATCH, got->core, got->index, "error.index",
                             "expected the error at core %ld, instruction %ld: %.400s",
                             p->expect_core, p->expect_index, line);
    if (p->expect_field[0] && strcmp(p->expect_field, got->field) != 0)
        return pim_error_set(err, PIM_E_MISMATCH, got->core, got->index, "error.field",
                             "expected the error on field '%s': %.400s", p->expect_field, line);
    return PIM_OK;
}
