// tile_shim.cpp - extern "C" shim around the Verilated pim_xbar_tile (pim_model.h).
// Built once per parameter set by build_model.sh with -DTILE_* matching the -G parameters of
// the Verilated model. The knobs go to the cfg_*_i inputs with every input vector.
#include "Vpim_xbar_tile.h"
#include "model_port.h"
#include "pim_isa.h"
#include "pim_model.h"

struct pim_rtl_tile : pim::Model<Vpim_xbar_tile> {
    pim_rtl_tile_knobs knobs{2, 1, 8, 1};

    pim_rtl_tile(uint64_t seed, const char *wave) : Model("pim_xbar_tile", "tile", seed, wave) {}

    // Random programming and input buses (what a sender may drive while valid is low).
    void scramble_prog()
    {
        top->prog_mbiw_i = rnd() % 64;
        top->prog_rows_i = rnd();
        top->prog_col_i = rnd();
        top->prog_plane_i = rnd();
        for (uint32_t i = 0; i < TILE_ROWS; i++)
            pim::put_bits(top->prog_w_i, i * TILE_MAXM, TILE_MAXM, rnd());
    }
    void scramble_in()
    {
        top->in_col_i = rnd();
        top->in_plane_i = rnd();
        top->in_cols_i = rnd();
        top->in_rows_i = rnd();
        top->in_mbiw_i = rnd() % 64;
        top->in_ibiw_i = rnd() % 64;
        top->in_obiw_i = rnd() % 64;
        top->in_relu_i = rnd() & 1;
        top->cfg_cell_bits_i = rnd() % 64;
        top->cfg_dac_bits_i = rnd() % 64;
        top->cfg_adc_bits_i = rnd() % 64;
        top->cfg_adc_clip_i = rnd() & 1;
        for (uint32_t i = 0; i < TILE_ROWS; i++)
            pim::put_bits(top->in_x_i, i * TILE_MAXI, TILE_MAXI, rnd());
    }
    // Cycles with a valid low before a transfer is offered (stress), the data scrambled.
    void idle_cycles(bool prog)
    {
        for (unsigned g = gap(); g; g--) {
            if (prog)
                scramble_prog();
            else if (!top->in_valid_i)
                scramble_in();
            tick();
        }
    }
    // Column j of the pass on the programming bus; rows beyond the group and bits above mbiw
    // are don't care (random under stress, else 0).
    void put_column(const pim_rtl_tile_pass &ps, uint32_t j, const int32_t *w, size_t stride)
    {
        const uint32_t mbiw = ps.mbiw, rows = ps.rows;
        top->prog_mbiw_i = mbiw;
        top->prog_rows_i = rows;
        top->prog_col_i = ps.col + j;
        top->prog_plane_i = ps.plane + j * mbiw;
        for (uint32_t i = 0; i < TILE_ROWS; i++) {
            const uint64_t r = stress ? rnd() : 0;
            const uint64_t v = i < rows ? static_cast<uint64_t>(static_cast<int64_t>(w[i * stride + j])) : r;
            pim::put_bits(top->prog_w_i, i * TILE_MAXM, TILE_MAXM,
                          i < rows && stress ? pim::dont_care_above(v, mbiw, r) : v);
        }
    }
    // The input vector on the input bus, naming the pass; don't-care rows and bits as for
    // columns.
    void put_input(const pim_rtl_tile_pass &ps, uint32_t ibiw, uint32_t obiw, uint32_t relu,
                   const int64_t *x)
    {
        const uint32_t rows = ps.rows;
        for (uint32_t i = 0; i < TILE_ROWS; i++) {
            const uint64_t r = stress ? rnd() : 0;
            const uint64_t v = i < rows && x ? static_cast<uint64_t>(x[i]) : r;
            pim::put_bits(top->in_x_i, i * TILE_MAXI, TILE_MAXI,
                          i < rows && stress ? pim::dont_care_above(v, ibiw, r) : v);
        }
        top->in_col_i = ps.col;
        top->in_plane_i = ps.plane;
        top->in_cols_i = ps.cols;
        top->in_rows_i = ps.rows;
        top->in_mbiw_i = ps.mbiw;
        top->in_ibiw_i = ibiw;
        top->in_obiw_i = obiw;
        top->in_relu_i = relu;
        top->cfg_cell_bits_i = knobs.cell_bits;
        top->cfg_dac_bits_i = knobs.dac_bits;
        top->cfg_adc_bits_i = knobs.adc_bits;
        top->cfg_adc_clip_i = knobs.adc_clip;
        top->in_valid_i = 1;
    }
};

extern "C" pim_rtl_tile *pim_rtl_tile_new(uint64_t seed, const char *wave)
{
    auto *t = new pim_rtl_tile(seed, wave);
    pim_rtl_tile_reset(t, 0, 0);
    return t;
}

extern "C" void pim_rtl_tile_free(pim_rtl_tile *t)
{
    Vpim_xbar_tile *top = t->top.get();
    t->run_out([top] {
        top->prog_valid_i = 0;
        top->in_valid_i = 0;
        top->out_ready_i = 1;
    });
    delete t;
}

extern "C" void pim_rtl_tile_get_params(const pim_rtl_tile *, pim_rtl_tile_params *p)
{
    p->rows = TILE_ROWS;
    p->cols = TILE_COLS;
    p->max_cell_bits = TILE_MAXP;
    p->max_dac_bits = TILE_MAXD;
    p->cell_bits = TILE_CELL;
    p->dac_bits = TILE_DAC;
    p->adc_bits = TILE_ADC;
    p->adc_clip = TILE_CLIP;
    p->max_ibiw = TILE_MAXI;
    p->max_mbiw = TILE_MAXM;
    p->max_obiw = TILE_MAXO;
    p->columns = TILE_COLUMNS;
    p->planes = TILE_PLANES;
}

