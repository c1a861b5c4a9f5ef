/*
 * cmd_replay.c - `pimcosim replay REPRO.json`: reruns the vector a failure bundle names, with
 * its Verilator seed and fault, and says whether the same divergence comes back
 * (run_internal.h).
 */
#include "run_internal.h"

#include <stdio.h>
#include <string.h>

#include "pim_load.h"
#include "pim_opt.h"
#include "pim_util.h"

/* 1 when the run's divergence is the one the bundle recorded (core, instruction, op,
 * element, expected and actual values). */
static int same_divergence(const run_result *r, const pim_repro_in *b)
{
    return r->diverged && (int64_t)r->div.core == b->div_core &&
           (int64_t)r->div.index == b->div_index && (int64_t)r->div.element == b->div_element &&
           (int64_t)r->div.expected == b->div_expected &&
           (int64_t)r->div.actual == b->div_actual &&
           strcmp(pim_op_name(r->div.op), b->div_op) == 0;
}

int pim_cmd_replay(int argc, char **argv)
{
    const char *bundle = NULL, *out = NULL;
    int wave_on_fail = 0;
    const pim_opt opts[] = {
        {.name = "--wave-on-fail", .type = PIM_OPT_FLAG, .dst = &wave_on_fail, .set = 1,
         .help = "on the divergence, waves of the cycles around it"},
        {.name = "--out", .type = PIM_OPT_STR, .dst = &out, .meta = "DIR",
         .help = "where the rerun's bundle goes (default: replay/ beside REPRO.json)"},
    };
    const pim_cmd c = {
        "replay", "[--wave-on-fail] [--out DIR] REPRO.json",
        "Runs the vector a failure bundle names (its own copy, vector.json beside repro.json),\n"
        "with the same Verilator seed and fault, and says whether the same divergence (core,\n"
        "instruction, op, unit, element, expected and actual values) comes back. The rerun's\n"
        "bundle goes to replay/ beside REPRO.json: the original is never overwritten.\n",
        "Exit: 1 when it does (or another failure shows), 0 when the vector passes now, 2 on a\n"
        "bad bundle.\n",
        opts, sizeof opts / sizeof opts[0], pim_opt_take, &bundle, 1};
    int rc = pim_opt_parse(&c, argc - 1, argv + 1);
    if (rc == 0 && !bundle)
        rc = pim_opt_fail(&c, "needs REPRO.json (see --help)");
    if (rc)
        return rc == 1 ? PIM_EXIT_PASS : PIM_EXIT_BAD_INPUT;
    pim_error err;
    pim_repro_in in;
    if (pim_repro_read(bundle, &in, &err) != PIM_OK) {
        char line[PIM_ERROR_MSG_MAX * 2];
        return pim_opt_fail(&c, "%s", pim_error_format(&err, line, sizeof line));
    }
    /* a relative vector (the bundle's own copy) is beside repro.json */
    char dir[1024], vpath[2100];
    pim_path_dir(bundle, dir, sizeof dir);
    if (in.vector[0] != '/')
        snprintf(vpath, sizeof vpath, "%s/%s", dir, in.vector);
    else
        snprintf(vpath, sizeof vpath, "%s", in.vector);
    char replay_out[1100];
    snprintf(replay_out, sizeof replay_out, "%.1000s/replay", dir);
    /* the run's options, as recorded */
    run_opts o;
    run_opts_default(&o);
    o.rtl.seed = in.seed;
    o.rtl.fault = in.fault[0] ? in.fault : NULL;
    o.rtl.stress = in.stress;
    o.rtl.stress_seed = in.stress_seed;
    o.rtl.fixed_knobs = in.fixed_knobs;
    o.golden_only = in.golden_only;
    o.wave_on_fail = wave_on_fail;
    o.out = out ? out : replay_out; /* beside repro.json, never over it */
    o.argc = argc;
    o.argv = argv;
    pim_rtl_set *rs = o.golden_only ? NULL : pim_rtl_set_new(&o.rtl, 1);
    run_result r;
    run_vector(vpath, rs, &o, &r);
    pim_rtl_set_free(rs);
    if (r.verdict == V_PASS) {
        printf("does not reproduce: %s passes now\n", vpath);
        rc = PIM_EXIT_PASS;
    } else {
        printf("%s: %s %s\n", same_divergence(&r, &in) ? "reproduced" : "a different failure",
               run_verdict_name(r.verdict), r.msg);
        if (r.context[0])
            printf("%s\n", r.context);
        rc = r.verdict == V_BAD ? PIM_EXIT_BAD_INPUT : PIM_EXIT_MISMATCH;
    }
    return rc;
}
