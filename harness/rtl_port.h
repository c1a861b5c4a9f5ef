// rtl_port.h - reading and writing bit fields of Verilated ports of any width (CData..QData
// or VlWide), shared by the model shims. C++ (the shims are the only C++ in pimcosim).
#ifndef PIM_RTL_PORT_H
#define PIM_RTL_PORT_H

#include <cstdint>
#include <string>

#include "verilated.h"

namespace pim {

// Sets bits [lsb, lsb+width) of an integral port to the low bits of v (width <= 64).
template <typename T>
inline void put_bits(T &port, uint32_t lsb, uint32_t width, uint64_t v)
{
    const uint64_t mask = width >= 64 ? ~0ull : ((1ull << width) - 1u);
    uint64_t p = static_cast<uint64_t>(port);
    p = (p & ~(mask << lsb)) | ((v & mask) << lsb);
    port = static_cast<T>(p);
}

template <std::size_t N>
inline void put_bits(VlWide<N> &port, uint32_t lsb, uint32_t width, uint64_t v)
{
    while (width) {
        const uint32_t w = lsb / 32, o = lsb % 32;
        const uint32_t n = (32 - o) < width ? (32 - o) : width;
        const uint32_t m = (n == 32 ? ~0u : ((1u << n) - 1u)) << o;
        port[w] = (port[w] & ~m) | (static_cast<uint32_t>(v << o) & m);
        v >>= n;
        lsb += n;
        width -= n;
    }
}

// Reads bits [lsb, lsb+width) (width <= 64).
template <typename T>
inline uint64_t get_bits(const T &port, uint32_t lsb, uint32_t width)
{
    const uint64_t mask = width >= 64 ? ~0ull : ((1ull << width) - 1u);
    return (static_cast<uint64_t>(port) >> lsb) & mask;
}

template <std::size_t N>
inline uint64_t get_bits(const VlWide<N> &port, uint32_t lsb, uint32_t width)
{
    uint64_t v = 0;
    uint32_t got = 0;
    while (got < width) {
        const uint32_t w = lsb / 32, o = lsb % 32;
        const uint32_t n = (32 - o) < (width - got) ? (32 - o) : (width - got);
        const uint64_t part = (port[w] >> o) & (n == 32 ? ~0u : ((1u << n) - 1u));
        v |= part << got;
        got += n;
        lsb += n;
    }
    return v;
}

// Sign-extends the low w bits of v.
inline int64_t sext(uint64_t v, uint32_t w)
{
    if (w >= 64)
        return static_cast<int64_t>(v);
    const uint64_t m = 1ull << (w - 1);
    v &= (1ull << w) - 1u;
    return static_cast<int64_t>((v ^ m) - m);
}

// +verilator+ arguments: rand reset 2 (randomize) and the seed (0: random).
inline void configure(VerilatedContext *ctx, uint64_t seed)
{
    static const char *base[] = {"pimcosim", "+verilator+rand+reset+2"};
    std::string s = "+verilator+seed+" + std::to_string(seed);
    const char *argv[] = {base[0], base[1], s.c_str()};
    ctx->commandArgs(3, argv);
    ctx->randReset(2);
}

} // namespace pim

#endif
