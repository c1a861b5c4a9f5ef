/*
 * pim_arith.h - the element arithmetic of the numeric profile (spec/profile.md, "Elements"
 * and "Vector instructions"): sign extension, saturation, element load/store and PLAN.
 *
 * Pure functions, no state. Values are carried in int64_t (every element is at most 32 bits);
 * wider intermediates (vvdmul, mvmul) use pim_i128.
 */
#ifndef PIM_ARITH_H
#define PIM_ARITH_H

#include <stdint.h>

__extension__ typedef __int128 pim_i128;

/* Byte width of a bit width: ceil(biw / 8). */
static inline uint32_t pim_byw(uint32_t biw) { return (biw + 7u) / 8u; }

/* Smallest and largest value of a w-bit two's-complement integer, 1 <= w <= 64. */
static inline int64_t pim_min_of(uint32_t w) { return w >= 64 ? INT64_MIN : -((int64_t)1 << (w - 1)); }
static inline int64_t pim_max_of(uint32_t w) { return w >= 64 ? INT64_MAX : ((int64_t)1 << (w - 1)) - 1; }

/* Clamps v to the range of a w-bit signed integer (1 <= w <= 32). */
static inline int64_t pim_sat(int64_t v, uint32_t w)
{
    const int64_t lo = pim_min_of(w), hi = pim_max_of(w);
    return v < lo ? lo : (v > hi ? hi : v);
}

/* Same for a 128-bit value. */
static inline int64_t pim_sat128(pim_i128 v, uint32_t w)
{
    const int64_t lo = pim_min_of(w), hi = pim_max_of(w);
    return v < (pim_i128)lo ? lo : (v > (pim_i128)hi ? hi : (int64_t)v);
}

/* Low w bits of v, sign-extended (1 <= w <= 64). */
static inline int64_t pim_sext(uint64_t v, uint32_t w)
{
    if (w >= 64)
        return (int64_t)v;
    const uint64_t m = (uint64_t)1 << (w - 1);
    v &= ((uint64_t)1 << w) - 1u;
    return (int64_t)((v ^ m) - m);
}

/* Reads an element: byw bytes little-endian at p, low biw bits, sign-extended. */
static inline int64_t pim_load_elem(const uint8_t *p, uint32_t byw, uint32_t biw)
{
    uint64_t v = 0;
    for (uint32_t i = 0; i < byw; i++)
        v |= (uint64_t)p[i] << (8u * i);
    return pim_sext(v, biw);
}

/* Writes v (already in range) sign-extended to byw bytes, little-endian. */
static inline void pim_store_elem(uint8_t *p, uint32_t byw, int64_t v)
{
    const uint64_t u = (uint64_t)v;
    for (uint32_t i = 0; i < byw; i++)
        p[i] = (uint8_t)(u >> (8u * i));
}

/* Arithmetic right shift that rounds toward minus infinity for any sign (s in 0..63). */
static inline int64_t pim_asr(int64_t x, uint32_t s)
{
    return x >= 0 ? (int64_t)((uint64_t)x >> s) : -(int64_t)(((uint64_t)(-(x + 1)) >> s)) - 1;
}

/* x / 2^s rounded to the nearest integer, ties away from zero (s in 0..31, |x| < 2^62): the
 * rescale of a fixed-point vvmul (docs/dialects.md rule 9). */
static inline int64_t pim_round_shift(int64_t x, uint32_t s)
{
    if (s == 0)
        return x;
    const uint64_t m = (uint64_t)(x < 0 ? -x : x);
    const int64_t q = (int64_t)((m + ((uint64_t)1 << (s - 1))) >> s);
    return x < 0 ? -q : q;
}

/* floor(a / b) for b > 0. */
static inline int64_t pim_floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && a < 0) ? q - 1 : q;
}

/* splitmix64: the project's one seeded generator (weights and memory filled from a seed,
 * random test operands). Same sequence on every machine. */
static inline uint64_t pim_splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* PLAN sigmoid and tanh on a fixed-point value x with f fractional bits (input and output),
 * rounded to f fractional bits ties away from zero, NOT yet saturated (callers saturate to
 * obiw). 0 <= f <= 30, x any 32-bit value. */
int64_t pim_plan_sigm(int64_t x, uint32_t f);
int64_t pim_plan_tanh(int64_t x, uint32_t f);

/* The vector unit of the profile on gathered operands: element-wise ops write y[0..n),
 * vvdmul and vavg write y[0]. a[] and b[] hold elements already read (ibiw bits, sign-
 * extended); b is read only by vvadd vvsub vvmul vvdmul vvmax vvsll vvsra. scalar: the bound
 * of vrsu/vrsl, vavg's element count n (>= 1), or vvmul's fixed-point F (0..31: each product
 * is divided by 2^F, rounded ties away from zero; 0: the product). frac: F of vsigm/vtanh. */
void pim_vec_compute(unsigned op, uint32_t ibiw, uint32_t obiw, uint32_t frac, int64_t scalar,
                     const int64_t *a, const int64_t *b, uint64_t n, int64_t *y);

#endif /* PIM_ARITH_H */
