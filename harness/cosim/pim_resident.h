/*
 * pim_resident.h - where the groups live in the RTL tile's weight store.
 *
 * The tile holds every group it has been given (rtl/pim_xbar_tile.sv: a store of columns
 * and of bit-planes, mbiw planes per column), as a processing-in-memory core keeps its
 * weights in its crossbars. This map places each pass of a group (its columns from c0, as
 * many as the tile computes at once) at a column address and a plane address on its first
 * use, and answers the same place after, so a pass is programmed once. Places are handed out
 * in order; when the store is full everything is evicted (the map starts over: the passes are
 * programmed again on their next use), which a run whose groups fit never sees.
 */
#ifndef PIM_RESIDENT_H
#define PIM_RESIDENT_H

#include <stdint.h>

typedef struct pim_resident pim_resident;

typedef struct pim_resident_stats {
    uint64_t placed;       /* passes placed (each programmed then) */
    uint64_t hits;         /* uses of a pass already resident */
    uint64_t flushes;      /* times the store was full and everything was evicted */
    uint64_t columns_used; /* the store's use now: columns, planes */
    uint64_t planes_used;
    uint64_t columns_peak; /* the most used since pim_resident_new */
    uint64_t planes_peak;
} pim_resident_stats;

/* A map over a store of `columns` columns and `planes` planes. NULL: out of memory. Owned by
 * the caller (pim_resident_free). */
pim_resident *pim_resident_new(uint64_t columns, uint64_t planes);
void pim_resident_free(pim_resident *m); /* NULL is ignored */
/* Nothing is resident any more (the tile was reset, or a new program's groups may reuse
 * the keys of old ones); the peaks stay. */
void pim_resident_clear(pim_resident *m);
/* The place of pass (key, c0): `cols` columns of `mbiw` planes each; *col, *plane its
 * addresses. Returns 1 when it is resident already, 0 when it was placed now (the caller
 * programs it there), -1 when it can never fit (cols > columns or cols * mbiw > planes) or
 * the map is out of memory. key: any pointer that names the group while it lives. */
int pim_resident_place(pim_resident *m, const void *key, uint32_t c0, uint32_t cols,
                       uint32_t mbiw, uint32_t *col, uint32_t *plane);
/* Forgets pass (key, c0) (its programming failed: the store holds nothing known there). */
void pim_resident_drop(pim_resident *m, const void *key, uint32_t c0);
void pim_resident_get_stats(const pim_resident *m, pim_resident_stats *st);

#endif /* PIM_RESIDENT_H */