extern "C" void pim_rtl_tile_set_knobs(pim_rtl_tile *t, const pim_rtl_tile_knobs *k)
{
    t->knobs = *k;
}

extern "C" void pim_rtl_tile_reset(pim_rtl_tile *t, unsigned stress, uint64_t stress_seed)
{
    Vpim_xbar_tile *top = t->top.get();
    top->prog_valid_i = 0;
    top->out_ready_i = 0;
    t->reset(stress, stress_seed, [t, top] {
        // an input accepted just before the reset: the tile is computing when it comes
        const pim_rtl_tile_pass ps{8, 1, 1, 0, 0};
        t->put_input(ps, 8, 8, 0, nullptr);
        t->tick();
        top->in_valid_i = 0;
        t->tick();
    });
    top->eval();
    t->reset_fault.clear();
    if (!top->prog_ready_o || !top->in_ready_o || top->out_valid_o)
        t->reset_fault = "not idle after a reset (prog_ready_o " + std::to_string(top->prog_ready_o) +
                         ", in_ready_o " + std::to_string(top->in_ready_o) + ", out_valid_o " +
                         std::to_string(top->out_valid_o) + ")";
}

// Programs the pass's columns; with stress the input is offered from a random column on
// (the tile must not take it before the programming is done: prog_valid_i wins). Once the
// input is offered, the columns follow back to back: a cycle without programming would let
// the tile take the input, as its contract allows.
static int program(pim_rtl_tile *t, const pim_rtl_tile_pass &ps, const int32_t *w, size_t stride,
                   uint32_t ibiw, uint32_t obiw, uint32_t relu, const int64_t *x)
{
    Vpim_xbar_tile *top = t->top.get();
    const uint32_t ncols = ps.cols;
    const uint32_t offer_at = t->chance(50) ? static_cast<uint32_t>(t->rnd() % ncols) : ncols;
    for (uint32_t j = 0; j < ncols; j++) {
        if (!top->in_valid_i)
            t->idle_cycles(true);
        t->put_column(ps, j, w, stride);
        if (j == offer_at)
            t->put_input(ps, ibiw, obiw, relu, x);
        top->prog_valid_i = 1;
        uint32_t n = 0;
        t->settle();
        if (top->in_valid_i && top->in_ready_o)
            return t->broke("in_ready_o high while programming is offered (programming goes "
                            "first)");
        while (!top->prog_ready_o) {
            if (++n > PIM_RTL_TIMEOUT_CYCLES || t->ctx->gotError())
                return t->fail("prog_ready_o stayed low");
            t->tick();
        }
        t->tick(); // transfer
        top->prog_valid_i = 0;
        if (t->stress)
            t->scramble_prog();
    }
    return 0;
}

extern "C" int pim_rtl_tile_run(pim_rtl_tile *t, const pim_rtl_tile_pass *pass, const int32_t *w,
                                size_t stride, uint32_t ibiw, uint32_t obiw, uint32_t relu,
                                const int64_t *x, int64_t *y, uint32_t *clips)
{
    Vpim_xbar_tile *top = t->top.get();
    const pim_rtl_tile_pass &ps = *pass;
    const uint32_t ncols = ps.cols;
    if (!t->reset_fault.empty())
        return t->broke(t->reset_fault.c_str());
    top->out_ready_i = 0;
    if (w && program(t, ps, w, stride, ibiw, obiw, relu, x) != 0)
        return -1;
    if (!top->in_valid_i) { // not offered while programming
        t->idle_cycles(false);
        t->put_input(ps, ibiw, obiw, relu, x);
    }
    uint32_t n = 0;
    t->settle();
    while (!top->in_ready_o) {
        if (++n > PIM_RTL_TIMEOUT_CYCLES || t->ctx->gotError())
            return t->fail("in_ready_o stayed low");
        t->tick();
    }
    t->tick(); // transfer
    top->in_valid_i = 0;
    if (t->stress)
        t->scramble_in();
    // the result: out_ready_i stalls at random under stress; the output must hold meanwhile.
    // It comes K = ceil(ibiw / d) cycles after the transfer (one DAC step per cycle).
    const uint32_t d = TILE_DAC > 0 ? TILE_DAC : t->knobs.dac_bits;
    const uint32_t k = (ibiw + d - 1) / d;
    bool waiting = false; // out_valid_o was high and not taken at the last edge
    for (n = 0;; n++) {
        top->out_ready_i = !t->stall();
        t->settle();
        if (top->out_valid_o && !waiting && n != k)
            return t->broke(("out_valid_o " + std::to_string(n) + " cycles after the input, "
                             "not ceil(ibiw / d) = " + std::to_string(k)).c_str());
        if (waiting && !top->out_valid_o)
            return t->broke("out_valid_o dropped before out_ready_i");
        if (top->out_valid_o && top->out_ready_i)
            break;
        waiting = top->out_valid_o;
        if (n > PIM_RTL_TIMEOUT_CYCLES || t->ctx->gotError())
            return t->fail("out_valid_o never rose");
        t->tick();
    }
    for (uint32_t j = 0; j < ncols; j++)
        y[j] = pim::sext(pim::get_bits(top->out_y_o, j * TILE_MAXO, TILE_MAXO), TILE_MAXO);
    if (clips)
        *clips = top->out_clips_o;
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
