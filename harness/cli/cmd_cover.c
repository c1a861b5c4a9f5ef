/*
 * cmd_cover.c - `pimcosim cover PATH...`: functional coverage of conformance vectors, per op
 * and corner class, and with --rtl Verilator's line/toggle coverage of the RTL beside it
 * (pim_cover.h).
 */
#include <cJSON.h>
#include <stdio.h>
#include <string.h>

#include "pim_cli.h"
#include "pim_cover.h"
#include "pim_opt.h"

static const char k_about[] =
    "Functional coverage of conformance vectors: runs each on the golden model and counts how\n"
    "often the suite exercised each opcode and each corner class (saturation at either edge\n"
    "per op, ADC clipping, offset_select bits, width classes, strides, lengths, multi-core\n"
    "events, errors by kind). A PATH is a vector file or a directory searched recursively\n"
    "(directories named 'configs' are skipped). The last line lists the gaps.\n";

/* Every vector into cv, the table, the --rtl run and the JSON report; the exit code. */
static int cover(const pim_cmd *c, const pim_paths *paths, pim_cover *cv, const char *json,
                 const char *rtl_dir, int build)
{
    const double t0 = pim_now();
    for (size_t i = 0; i < paths->n; i++) {
        pim_error err;
        pim_error_clear(&err);
        if (pim_cover_add_file(cv, paths->v[i], &err) != PIM_OK) {
            char msg[PIM_ERROR_MSG_MAX * 2];
            if (!err.file[0])
                pim_error_set_file(&err, paths->v[i]);
            return pim_opt_fail(c, "%s", pim_error_format(&err, msg, sizeof msg));
        }
    }
    const double t1 = pim_now();
    pim_cover_print(cv, stdout);
    printf("functional coverage: %zu files in %.3f s\n", paths->n, t1 - t0);
    int rc = PIM_EXIT_PASS;
    cJSON *rtl_json = NULL;
    if (rtl_dir) {
        rc = pim_cover_rtl(paths, rtl_dir, build, &rtl_json);
        printf("  RTL coverage in %.1f s\n", pim_now() - t1);
        if (rc == PIM_EXIT_BAD_INPUT) {
            cJSON_Delete(rtl_json);
            return rc;
        }
    }
    if (json) {
        pim_error err;
        pim_error_clear(&err);
        if (pim_cover_write_json(cv, json, rtl_json, &err) != PIM_OK) { /* owns rtl_json */
            char msg[PIM_ERROR_MSG_MAX * 2];
            return pim_opt_fail(c, "%s", pim_error_format(&err, msg, sizeof msg));
        }
    } else {
        cJSON_Delete(rtl_json);
    }
    pim_cover_print_gaps(cv, stdout);
    return rc;
}

int pim_cmd_cover(int argc, char **argv)
{
    const char *json = NULL, *rtl_dir = NULL;
    int fail_on_gaps = 0, build = 1;
    pim_paths paths = {0};
    const pim_opt opts[] = {
        {.name = "--json", .type = PIM_OPT_STR, .dst = &json, .meta = "FILE",
         .help = "also write the counts as JSON"},
        {.name = "--rtl", .type = PIM_OPT_STR, .dst = &rtl_dir, .meta = "DIR",
         .help = "also run every vector in lockstep on RTL models built with Verilator\n"
                 "--coverage (build/rtl/*+cov.so, built on first use, ~30 s each) and\n"
                 "merge their line/toggle coverage: DIR/merged.dat, DIR/annotated/"},
        {.name = "--no-build", .type = PIM_OPT_FLAG, .dst = &build, .set = 0,
         .help = "fail instead of building a missing coverage model"},
        {.name = "--fail-on-gaps", .type = PIM_OPT_FLAG, .dst = &fail_on_gaps, .set = 1,
         .help = "exit 1 when a class was never hit"},
    };
    const pim_cmd c = {"cover", "[--json FILE] [--rtl DIR] [--no-build] [--fail-on-gaps] PATH...",
                       k_about, "Exit: 0, 1 gaps (with --fail-on-gaps) or an RTL divergence, 2 bad input.\n",
                       opts, sizeof opts / sizeof opts[0], pim_cli_add_vectors, &paths, -1};
    int rc = pim_opt_parse(&c, argc - 1, argv + 1);
    if (rc == 0 && paths.n == 0)
        rc = pim_opt_fail(&c, "no vector given (see --help)");
    if (rc) {
        pim_paths_free(&paths);
        return rc == 1 ? PIM_EXIT_PASS : PIM_EXIT_BAD_INPUT;
    }
    pim_paths_sort(&paths);
    pim_cover *cv = pim_cover_new();
    rc = cv ? cover(&c, &paths, cv, json, rtl_dir, build) : pim_opt_fail(&c, "out of memory");
    if (rc == PIM_EXIT_PASS && fail_on_gaps && pim_cover_gaps(cv, NULL, 0))
        rc = PIM_EXIT_MISMATCH;
    pim_cover_free(cv);
    pim_paths_free(&paths);
    return rc;
}
