/*
 * cmd_replay.c - `pimcosim replay REPRO.json`: reruns the vector a failure bundle names, with
 * its Verilator seed and fault, and says whether the same divergence comes back
 * (run_internal.h).
 */
#include "run_internal.h"

#include <cJSON.h>
#include <stdio.h>
#include <string.h>

#include "pim_load.h"
#include "pim_opt.h"

/* 1 when the run's divergence is the one the bundle recorded (core, instruction, op,
 * element, expected and actual values). */
static int same_divergence(const run_result *r, const cJSON *div)
{
#define NUM(key) cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(div, key))
    const cJSON *eop = cJSON_GetObjectItemCaseSensitive(div, "op");
    return r->diverged && (double)r->div.core == NUM("core") &&
           (double)r->div.index == NUM("index") && (double)r->div.element == NUM("element") &&
           (double)r->div.expected == NUM("expected") && (double)r->div.actual == NUM("actual") &&
           cJSON_IsString(eop) && strcmp(pim_op_name(r->div.op), eop->valuestring) == 0;
#undef NUM
}

int pim_cmd_replay(int argc, char **argv)
{
    const char *bundle = NULL, *out = NULL;
    int wave_on_fail = 0;
    const pim_opt opts[] = {
        {.name = "--wave-on-fail", .type = PIM_OPT_FLAG, .dst = &wave_on_fail, .set = 1,
         .help = "on the divergence, waves of the cycles around it"},
        {.name = "--out", .type = PIM_OPT_STR, .dst = &out, .meta = "DIR",
         .help = "where the rerun's bundle goes (default build/failures)"},
    };
    const pim_cmd c = {
        "replay", "[--wave-on-fail] [--out DIR] REPRO.json",
        "Runs the vector a failure bundle names, with the same Verilator seed and fault, and says\n"
        "whether the same divergence (core, instruction, op, unit, element, expected and actual\n"
        "values) comes back.\n",
        "Exit: 1 when it does (or another failure shows), 0 when the vector passes now, 2 on a\n"
        "bad bundle.\n",
        opts, sizeof opts / sizeof opts[0], pim_opt_take, &bundle, 1};
    int rc = pim_opt_parse(&c, argc - 1, argv + 1);
    if (rc == 0 && !bundle)
        rc = pim_opt_fail(&c, "needs REPRO.json (see --help)");
    if (rc)
        return rc == 1 ? PIM_EXIT_PASS : PIM_EXIT_BAD_INPUT;
    pim_error err;
    cJSON *root = NULL;
    if (pim_load_json_file(bundle, &root, &err) != PIM_OK) {
        char line[PIM_ERROR_MSG_MAX * 2];
        return pim_opt_fail(&c, "%s", pim_error_format(&err, line, sizeof line));
    }
    const cJSON *vec = cJSON_GetObjectItemCaseSensitive(root, "vector");
    const cJSON *seed = cJSON_GetObjectItemCaseSensitive(root, "verilator_seed");
    const cJSON *fault = cJSON_GetObjectItemCaseSensitive(root, "fault");
    const cJSON *mode = cJSON_GetObjectItemCaseSensitive(root, "mode");
    const cJSON *div = cJSON_GetObjectItemCaseSensitive(root, "divergence");
    if (!cJSON_IsString(vec) || !cJSON_IsNumber(seed) || !cJSON_IsObject(div)) {
        cJSON_Delete(root);
        return pim_opt_fail(&c, "%s: not a repro bundle (vector, verilator_seed, divergence)",
                            bundle);
    }
    /* the run's options, as recorded */
    run_opts o;
    run_opts_default(&o);
    o.rtl.seed = (uint64_t)seed->valuedouble;
    o.rtl.fault = cJSON_IsString(fault) ? fault->valuestring : NULL;
    const cJSON *stress = cJSON_GetObjectItemCaseSensitive(root, "stress");
    const cJSON *sseed = cJSON_GetObjectItemCaseSensitive(root, "stress_seed");
    if (cJSON_IsNumber(stress) && stress->valuedouble >= 0 && stress->valuedouble <= 2)
        o.rtl.stress = (unsigned)stress->valuedouble;
    if (cJSON_IsNumber(sseed) && sseed->valuedouble >= 0)
        o.rtl.stress_seed = (uint64_t)sseed->valuedouble;
    o.rtl.fixed_knobs = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(root, "fixed_knobs"));
    o.golden_only = cJSON_IsString(mode) && strcmp(mode->valuestring, "golden") == 0;
    o.wave_on_fail = wave_on_fail;
    o.out = out ? out : "build/failures";
    o.argc = argc;
    o.argv = argv;
    pim_rtl_set *rs = o.golden_only ? NULL : pim_rtl_set_new(&o.rtl, 1);
    run_result r;
    run_vector(vec->valuestring, rs, &o, &r);
    pim_rtl_set_free(rs);
    if (r.verdict == V_PASS) {
        printf("does not reproduce: %s passes now\n", vec->valuestring);
        rc = PIM_EXIT_PASS;
    } else {
        printf("%s: %s %s\n", same_divergence(&r, div) ? "reproduced" : "a different failure",
               run_verdict_name(r.verdict), r.msg);
        if (r.context[0])
            printf("%s\n", r.context);
        rc = r.verdict == V_BAD ? PIM_EXIT_BAD_INPUT : PIM_EXIT_MISMATCH;
    }
    cJSON_Delete(root);
    return rc;
}
