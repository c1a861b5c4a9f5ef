/* program.c - the loaded program container (pim_program.h). */
#include "pim_program.h"

#include <stdlib.h>
#include <string.h>

char *pim_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

pim_program *pim_program_new(const pim_config *cfg)
{
    pim_program *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->cfg = *cfg;
    p->n_cores = cfg->core_cnt;
    p->n_named = cfg->core_cnt;
    p->path = pim_strdup("");
    p->id = pim_strdup("");
    p->comment = pim_strdup("");
    p->insns = calloc(p->n_cores, sizeof *p->insns);
    p->n_insns = calloc(p->n_cores, sizeof *p->n_insns);
    p->init = calloc(p->n_cores, sizeof *p->init);
    p->expect = calloc(p->n_cores, sizeof *p->expect);
    p->expect_core = p->expect_index = -1;
    pim_error_clear(&p->refusal);
    if (!p->path || !p->id || !p->comment || !p->insns || !p->n_insns || !p->init ||
        !p->expect) {
        pim_program_free(p);
        return NULL;
    }
    return p;
}

static void free_regions(pim_region *r, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(r[i].bytes);
    free(r);
}

static void free_states(pim_core_state *s, uint32_t n)
{
    if (!s)
        return;
    for (uint32_t c = 0; c < n; c++)
        free_regions(s[c].lmem, s[c].n_lmem);
    free(s);
}

void pim_program_free(pim_program *p)
{
    if (!p)
        return;
    free(p->path);
    free(p->id);
    free(p->comment);
    if (p->insns)
        for (uint32_t c = 0; c < p->n_cores; c++)
            free(p->insns[c]);
    free(p->insns);
    free(p->n_insns);
    for (size_t i = 0; i < p->n_groups; i++)
        free(p->groups[i].weights);
    free(p->groups);
    free_states(p->init, p->n_cores);
    free_states(p->expect, p->n_cores);
    free_regions(p->init_gmem, p->n_init_gmem);
    free_regions(p->expect_gmem, p->n_expect_gmem);
    free(p);
}

pim_status pim_program_append(pim_program *p, uint32_t c, const pim_insn *in)
{
    size_t n = p->n_insns[c];
    /* grow geometrically: capacity is the next power of two >= n + 1 */
    if ((n & (n - 1)) == 0) {
        size_t cap = n ? 2 * n : 16;
        if (n == 0 || n >= 16) {
            pim_insn *q = realloc(p->insns[c], cap * sizeof *q);
            if (!q)
                return PIM_E_NOMEM;
            p->insns[c] = q;
        }
    }
    p->insns[c][n] = *in;
    p->n_insns[c] = n + 1;
    return PIM_OK;
}

pim_status pim_program_add_group(pim_program *p, const pim_group *g, pim_error *err)
{
    for (size_t i = 0; i < p->n_groups; i++)
        if (p->groups[i].core == g->core && p->groups[i].index == g->index)
            return pim_error_set(err, PIM_E_INPUT, (long)g->core, -1, "index",
                                 "group %u is defined twice", g->index);
    pim_group *q = realloc(p->groups, (p->n_groups + 1) * sizeof *q);
    if (!q)
        return PIM_E_NOMEM;
    p->groups = q;
    pim_group *d = &q[p->n_groups];
    *d = *g;
    if (g->weights) {
        size_t n = (size_t)g->rows * g->cols;
        d->weights = malloc((n ? n : 1) * sizeof *d->weights);
        if (!d->weights)
            return PIM_E_NOMEM;
        memcpy(d->weights, g->weights, n * sizeof *d->weights);
    }
    p->n_groups++;
    return PIM_OK;
}

uint64_t pim_program_insn_count(const pim_program *p)
{
    uint64_t n = 0;
    for (uint32_t c = 0; c < p->n_cores; c++)
        n += p->n_insns[c];
    return n;
}

const char *pim_dialect_name(pim_dialect d)
{
    return d == PIM_DIALECT_PIMCOMP ? "pimcomp" : "strict";
}

void pim_program_restrict(pim_program *p, const uint8_t *keep, uint64_t *cut)
{
    uint64_t n = 0;
    for (uint32_t c = 0; c < p->n_cores; c++) {
        if (!keep[c]) {
            p->n_insns[c] = 0;
            continue;
        }
        for (size_t i = 0; i < p->n_insns[c]; i++) {
            pim_insn *in = &p->insns[c][i];
            if ((in->op == PIM_OP_SEND || in->op == PIM_OP_RECV) &&
                (in->core >= p->n_cores || !keep[in->core])) {
                memset(in, 0, sizeof *in);
                in->op = PIM_OP_NOP;
                n++;
            }
        }
    }
    size_t kept = 0; /* the groups of cores that no longer run */
    for (size_t i = 0; i < p->n_groups; i++) {
        if (p->groups[i].core < p->n_cores && keep[p->groups[i].core])
            p->groups[kept++] = p->groups[i];
        else
            free(p->groups[i].weights);
    }
    p->n_groups = kept;
    if (cut)
        *cut = n;
}
