/*
 * cmd_gen.c - `pimcosim gen`: writes one constrained-random conformance vector (pim_gen.h)
 * to -o FILE or stdout.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pim_cli.h"
#include "pim_gen.h"
#include "pim_load.h"
#include "pim_opt.h"

/* "scalar=2,vector=4": updates the named weights; -1 and a message on error. */
static int parse_weights(void *ud, const char *s, char *msg, size_t n)
{
    uint32_t *w = ud;
    char buf[256];
    if (strlen(s) >= sizeof buf) {
        snprintf(msg, n, "--weights is too long");
        return -1;
    }
    strcpy(buf, s);
    char *save = NULL;
    for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(tok, '=');
        if (!eq) {
            snprintf(msg, n, "--weights: '%s' is not CLASS=W", tok);
            return -1;
        }
        *eq = '\0';
        int cls = -1;
        for (int i = 0; i < PIM_GEN_NCLASSES; i++)
            if (strcmp(tok, pim_gen_class_name((unsigned)i)) == 0)
                cls = i;
        if (cls < 0) {
            snprintf(msg, n, "--weights: unknown class '%s' (scalar, matrix, vector, transfer, "
                     "sync)", tok);
            return -1;
        }
        uint64_t v;
        if (pim_parse_u64(eq + 1, &v) || v > 1000) {
            snprintf(msg, n, "--weights: %s=%s is not an integer in 0..1000", tok, eq + 1);
            return -1;
        }
        w[cls] = (uint32_t)v;
    }
    return 0;
}

static const char k_about[] =
    "Writes one constrained-random conformance vector (docs/vectors.md) that runs to\n"
    "completion: every op of the ISA, addresses in range, no undefined overlap, send/recv\n"
    "and sync/wait in one global order (no deadlock), random initial memories, registers\n"
    "and array groups. The same seed and options give the same bytes on every machine.\n";

int pim_cmd_gen(int argc, char **argv)
{
    pim_gen_opts o;
    pim_gen_opts_default(&o);
    const char *out = NULL, *config = NULL;
    int have_seed = 0;
    char msg[400];
    const pim_opt opts[] = {
        {.name = "--seed", .type = PIM_OPT_UINT, .dst = &o.seed, .size = sizeof o.seed,
         .hi = UINT64_MAX, .meta = "S", .help = "generator seed (required)", .given = &have_seed},
        {.name = "--insns", .type = PIM_OPT_UINT, .dst = &o.insns, .size = sizeof o.insns, .lo = 1,
         .hi = PIM_GEN_MAX_INSNS, .meta = "N",
         .help = "instructions per core, roughly (default 200, 1..100000)"},
        {.name = "--cores", .type = PIM_OPT_UINT, .dst = &o.cores, .size = sizeof o.cores, .lo = 1,
         .hi = PIM_GEN_MAX_CORES, .meta = "C", .help = "cores (default 2, 1..256)"},
        {.name = "--config", .type = PIM_OPT_STR, .dst = &config, .meta = "PATH",
         .help = "PIMSIM-NN architecture config (default: the defaults); memories are\n"
                 "capped at 8192 bytes local, 65536 global; written inline"},
        {.name = "--weights", .type = PIM_OPT_FN, .dst = o.weights, .fn = parse_weights,
         .meta = "LIST",
         .help = "class weights 0..1000 (default scalar=2,matrix=2,vector=4,\n"
                 "transfer=2,sync=1; classes not listed keep their default)"},
        {.name = "--id", .type = PIM_OPT_STR, .dst = &o.id, .meta = "ID",
         .help = "vector id (default gen.seed-S)"},
        {.name = "--compact", .type = PIM_OPT_FLAG, .dst = &o.compact, .set = 1,
         .help = "unformatted JSON (default: pretty)"},
        {.name = "--expect", .type = PIM_OPT_FLAG, .dst = &o.expect, .set = 1,
         .help = "fill \"expected\" from a golden run (default: {}, the run must end\n"
                 "without error; lockstep checks every write)"},
        {.name = "-o", .type = PIM_OPT_STR, .dst = &out, .meta = "FILE",
         .help = "output file (default: stdout)"},
    };
    const pim_cmd c = {"gen", "--seed S [options]", k_about,
                       "Exit: 0 written, 2 bad option or write failure (one line on stderr).\n",
                       opts, sizeof opts / sizeof opts[0], NULL, NULL, 0};
    const int rc = pim_opt_parse(&c, argc - 1, argv + 1);
    if (rc)
        return rc == 1 ? PIM_EXIT_PASS : PIM_EXIT_BAD_INPUT;
    if (!have_seed)
        return pim_opt_fail(&c, "needs --seed S (see --help)");
    pim_error err;
    pim_error_clear(&err);
    pim_config cfg;
    if (config) {
        if (pim_load_config_file(config, &cfg, &err) != PIM_OK) {
            pim_error_format(&err, msg, sizeof msg);
            return pim_opt_fail(&c, "%s", msg);
        }
        o.cfg = &cfg;
        o.config_name = config;
    }
    char *text = NULL;
    if (pim_gen_vector(&o, &text, &err) != PIM_OK) {
        /* option errors carry their own "--option" wording; others the usual record */
        if (err.status == PIM_E_INPUT &&
            (strcmp(err.field, "insns") == 0 || strcmp(err.field, "cores") == 0 ||
             strcmp(err.field, "weights") == 0 || strcmp(err.field, "id") == 0 ||
             strcmp(err.field, "config") == 0))
            snprintf(msg, sizeof msg, "%s", err.msg);
        else
            pim_error_format(&err, msg, sizeof msg);
        return pim_opt_fail(&c, "%s", msg);
    }
    FILE *f = out ? fopen(out, "wb") : stdout;
    if (!f) {
        free(text);
        return pim_opt_fail(&c, "cannot create %s", out);
    }
    const size_t n = strlen(text);
    int bad = fwrite(text, 1, n, f) != n;
    bad |= out ? fclose(f) != 0 : fflush(f) != 0;
    free(text);
    if (bad)
        return pim_opt_fail(&c, "cannot write %s", out ? out : "stdout");
    return PIM_EXIT_PASS;
}

