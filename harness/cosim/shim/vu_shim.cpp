// vu_shim.cpp - extern "C" shim around the Verilated pim_vector_unit (pim_model.h).
// Built once per parameter set by build_model.sh with -DVU_LANES and -DVU_FRAC (-1: F is the
// cfg_frac_i input) matching the -G parameters of the Verilated model.
#include <vector>

#include "Vpim_vector_unit.h"
#include "model_port.h"
#include "pim_isa.h"
#include "pim_model.h"

struct pim_rtl_vu : pim::Model<Vpim_vector_unit> {
    uint32_t frac = 4;
    std::vector<uint64_t> out_cycle; // the last exec: the cycle each output beat left at

    pim_rtl_vu(uint64_t seed, const char *wave) : Model("pim_vector_unit", "vu", seed, wave) {}

    // Random values on every input but in_valid_i (what a sender may drive while valid is
    // low). Half the time the control inputs (op, widths, first/last, count) keep their
    // values and only the lanes change: a unit that acts on a beat without a transfer then
    // sees a plausible one.
    void scramble()
    {
        if (rnd() % 2 == 0) {
            for (uint32_t l = 0; l < VU_LANES; l++) {
                pim::put_bits(top->in_a_i, l * PIM_MAX_WIDTH, PIM_MAX_WIDTH, rnd());
                pim::put_bits(top->in_b_i, l * PIM_MAX_WIDTH, PIM_MAX_WIDTH, rnd());
            }
            return;
        }
        top->in_op_i = rnd() % 64;
        top->in_ibiw_i = rnd() % 64;
        top->in_obiw_i = rnd() % 64;
        top->in_scalar_i = static_cast<uint32_t>(rnd());
        top->in_first_i = rnd() & 1;
        top->in_last_i = rnd() & 1;
        top->in_count_i = static_cast<uint32_t>(rnd());
        top->cfg_frac_i = rnd() % 32;
        for (uint32_t l = 0; l < VU_LANES; l++) {
            pim::put_bits(top->in_a_i, l * PIM_MAX_WIDTH, PIM_MAX_WIDTH, rnd());
            pim::put_bits(top->in_b_i, l * PIM_MAX_WIDTH, PIM_MAX_WIDTH, rnd());
        }
    }
    // Beat k of an instruction on the input bus, valid high. Lanes beyond the count and the
    // bits above ibiw are don't care: random under stress, else 0 (they then stay stable
    // until the transfer, as the contract asks).
    void put_beat(unsigned op, uint32_t ibiw, uint32_t obiw, int64_t scalar, const int64_t *a,
                  const int64_t *b, uint64_t n, uint64_t k, uint64_t beats)
    {
        const uint64_t base = k * VU_LANES;
        const uint64_t cnt = n - base < VU_LANES ? n - base : VU_LANES;
        for (uint32_t l = 0; l < VU_LANES; l++) {
            const uint64_t ra = stress ? rnd() : 0, rb = stress ? rnd() : 0;
            const bool in = l < cnt;
            const uint64_t va = in ? static_cast<uint64_t>(a[base + l]) : ra;
            const uint64_t vb = in && b ? static_cast<uint64_t>(b[base + l]) : rb;
            pim::put_bits(top->in_a_i, l * PIM_MAX_WIDTH, PIM_MAX_WIDTH,
                          in && stress ? pim::dont_care_above(va, ibiw, ra) : va);
            pim::put_bits(top->in_b_i, l * PIM_MAX_WIDTH, PIM_MAX_WIDTH,
                          in && b && stress ? pim::dont_care_above(vb, ibiw, rb) : vb);
        }
        top->in_op_i = op;
        top->in_ibiw_i = ibiw;
        top->in_obiw_i = obiw;
        top->in_scalar_i = static_cast<uint32_t>(scalar);
        top->in_count_i = static_cast<uint32_t>(cnt);
        top->in_first_i = k == 0;
        top->in_last_i = k + 1 == beats;
        top->cfg_frac_i = frac;
        top->in_valid_i = 1;
    }
    // Reads an output beat: y[base + l] for l < want, its out_count_o into *count; -1 when a
    // lane at or beyond out_count_o is not 0 (the contract's promise).
    int take_beat(int64_t *y, uint64_t base, uint64_t want, uint32_t *count)
    {
        *count = top->out_count_o;
        for (uint32_t l = 0; l < VU_LANES; l++) {
            const uint64_t raw = pim::get_bits(top->out_y_o, l * PIM_MAX_WIDTH, PIM_MAX_WIDTH);
            if (l < want)
                y[base + l] = pim::sext(raw, PIM_MAX_WIDTH);
            else if (l >= *count && raw != 0) {
                error = name + ": out_y_o lane " + std::to_string(l) + " at or beyond out_count_o " +
                        std::to_string(*count) + " is " + std::to_string(pim::sext(raw, PIM_MAX_WIDTH)) +
                        ", not 0 (cycle " + std::to_string(cycles) + ")";
                return -1;
            }
        }
        return 0;
    }
};

