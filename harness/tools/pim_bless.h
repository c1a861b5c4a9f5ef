/*
 * pim_bless.h - blessing a vector: its expectations from the golden model's final state
 * (harness/tools/bless.c), for `pimcosim run --bless`.
 */
#ifndef PIM_BLESS_H
#define PIM_BLESS_H

#include <stddef.h>

#include "pim_program.h"
#include "pim_status.h"

/* 1 when p is a loaded (not refused) vector whose "expected" is empty: the ones --bless
 * writes. */
int pim_bless_wanted(const pim_program *p);

/* Runs p on the golden model (seed 1) and writes p->path's vector with "expected" holding
 * the final registers, event registers and every byte the run wrote, into
 * NAME.blessed.json beside it, never over an existing file. msg (n bytes) says what was
 * written or why not. PIM_OK, or PIM_E_IO / PIM_E_NOMEM / the run's error. */
pim_status pim_bless(const pim_program *p, char *msg, size_t n);

#endif /* PIM_BLESS_H */
