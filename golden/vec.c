/* vec.c - the vector unit's arithmetic (pim_arith.h: pim_vec_compute). */
#include "pim_arith.h"
#include "pim_isa.h"

static int64_t shift_amount(int64_t b) { return b < 0 ? 0 : (b > 31 ? 31 : b); }

void pim_vec_compute(unsigned op, uint32_t ibiw, uint32_t obiw, uint32_t frac, int64_t scalar,
                     const int64_t *a, const int64_t *b, uint64_t n, int64_t *y)
{
    if (op == PIM_OP_VVDMUL) {
        pim_i128 s = 0;
        for (uint64_t i = 0; i < n; i++)
            s += (pim_i128)a[i] * b[i];
        y[0] = pim_sat128(s, obiw);
        return;
    }
    if (op == PIM_OP_VAVG) {
        int64_t s = 0;
        for (uint64_t i = 0; i < n; i++)
            s += a[i];
        y[0] = pim_sat(pim_floor_div(s, scalar), obiw);
        return;
    }
    for (uint64_t i = 0; i < n; i++) {
        const int64_t x = a[i];
        int64_t r;
        switch (op) {
        case PIM_OP_VVADD: r = pim_sat(x + b[i], ibiw); break;
        case PIM_OP_VVSUB: r = pim_sat(x - b[i], ibiw); break;
        case PIM_OP_VVMAX: r = x > b[i] ? x : b[i]; break;
        case PIM_OP_VVMUL: r = pim_sat(pim_round_shift(x * b[i], (uint32_t)scalar), obiw); break;
        case PIM_OP_VVSLL: r = pim_sat(x * ((int64_t)1 << shift_amount(b[i])), obiw); break;
        case PIM_OP_VVSRA: r = pim_sat(pim_asr(x, (uint32_t)shift_amount(b[i])), obiw); break;
        case PIM_OP_VRELU: r = x > 0 ? x : 0; break;
        case PIM_OP_VSIGM: r = pim_sat(pim_plan_sigm(x, frac), obiw); break;
        case PIM_OP_VTANH: r = pim_sat(pim_plan_tanh(x, frac), obiw); break;
        case PIM_OP_VRSU: r = pim_sat(x < scalar ? x : scalar, obiw); break;
        case PIM_OP_VRSL: r = pim_sat(x > scalar ? x : scalar, obiw); break;
        default: r = x; break; /* vmv: the gathered element, unchanged */
        }
        y[i] = r;
    }
}
