/*
 * bench_golden.c - golden model throughput (`make bench`).
 *
 *  1. mvmul/s on one 128x128 group, reference architecture (8-bit inputs and weights,
 *     2-bit cells, 1-bit DAC, 8-bit ADC): the fast exact kernel against the literal one
 *     (every row, column, slice and step), and with an ADC small enough to clip often.
 *  2. instructions/s on a mixed multi-core stream (scalar, transfer, mvmul, vector,
 *     send/recv) through the whole machine (pim_golden_run).
 * Prints figures and ratios; asserts nothing about time (benchmarks are not tests), but
 * does check that the fast and literal kernels agree on every output it times.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_util.h"
#include "pim_arith.h"

#include "pim_golden.h"
#include "pim_xbar.h"


static uint64_t rng(uint64_t *s) { return pim_splitmix64(s); }

/* Runs mvmul on `nin` random input vectors for at least min_s seconds; returns calls/s. */
static double bench_mvmul(const pim_config *cfg, int literal, pim_xbar_kernel kernel, double min_s,
                          uint64_t *check)
{
    enum { R = 128, C = 128, NIN = 64 };
    static int32_t w[R * C];
    static int64_t x[NIN][R], y[C];
    uint64_t s = 42;
    for (int k = 0; k < R * C; k++)
        w[k] = (int32_t)(rng(&s) % 256) - 128;
    for (int v = 0; v < NIN; v++)
        for (int i = 0; i < R; i++)
            x[v][i] = (int64_t)(rng(&s) % 256) - 128;
    pim_xbar_group *g;
    pim_error err;
    if (pim_xbar_group_new(cfg, 8, R, C, w, &g, &err) != PIM_OK) {
        fprintf(stderr, "bench: %s\n", err.msg);
        exit(2);
    }
    if (pim_xbar_group_set_kernel(g, kernel) != 0) { /* this processor lacks it */
        pim_xbar_group_free(g);
        return 0;
    }
    uint64_t calls = 0, h = 0;
    const double t0 = now();
    double t;
    do {
        for (int v = 0; v < NIN; v++) {
            if (literal)
                pim_xbar_mvmul_literal(g, cfg, 8, x[v], 0, 8, y);
            else
                pim_xbar_mvmul(g, cfg, 8, x[v], 0, 8, y);
            h = h * 31 + (uint64_t)y[v % C];
        }
        calls += NIN;
        t = now() - t0;
    } while (t < min_s);
    /* agreement of the two kernels on these inputs */
    for (int v = 0; v < NIN; v++) {
        int64_t y2[C];
        pim_xbar_mvmul(g, cfg, 8, x[v], 0, 8, y);
        pim_xbar_mvmul_literal(g, cfg, 8, x[v], 0, 8, y2);
        if (memcmp(y, y2, sizeof y) != 0) {
            fprintf(stderr, "bench: fast and literal mvmul disagree\n");
            exit(1);
        }
    }
    *check ^= h;
    pim_xbar_group_free(g);
    return (double)calls / t;
}

static pim_insn I(pim_op op)
{
    pim_insn in;
    memset(&in, 0, sizeof in);
    in.op = (uint8_t)op;
    return in;
}

/* A pipeline of `cores` cores, `rounds` rounds each: every core loads 128 inputs from
 * global memory, multiplies by its 128x128 group, adds a bias vector, applies ReLU, and
 * passes its 128 outputs to the next core (the last stores to global memory). */
