// model_port.h - reading and writing bit fields of Verilated ports of any width (CData..QData
// or VlWide), shared by the model shims. C++ (the shims are the only C++ in pimcosim).
#ifndef PIM_MODEL_PORT_H
#define PIM_MODEL_PORT_H

#include <cstdint>
#include <memory>
#include <string>

#include "pim_model.h"
#include "verilated.h"
#include "verilated_fst_c.h"
#if VM_COVERAGE
#include <cstdlib>
#include <sys/stat.h>
#include <unistd.h>
#include "verilated_cov.h"
#endif

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

// One Verilated model with its context, clock, optional FST wave and failure message: the
// life cycle both shims share. Top is the Verilated class (clk_i, rst_ni ports).
template <typename Top>
struct Model {
    std::unique_ptr<VerilatedContext> ctx;
    std::unique_ptr<Top> top;
    std::unique_ptr<VerilatedFstC> fst;
    uint64_t cycles = 0;
    uint64_t win_from = 0, win_to = ~0ull; // cycles whose values go into the wave
    std::string name;  // the RTL module, for messages
    std::string error;

    // seed: +verilator+seed (0: random); wave: FST path or nullptr.
    Model(const char *module, const char *instance, uint64_t seed, const char *wave)
        : ctx(new VerilatedContext), name(module)
    {
        // An RTL assertion ($error) must not exit the process: the harness reports it and
        // closes the waves itself.
        ctx->fatalOnError(false);
        configure(ctx.get(), seed);
        if (wave)
            ctx->traceEverOn(true);
        top.reset(new Top{ctx.get(), instance});
        if (wave) {
            fst.reset(new VerilatedFstC);
            top->trace(fst.get(), 99);
            fst->open(wave);
        }
    }
    // final() and the wave closed on every path that frees the model. A model built with
    // --coverage (build_model.sh KEY+cov) also writes its coverage data here.
    ~Model()
    {
        top->final();
#if VM_COVERAGE
        write_coverage();
#endif
        if (fst)
            fst->close();
    }
#if VM_COVERAGE
    // $PIMCOSIM_COVERAGE_DIR/<module>-<pid>-<n>.dat, n the first number not taken (each model
    // instance of the process gets its own file); nothing when the variable is unset.
    void write_coverage()
    {
        const char *dir = std::getenv("PIMCOSIM_COVERAGE_DIR");
        if (!dir || !*dir)
            return;
        const std::string base = std::string(dir) + "/" + name + "-" + std::to_string(getpid()) + "-";
        for (unsigned n = 0; n < 100000; n++) {
            const std::string path = base + std::to_string(n) + ".dat";
            struct stat sb;
            if (stat(path.c_str(), &sb) != 0) {
                ctx->coveragep()->write(path.c_str());
                return;
            }
        }
    }
#endif
    // Two cycles with rst_ni low, then one with it high (inputs must be idle).
    void reset()
    {
        top->rst_ni = 0;
        tick();
        tick();
        top->rst_ni = 1;
        tick();
    }
    // One clock cycle; time 2c is its low phase, 2c + 1 its rising edge (1 time unit = half a
    // cycle in the wave).
    void tick()
    {
        const bool dump = fst && cycles >= win_from && cycles <= win_to;
        top->clk_i = 0;
        top->eval();
        if (dump)
            fst->dump(2 * cycles);
        top->clk_i = 1;
        top->eval();
        if (dump)
            fst->dump(2 * cycles + 1);
        cycles++;
        if (fst && cycles == win_to + 1)
            fst->flush();
    }
    // Records a handshake that never completed; returns -1.
    int fail(const char *what)
    {
        error = name + ": " + what + " within " + std::to_string(PIM_RTL_TIMEOUT_CYCLES) +
                " cycles (cycle " + std::to_string(cycles) + ")";
        return -1;
    }
    // 0, or -1 when an RTL assertion fired (Verilator printed it on stderr).
    int asserted()
    {
        if (!ctx->gotError())
            return 0;
        error = name + ": an RTL assertion failed by cycle " + std::to_string(cycles);
        return -1;
    }
};

} // namespace pim

#endif
