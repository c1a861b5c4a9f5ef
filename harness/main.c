/*
 * main.c - the pimcosim command line: `run` (conformance vectors) and `exec` (bare
 * PIMSIM-NN streams). Exit codes: 0 pass, 1 mismatch, 2 bad input (docs/isa.md).
 */
#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "pim_cli.h"
#include "pim_cover.h"
#include "pim_expect.h"
#include "pim_gen.h"
#include "pim_harness.h"
#include "pim_golden.h"
#include "pim_load.h"
#include "pim_runner.h"
#include "pim_shrink.h"

static const char *k_usage =
    "usage: pimcosim <command> [options]\n"
    "\n"
    "commands:\n"
    "  run    run conformance vectors and check their expectations\n"
    "  exec   execute a PIMSIM-NN instruction stream on the golden model\n"
    "  gen    write a constrained-random valid vector from a seed\n"
    "  shrink reduce a failing vector while the same divergence remains\n"
    "  replay rerun a failure bundle (repro.json) and check the divergence comes back\n"
    "  cover  coverage of a suite: per op and corner class (and RTL line/toggle)\n"
    "  merge  join the JSON reports of several `run --shard` runs (JUnit, JSON)\n"
    "  models list the RTL model files the vectors' configs need (for make -j)\n"
    "\n"
    "`pimcosim <command> --help` describes a command. Exit codes: 0 pass, 1 mismatch,\n"
    "2 bad input (malformed file, field out of range, execution error).\n";

static const char *k_exec_usage =
    "usage: pimcosim exec STREAM --config CFG [--seed S] [--max-insns N] [--quiet]\n"
    "\n"
    "Executes a PIMSIM-NN instruction stream (.json or .json.gz) on the golden model, with\n"
    "the array groups' weights and the global memory filled from the seed, and prints\n"
    "instruction counts per op and per core, the final memory hashes and the speed.\n"
    "\n"
    "  --config CFG    PIMSIM-NN architecture config (JSON), required\n"
    "  --seed S        seed for weights and global memory (default 1)\n"
    "  --max-insns N   stop after N instructions (0: run to completion)\n"
    "  --quiet         print the summary only\n";

/* ------------------------------------------------------------------ exec */

