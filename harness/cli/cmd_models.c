/*
 * cmd_models.c - `pimcosim models PATH...`: the RTL model files the vectors' configs need,
 * one per line, for `make -j` to build them in parallel (pim_rtl.h).
 */
#include <stdio.h>
#include <string.h>

#include "pim_cli.h"
#include "pim_load.h"
#include "pim_opt.h"
#include "pim_rtl.h"

int pim_cmd_models(int argc, char **argv)
{
    pim_paths paths = {0}, out = {0};
    pim_rtl_opts o;
    memset(&o, 0, sizeof o);
    char root[1024];
    pim_project_root(root, sizeof root);
    o.root = root;
    o.model_dir = "build/rtl"; /* as make names them, from the project root */
    int sources = 0;
    const pim_opt opts[] = {
        {.name = "--fault", .type = PIM_OPT_STR, .dst = &o.fault, .meta = "NAME",
         .help = "the models built with +define+NAME"},
        {.name = "--sources", .type = PIM_OPT_FLAG, .dst = &sources, .set = 1,
         .help = "print instead the files every model is built from (relative to the\n"
                 "project root): what a model cache's key must hash"},
    };
    const pim_cmd c = {"models", "[--fault NAME] PATH...",
                       "Prints the RTL model files (build/rtl/*.so) the vectors' configs need, one "
                       "per line.\n",
                       NULL, opts, sizeof opts / sizeof opts[0], pim_cli_add_vectors, &paths, -1};
    const int rc = pim_opt_parse(&c, argc - 1, argv + 1);
    for (const char *const *f = pim_rtl_model_sources(); rc == 0 && sources && *f; f++)
        printf("%s\n", *f);
    for (size_t i = 0; i < paths.n && rc == 0 && !sources; i++) {
        pim_program *p;
        pim_error err;
        if (pim_load_vector_file(paths.v[i], &p, &err) != PIM_OK)
            continue; /* `run` reports it */
        char m[2][1024];
        pim_rtl_model_paths(&p->cfg, &o, m[0], m[1], sizeof m[0]);
        pim_program_free(p);
        for (int k = 0; k < 2; k++)
            if (!pim_paths_has(&out, m[k]) && pim_paths_push(&out, m[k]) == 0)
                printf("%s\n", m[k]);
    }
    pim_paths_free(&out);
    pim_paths_free(&paths);
    return rc == 1 ? PIM_EXIT_PASS : rc;
}
