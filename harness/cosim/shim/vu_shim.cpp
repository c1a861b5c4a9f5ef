// vu_shim.cpp - extern "C" shim around the Verilated pim_vector_unit (pim_model.h).
// Built once per parameter set by build_model.sh with -DVU_LANES and -DVU_FRAC
// matching the -G parameters of the Verilated model.
#include "Vpim_vector_unit.h"
#include "model_port.h"
#include "pim_isa.h"
#include "pim_model.h"

struct pim_rtl_vu : pim::Model<Vpim_vector_unit> {
    pim_rtl_vu(uint64_t seed, const char *wave) : Model("pim_vector_unit", "vu", seed, wave) {}
};

extern "C" pim_rtl_vu *pim_rtl_vu_new(uint64_t seed, const char *wave)
{
    auto *v = new pim_rtl_vu(seed, wave);
    v->top->in_valid_i = 0;
    v->top->out_ready_i = 0;
    v->reset();
    return v;
}

extern "C" void pim_rtl_vu_free(pim_rtl_vu *v) { delete v; }

extern "C" void pim_rtl_vu_get_params(const pim_rtl_vu *, pim_rtl_vu_params *p)
{
    p->lanes = VU_LANES;
    p->frac_bits = VU_FRAC;
}

// Beats of VU_LANES elements in; element-wise ops answer one beat per beat, reductions one
// beat after the last. The output stream is drained while the input is fed.
extern "C" int pim_rtl_vu_exec(pim_rtl_vu *v, unsigned op, uint32_t ibiw, uint32_t obiw,
                               int64_t scalar, const int64_t *a, const int64_t *b, uint64_t n,
                               int64_t *y)
{
    Vpim_vector_unit *top = v->top.get();
    const bool reduce = op == PIM_OP_VVDMUL || op == PIM_OP_VAVG; // one result per instruction
    const uint64_t beats = (n + VU_LANES - 1) / VU_LANES;
    const uint64_t want = reduce ? 1 : beats;
    uint64_t sent = 0, got = 0, idle = 0;
    top->in_op_i = op;
    top->in_ibiw_i = ibiw;
    top->in_obiw_i = obiw;
    top->in_scalar_i = static_cast<uint32_t>(scalar);
    top->out_ready_i = 1;
    while (got < want) {
        if (sent < beats) {
            const uint64_t base = sent * VU_LANES;
            const uint64_t cnt = n - base < VU_LANES ? n - base : VU_LANES;
            for (uint32_t l = 0; l < VU_LANES; l++) {
                pim::put_bits(top->in_a_i, l * PIM_MAX_WIDTH, PIM_MAX_WIDTH, l < cnt ? static_cast<uint64_t>(a[base + l]) : 0u);
                pim::put_bits(top->in_b_i, l * PIM_MAX_WIDTH, PIM_MAX_WIDTH,
                              (b && l < cnt) ? static_cast<uint64_t>(b[base + l]) : 0u);
            }
            top->in_count_i = static_cast<uint32_t>(cnt);
            top->in_first_i = sent == 0;
            top->in_last_i = sent + 1 == beats;
            top->in_valid_i = 1;
        } else {
            top->in_valid_i = 0;
        }
        top->eval();
        const bool in_fire = top->in_valid_i && top->in_ready_o;
        const bool out_fire = top->out_valid_o && top->out_ready_i;
        if (out_fire) {
            const uint64_t base = got * VU_LANES;
            const uint64_t cnt = reduce ? 1 : (n - base < VU_LANES ? n - base : VU_LANES);
            for (uint64_t l = 0; l < cnt; l++)
                y[base + l] = pim::sext(pim::get_bits(top->out_y_o, static_cast<uint32_t>(l) * PIM_MAX_WIDTH, PIM_MAX_WIDTH), PIM_MAX_WIDTH);
            got++;
        }
        if (in_fire)
            sent++;
        idle = (in_fire || out_fire) ? 0 : idle + 1;
        if (idle > PIM_RTL_TIMEOUT_CYCLES)
            return v->fail(sent < beats ? "in_ready_o stayed low" : "out_valid_o never rose");
        v->tick();
    }
    top->in_valid_i = 0;
    top->out_ready_i = 0;
    return v->asserted();
}

extern "C" void pim_rtl_vu_trace_window(pim_rtl_vu *x, uint64_t from, uint64_t to)
{
    x->win_from = from;
    x->win_to = to;
}

extern "C" uint64_t pim_rtl_vu_cycles(const pim_rtl_vu *v) { return v->cycles; }
extern "C" const char *pim_rtl_vu_error(const pim_rtl_vu *v) { return v->error.c_str(); }
