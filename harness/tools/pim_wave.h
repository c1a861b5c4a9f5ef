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

/* What a GTKWave save file shows. Times are cycles of the unit (the wave shows cycle c as
 * the nanosecond [c, c + 1), its rising edge at c.5 ns: PIM_WAVE_PS_PER_CYCLE). */
typedef struct pim_gtkw_spec {
    const char *gtkw, *dump; /* the save file to write; the FST (or VCD) it opens */
    const char *unit;        /* "pim_xbar_tile" or "pim_vector_unit" */
    uint64_t from, to;       /* the dumped window: the view opens on it, all of it visible */
    uint64_t marker;         /* the rising edge the instruction ended at (named marker B; the
                              * primary marker and A are on beat, when there is one) */
    int has_beat;            /* named marker A on beat's rising edge */
    uint64_t beat;
    long lane;               /* the failing element's lane (tile: column) shown first, or -1 */
    uint64_t element;
    int64_t expected, actual;
    const char *comment;     /* the comment trace at the top: what diverged */
    const char *op_filter;   /* NULL, or a translate filter file to write (the ops' names) and
                              * apply to in_op_i */
} pim_gtkw_spec;

/* Writes the save file: the failing element's signals first (g_lane[l].view_* /
 * g_col[j].view_y, signed decimal, highlighted, with expected and actual beside them), then
 * the unit's signals grouped (only those present in the dump, read through fst2vcd).
 * Returns 0, or -1. */
int pim_gtkw_write(const pim_gtkw_spec *g);

/* Opens fresh RTL units for cfg (from *base, never building) that write waves to
 * DIR/wave.tile.fst and DIR/wave.vu.fst (and .vcd when vcd is 1). With div, only the cycles
 * [c - before, c + after] around each unit's cycle counter at the divergence are dumped;
 * NULL: the whole run. Verilator 5.006: close other live instances of the same models first.
 * *out owned by the caller (pim_rtl_close writes the files). */
pim_status pim_rtl_open_traced(const pim_rtl_opts *base, const pim_config *cfg, const char *dir,
                               int vcd, const pim_divergence *div, uint64_t before,
                               uint64_t after, pim_rtl **out, pim_error *err);

/* GTKWave save files beside DIR's waves: the diverging unit's (both units' when div is NULL),
 * wave.tile.gtkw / wave.vu.gtkw (and DIR/ops.txt, the ops' names), for a window of `before`
 * cycles before the divergence and `after` after it (without div: the whole run, run_cycles
 * long, opens zoomed on it); note (n bytes) receives "gtkwave
 * FILE[; gtkwave FILE]". */
void pim_gtkw_write_dir(const char *dir, const pim_divergence *div, int vcd, uint64_t before,
                        uint64_t after, uint64_t run_cycles, char *note, size_t n);

#endif /* PIM_WAVE_H */
