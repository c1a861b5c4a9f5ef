/*
 * run_report.c - what `pimcosim run` and `merge` say (run_internal.h): a line per vector
 * (plain or TAP), a table per class, the closing lines, and the JUnit and JSON reports.
 */
#include "run_internal.h"

#include <cJSON.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pim_cli.h"
#include "pim_json.h"
#include "pim_status.h"

static const char *const k_verdict[V_COUNT] = {"PASS", "FAIL", "ERROR", "TIMEOUT", "CRASH"};

const char *run_verdict_name(int v) { return v >= 0 && v < V_COUNT ? k_verdict[v] : "ERROR"; }

int run_verdict_of(const char *name)
{
    for (int k = 0; k < V_COUNT; k++)
        if (strcmp(name, k_verdict[k]) == 0)
            return k;
    return -1;
}

int run_write_junit(const char *file, run_entry **v, size_t n, const char *suite)
{
    pim_junit_case *c = calloc(n ? n : 1, sizeof *c);
    if (!c)
        return -1;
    for (size_t i = 0; i < n; i++) {
        const run_entry *e = v[i];
        c[i].classname = e->klass;
        c[i].name = e->id;
        c[i].file = e->path;
        c[i].secs = e->res.secs;
        c[i].outcome = e->res.verdict == V_PASS ? 0 : e->res.verdict == V_FAIL ? 1 : 2;
        c[i].type = run_verdict_name(e->res.verdict);
        c[i].msg = e->res.msg;
    }
    const int rc = pim_junit_write(file, suite, c, n);
    free(c);
    return rc;
}

int run_write_json(const char *file, run_entry **v, size_t n, const run_opts *o)
{
    pim_jb b = {0};
    cJSON *root = cJSON_CreateObject();
    pim_jb_str(&b, root, "tool", "pimcosim");
    pim_jb_str(&b, root, "mode", o->golden_only ? "golden" : "lockstep");
    if (o->shard_n) {
        char s[48];
        snprintf(s, sizeof s, "%" PRIu64 "/%" PRIu64, o->shard_k, o->shard_n);
        pim_jb_str(&b, root, "shard", s);
    }
    cJSON *arr = pim_jb_arr(&b, root, "results");
    for (size_t i = 0; i < n; i++) {
        const run_entry *e = v[i];
        cJSON *x = cJSON_CreateObject();
        pim_jb_str(&b, x, "id", e->id);
        pim_jb_str(&b, x, "class", e->klass);
        pim_jb_str(&b, x, "path", e->path);
        pim_jb_str(&b, x, "verdict", run_verdict_name(e->res.verdict));
        pim_jb_num(&b, x, "instructions", (double)e->res.insns);
        pim_jb_num(&b, x, "cycles", (double)e->res.cycles);
        pim_jb_num(&b, x, "writes", (double)e->res.writes);
        pim_jb_num(&b, x, "seconds", e->res.secs);
        pim_jb_str(&b, x, "message", e->res.msg);
        if (e->res.diverged) {
            pim_jb_add(&b, x, "divergence", pim_divergence_json(&e->res.div));
            pim_jb_str(&b, x, "context", e->res.context);
        }
        if (e->res.bundle[0])
            pim_jb_str(&b, x, "bundle", e->res.bundle);
        pim_jb_add(&b, arr, NULL, x);
    }
    const int rc = b.oom || !root ? -1 : pim_json_write_file(file, root);
    cJSON_Delete(root);
    return rc;
}

int run_summarize(run_entry **v, size_t n, const char *mode, int tap, double secs)
{
    size_t pass = 0, fail = 0, bad = 0, other = 0;
    uint64_t insns = 0, cycles = 0, writes = 0;
    for (size_t i = 0; i < n; i++) {
        const run_result *r = &v[i]->res;
        pass += r->verdict == V_PASS;
        fail += r->verdict == V_FAIL;
        bad += r->verdict == V_BAD;
        other += r->verdict == V_TIMEOUT || r->verdict == V_CRASH;
        insns += r->insns;
        cycles += r->cycles;
        writes += r->writes;
    }
    FILE *o = tap ? stderr : stdout; /* TAP owns stdout */
    fprintf(o, "%-12s %8s %8s %8s %8s %10s\n", "class", "vectors", "passed", "failed", "errors",
            "seconds");
    for (size_t i = 0; i < n;) { /* v is sorted by class */
        size_t j = i, p = 0, f = 0, b = 0;
        double s = 0;
        for (; j < n && strcmp(v[j]->klass, v[i]->klass) == 0; j++) {
            p += v[j]->res.verdict == V_PASS;
            f += v[j]->res.verdict == V_FAIL;
            b += v[j]->res.verdict >= V_BAD;
            s += v[j]->res.secs;
        }
        fprintf(o, "%-12s %8zu %8zu %8zu %8zu %10.3f\n", v[i]->klass, j - i, p, f, b, s);
        i = j;
    }
    fprintf(o, "%zu vectors, %" PRIu64 " instructions, %" PRIu64 " RTL cycles, %" PRIu64
            " writes matched in %.3f s; %zu bad input, %zu timeouts or crashes\n",
            n, insns, cycles, writes, secs, bad, other);
    fprintf(o, "%s: %zu passed, %zu failed\n", mode, pass, fail + bad + other);
    fflush(o);
    return bad ? PIM_EXIT_BAD_INPUT : (fail || other ? PIM_EXIT_MISMATCH : PIM_EXIT_PASS);
}

int run_cmp_entry(const void *a, const void *b)
{
    const run_entry *x = *(run_entry *const *)a, *y = *(run_entry *const *)b;
    int c = strcmp(x->klass, y->klass);
    return c ? c : strcmp(x->id, y->id);
}

/* Text with each newline followed by the indent. */
static void print_indented(const char *s, const char *indent)
{
    printf("%s", indent);
    for (; *s; s++)
        if (*s == '\n')
            printf("\n%s", indent);
        else
            putchar(*s);
    putchar('\n');
}

void run_print_result(const run_opts *o, const run_entry *e, size_t tap_no)
{
    const run_result *r = &e->res;
    const char *verdict = run_verdict_name(r->verdict);
    if (o->tap) {
        printf("%s %zu - %s\n", r->verdict == V_PASS ? "ok" : "not ok", tap_no, e->id);
        if (r->verdict != V_PASS || r->msg[0]) {
            printf("  ---\n  verdict: %s\n  path: %s\n  message: \"", verdict, e->path);
            for (const char *s = r->msg; *s; s++)
                printf(*s == '"' || *s == '\\' ? "\\%c" : "%c", *s);
            printf("\"\n  ...\n");
        }
    } else if (r->verdict != V_PASS || !o->quiet) {
        if (r->verdict == V_PASS)
            printf("PASS %s%s%s\n", e->id, r->msg[0] ? ": " : "", r->msg);
        else
            printf("%s %s (%s): %s\n", verdict, e->id, e->path, r->msg);
        if (r->verdict != V_PASS && r->context[0])
            print_indented(r->context, "  ");
        if (r->verdict != V_PASS && r->bundle[0])
            printf("  bundle: %s/ (pimcosim replay %s/repro.json)\n", r->bundle, r->bundle);
    }
    fflush(stdout);
}
