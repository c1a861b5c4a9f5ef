/*
 * pim_expect.h - judging a run against a conformance vector's expectations.
 *
 * Used by every run of a vector, golden-only or in lockstep (harness/cli/run_vector.c): one
 * place decides what "pass" means for a vector.
 */
#ifndef PIM_EXPECT_H
#define PIM_EXPECT_H

#include "pim_golden.h"
#include "pim_program.h"
#include "pim_status.h"

/* After a run that ended without error: compares every register, event register and byte
 * the vector lists under "expected" with the machine's state. PIM_OK when all agree;
 * PIM_E_MISMATCH with the first difference in *err (core, field such as "lmem[0x10]",
 * expected and actual value) otherwise, or when the vector expected an error instead. */
pim_status pim_expect_check_state(const pim_program *p, pim_golden *g, pim_error *err);

/* After a run (or load) that ended in error *got: PIM_OK when the vector expected that error
 * (same kind, and the same core, instruction index and field where the vector gives them);
 * PIM_E_MISMATCH with an explanation otherwise. */
pim_status pim_expect_check_error(const pim_program *p, const pim_error *got, pim_error *err);

#endif
