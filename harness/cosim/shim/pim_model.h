/*
 * pim_model.h - the C interface of the Verilated RTL models (one shared object per unit and
 * parameter set, built by build_model.sh, loaded by harness/cosim/rtl.c).
 *
 * Each model sits behind a thin extern "C" shim (tile_shim.cpp, vu_shim.cpp) that owns its
 * VerilatedContext, applies +verilator+rand+reset+2 and +verilator+seed, drives the clock,
 * speaks the unit's valid/ready streams, optionally writes an FST wave, and calls
 * final() and closes the wave when freed. Calls return 0 on success, -1 on a protocol
 * failure (the unit did not answer within the cycle limit, or an RTL assertion fired), with
 * a message readable through *_error().
 *
 * Stress (pim_rtl_*_reset): with a level above 0 the shim drives every path the units'
 * valid/ready contracts allow, from a seeded generator, so the same seed gives the same
 * cycles: random gaps before valid, random stalls of out_ready_i, programming and an input
 * offered together (the tile must take the programming first), and random values on every
 * bit the contracts call don't-care (lanes beyond the count, bits above an element's width,
 * rows beyond the group, every data input while its valid is low). A correct unit gives the
 * same results at every level.
 */
#ifndef PIM_MODEL_H
#define PIM_MODEL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Cycles a unit may take to accept or answer before the shim reports a hang. */
#define PIM_RTL_TIMEOUT_CYCLES 100000u
/* In a wave (time unit 1 ps) a cycle lasts 1 ns: cycle c starts at c ns, its rising edge is
 * at c ns + 500 ps. */
#define PIM_WAVE_PS_PER_CYCLE 1000u

/* A tile's parameters: its size, the bounds of its knobs, the knobs it fixes (0, and -1 for
 * adc_clip: the knob is an input, set with pim_rtl_tile_set_knobs), the widest widths. */
typedef struct pim_rtl_tile_params {
    uint32_t rows, cols, max_cell_bits, max_dac_bits;
    uint32_t cell_bits, dac_bits, adc_bits;
    int32_t adc_clip;
    uint32_t max_ibiw, max_mbiw, max_obiw;
    uint32_t columns, planes; /* the weight store: columns, and bit-planes (mbiw per column) */
} pim_rtl_tile_params;

/* A pass of an mvmul on the tile: `cols` (1..params.cols) columns of a group of `rows` rows
 * (1..params.rows) and mbiw-bit weights, resident in the tile's store: column j at column
 * address col + j, its planes at plane + j * mbiw (col + cols <= params.columns,
 * plane + cols * mbiw <= params.planes). */
typedef struct pim_rtl_tile_pass {
    uint32_t mbiw, rows, cols, col, plane;
} pim_rtl_tile_pass;

/* The knobs of the tile's cfg_*_i inputs (p, d, a, saturating ADC), driven with every input
 * vector. */
typedef struct pim_rtl_tile_knobs {
    uint32_t cell_bits, dac_bits, adc_bits, adc_clip;
} pim_rtl_tile_knobs;

/* A vector unit's parameters: its lanes and the F it fixes (-1: F is an input). */
typedef struct pim_rtl_vu_params {
    uint32_t lanes;
    int32_t frac_bits;
} pim_rtl_vu_params;

typedef struct pim_rtl_tile pim_rtl_tile;
typedef struct pim_rtl_vu pim_rtl_vu;

/* Creates the model. seed: Verilator's +verilator+seed (0: random). wave: NULL for none, or
 * the path of an FST file to write. Returns NULL on failure. Owned by the caller. */
pim_rtl_tile *pim_rtl_tile_new(uint64_t seed, const char *wave);
/* final(), closes the wave (after clocking the tile on, idle, to the end of a trace window
 * that ends later: the cycles after a divergence); NULL is ignored */
void pim_rtl_tile_free(pim_rtl_tile *t);
void pim_rtl_tile_get_params(const pim_rtl_tile *t, pim_rtl_tile_params *p);
/* The knobs driven on cfg_*_i from now on (default: 2-bit cells, 1-bit DAC, 8-bit ADC,
 * saturating); the caller keeps them within the parameters' bounds. */
void pim_rtl_tile_set_knobs(pim_rtl_tile *t, const pim_rtl_tile_knobs *k);
/* Resets the design (rst_ni low for two cycles, every input idle): the tile holds no group
 * (its store means nothing);
 * the cycle counter restarts at 0 (the reset's cycles are neither counted nor dumped).
 * stress: 0 off, 1 moderate, 2 heavy; stress_seed seeds the stress generator. */
void pim_rtl_tile_reset(pim_rtl_tile *t, unsigned stress, uint64_t stress_seed);
/* One matrix-vector product on the pass's columns. When w is not NULL its columns are
 * programmed into the store first (weight of row i, column j of the pass is w[i*stride + j],
 * mbiw bits); with stress the input may be offered while the programming is. When w is NULL
 * they are resident: programmed with this mbiw and rows since the last reset. x[0..rows) in
 * (ibiw bits), y[0..cols) out (obiw bits); *clips: the ADC clips the tile counted. */
int pim_rtl_tile_run(pim_rtl_tile *t, const pim_rtl_tile_pass *pass, const int32_t *w,
                     size_t stride, uint32_t ibiw, uint32_t obiw, uint32_t relu,
                     const int64_t *x, int64_t *y, uint32_t *clips);
uint64_t pim_rtl_tile_cycles(const pim_rtl_tile *t);
/* With a wave: dump only the cycles in [from, to] (default: all). */
void pim_rtl_tile_trace_window(pim_rtl_tile *t, uint64_t from, uint64_t to);
const char *pim_rtl_tile_error(const pim_rtl_tile *t);

pim_rtl_vu *pim_rtl_vu_new(uint64_t seed, const char *wave);
void pim_rtl_vu_free(pim_rtl_vu *v); /* as pim_rtl_tile_free */
void pim_rtl_vu_get_params(const pim_rtl_vu *v, pim_rtl_vu_params *p);
/* The F driven on cfg_frac_i from now on (default 4), 0..30. */
void pim_rtl_vu_set_frac(pim_rtl_vu *v, uint32_t frac_bits);
void pim_rtl_vu_reset(pim_rtl_vu *v, unsigned stress, uint64_t stress_seed);
/* One vector instruction over n elements (ISA opcode op): a[], b[] operands (b may be NULL
 * when unused), scalar = vrsu/vrsl bound or vavg length; results to y[] (n elements for
 * element-wise ops, 1 for vvdmul/vavg), and the out_count_o of each output beat to
 * counts[] (ceil(n / lanes) entries, 1 for vvdmul/vavg). n >= 1. */
int pim_rtl_vu_exec(pim_rtl_vu *v, unsigned op, uint32_t ibiw, uint32_t obiw, int64_t scalar,
                    const int64_t *a, const int64_t *b, uint64_t n, int64_t *y,
                    uint32_t *counts);
uint64_t pim_rtl_vu_cycles(const pim_rtl_vu *v);
/* The cycle (as pim_rtl_vu_cycles counts) at whose rising edge output beat k of the last
 * pim_rtl_vu_exec left the unit; pim_rtl_vu_cycles for a beat it did not give. */
uint64_t pim_rtl_vu_beat_cycle(const pim_rtl_vu *v, uint64_t k);
void pim_rtl_vu_trace_window(pim_rtl_vu *v, uint64_t from, uint64_t to);
const char *pim_rtl_vu_error(const pim_rtl_vu *v);

#ifdef __cplusplus
}
#endif

#endif /* PIM_MODEL_H */
