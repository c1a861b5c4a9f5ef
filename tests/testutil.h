/*
 * testutil.h - helpers shared by the Check unit tests (tests/test_*.c).
 *
 * Expected values in the tests are worked out by hand from spec/profile.md and
 * /tmp/pimcosim_choices.md; these helpers only build programs and run them, they never
 * compute an expected value.
 */
#ifndef PIM_TESTUTIL_H
#define PIM_TESTUTIL_H

#include <stddef.h>
#include <stdint.h>
#include <check.h>

#include "pim_config.h"
#include "pim_golden.h"
#include "pim_isa.h"
#include "pim_program.h"
#include "pim_status.h"

/* Local / global memory sizes of the test machine: small, so that out-of-range addresses
 * are easy to reach. */
#define TU_LMEM 4096u
#define TU_GMEM 65536u

/* The default config (pim_config_default) with `cores` cores and the small memories. */
pim_config tu_config(uint32_t cores);

/* A machine under construction: config, program, golden model and the last error. */
typedef struct tu_machine {
    pim_config cfg;
    pim_program *prog;
    pim_golden *g;
    pim_error err;
} tu_machine;

/* Creates the program for m->cfg (call after adjusting m->cfg, e.g. tu_config(n)). */
void tu_begin(tu_machine *m, const pim_config *cfg);
/* Appends an instruction to core c (asserts success). */
void tu_emit(tu_machine *m, uint32_t c, pim_insn in);
/* Adds an array group to the program (asserts success); weights row-major rows x cols. */
void tu_group(tu_machine *m, uint32_t c, uint32_t index, uint32_t mbiw, uint32_t rows,
              uint32_t cols, const int32_t *w);
/* Creates the golden model and loads the program (asserts success): registers and memories
 * are zero, widths 8/8; set the initial state with tu_reg/tu_lmem/tu_gmem afterwards. */
void tu_load(tu_machine *m);
/* Runs to completion, returns the status (m->err holds the error). */
pim_status tu_run(tu_machine *m);
/* Frees the machine and the program. */
void tu_end(tu_machine *m);

void tu_reg(tu_machine *m, uint32_t c, uint32_t r, uint32_t v);
/* Copies n bytes into core c's local memory at addr / the global memory at addr. */
void tu_lmem(tu_machine *m, uint32_t c, uint32_t addr, const void *bytes, size_t n);
void tu_gmem(tu_machine *m, uint32_t addr, const void *bytes, size_t n);
/* Writes n elements of byw bytes (little-endian two's complement) at addr of core c. */
void tu_lmem_elems(tu_machine *m, uint32_t c, uint32_t addr, uint32_t byw, const int64_t *v,
                   size_t n);
/* Reads the element of byw bytes at addr of core c, sign-extended from 8*byw bits. */
int64_t tu_lmem_elem(tu_machine *m, uint32_t c, uint32_t addr, uint32_t byw);
/* Asserts that core c's LMem at addr holds exactly the n given bytes. */
void tu_check_lmem(tu_machine *m, uint32_t c, uint32_t addr, const uint8_t *bytes, size_t n);

/* Instruction builders (every other member zero). */
pim_insn tu_i(unsigned op);
pim_insn tu_rrr(unsigned op, unsigned rd, unsigned rs1, unsigned rs2);
pim_insn tu_rri(unsigned op, unsigned rd, unsigned rs1, uint32_t imm);
pim_insn tu_vec(unsigned op, unsigned rd, unsigned rs1, unsigned rs2, uint32_t len,
                unsigned sel, int32_t off);
pim_insn tu_setbw(unsigned ibiw, unsigned obiw);
pim_insn tu_xfer(unsigned op, unsigned rd, unsigned rs1, uint32_t size, unsigned sel,
                 int32_t off);

/* Runs a suite, prints the summary, returns EXIT_SUCCESS / EXIT_FAILURE. */
int tu_run_suite(Suite *s);

/* Writes a NUL-terminated text to path (asserts success). */
void tu_write_text(const char *path, const char *text);

#endif /* PIM_TESTUTIL_H */
