/*
 * cmd_merge.c - `pimcosim merge`: joins the JSON reports of several `pimcosim run --json`
 * shards into one JUnit and/or JSON report, and prints the combined summary
 * (run_internal.h).
 */
#include "run_internal.h"

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pim_load.h"
#include "pim_opt.h"
#include "pim_program.h"
#include "pim_util.h"

typedef struct merged {
    run_entry *e;
    size_t n, cap;
    char mode[16];
} merged;

static int add_report(void *ud, const char *arg) { return pim_paths_push(ud, arg); }

/* One result of a report into *y. 0, or -1 when a key is missing. */
static int read_result(const cJSON *x, run_entry *y)
{
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(x, "id");
    const cJSON *kl = cJSON_GetObjectItemCaseSensitive(x, "class");
    const cJSON *pa = cJSON_GetObjectItemCaseSensitive(x, "path");
    const cJSON *vd = cJSON_GetObjectItemCaseSensitive(x, "verdict");
    const cJSON *ms = cJSON_GetObjectItemCaseSensitive(x, "message");
    if (!cJSON_IsString(id) || !cJSON_IsString(kl) || !cJSON_IsString(pa) ||
        !cJSON_IsString(vd) || !cJSON_IsString(ms))
        return -1;
    memset(y, 0, sizeof *y);
    y->id = pim_strdup(id->valuestring);
    y->klass = pim_strdup(kl->valuestring);
    y->path = pim_strdup(pa->valuestring);
    y->done = 1;
    const int v = run_verdict_of(vd->valuestring);
    y->res.verdict = v < 0 ? V_PASS : v;
    y->res.insns = (uint64_t)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(x, "instructions"));
    y->res.cycles = (uint64_t)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(x, "cycles"));
    y->res.writes = (uint64_t)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(x, "writes"));
    y->res.secs = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(x, "seconds"));
    snprintf(y->res.msg, sizeof y->res.msg, "%s", ms->valuestring);
    if (y->id && y->klass && y->path)
        return 0;
    free(y->id);
    free(y->klass);
    free(y->path);
    return -1;
}

/* The results of one report file. Returns 0, or 2 after a one-line error. */
static int read_report(const char *path, merged *m)
{
    pim_error err;
    cJSON *root = NULL;
    if (pim_load_json_file(path, &root, &err) != PIM_OK) {
        char line[PIM_ERROR_MSG_MAX * 2];
        fprintf(stderr, "pimcosim merge: %s\n", pim_error_format(&err, line, sizeof line));
        return PIM_EXIT_BAD_INPUT;
    }
    const cJSON *res = cJSON_GetObjectItemCaseSensitive(root, "results");
    const cJSON *md = cJSON_GetObjectItemCaseSensitive(root, "mode");
    if (cJSON_IsString(md))
        snprintf(m->mode, sizeof m->mode, "%s", md->valuestring);
    int rc = PIM_EXIT_PASS;
    if (!cJSON_IsArray(res)) {
        fprintf(stderr, "pimcosim merge: %s: no \"results\" array (not a pimcosim run --json report)\n",
                path);
        rc = PIM_EXIT_BAD_INPUT;
    }
    for (const cJSON *x = res ? res->child : NULL; x && rc == PIM_EXIT_PASS; x = x->next) {
        if (m->n == m->cap) {
            const size_t cap = m->cap ? 2 * m->cap : 256;
            run_entry *q = realloc(m->e, cap * sizeof *q);
            if (!q) {
                rc = PIM_EXIT_BAD_INPUT;
                break;
            }
            m->e = q;
            m->cap = cap;
        }
        if (read_result(x, &m->e[m->n]) == 0) {
            m->n++;
        } else {
            fprintf(stderr, "pimcosim merge: %s: a result lacks id, class, path, verdict or message\n",
                    path);
            rc = PIM_EXIT_BAD_INPUT;
        }
    }
    cJSON_Delete(root);
    return rc;
}

/* The joined reports and the summary. */
static int write_merged(merged *m, const char *junit, const char *json)
{
    run_entry **v = calloc(m->n ? m->n : 1, sizeof *v);
    if (!v)
        return PIM_EXIT_BAD_INPUT;
    double secs = 0;
    for (size_t i = 0; i < m->n; i++) {
        v[i] = &m->e[i];
        secs += m->e[i].res.secs;
    }
    qsort(v, m->n, sizeof *v, run_cmp_entry);
    int rc = PIM_EXIT_PASS;
    for (size_t i = 1; i < m->n && rc == PIM_EXIT_PASS; i++)
        if (strcmp(v[i]->id, v[i - 1]->id) == 0) {
            fprintf(stderr, "pimcosim merge: vector %s appears in two reports\n", v[i]->id);
            rc = PIM_EXIT_BAD_INPUT;
        }
    run_opts o;
    memset(&o, 0, sizeof o);
    o.golden_only = strcmp(m->mode, "golden") == 0;
    if (rc == PIM_EXIT_PASS && junit && run_write_junit(junit, v, m->n, m->mode) != 0)
        rc = PIM_EXIT_BAD_INPUT;
    if (rc == PIM_EXIT_PASS && json && run_write_json(json, v, m->n, &o) != 0)
        rc = PIM_EXIT_BAD_INPUT;
    if (rc == PIM_EXIT_PASS)
        rc = run_summarize(v, m->n, m->mode, 0, secs);
    free(v);
    return rc;
}

int pim_cmd_merge(int argc, char **argv)
{
    const char *junit = NULL, *json = NULL;
    pim_paths in = {0};
    const pim_opt opts[] = {
        {.name = "--junit", .type = PIM_OPT_STR, .dst = &junit, .meta = "FILE",
         .help = "write the joined JUnit XML report"},
        {.name = "--json", .type = PIM_OPT_STR, .dst = &json, .meta = "FILE",
         .help = "write the joined JSON report"},
    };
    const pim_cmd c = {"merge", "[--junit FILE] [--json FILE] REPORT.json...",
                       "Joins the JSON reports of several `pimcosim run --json` shards into one "
                       "JUnit and/or JSON\nreport, and prints the combined summary.\n",
                       "Exit as `run` would for the combined results.\n", opts,
                       sizeof opts / sizeof opts[0], add_report, &in, -1};
    int rc = pim_opt_parse(&c, argc - 1, argv + 1);
    if (rc == 0 && !in.n)
        rc = pim_opt_fail(&c, "no report given (see --help)");
    if (rc) {
        pim_paths_free(&in);
        return rc == 1 ? PIM_EXIT_PASS : PIM_EXIT_BAD_INPUT;
    }
    merged m;
    memset(&m, 0, sizeof m);
    snprintf(m.mode, sizeof m.mode, "lockstep");
    for (size_t f = 0; f < in.n && rc == PIM_EXIT_PASS; f++)
        rc = read_report(in.v[f], &m);
    if (rc == PIM_EXIT_PASS)
        rc = write_merged(&m, junit, json);
    for (size_t i = 0; i < m.n; i++) {
        free(m.e[i].id);
        free(m.e[i].klass);
        free(m.e[i].path);
    }
    free(m.e);
    pim_paths_free(&in);
    return rc;
}
