/* plan.c - PLAN sigmoid and tanh in fixed point (profile, "vsigm, vtanh"). */
#include "pim_arith.h"

/* S = sigm(a / 2^f) * 2^(f+5) for a >= 0, exact (all PLAN coefficients are dyadic). */
static int64_t plan_scaled(int64_t a, uint32_t f)
{
    const int64_t one = (int64_t)1 << f;
    if (a >= 5 * one)
        return (int64_t)32 << f;      /* 1 */
    if (8 * a >= 19 * one)
        return a + 27 * one;          /* a/32 + 0.84375 */
    if (a >= one)
        return 4 * a + 20 * one;      /* a/8 + 0.625 */
    return 8 * a + 16 * one;          /* a/4 + 0.5 */
}

/* round(v / 32), ties away from zero. */
static int64_t round_div32(int64_t v)
{
    return v >= 0 ? (v + 16) / 32 : -((-v + 16) / 32);
}

int64_t pim_plan_sigm(int64_t x, uint32_t f)
{
    const int64_t s = plan_scaled(x < 0 ? -x : x, f);
    return round_div32(x < 0 ? ((int64_t)32 << f) - s : s);
}

int64_t pim_plan_tanh(int64_t x, uint32_t f)
{
    /* tanh(x) = 2 sigm(2x) - 1, odd: compute on |x| and restore the sign. */
    const int64_t a = x < 0 ? -x : x;
    const int64_t t = 2 * plan_scaled(2 * a, f) - ((int64_t)32 << f);
    return round_div32(x < 0 ? -t : t);
}
