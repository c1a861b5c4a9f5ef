/*
 * cmd_models.c - `pimcosim models [PATH...]`: the RTL model files the vectors' (or the
 * configs') parameters need, one per line, named by their content (pim_rtl.h); with --build
 * the missing ones are built, in parallel. `make rtl-models` runs it.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "pim_cli.h"
#include "pim_load.h"
#include "pim_opt.h"
#include "pim_rtl.h"

/* The models of one config into out (each once): with each fault of `faults` (none: the
 * models without a fault). */
static void add_models(const pim_config *cfg, const pim_rtl_opts *o, const pim_paths *faults,
                       pim_paths *out)
{
    pim_rtl_opts f = *o;
    for (size_t i = 0; i < (faults->n ? faults->n : 1); i++) {
        char m[2][1024];
        f.fault = faults->n ? faults->v[i] : NULL;
        pim_rtl_model_paths(cfg, &f, m[0], m[1], sizeof m[0]);
        for (int k = 0; k < 2; k++)
            if (!pim_paths_has(out, m[k]))
                pim_paths_push(out, m[k]);
    }
}

/* The models the vectors and configs need, into out. 0, or 2 after a one-line error. */
static int collect(const pim_cmd *c, const pim_paths *vectors, const pim_paths *configs,
                   const pim_rtl_opts *o, const pim_paths *faults, pim_paths *out)
{
    for (size_t i = 0; i < configs->n; i++) {
        pim_config cfg;
        pim_error err;
        if (pim_load_config_file(configs->v[i], &cfg, &err) != PIM_OK) {
            char msg[PIM_ERROR_MSG_MAX * 2];
            return pim_opt_fail(c, "%s", pim_error_format(&err, msg, sizeof msg));
        }
        add_models(&cfg, o, faults, out);
    }
    for (size_t i = 0; i < vectors->n; i++) {
        pim_program *p;
        pim_error err;
        if (pim_load_vector_file(vectors->v[i], &p, &err) != PIM_OK)
            continue; /* `run` reports it */
        add_models(&p->cfg, o, faults, out);
        pim_program_free(p);
    }
    return 0;
}

int pim_cmd_models(int argc, char **argv)
{
    pim_paths vectors = {0}, configs = {0}, faults = {0}, out = {0};
    char root[1024];
    pim_project_root(root, sizeof root);
    pim_rtl_opts o;
    pim_rtl_opts_default(&o, root);
    o.model_dir = "build/rtl"; /* from the project root, as make names them */
    int sources = 0, build = 0, missing = 0, jobs = 1;
    const pim_opt opts[] = {
        {.name = "--fault", .type = PIM_OPT_FN, .dst = &faults, .fn = pim_cli_add_string,
         .meta = "NAME", .help = "the models built with +define+NAME instead (repeatable)"},
        {.name = "--config", .type = PIM_OPT_FN, .dst = &configs, .fn = pim_cli_add_string,
         .meta = "CFG", .help = "also the models of this architecture config (repeatable)"},
        {.name = "--missing", .type = PIM_OPT_FLAG, .dst = &missing, .set = 1,
         .help = "print only the models not built yet"},
        {.name = "--build", .type = PIM_OPT_FLAG, .dst = &build, .set = 1,
         .help = "build the missing ones"},
        {.name = "--jobs", .type = PIM_OPT_UINT, .dst = &jobs, .size = sizeof jobs, .lo = 1,
         .hi = 64, .meta = "N", .help = "builds at a time (default 1)"},
        {.name = "--quiet", .type = PIM_OPT_FLAG, .dst = &o.quiet, .set = 1,
         .help = "say nothing while building"},
        PIM_CLI_FIXED_OPT(&o),
        {.name = "--tile-cols", .type = PIM_OPT_UINT, .dst = &o.tile_cols,
         .size = sizeof o.tile_cols, .lo = 1, .hi = 4096, .meta = "N",
         .help = "tiles of N output columns (default 128; the unit tests use 7)"},
        {.name = "--coverage", .type = PIM_OPT_FLAG, .dst = &o.coverage, .set = 1,
         .help = "the models built with Verilator --coverage (pimcosim cover --rtl)"},
        {.name = "--sources", .type = PIM_OPT_FLAG, .dst = &sources, .set = 1,
         .help = "print instead the files every model is built from (relative to the\n"
                 "project root): what a model cache's key must hash"},
    };
    const pim_cmd c = {
        "models", "[options] [PATH...]",
        "Prints the RTL model files (build/rtl/*.so) the vectors' configs need, one per line.\n"
        "A model's name holds its parameters and the hash of its unit's sources and tools:\n"
        "a model built from other sources has another name, and is never used for these.\n",
        "Exit: 0, 1 a build failed, 2 bad input.\n", opts, sizeof opts / sizeof opts[0],
        pim_cli_add_vectors, &vectors, -1};
    int rc = pim_opt_parse(&c, argc - 1, argv + 1);
    if (rc == 1)
        rc = PIM_EXIT_PASS; /* --help */
    else if (rc == 0 && sources)
        for (const char *const *f = pim_rtl_model_sources(); *f; f++)
            printf("%s\n", *f);
    if (rc == 0 && !sources)
        rc = collect(&c, &vectors, &configs, &o, &faults, &out);
    for (size_t i = 0; rc == 0 && !sources && !build && i < out.n; i++) {
        struct stat sb;
        if (!missing || stat(out.v[i], &sb) != 0)
            printf("%s\n", out.v[i]);
    }
    if (rc == 0 && build && pim_rtl_build_models(&o, out.v, out.n, jobs) != 0)
        rc = pim_opt_fail(&c, "building an RTL model failed") - 1; /* exit 1 */
    pim_paths_free(&out);
    pim_paths_free(&vectors);
    pim_paths_free(&configs);
    pim_paths_free(&faults);
    return rc;
}
