/*
 * pim_cover.h - functional coverage of a conformance suite: what the vectors exercise.
 *
 * Each vector runs on the golden model alone, with compute units (pim_units) that call the
 * golden ones and also recompute every result without saturation, and with a step function
 * that looks at each instruction and the registers before it executes. The counts say how
 * often the suite hit each opcode and each corner class (saturation at either edge per op,
 * ADC clipping, offset_select bits, width classes, strides, lengths, multi-core events,
 * errors by kind); a class nobody hit is a gap. The golden model's behaviour is unchanged.
 *
 * `pimcosim cover` (harness/cli/cmd_cover.c) prints the table, optionally as JSON, and with
 * --rtl also runs every vector in lockstep on RTL models built with Verilator --coverage and
 * merges their line and toggle coverage (pim_cover_rtl).
 */
#ifndef PIM_COVER_H
#define PIM_COVER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "pim_program.h"
#include "pim_status.h"
#include "pim_util.h"

typedef struct pim_cover pim_cover;

/* An empty accumulator, owned by the caller (pim_cover_free); NULL when out of memory. */
pim_cover *pim_cover_new(void);
void pim_cover_free(pim_cover *cv); /* NULL is ignored */

/* Loads the vector at path and adds what it exercises. A vector whose program must be
 * refused counts as a refusal (for its op when the refusal names one); a run that ends in
 * an execution error or a deadlock counts that error: both return PIM_OK. A file that is
 * not a loadable vector returns PIM_E_INPUT / PIM_E_IO (and PIM_E_NOMEM) with *err filled,
 * adding nothing. */
pim_status pim_cover_add_file(pim_cover *cv, const char *path, pim_error *err);

/* The same for a loaded vector (p is only read). */
pim_status pim_cover_add_program(pim_cover *cv, const pim_program *p, pim_error *err);

/* Vectors added, and how many of them were refused at load. */
uint64_t pim_cover_vectors(const pim_cover *cv);
uint64_t pim_cover_refused(const pim_cover *cv);

/* Per op (0 <= op < PIM_OP_COUNT): instructions completed, vectors that completed at least
 * one, instructions that failed with an execution error, vectors refused for it. */
uint64_t pim_cover_op_executed(const pim_cover *cv, unsigned op);
uint64_t pim_cover_op_vectors(const pim_cover *cv, unsigned op);
uint64_t pim_cover_op_errors(const pim_cover *cv, unsigned op);
uint64_t pim_cover_op_refused(const pim_cover *cv, unsigned op);

/* The count of a corner class by name ("sat_high.vvadd", "adc.clip_hit", "ibiw.9-15", ...;
 * pim_cover_class_name lists them), or UINT64_MAX for an unknown name. Saturation classes
 * count result elements; the others count instructions (or runs, pairs, vectors as their
 * meaning says). */
uint64_t pim_cover_count(const pim_cover *cv, const char *name);

/* The classes, i in 0..pim_cover_class_total()-1: name, meaning, and whether a zero count
 * is a gap (informational counters such as "adc.clip_sums" are not). NULL past the end. */
size_t pim_cover_class_total(void);
const char *pim_cover_class_name(size_t i);
const char *pim_cover_class_meaning(size_t i);
int pim_cover_class_required(size_t i);

/* Gaps: ops never completed and required classes never hit. Returns how many; the first
 * `max` names go into names[] (static strings). */
size_t pim_cover_gaps(const pim_cover *cv, const char **names, size_t max);

/* The table: op rows, class rows, the mvmul knob values seen, and the final "gaps:" line. */
void pim_cover_print(const pim_cover *cv, FILE *out);

/* The same as JSON (cJSON) into path. PIM_E_IO / PIM_E_NOMEM with *err on failure.
 * extra, when not NULL, is a cJSON object added under "rtl" (ownership passes). */
pim_status pim_cover_write_json(const pim_cover *cv, const char *path, void *extra,
                                pim_error *err);

/* The closing line: "gaps: none" or "gaps (N): name, name, ...". */
void pim_cover_print_gaps(const pim_cover *cv, FILE *out);

/* RTL code coverage: runs every vector of paths in lockstep on models built with Verilator
 * --coverage (built when missing and `build` is 1), merges their line/toggle/branch data
 * with verilator_coverage into DIR/merged.dat and DIR/annotated/, prints a table per RTL
 * file and type, and sets *json to the "rtl" object of the JSON report (owned by the
 * caller). Returns the exit code: 0, 1 a vector diverged, 2 trouble (said on stderr). */
struct cJSON;
int pim_cover_rtl(const pim_paths *paths, const char *dir, int build, struct cJSON **json);

#endif /* PIM_COVER_H */
