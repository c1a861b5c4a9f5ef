/*
 * cmd_exec.c - `pimcosim exec STREAM --config CFG`: a PIMSIM-NN instruction stream (a
 * compiled network) on the golden model, with seeded weights and input, and its summary
 * (stream_internal.h).
 */
#include "stream_internal.h"

#include <stdio.h>

#include "pim_cli.h"
#include "pim_util.h"

int pim_cmd_exec(int argc, char **argv)
{
    stream_args a;
    pim_program *p;
    double t0 = 0;
    int rc = stream_begin(&a, "exec", 0, argc, argv, &p, &t0);
    if (rc >= 0)
        return rc;
    pim_error err;
    pim_error_clear(&err);
    pim_golden *g = NULL;
    pim_status st = pim_golden_new(&p->cfg, &g, &err);
    if (st == PIM_OK)
        st = pim_golden_load(g, p, a.seed, 1, &err);
    const double t1 = pim_now();
    if (st == PIM_OK)
        st = pim_golden_run(g, a.max_insns, &err);
    const double t2 = pim_now();
    if (st != PIM_OK) {
        char msg[PIM_ERROR_MSG_MAX * 2];
        if (!err.file[0])
            pim_error_set_file(&err, a.stream);
        fprintf(stderr, "pimcosim exec: %s\n", pim_error_format(&err, msg, sizeof msg));
    } else {
        stream_summary(&a, p, g, t1 - t0, t2 - t1);
    }
    fflush(stdout);
    pim_golden_free(g);
    pim_program_free(p);
    return pim_status_exit_code(st);
}

