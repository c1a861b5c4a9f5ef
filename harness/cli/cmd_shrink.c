/*
 * cmd_shrink.c - `pimcosim shrink FAILING.json`: the smallest vector that still diverges the
 * same way (pim_shrink.h).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "pim_cli.h"
#include "pim_opt.h"
#include "pim_shrink.h"

int pim_cli_shrink(const pim_rtl_opts *ro, const char *in, const char *out)
{
    pim_shrink_result r;
    const int rc = pim_shrink_vector(ro, in, out, &r);
    if (rc != PIM_EXIT_PASS) {
        fprintf(stderr, "pimcosim shrink: %s\n", r.msg);
        return rc;
    }
    pim_divergence d;
    memset(&d, 0, sizeof d);
    d.kind = r.sig.kind;
    d.space = r.sig.space;
    printf("shrunk %s: %d -> %d instructions, %" PRIu64 " candidates tried, %" PRIu64
           " kept, %.2f s; signature %s / %s / %s; wrote %s\n",
           in, r.insns0, r.insns1, r.tries, r.kept, r.secs, pim_op_name(r.sig.op),
           pim_unit_name((pim_unit_id)r.sig.unit), pim_divergence_what(&d), r.out);
    return PIM_EXIT_PASS;
}

int pim_cmd_shrink(int argc, char **argv)
{
    const char *in = NULL, *out = NULL;
    char root[1024];
    pim_project_root(root, sizeof root);
    pim_rtl_opts ro;
    pim_rtl_opts_default(&ro, root);
    const pim_opt opts[] = {
        {.name = "--fault", .type = PIM_OPT_FN, .dst = &ro.fault, .fn = pim_cli_parse_fault,
         .meta = "NAME",
         .help = "use RTL models built with +define+NAME (as the failing run did)"},
        {.name = "--seed", .type = PIM_OPT_UINT, .dst = &ro.seed, .size = sizeof ro.seed,
         .hi = UINT64_MAX, .meta = "S", .help = "Verilator's +verilator+seed (default 1)"},
        {.name = "-o", .type = PIM_OPT_STR, .dst = &out, .meta = "OUT",
         .help = "where to write the minimal vector"},
        PIM_CLI_RTL_OPTS(&ro),
    };
    const pim_cmd c = {
        "shrink", "[--fault NAME] [--seed S] [--stress LEVEL] [-o OUT] FAILING.json",
        "Reduces a vector that diverges in lockstep (drops instructions, cores, memory regions and\n"
        "groups, shortens lengths) while the same divergence signature remains: the op, the RTL\n"
        "unit and the kind of difference. Writes the minimal vector (default FAILING.min.json)\n"
        "ready to add to the suite, and reports the steps and seconds it took.\n",
        "Exit: 0 written, 1 the vector does not diverge, 2 bad input.\n", opts,
        sizeof opts / sizeof opts[0], pim_opt_take, &in, 1};
    int rc = pim_opt_parse(&c, argc - 1, argv + 1);
    if (rc == 0 && !in)
        rc = pim_opt_fail(&c, "needs FAILING.json (see --help)");
    if (rc)
        return rc == 1 ? PIM_EXIT_PASS : PIM_EXIT_BAD_INPUT;
    return pim_cli_shrink(&ro, in, out);
}
