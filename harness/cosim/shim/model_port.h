// model_port.h - reading and writing bit fields of Verilated ports of any width (CData..QData
// or VlWide), shared by the model shims. C++ (the shims are the only C++ in pimcosim).
#ifndef PIM_MODEL_PORT_H
#define PIM_MODEL_PORT_H

#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>

#include "pim_model.h"
#include "vl_print.h"
#include "verilated.h"
#include "verilated_fst_c.h"
#if VM_COVERAGE
#include <cstdlib>
#include <sys/stat.h>
#include <unistd.h>
#include "verilated_cov.h"
#endif

namespace pim {

// What Verilator's runtime printed since it was last cleared (at most 4 KiB is kept).
inline std::string &vl_log()
{
    static std::string log;
    return log;
}

} // namespace pim

// The runtime's printf (vl_print.h); this header is included by exactly one file of each
// model, its shim, so the definition is made once per shared object.
void pim_vl_printf(const char *format, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, format);
    std::vsnprintf(buf, sizeof buf, format, ap);
    va_end(ap);
    std::string &log = pim::vl_log();
    if (log.size() < 4096)
        log += buf;
}

namespace pim {

// The first RTL assertion message in Verilator's words "[t] %Error: FILE:LINE: Assertion
// failed in SCOPE: MESSAGE", as "FILE:LINE: MESSAGE"; "" when there is none.
inline std::string first_assertion(const std::string &log)
{
    const std::string tag = "%Error: ", what = "Assertion failed in ";
    const size_t e = log.find(tag);
    if (e == std::string::npos)
        return "";
    const size_t from = e + tag.size();
    const size_t eol = log.find('\n', from);
    std::string line = log.substr(from, eol == std::string::npos ? std::string::npos : eol - from);
    const size_t a = line.find(what);
    if (a != std::string::npos) {
        const size_t colon = line.find(": ", a + what.size());
        line = line.substr(0, a) + (colon == std::string::npos ? "" : line.substr(colon + 2));
    }
    return line;
}

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

// The low w bits of v, with random bits above them (the bits a contract calls don't-care).
inline uint64_t dont_care_above(uint64_t v, uint32_t w, uint64_t r)
{
    return w >= 64 ? v : ((v & ((1ull << w) - 1u)) | (r << w));
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
    uint64_t cycles = 0;   // since the last reset
    bool settled = false;  // the low phase of this cycle is evaluated (settle())
    uint64_t base = 0;     // cycles before the last reset: the wave's time keeps running
    uint64_t win_from = 0, win_to = ~0ull; // cycles whose values go into the wave
    std::string name;  // the RTL module, for messages
    std::string error;
    unsigned stress = 0;   // 0 off, 1 moderate, 2 heavy
    uint64_t rng = 0;      // the stress generator (splitmix64)
    bool in_reset = false; // reset cycles are neither counted nor dumped

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
    // busy() first puts the unit in the middle of an operation (a reset must bring it back
    // from anywhere, and leave its inputs idle); then two cycles with rst_ni low and one with
    // it high. The cycle counter restarts at 0, an earlier RTL assertion is forgotten, and
    // the stress generator starts from seed.
    template <typename Busy>
    void reset(unsigned level, uint64_t seed, Busy busy)
    {
        const uint64_t ran = cycles; // before the reset's own cycles
        in_reset = true;
        busy();
        top->rst_ni = 0;
        tick();
        tick();
        top->rst_ni = 1;
        tick();
        in_reset = false;
        base += ran;
        cycles = 0;
        ctx->gotError(false);
        error.clear();
        vl_log().clear();
        stress = level;
        rng = seed ^ 0x5354524553530000ull; // "STRESS"
    }
    // After a reset: "" when the unit came back idle, else what it promised and did not do
    // (the next transfer reports it).
    std::string reset_fault;
    // The stress generator: 64 random bits; true with pct percent (never without stress);
    // the cycles to wait before offering a transfer; whether to stall a ready this cycle.
    uint64_t rnd()
    {
        uint64_t z = (rng += 0x9e3779b97f4a7c15ull);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        return z ^ (z >> 31);
    }
    bool chance(unsigned pct) { return stress && rnd() % 100 < pct; }
    unsigned gap()
    {
        if (!stress || rnd() % 2 == 0)
            return 0;
        return 1 + static_cast<unsigned>(rnd() % (stress > 1 ? 6 : 2));
    }
    bool stall() { return chance(stress > 1 ? 60 : 30); }
    // One clock cycle: in the wave (time unit 1 ps), cycle c is the nanosecond [c, c + 1):
    // its low phase at c ns, its rising edge at c.5 ns (PIM_WAVE_PS_PER_CYCLE). c counts from
    // the model's creation, so the wave's time never runs backwards across resets.
    // settle(): the low phase of the coming cycle evaluated with the inputs as they stand, so
    // the driver can read the unit's outputs before the edge; tick() then evaluates only the
    // rising edge (two evaluations a cycle, not three). Inputs written after settle() are
    // still sampled by the edge; only the dump's low phase would miss them, so the drivers
    // write none between the two.
    void settle()
    {
        top->clk_i = 0;
        top->eval();
        settled = true;
    }
    void tick()
    {
        const bool dump = fst && !in_reset && cycles >= win_from && cycles <= win_to;
        const uint64_t c = base + cycles;
        if (!settled) {
            top->clk_i = 0;
            top->eval();
        }
        settled = false;
        if (dump)
            fst->dump(PIM_WAVE_PS_PER_CYCLE * c);
        top->clk_i = 1;
        top->eval();
        if (dump)
            fst->dump(PIM_WAVE_PS_PER_CYCLE * c + PIM_WAVE_PS_PER_CYCLE / 2);
        cycles++;
        if (fst && cycles == win_to + 1)
            fst->flush();
    }
    // A wave with a window that ends later than the run: the unit is clocked on, idle (idle()
    // sets its inputs so), until the window's last cycle, so that the dump holds the cycles
    // after a divergence that stopped the run. At most PIM_RTL_TIMEOUT_CYCLES.
    template <typename Idle>
    void run_out(Idle idle)
    {
        if (!fst || win_to == ~0ull || in_reset)
            return;
        for (uint64_t k = 0; cycles <= win_to && k < PIM_RTL_TIMEOUT_CYCLES; k++) {
            idle();
            tick();
        }
    }
    // Records a handshake that never completed (or, when one fired first, the RTL assertion
    // that explains it); returns -1.
    int fail(const char *what)
    {
        if (asserted() != 0)
            return -1;
        error = name + ": " + what + " within " + std::to_string(PIM_RTL_TIMEOUT_CYCLES) +
                " cycles (cycle " + std::to_string(cycles) + ")";
        return -1;
    }
    // Records a broken promise of the unit's stream contract, seen by the driver (whatever
    // the RTL's own assertions say); returns -1.
    int broke(const char *what)
    {
        error = name + ": broke its contract at cycle " + std::to_string(cycles) + ": " + what;
        return -1;
    }
    // 0, or -1 when an RTL assertion fired: the failure quotes its message.
    int asserted()
    {
        if (!ctx->gotError())
            return 0;
        const std::string msg = first_assertion(vl_log());
        error = name + ": RTL assertion failed by cycle " + std::to_string(cycles) +
                (msg.empty() ? std::string() : ": " + msg);
        return -1;
    }
};

} // namespace pim

#endif