static double bench_stream(uint32_t cores, uint32_t rounds, uint64_t *executed)
{
    pim_config cfg;
    pim_config_default(&cfg);
    cfg.core_cnt = cores;
    cfg.local_mem_size = 1u << 16;
    cfg.global_mem_size = 1u << 20;
    pim_program *p = pim_program_new(&cfg);
    pim_error err;
    for (uint32_t c = 0; c < cores; c++) {
        pim_group gr = {c, 0, 8, 128, 128, NULL};
        pim_program_add_group(p, &gr, &err);
        pim_insn in = I(PIM_OP_SETBW);
        in.ibiw = in.obiw = 8;
        pim_program_append(p, c, &in);
        for (uint32_t r = 0; r < rounds; r++) {
#define SLDI(reg, v) (in = I(PIM_OP_SLDI), in.rd = (reg), in.imm = (v), pim_program_append(p, c, &in))
            SLDI(1, 0);   /* r0:r1 = global address, r2 = input, r3 = output, r4 = bias */
            SLDI(0, 0);
            SLDI(1, (c * rounds + r) * 128 % (1u << 19));
            SLDI(2, 0);
            SLDI(3, 256);
            SLDI(4, 512);
            if (c == 0) {
                in = I(PIM_OP_LD), in.rd = 2, in.rs1 = 0, in.len = 128;
                pim_program_append(p, c, &in);
            } else {
                in = I(PIM_OP_RECV), in.rd = 2, in.core = c - 1, in.len = 128;
                pim_program_append(p, c, &in);
            }
            in = I(PIM_OP_MVMUL), in.rd = 3, in.rs1 = 2, in.mbiw = 8, in.group = 0;
            pim_program_append(p, c, &in);
            in = I(PIM_OP_VVADD), in.rd = 3, in.rs1 = 3, in.rs2 = 4, in.len = 128;
            pim_program_append(p, c, &in);
            in = I(PIM_OP_VRELU), in.rd = 3, in.rs1 = 3, in.len = 128;
            pim_program_append(p, c, &in);
            if (c + 1 < cores) {
                in = I(PIM_OP_SEND), in.rs1 = 3, in.core = c + 1, in.len = 128;
                pim_program_append(p, c, &in);
            } else {
                SLDI(1, (1u << 19) + r * 128 % (1u << 18));
                in = I(PIM_OP_ST), in.rd = 0, in.rs1 = 3, in.len = 128;
                pim_program_append(p, c, &in);
            }
#undef SLDI
        }
    }
    pim_golden *g;
    if (pim_golden_new(&cfg, &g, &err) != PIM_OK || pim_golden_load(g, p, 7, 1, &err) != PIM_OK) {
        fprintf(stderr, "bench: %s\n", err.msg);
        exit(2);
    }
    const double t0 = now();
    if (pim_golden_run(g, 0, &err) != PIM_OK) {
        char line[512];
        fprintf(stderr, "bench: %s\n", pim_error_format(&err, line, sizeof line));
        exit(2);
    }
    const double t = now() - t0;
    *executed = pim_golden_get_stats(g)->executed;
    pim_golden_free(g);
    pim_program_free(p);
    return (double)*executed / t;
}

int main(void)
{
    uint64_t check = 0;
    pim_config ref;
    pim_config_default(&ref); /* 128x128, p=2, d=1, a=8 */
    pim_config clip = ref;
    clip.adc_resolution = 6;  /* sums up to 3*128: many steps clip */

    printf("golden benchmark (one core of this machine)\n");
    const double lit = bench_mvmul(&ref, 1, PIM_XBAR_KERNEL_BEST, 0.5, &check);
    const double fast = bench_mvmul(&ref, 0, PIM_XBAR_KERNEL_BEST, 1.0, &check);
    const double fclip = bench_mvmul(&clip, 0, PIM_XBAR_KERNEL_BEST, 1.0, &check);
    printf("mvmul 128x128 8b/8b p=2 d=1 a=8, literal kernel: %12.0f mvmul/s\n", lit);
    printf("mvmul 128x128 8b/8b p=2 d=1 a=8, fast kernel:    %12.0f mvmul/s  (%.0fx literal; "
           "target 500000: %s)\n",
           fast, fast / lit, fast >= 500000 ? "met" : "NOT met");
    printf("mvmul 128x128 8b/8b p=2 d=1 a=6 (ADC clips):     %12.0f mvmul/s  (target 500000: %s; "
           "%.1fx slower than a=8, target at most 3x: %s)\n",
           fclip, fclip >= 500000 ? "met" : "NOT met", fast / fclip,
           fast / fclip <= 3.0 ? "met" : "NOT met");
    static const char *const kname[] = {"", "AVX-512 VPOPCNTDQ", "scalar popcnt", "plain C"};
    for (int k = PIM_XBAR_KERNEL_AVX512; k < PIM_XBAR_KERNEL_COUNT; k++) {
        const double r = bench_mvmul(&clip, 0, (pim_xbar_kernel)k, 0.3, &check);
        if (r > 0)
            printf("  a=6 with the %s kernel: %12.0f mvmul/s\n", kname[k], r);
        else
            printf("  a=6 with the %s kernel: not on this processor\n", kname[k]);
    }
    uint64_t n;
    const double ips = bench_stream(8, 4000, &n);
    printf("mixed 8-core stream (%" PRIu64 " instructions, mvmul 1 in 13): %.0f instructions/s\n", n,
           ips);
    printf("(checksum %016" PRIx64 ")\n", check);
    return 0;
}
