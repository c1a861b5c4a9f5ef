// tile_shim.cpp - extern "C" shim around the Verilated pim_xbar_tile (pim_model.h).
// Built once per parameter set by build_model.sh with -DTILE_* matching the -G
// parameters of the Verilated model.
#include "Vpim_xbar_tile.h"
#include "model_port.h"
#include "pim_isa.h"
#include "pim_model.h"

struct pim_rtl_tile : pim::Model<Vpim_xbar_tile> {
    pim_rtl_tile(uint64_t seed, const char *wave) : Model("pim_xbar_tile", "tile", seed, wave) {}
};

extern "C" pim_rtl_tile *pim_rtl_tile_new(uint64_t seed, const char *wave)
{
    auto *t = new pim_rtl_tile(seed, wave);
    t->top->prog_valid_i = 0;
    t->top->in_valid_i = 0;
    t->top->out_ready_i = 0;
    t->reset();
    return t;
}

extern "C" void pim_rtl_tile_free(pim_rtl_tile *t) { delete t; }

extern "C" void pim_rtl_tile_get_params(const pim_rtl_tile *, pim_rtl_tile_params *p)
{
    p->rows = TILE_ROWS;
    p->cols = TILE_COLS;
    p->cell_bits = TILE_CELL;
    p->dac_bits = TILE_DAC;
    p->adc_bits = TILE_ADC;
    p->adc_clip = TILE_CLIP;
    p->max_ibiw = TILE_MAXI;
    p->max_mbiw = TILE_MAXM;
    p->max_obiw = TILE_MAXO;
}

extern "C" int pim_rtl_tile_program(pim_rtl_tile *t, uint32_t mbiw, uint32_t rows, uint32_t ncols,
                                    const int32_t *w, size_t stride)
{
    Vpim_xbar_tile *top = t->top.get();
    for (uint32_t j = 0; j < ncols; j++) {
        top->prog_valid_i = 1;
        top->prog_first_i = j == 0;
        top->prog_mbiw_i = mbiw;
        top->prog_rows_i = rows;
        top->prog_col_i = j;
        for (uint32_t i = 0; i < TILE_ROWS; i++)
            pim::put_bits(top->prog_w_i, i * TILE_MAXM, TILE_MAXM,
                          i < rows ? static_cast<uint64_t>(static_cast<int64_t>(w[i * stride + j])) : 0u);
        uint32_t n = 0;
        top->eval();
        while (!top->prog_ready_o) {
            if (++n > PIM_RTL_TIMEOUT_CYCLES)
                return t->fail("prog_ready_o stayed low");
            t->tick();
        }
        t->tick(); // transfer
    }
    top->prog_valid_i = 0;
    return t->asserted();
}

extern "C" int pim_rtl_tile_mvmul(pim_rtl_tile *t, uint32_t ibiw, uint32_t obiw, uint32_t relu,
                                  const int64_t *x, uint32_t rows, int64_t *y, uint32_t ncols,
                                  uint32_t *clips)
{
    Vpim_xbar_tile *top = t->top.get();
    for (uint32_t i = 0; i < TILE_ROWS; i++)
        pim::put_bits(top->in_x_i, i * TILE_MAXI, TILE_MAXI,
                      i < rows ? static_cast<uint64_t>(x[i]) : 0u);
    top->in_ibiw_i = ibiw;
    top->in_obiw_i = obiw;
    top->in_relu_i = relu;
    top->in_valid_i = 1;
    top->out_ready_i = 0;
    uint32_t n = 0;
    top->eval();
    while (!top->in_ready_o) {
        if (++n > PIM_RTL_TIMEOUT_CYCLES)
            return t->fail("in_ready_o stayed low");
        t->tick();
    }
    t->tick(); // transfer
    top->in_valid_i = 0;
    n = 0;
    while (!top->out_valid_o) {
        if (++n > PIM_RTL_TIMEOUT_CYCLES)
            return t->fail("out_valid_o never rose");
        t->tick();
    }
    for (uint32_t j = 0; j < ncols; j++)
        y[j] = pim::sext(pim::get_bits(top->out_y_o, j * TILE_MAXO, TILE_MAXO), TILE_MAXO);
    if (clips)
        *clips = top->out_clips_o;
    top->out_ready_i = 1;
    t->tick(); // transfer
    top->out_ready_i = 0;
    return t->asserted();
}

extern "C" void pim_rtl_tile_trace_window(pim_rtl_tile *x, uint64_t from, uint64_t to)
{
    x->win_from = from;
    x->win_to = to;
}

extern "C" uint64_t pim_rtl_tile_cycles(const pim_rtl_tile *t) { return t->cycles; }
extern "C" const char *pim_rtl_tile_error(const pim_rtl_tile *t) { return t->error.c_str(); }
