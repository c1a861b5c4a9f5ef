/*
 * pim_model.h - the C interface of the Verilated RTL models (one shared object per unit and
 * parameter set, built by build_model.sh, loaded by harness/cosim/rtl.c).
 *
 * Each model sits behind a thin extern "C" shim (tile_shim.cpp, vu_shim.cpp) that owns its
 * VerilatedContext, applies +verilator+rand+reset+2 and +verilator+seed, drives the clock,
 * speaks the unit's valid/ready streams, optionally writes an FST wave, and calls
 * final() and closes the wave when freed. All calls return 0 on success and -1 on a
 * protocol failure (the unit did not answer within the cycle limit), with a message
 * readable through *_error().
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

typedef struct pim_rtl_tile_params {
    uint32_t rows, cols, cell_bits, dac_bits, adc_bits, adc_clip;
    uint32_t max_ibiw, max_mbiw, max_obiw;
} pim_rtl_tile_params;

typedef struct pim_rtl_vu_params {
    uint32_t lanes, frac_bits;
} pim_rtl_vu_params;

typedef struct pim_rtl_tile pim_rtl_tile;
typedef struct pim_rtl_vu pim_rtl_vu;

/* Creates the model. seed: Verilator's +verilator+seed (0: random). wave: NULL for none, or
 * the path of an FST file to write. Returns NULL on failure. Owned by the caller. */
pim_rtl_tile *pim_rtl_tile_new(uint64_t seed, const char *wave);
void pim_rtl_tile_free(pim_rtl_tile *t); /* final(), closes the wave; NULL is ignored */
void pim_rtl_tile_get_params(const pim_rtl_tile *t, pim_rtl_tile_params *p);
/* Programs columns 0..ncols-1 (ncols <= cols) of a group of `rows` rows (<= params.rows):
 * weight of row i, column j is w[i*stride + j]. */
int pim_rtl_tile_program(pim_rtl_tile *t, uint32_t mbiw, uint32_t rows, uint32_t ncols,
                         const int32_t *w, size_t stride);
/* One matrix-vector product: x[0..rows) in, y[0..ncols) out; *clips = ADC clips. */
int pim_rtl_tile_mvmul(pim_rtl_tile *t, uint32_t ibiw, uint32_t obiw, uint32_t relu,
                       const int64_t *x, uint32_t rows, int64_t *y, uint32_t ncols,
                       uint32_t *clips);
uint64_t pim_rtl_tile_cycles(const pim_rtl_tile *t);
/* With a wave: dump only the cycles in [from, to] (default: all). */
void pim_rtl_tile_trace_window(pim_rtl_tile *t, uint64_t from, uint64_t to);
const char *pim_rtl_tile_error(const pim_rtl_tile *t);

pim_rtl_vu *pim_rtl_vu_new(uint64_t seed, const char *wave);
void pim_rtl_vu_free(pim_rtl_vu *v);
void pim_rtl_vu_get_params(const pim_rtl_vu *v, pim_rtl_vu_params *p);
/* One vector instruction over n elements (ISA opcode op): a[], b[] operands (b may be NULL
 * when unused), scalar = vrsu/vrsl bound or vavg length; results to y[] (n elements for
 * element-wise ops, 1 for vvdmul/vavg). n >= 1. */
int pim_rtl_vu_exec(pim_rtl_vu *v, unsigned op, uint32_t ibiw, uint32_t obiw, int64_t scalar,
                    const int64_t *a, const int64_t *b, uint64_t n, int64_t *y);
uint64_t pim_rtl_vu_cycles(const pim_rtl_vu *v);
void pim_rtl_vu_trace_window(pim_rtl_vu *v, uint64_t from, uint64_t to);
const char *pim_rtl_vu_error(const pim_rtl_vu *v);

#ifdef __cplusplus
}
#endif

#endif /* PIM_MODEL_H */
