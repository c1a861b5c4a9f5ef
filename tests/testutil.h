/*
 * testutil.h - helpers shared by the Check unit tests (tests/test_*.c).
 *
 * Expected values in the tests are worked out by hand from ../shared/spec/profile.md and
 * docs/isa.md section 8 ("Choices the profile leaves to us", the same choices, numbered as
 * there); these helpers only build programs, run and load them and check what the tests
 * give them, they never compute an expected value.
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

/* Addresses of the register conventions of the machine and vector tests: r1 = destination
 * (TU_DST), r2 = first source (TU_SRCA), r3 = second source (TU_SRCB). */
#define TU_DST 0x300u
#define TU_SRCA 0x100u
#define TU_SRCB 0x200u

/* Sets n bytes of core c's LMem at addr to b (asserts nothing). */
void tu_fill_bytes(tu_machine *m, uint32_t c, uint32_t addr, uint8_t b, size_t n);
/* Asserts that core c's LMem at addr holds the n elements want of byw bytes each. */
void tu_expect_elems(tu_machine *m, uint32_t c, uint32_t addr, uint32_t byw,
                     const int64_t *want, size_t n);
/* Runs to completion; asserts PIM_OK (else fails with m->err's message) and that all are done. */
void tu_run_ok(tu_machine *m);

/* More instruction builders (values; every other member zero): send LMem[$rs1 + off] to core,
 * recv into LMem[$rd + off] from core, sync core's event ev, wait for event ev == val, lldi of
 * size copies of byte at LMem[$rd + off], mvmul of group, sld $rd = GMem[pair rs1 + off]. */
pim_insn tu_send(unsigned rs1, uint32_t core, uint32_t size, int32_t off);
pim_insn tu_recv(unsigned rd, uint32_t core, uint32_t size, int32_t off);
pim_insn tu_sync(unsigned ev, uint32_t core);
pim_insn tu_wait(unsigned ev, uint32_t val);
pim_insn tu_lldi(unsigned rd, uint8_t byte, uint32_t size, int32_t off);
pim_insn tu_mvmul(unsigned rd, unsigned rs1, unsigned mbiw, unsigned group, unsigned relu);
pim_insn tu_sld(unsigned rd, unsigned rs1, int32_t off);

/* The loader tests' fixtures (the tests run from the repository root). */
#define TU_DATA "tests/data/"

/* The default config (pim_config_default: its full-size memories) with n cores. */
pim_config tu_cfg_cores(uint32_t n);
/* Asserts that e formats to one line naming path's file (and e->file does), and core,
 * instruction index and field when given (core/index >= 0, field non-empty). */
void tu_check_message(const pim_error *e, const char *path, long core, long index,
                      const char *field);
/* Loads the stream file path with tu_cfg_cores(cores) and the options dialect d, detect and
 * threads (asserts nothing): *p gets the program, owned by the caller (NULL when refused),
 * e the error, and notice (320 bytes; may be NULL) the loader's notice. */
pim_status tu_load_with(const char *path, uint32_t cores, pim_dialect d, int detect,
                        int threads, pim_program **p, pim_error *e, char *notice);

/* A stream written to a fresh temporary file; tu_tmp_done removes it. */
typedef struct tu_tmp_file {
    char dir[64], path[96];
} tu_tmp_file;

/* Writes text to s.json in a fresh temporary directory (asserts both succeed). */
void tu_tmp_stream(tu_tmp_file *t, const char *text);
/* Removes the file and the directory of tu_tmp_stream. */
void tu_tmp_done(tu_tmp_file *t);
/* Loads text (in a temporary file) as a stream in dialect d: the status; *p gets the program,
 * owned by the caller, and line (n bytes) the one-line error from "s.json" on ("" when it
 * loads). Asserts only that the temporary file is written. */
pim_status tu_load_text(const char *text, uint32_t cores, pim_dialect d, pim_program **p,
                        char *line, size_t n);

/* Runs a suite, prints the summary, returns EXIT_SUCCESS / EXIT_FAILURE. */
int tu_run_suite(Suite *s);

/* Writes a NUL-terminated text to path (asserts success). */
void tu_write_text(const char *path, const char *text);

#endif /* PIM_TESTUTIL_H */
