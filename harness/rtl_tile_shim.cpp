// rtl_tile_shim.cpp - extern "C" shim around the Verilated pim_xbar_tile (include/pim_rtl.h).
// Built once per parameter set by harness/build_model.sh with -DTILE_* matching the -G
// parameters of the Verilated model.
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

#include "Vpim_xbar_tile.h"
#include "pim_rtl.h"
#include "rtl_port.h"
#include "verilated.h"
#include "verilated_fst_c.h"

struct pim_rtl_tile {
    std::unique_ptr<VerilatedContext> ctx;
    std::unique_ptr<Vpim_xbar_tile> top;
    std::unique_ptr<VerilatedFstC> fst;
    uint64_t cycles = 0;
    std::string error;

    void dump(uint64_t t)
    {
        if (fst)
            fst->dump(t);
    }
    void tick()
    {
        top->clk_i = 0;
        top->eval();
        dump(2 * cycles);
        top->clk_i = 1;
        top->eval();
        dump(2 * cycles + 1);
        cycles++;
    }
    int fail(const char *what)
    {
        error = std::string("pim_xbar_tile: ") + what + " within " +
                std::to_string(PIM_RTL_TIMEOUT_CYCLES) + " cycles (cycle " +
                std::to_string(cycles) + ")";
        return -1;
    }
};

extern "C" pim_rtl_tile *pim_rtl_tile_new(uint64_t seed, const char *wave)
{
    auto *t = new pim_rtl_tile;
    t->ctx.reset(new VerilatedContext);
    pim::configure(t->ctx.get(), seed);
    if (wave)
        t->ctx->traceEverOn(true);
    t->top.reset(new Vpim_xbar_tile{t->ctx.get(), "tile"});
    if (wave) {
        t->fst.reset(new VerilatedFstC);
        t->top->trace(t->fst.get(), 99);
        t->fst->open(wave);
    }
    t->top->prog_valid_i = 0;
    t->top->in_valid_i = 0;
    t->top->out_ready_i = 0;
    t->top->rst_ni = 0;
    t->tick();
    t->tick();
    t->top->rst_ni = 1;
    t->tick();
    return t;
}

extern "C" void pim_rtl_tile_free(pim_rtl_tile *t)
{
    if (!t)
        return;
    t->top->final();
    if (t->fst)
        t->fst->close();
    delete t;
}

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
    return 0;
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
    return 0;
}

extern "C" uint64_t pim_rtl_tile_cycles(const pim_rtl_tile *t) { return t->cycles; }
extern "C" const char *pim_rtl_tile_error(const pim_rtl_tile *t) { return t->error.c_str(); }