extern "C" pim_rtl_vu *pim_rtl_vu_new(uint64_t seed, const char *wave)
{
    auto *v = new pim_rtl_vu(seed, wave);
    pim_rtl_vu_reset(v, 0, 0);
    return v;
}

extern "C" void pim_rtl_vu_free(pim_rtl_vu *v)
{
    Vpim_vector_unit *top = v->top.get();
    v->run_out([top] {
        top->in_valid_i = 0;
        top->out_ready_i = 1;
    });
    delete v;
}

extern "C" void pim_rtl_vu_get_params(const pim_rtl_vu *, pim_rtl_vu_params *p)
{
    p->lanes = VU_LANES;
    p->frac_bits = VU_FRAC;
}

extern "C" void pim_rtl_vu_set_frac(pim_rtl_vu *v, uint32_t frac_bits) { v->frac = frac_bits; }

extern "C" void pim_rtl_vu_reset(pim_rtl_vu *v, unsigned stress, uint64_t stress_seed)
{
    Vpim_vector_unit *top = v->top.get();
    top->out_ready_i = 0;
    v->reset(stress, stress_seed, [v, top] {
        // a result waiting when the reset comes, and a reduction's sum started
        const int64_t one[1] = {1};
        v->put_beat(PIM_OP_VVADD, 8, 8, 0, one, one, 1, 0, 1);
        v->tick();
        v->put_beat(PIM_OP_VVDMUL, 8, 8, 0, one, one, 1, 0, 2);
        v->tick();
        top->in_valid_i = 0;
    });
    top->eval();
    v->reset_fault.clear();
    if (!top->in_ready_o || top->out_valid_o)
        v->reset_fault = "not idle after a reset (in_ready_o " + std::to_string(top->in_ready_o) +
                         ", out_valid_o " + std::to_string(top->out_valid_o) + ")";
}

// Beats of VU_LANES elements in; element-wise ops answer one beat per beat, reductions one
// beat after the last. The output stream is drained while the input is fed. Under stress a
// beat waits a random gap before it is offered (the inputs random meanwhile) and out_ready_i
// stalls at random.
extern "C" int pim_rtl_vu_exec(pim_rtl_vu *v, unsigned op, uint32_t ibiw, uint32_t obiw,
                               int64_t scalar, const int64_t *a, const int64_t *b, uint64_t n,
                               int64_t *y, uint32_t *counts)
{
    Vpim_vector_unit *top = v->top.get();
    if (!v->reset_fault.empty())
        return v->broke(v->reset_fault.c_str());
    const bool reduce = op == PIM_OP_VVDMUL || op == PIM_OP_VAVG; // one result per instruction
    const uint64_t beats = (n + VU_LANES - 1) / VU_LANES;
    const uint64_t want = reduce ? 1 : beats;
    uint64_t sent = 0, got = 0, idle = 0;
    v->out_cycle.assign(want, 0);
    bool result_due = false;   // a beat that gives a result was taken at the last edge
    unsigned wait = v->gap();  // cycles before the next beat is offered
    while (got < want) {
        if (sent < beats && !top->in_valid_i) {
            if (wait) {
                wait--;
                if (v->stress)
                    v->scramble();
            } else {
                v->put_beat(op, ibiw, obiw, scalar, a, b, n, sent, beats);
            }
        }
        top->out_ready_i = !v->stall();
        v->settle();
        if (result_due && !top->out_valid_o)
            return v->broke("no out_valid_o the cycle after a beat that gives a result "
                            "(latency 1)");
        result_due = false;
        if (top->in_ready_o && top->out_valid_o && !top->out_ready_i)
            return v->broke("in_ready_o high while a result waits (out_valid_o high, "
                            "out_ready_i low)");
        const bool in_fire = top->in_valid_i && top->in_ready_o;
        const bool out_fire = top->out_valid_o && top->out_ready_i;
        if (out_fire) {
            const uint64_t base = got * VU_LANES;
            const uint64_t cnt = reduce ? 1 : (n - base < VU_LANES ? n - base : VU_LANES);
            if (v->take_beat(y, base, cnt, &counts[got]) != 0)
                return -1;
            v->out_cycle[got] = v->cycles;
            got++;
        }
        idle = (in_fire || out_fire) ? 0 : idle + 1;
        if (idle > PIM_RTL_TIMEOUT_CYCLES || v->ctx->gotError())
            return v->fail(sent < beats ? "in_ready_o stayed low" : "out_valid_o never rose");
        v->tick();
        if (in_fire) {
            result_due = !reduce || sent + 1 == beats;
            sent++;
            top->in_valid_i = 0;
            wait = v->gap();
            if (v->stress)
                v->scramble();
        }
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
extern "C" uint64_t pim_rtl_vu_beat_cycle(const pim_rtl_vu *v, uint64_t k)
{
    return k < v->out_cycle.size() ? v->out_cycle[k] : v->cycles;
}
extern "C" const char *pim_rtl_vu_error(const pim_rtl_vu *v) { return v->error.c_str(); }
