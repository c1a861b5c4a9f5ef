/*
 * main.c - the pimcosim command line: dispatches to the commands (runner.c, stream.c, gen.c,
 * shrink.c, cover.c) and lists model files. Exit codes: 0 pass, 1 mismatch, 2 bad input (docs/isa.md).
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
        return pim_exec_main(argc - 1, argv + 1);
    if (strcmp(argv[1], "models") == 0)
        return cmd_models(argc - 2, argv + 2);
    fprintf(stderr, "pimcosim: unknown command '%s' (pimcosim --help lists them)\n", argv[1]);
    return PIM_EXIT_BAD_INPUT;
}
