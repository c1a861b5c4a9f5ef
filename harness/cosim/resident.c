/*
 * resident.c - the placement of groups in the tile's weight store (pim_resident.h): an
 * open-addressing table from (key, c0) to the pass's addresses, and two bump pointers.
 */
#include "pim_resident.h"

#include <stdlib.h>
#include <string.h>

typedef struct slot {
    const void *key; /* NULL: empty */
    uint32_t c0, col, plane;
} slot;

struct pim_resident {
    uint64_t columns, planes;     /* the store's size */
    uint64_t next_col, next_plane;
    slot *tab;
    size_t cap, used;             /* cap a power of two */
    pim_resident_stats st;
};

static size_t hash(const void *key, uint32_t c0)
{
    uint64_t h = (uint64_t)(uintptr_t)key * UINT64_C(0x9e3779b97f4a7c15) ^ (uint64_t)c0 * 0xff51afd7ed558ccdu;
    h ^= h >> 29;
    return (size_t)h;
}

pim_resident *pim_resident_new(uint64_t columns, uint64_t planes)
{
    pim_resident *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->columns = columns;
    m->planes = planes;
    m->cap = 256;
    m->tab = calloc(m->cap, sizeof *m->tab);
    if (!m->tab) {
        free(m);
        return NULL;
    }
    return m;
}

void pim_resident_free(pim_resident *m)
{
    if (!m)
        return;
    free(m->tab);
    free(m);
}

void pim_resident_clear(pim_resident *m)
{
    memset(m->tab, 0, m->cap * sizeof *m->tab);
    m->used = 0;
    m->next_col = m->next_plane = 0;
    m->st.columns_used = m->st.planes_used = 0;
}

static slot *find(const pim_resident *m, const void *key, uint32_t c0)
{
    for (size_t i = hash(key, c0) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        slot *s = &m->tab[i];
        if (!s->key || (s->key == key && s->c0 == c0))
            return s;
    }
}

static int grow(pim_resident *m)
{
    const size_t ncap = m->cap * 2;
    slot *old = m->tab, *tab = calloc(ncap, sizeof *tab);
    if (!tab)
        return -1;
    const size_t ocap = m->cap;
    m->tab = tab;
    m->cap = ncap;
    for (size_t i = 0; i < ocap; i++)
        if (old[i].key)
            *find(m, old[i].key, old[i].c0) = old[i];
    free(old);
    return 0;
}

int pim_resident_place(pim_resident *m, const void *key, uint32_t c0, uint32_t cols,
                       uint32_t mbiw, uint32_t *col, uint32_t *plane)
{
    slot *s = find(m, key, c0);
    if (s->key) {
        *col = s->col;
        *plane = s->plane;
        m->st.hits++;
        return 1;
    }
    const uint64_t np = (uint64_t)cols * mbiw;
    if (cols > m->columns || np > m->planes)
        return -1;
    if (m->next_col + cols > m->columns || m->next_plane + np > m->planes) {
        pim_resident_clear(m); /* full: everything goes, placed again on its next use */
        m->st.flushes++;
    }
    if (2 * (m->used + 1) > m->cap) {
        if (grow(m) != 0)
            return -1;
    }
    s = find(m, key, c0);
    s->key = key;
    s->c0 = c0;
    s->col = (uint32_t)m->next_col;
    s->plane = (uint32_t)m->next_plane;
    m->used++;
    m->next_col += cols;
    m->next_plane += np;
    m->st.placed++;
    m->st.columns_used = m->next_col;
    m->st.planes_used = m->next_plane;
    if (m->next_col > m->st.columns_peak)
        m->st.columns_peak = m->next_col;
    if (m->next_plane > m->st.planes_peak)
        m->st.planes_peak = m->next_plane;
    *col = s->col;
    *plane = s->plane;
    return 0;
}

void pim_resident_drop(pim_resident *m, const void *key, uint32_t c0)
{
    /* backward-shift deletion keeps every probe chain unbroken */
    slot *s = find(m, key, c0);
    if (!s->key)
        return;
    size_t i = (size_t)(s - m->tab);
    m->tab[i].key = NULL;
    m->used--;
    for (size_t j = (i + 1) & (m->cap - 1); m->tab[j].key; j = (j + 1) & (m->cap - 1)) {
        const slot t = m->tab[j];
        m->tab[j].key = NULL;
        *find(m, t.key, t.c0) = t;
    }
}

void pim_resident_get_stats(const pim_resident *m, pim_resident_stats *st) { *st = m->st; }
