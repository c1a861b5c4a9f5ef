/*
 * bench_rtl.c - co-simulation throughput (`make bench`).
 *
 *  1. lockstep mvmul/s on the 128x128 reference tile (8-bit inputs and weights, 2-bit cells,
 *     1-bit DAC, 8-bit ADC): a program of back-to-back mvmuls on one group, golden model and
 *     RTL side by side, every write compared;
 *  2. the same mvmuls through a bare loop that only drives the Verilated tile (program once,
 *     then set inputs, clock, read outputs): the harness's overhead is the difference;
 *  3. lockstep vector elements/s (vvadd, vrelu, vsigm over 1024-element vectors) and the
 *     same bare comparison for the vector unit;
 *  4. the Verilator build time of the reference tile (harness/build_model.sh, fresh).
 * Prints figures and ratios; nothing here is a pass/fail test.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_util.h"

#include "pim_arith.h"
#include "pim_lockstep.h"
#include "pim_xbar.h"


static uint64_t rng(uint64_t *s) { return pim_splitmix64(s); }

static pim_insn I(pim_op op)
{
    pim_insn in;
    memset(&in, 0, sizeof in);
    in.op = (uint8_t)op;
    return in;
}

static pim_rtl *open_rtl(const pim_config *c)
{
    pim_rtl_opts o;
    pim_rtl_opts_default(&o, ".");
    o.build = 1;
    pim_rtl *r;
    pim_error err;
    if (pim_rtl_open(c, &o, &r, &err) != PIM_OK) {
        fprintf(stderr, "bench: %s\n", err.msg);
        exit(2);
    }
    return r;
}

/* n mvmuls (inputs at 0, outputs at 256, alternating two input vectors), or n vector
 * instructions of len elements when vec. */
static pim_program *make_program(const pim_config *cfg, uint32_t n, int vec, uint32_t len)
{
    pim_program *p = pim_program_new(cfg);
    pim_error err;
    uint64_t s = 5;
    int32_t *w = malloc(128 * 128 * sizeof *w);
    for (int k = 0; k < 128 * 128; k++)
        w[k] = (int32_t)(rng(&s) % 256) - 128;
    pim_group g = {0, 0, 8, 128, 128, w};
    pim_program_add_group(p, &g, &err);
    free(w);
    /* inputs: random bytes at 0..4095 */
    pim_region *r = calloc(1, sizeof *r);
    r->addr = 0;
    r->len = 4096;
    r->bytes = malloc(4096);
    for (int i = 0; i < 4096; i++)
        r->bytes[i] = (uint8_t)rng(&s);
    p->init[0].lmem = r;
    p->init[0].n_lmem = 1;
    pim_insn in = I(PIM_OP_SETBW);
    in.ibiw = in.obiw = 8;
    pim_program_append(p, 0, &in);
    in = I(PIM_OP_SLDI), in.rd = 2, in.imm = 2048;
    pim_program_append(p, 0, &in);
    in = I(PIM_OP_SLDI), in.rd = 3, in.imm = 8192;
    pim_program_append(p, 0, &in);
    static const pim_op vops[3] = {PIM_OP_VVADD, PIM_OP_VRELU, PIM_OP_VSIGM};
    for (uint32_t k = 0; k < n; k++) {
        in = I(PIM_OP_SLDI), in.rd = 1, in.imm = (k & 1) ? 128 : 0;
        pim_program_append(p, 0, &in);
        if (vec) {
            in = I(vops[k % 3]), in.rd = 3, in.rs1 = 1, in.rs2 = 2, in.len = len;
        } else {
            in = I(PIM_OP_MVMUL), in.rd = 3, in.rs1 = 1, in.mbiw = 8, in.group = 0;
        }
        pim_program_append(p, 0, &in);
    }
    return p;
}

static double lockstep(const pim_program *p, pim_rtl *r, pim_lockstep_report *rep)
{
    pim_golden *ref;
    pim_error err;
    const double t0 = now();
    const pim_status st = pim_lockstep_run(p, r, 0, rep, &ref, &err);
    const double t = now() - t0;
    if (st != PIM_OK) {
        fprintf(stderr, "bench: lockstep failed: %s\n", err.msg);
        exit(1);
    }
    pim_golden_free(ref);
    return t;
}

