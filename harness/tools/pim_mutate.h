/*
 * pim_mutate.h - RTL mutants for mutation testing (harness/tools/mutate.c), in the manner of
 * YosysHQ MCY: small, typical slips made one at a time in the RTL sources, each of which the
 * suite should catch. `pimcosim mutate` builds and runs them (harness/cli/cmd_mutate.c).
 *
 * A mutant is one edit of one line of one source: an operator swapped (+ -, << >>, < <=,
 * > >=, == !=, && ||, & |), a constant moved by one (sized literals and plain numbers, not
 * widths or bit indices), a condition inverted (if (c) -> if (!(c))), or an assignment
 * dropped. Lines of fault-injection branches (`ifdef PIM_FAULT_*), of the assertions
 * (`ifdef PIM_ASSERT_ON, assert, $error), comments, declarations and parameters are left
 * alone: a mutant there tests nothing the suite is for.
 *
 * The list is deterministic: the same sources give the same mutants in the same order, each
 * named by a key "FILE:LINE:COL:OP" (rtl/mutants.equiv lists the equivalent ones by key).
 */
#ifndef PIM_MUTATE_H
#define PIM_MUTATE_H

#include <stddef.h>
#include <stdint.h>

typedef struct pim_mutant {
    char file[64];        /* relative to the project root: "rtl/pim_xbar_tile.sv" */
    uint32_t line, col;   /* 1-based; col of the edited token */
    char op[24];          /* "plus>minus", "lt>le", "const+1", "if-invert", "drop", ... */
    char key[128];        /* "rtl/pim_xbar_tile.sv:238:27:plus>minus" */
    char before[200];     /* the line, then the line mutated (no newline; truncated if long) */
    char after[200];
} pim_mutant;

typedef struct pim_mutants {
    pim_mutant *v;
    size_t n, cap;
} pim_mutants;

/* Appends the mutants of the source text `text` (file name `file`, relative) to *out.
 * Returns 0, or -1 when out of memory. */
int pim_mutants_of_text(const char *file, const char *text, pim_mutants *out);

/* The mutants of the files (relative to root, NULL-terminated) into *out. Returns 0, or -1
 * with the reason in msg (n bytes): a file that cannot be read, out of memory. */
int pim_mutants_generate(const char *root, const char *const *files, pim_mutants *out,
                         char *msg, size_t n);

/* Keeps k mutants chosen by seed (a seeded shuffle, then the first k, in their original
 * order); k 0 or k >= n keeps all. */
void pim_mutants_sample(pim_mutants *m, size_t k, uint64_t seed);

void pim_mutants_free(pim_mutants *m);

/* The text of m's file with m applied: src (the whole file) -> a new string (caller frees),
 * or NULL when the line no longer reads as m->before (the source changed). */
char *pim_mutant_apply_text(const pim_mutant *m, const char *src);

/* Applies m to its file under dir (a copy of the tree). Returns 0, or -1. */
int pim_mutant_apply(const pim_mutant *m, const char *dir);

/* The RTL sources mutants are made of (NULL-terminated, static). */
const char *const *pim_mutate_sources(void);

#endif /* PIM_MUTATE_H */
