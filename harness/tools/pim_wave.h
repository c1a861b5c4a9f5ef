/*
 * pim_wave.h - waves after a divergence: RTL units that dump a window of cycles around it,
 * and GTKWave save files that open the dump there (harness/tools/wave.c).
 */
#ifndef PIM_WAVE_H
#define PIM_WAVE_H

#include <stddef.h>
#include <stdint.h>

#include "pim_config.h"
#include "pim_divergence.h"
#include "pim_rtl.h"
#include "pim_status.h"

/* Writes a GTKWave save file that opens `dump` (an FST, or a VCD) at time `from` with the
 * failing unit's signals grouped ("pim_xbar_tile" or "pim_vector_unit"; only signals present
 * in the dump, read through fst2vcd), a comment trace saying what diverged, and the primary
 * marker at `marker` (wave time: cycle c is times 2c and 2c + 1). Returns 0, or -1. */
int pim_gtkw_write(const char *gtkw, const char *dump, const char *unit, uint64_t marker,
                   uint64_t from, const char *comment);

/* Opens fresh RTL units for cfg (from *base, never building) that write waves to
 * DIR/wave.tile.fst and DIR/wave.vu.fst (and .vcd when vcd is 1). With div, only the cycles
 * [c - before, c + after] around each unit's cycle counter at the divergence are dumped;
 * NULL: the whole run. Verilator 5.006: close other live instances of the same models first.
 * *out owned by the caller (pim_rtl_close writes the files). */
pim_status pim_rtl_open_traced(const pim_rtl_opts *base, const pim_config *cfg, const char *dir,
                               int vcd, const pim_divergence *div, uint64_t before,
                               uint64_t after, pim_rtl **out, pim_error *err);

/* GTKWave save files beside DIR's waves: the diverging unit's (both units' when div is NULL),
 * wave.tile.gtkw / wave.vu.gtkw; note (n bytes) receives "gtkwave FILE[; gtkwave FILE]". */
void pim_gtkw_write_dir(const char *dir, const pim_divergence *div, int vcd, char *note, size_t n);

#endif /* PIM_WAVE_H */