int main(int argc, char **argv)
{
    int build_time = 1;
    const char *json = NULL; /* --json FILE: the figures for tests/bench/cocotb/run.sh */
    for (int a = 1; a < argc; a++) {
        if (strcmp(argv[a], "--no-build-time") == 0)
            build_time = 0;
        else if (strcmp(argv[a], "--json") == 0 && a + 1 < argc)
            json = argv[++a];
        else {
            fprintf(stderr, "usage: bench_rtl [--no-build-time] [--json FILE]\n");
            return 2;
        }
    }
    pim_config cfg;
    pim_config_default(&cfg);
    cfg.local_mem_size = 65536;
    cfg.global_mem_size = 65536;
    pim_rtl *r = open_rtl(&cfg);
    const pim_units *u = pim_rtl_units(r);
    printf("co-simulation benchmark (one core of this machine)\n");

    /* 1, 2: mvmul */
    const uint32_t nm = getenv("BENCH_MVMULS") ? (uint32_t)atoi(getenv("BENCH_MVMULS")) : 20000;
    pim_program *pm = make_program(&cfg, nm, 0, 0);
    pim_lockstep_report rep;
    const double tl = lockstep(pm, r, &rep);
    const double lock_rate = (double)rep.mvmuls / tl;
    /* bare: the group stays programmed; only inputs, clock and outputs */
    pim_xbar_group *g;
    pim_error err;
    pim_xbar_group_new(&cfg, 8, 128, 128, pm->groups[0].weights, &g, &err);
    int64_t x[2][128], y[128];
    for (int v = 0; v < 2; v++)
        for (int i = 0; i < 128; i++)
            x[v][i] = pim_sext(pm->init[0].lmem[0].bytes[v * 128 + i], 8);
    uint64_t clips;
    pim_rtl_forget(r);
    u->mvmul(u->ud, 0, 0, g, 8, x[0], 0, 8, y, &clips, &err); /* programs the tile once */
    const double t0 = now();
    for (uint32_t k = 0; k < nm; k++)
        u->mvmul(u->ud, 0, 0, g, 8, x[k & 1], 0, 8, y, &clips, &err);
    const double tb = now() - t0;
    const double bare_rate = (double)nm / tb;
    const double cyc = (double)rep.tile_cycles / (double)rep.mvmuls;
    printf("lockstep mvmul 128x128 8b p=2 d=1 a=8, one resident group: %9.0f mvmul/s (%llu mvmul, "
           "%.1f RTL cycles each, %.1f us a cycle)\n",
           lock_rate, (unsigned long long)rep.mvmuls, cyc, 1e6 / (lock_rate * cyc));
    printf("bare tile loop (clock, inputs, outputs only): %9.0f mvmul/s\n", bare_rate);
    printf("harness overhead on mvmul: %.1f%% (target at most 10%%: %s)\n",
           100.0 * (tl - tb) / tb, (tl - tb) / tb <= 0.10 ? "met" : "NOT met");
    pim_xbar_group_free(g);
    pim_program_free(pm);

    /* 3: vector unit */
    const uint32_t nv = 3000, len = 1024;
    pim_program *pv = make_program(&cfg, nv, 1, len);
    const double tv = lockstep(pv, r, &rep);
    int64_t *a = malloc(len * sizeof *a), *b = malloc(len * sizeof *b), *yv = malloc(len * sizeof *yv);
    for (uint32_t i = 0; i < len; i++) {
        a[i] = pim_sext(pv->init[0].lmem[0].bytes[i], 8);
        b[i] = pim_sext(pv->init[0].lmem[0].bytes[2048 + i], 8);
    }
    static const unsigned vops[3] = {PIM_OP_VVADD, PIM_OP_VRELU, PIM_OP_VSIGM};
    const double t1 = now();
    for (uint32_t k = 0; k < nv; k++)
        u->vector(u->ud, 0, vops[k % 3], 8, 8, 0, a, b, len, yv, &err);
    const double tvb = now() - t1;
    printf("lockstep vector unit, 32 lanes: %9.0f elements/s (%llu elements)\n",
           (double)rep.vector_elems / tv, (unsigned long long)rep.vector_elems);
    const double vu_rate = (double)rep.vector_elems / tv;
    printf("bare vector-unit loop: %9.0f elements/s; harness overhead %.1f%% (target at most "
           "10%%: %s)\n",
           (double)nv * len / tvb, 100.0 * (tv - tvb) / tvb,
           (tv - tvb) / tvb <= 0.10 ? "met" : "NOT met");
    if (json) {
        FILE *f = fopen(json, "w");
        if (!f) {
            fprintf(stderr, "bench: cannot write %s\n", json);
            return 2;
        }
        fprintf(f, "{\"lockstep_mvmul_per_s\": %.1f, \"bare_mvmul_per_s\": %.1f, "
                "\"tile_cycles_per_mvmul\": %.2f, \"lockstep_vector_elements_per_s\": %.1f, "
                "\"bare_vector_elements_per_s\": %.1f}\n",
                lock_rate, bare_rate, cyc, vu_rate, (double)nv * len / tvb);
        fclose(f);
    }
    free(a);
    free(b);
    free(yv);
    pim_program_free(pv);

    /* 4: fresh state per vector: a reset sequence against a new model instance */
    const int nr = 200;
    const double t3 = now();
    for (int k = 0; k < nr; k++)
        pim_rtl_begin(r, "bench");
    const double treset = (now() - t3) / nr;
    pim_rtl_close(r);
    const double t4 = now();
    for (int k = 0; k < 20; k++)
        pim_rtl_close(open_rtl(&cfg));
    const double topen = (now() - t4) / 20;
    printf("fresh state per vector: reset sequence %.1f us, new model instances %.1f us (%.0fx)\n",
           1e6 * treset, 1e6 * topen, topen / treset);

    /* 5: build time: the first model also builds Verilator's runtime objects, shared after */
    if (build_time) {
        system("rm -rf build/bench/models && mkdir -p build/bench/models");
        double secs[2];
        int rc = 0;
        for (int k = 0; k < 2; k++) {
            char cmd[300];
            snprintf(cmd, sizeof cmd, "bash harness/cosim/shim/build_model.sh tile "
                     "r128-c128-P8-D8-i32-m32-o32 build/bench/models/tile-%d.so > /dev/null 2>&1", k);
            const double t2 = now();
            rc |= system(cmd);
            secs[k] = now() - t2;
        }
        printf("Verilator build of the reference tile: %.1f s with the runtime objects, %.1f s "
               "sharing them%s\n", secs[0], secs[1], rc ? " (FAILED)" : "");
    }
    return 0;
}
