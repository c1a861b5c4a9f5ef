/*
 * pim_shrink.h - the smallest vector that still shows a divergence: delta debugging on a
 * vector's JSON while the divergence signature stays (harness/tools/shrink.c). `pimcosim
 * shrink` and `pimcosim run --shrink` call it.
 */
#ifndef PIM_SHRINK_H
#define PIM_SHRINK_H

#include <stdint.h>

#include "pim_divergence.h"
#include "pim_rtl.h"

/* What must stay the same: the op, the RTL unit, the kind of difference, and for a value
 * the space written and the diverging element's expected and actual values (the scenario,
 * not only its place: -3 expected and 0 got stays that). */
typedef struct pim_shrink_signature {
    uint8_t op, unit, kind, space;
    int64_t expected, actual;
} pim_shrink_signature;

typedef struct pim_shrink_result {
    char out[1100];            /* the minimal vector's path */
    int insns0, insns1;        /* instructions before and after */
    uint64_t tries, kept;      /* candidates run, and kept */
    double secs;
    pim_shrink_signature sig;
    char msg[1400];            /* on failure: why, one line */
} pim_shrink_result;

/* Shrinks the vector at `in` on RTL units opened with *ro (its fault, seed, build) and
 * writes the minimal vector to out (NULL: IN.min.json), with id "<id>.min" and a comment
 * saying where it came from. Returns the exit code: 0 written (*r filled), 1 the vector does
 * not diverge, 2 bad input or a write failure (r->msg says why). */
int pim_shrink_vector(const pim_rtl_opts *ro, const char *in, const char *out,
                      pim_shrink_result *r);

#endif /* PIM_SHRINK_H */