static int cmd_exec(int argc, char **argv)
{
    const char *stream = NULL, *config = NULL;
    uint64_t seed = 1, max_insns = 0;
    int quiet = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(k_exec_usage, stdout);
            return PIM_EXIT_PASS;
        } else if (strcmp(a, "--config") == 0 && i + 1 < argc) {
            config = argv[++i];
        } else if (strcmp(a, "--seed") == 0 && i + 1 < argc) {
            if (pim_parse_u64(argv[++i], &seed)) {
                fprintf(stderr, "pimcosim exec: --seed takes a non-negative integer\n");
                return PIM_EXIT_BAD_INPUT;
            }
        } else if (strcmp(a, "--max-insns") == 0 && i + 1 < argc) {
            if (pim_parse_u64(argv[++i], &max_insns)) {
                fprintf(stderr, "pimcosim exec: --max-insns takes a non-negative integer\n");
                return PIM_EXIT_BAD_INPUT;
            }
        } else if (strcmp(a, "--quiet") == 0) {
            quiet = 1;
        } else if (a[0] == '-' || stream) {
            fprintf(stderr, "pimcosim exec: unexpected argument '%s' (see --help)\n", a);
            return PIM_EXIT_BAD_INPUT;
        } else {
            stream = a;
        }
    }
    if (!stream || !config) {
        fprintf(stderr, "pimcosim exec: needs STREAM and --config CFG (see --help)\n");
        return PIM_EXIT_BAD_INPUT;
    }
    pim_error err;
    pim_error_clear(&err);
    char msg[PIM_ERROR_MSG_MAX * 2];
    pim_config cfg;
    pim_program *p = NULL;
    pim_golden *g = NULL;
    struct timespec t0, t1, t2;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pim_status st = pim_load_config_file(config, &cfg, &err);
    if (st == PIM_OK)
        st = pim_load_stream_file(stream, &cfg, &p, &err);
    if (st == PIM_OK)
        st = pim_golden_new(&p->cfg, &g, &err);
    if (st == PIM_OK)
        st = pim_golden_load(g, p, seed, 1, &err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (st == PIM_OK)
        st = pim_golden_run(g, max_insns, &err);
    clock_gettime(CLOCK_MONOTONIC, &t2);
    if (st != PIM_OK) {
        if (!err.file[0])
            pim_error_set_file(&err, stream);
        fprintf(stderr, "pimcosim exec: %s\n", pim_error_format(&err, msg, sizeof msg));
        pim_golden_free(g);
        pim_program_free(p);
        return pim_status_exit_code(st);
    }
    const pim_golden_stats *s = pim_golden_get_stats(g);
    const double tl = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
    const double tr = (double)(t2.tv_sec - t1.tv_sec) + 1e-9 * (double)(t2.tv_nsec - t1.tv_nsec);
    if (!quiet) {
        printf("instructions per op:\n");
        for (unsigned op = 0; op < PIM_OP_COUNT; op++)
            if (s->per_op[op])
                printf("  %-7s %12" PRIu64 "\n", pim_op_name(op), s->per_op[op]);
        printf("instructions per core:\n");
        for (uint32_t c = 0; c < p->n_cores; c++)
            printf("  core%-4u %10" PRIu64 " of %zu  lmem %016" PRIx64 "\n", c,
                   pim_golden_pc(g, c), p->n_insns[c], pim_golden_hash_lmem(g, c));
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("cores %u, instructions %" PRIu64 " (mvmul %" PRIu64 ", ADC clips %" PRIu64 ")%s\n",
           p->n_cores, s->executed, s->per_op[PIM_OP_MVMUL], s->adc_clips,
           pim_golden_done(g) ? "" : " (stopped early)");
    printf("gmem hash %016" PRIx64 "\n", pim_golden_hash_gmem(g));
    printf("load %.3f s, run %.3f s, %.0f instructions/s, peak memory %ld MiB\n", tl, tr,
           tr > 0 ? (double)s->executed / tr : 0.0, ru.ru_maxrss / 1024);
    pim_golden_free(g);
    pim_program_free(p);
    return PIM_EXIT_PASS;
}

/* `pimcosim models [--fault NAME] PATH...`: the RTL model files the vectors need. */
static int cmd_models(int argc, char **argv)
{
    pim_paths paths = {0};
    pim_rtl_opts o;
    memset(&o, 0, sizeof o);
    char root[1024];
    pim_project_root(root, sizeof root);
    o.root = root;
    o.model_dir = "build/rtl"; /* as make names them, from the project root */
    int rc = PIM_EXIT_PASS;
    for (int i = 0; i < argc && rc == PIM_EXIT_PASS; i++) {
        if (strcmp(argv[i], "--help") == 0) {
            printf("usage: pimcosim models [--fault NAME] PATH...\n"
                   "Prints the RTL model files (build/rtl/*.so) the vectors' configs need, one "
                   "per line.\n");
            goto done;
        } else if (strcmp(argv[i], "--fault") == 0 && i + 1 < argc) {
            o.fault = argv[++i];
        } else if (pim_collect_vectors(&paths, argv[i]) != 0) {
            rc = PIM_EXIT_BAD_INPUT;
        }
    }
    pim_paths out = {0};
    for (size_t i = 0; i < paths.n && rc == PIM_EXIT_PASS; i++) {
        pim_program *p;
        pim_error err;
        if (pim_load_vector_file(paths.v[i], &p, &err) != PIM_OK)
            continue; /* `run` reports it */
        char tile[1024], vu[1024];
        pim_rtl_model_paths(&p->cfg, &o, tile, vu, sizeof tile);
        pim_program_free(p);
        for (int k = 0; k < 2; k++) {
            const char *m = k ? vu : tile;
            int seen = 0;
            for (size_t j = 0; j < out.n && !seen; j++)
                seen = strcmp(out.v[j], m) == 0;
            if (!seen && pim_paths_push(&out, m) == 0)
                printf("%s\n", m);
        }
    }
    pim_paths_free(&out);
done:
    pim_paths_free(&paths);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: pimcosim <command> [options] (pimcosim --help lists them)\n");
        return PIM_EXIT_BAD_INPUT;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(k_usage, stdout);
        return PIM_EXIT_PASS;
    }
    if (strcmp(argv[1], "run") == 0)
        return pim_run_main(argc - 1, argv + 1);
    if (strcmp(argv[1], "merge") == 0)
        return pim_merge_main(argc - 1, argv + 1);
    if (strcmp(argv[1], "gen") == 0)
        return pim_gen_main(argc - 1, argv + 1);
    if (strcmp(argv[1], "shrink") == 0)
        return pim_shrink_main(argc - 1, argv + 1);
    if (strcmp(argv[1], "replay") == 0)
        return pim_replay_main(argc - 1, argv + 1);
    if (strcmp(argv[1], "cover") == 0)
        return pim_cover_main(argc - 1, argv + 1);
    if (strcmp(argv[1], "exec") == 0)
        return cmd_exec(argc - 2, argv + 2);
    if (strcmp(argv[1], "models") == 0)
        return cmd_models(argc - 2, argv + 2);
    fprintf(stderr, "pimcosim: unknown command '%s' (pimcosim --help lists them)\n", argv[1]);
    return PIM_EXIT_BAD_INPUT;
}
