/*
 * shrink.c - `pimcosim shrink`: reduces a failing vector while the same divergence
 * signature (op, RTL unit, kind of difference) remains (pim_shrink.h).
 *
 * Delta debugging on the vector's JSON: drop the instructions after the failing one, drop
 * chunks of instructions (halving the chunk size down to one), empty whole cores, shorten
 * lengths, drop initial memory regions and groups no longer used, and clear the vector's own
 * expectations (the lockstep comparison is what fails). Every candidate is written to a
 * temporary file, loaded by the strict loader and run in lockstep; it is kept only when it
 * still diverges with the same signature.
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include "pim_shrink.h"

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pim_cli.h"
#include "pim_harness.h"
#include "pim_load.h"

typedef struct signature {
    char op[12], unit[24], what[48];
} signature;

typedef struct shrinker {
    pim_rtl_set *rtl;
    char tmp[64];
    signature want;
    uint64_t tries, kept;
    int verbose;
} shrinker;

static const char *k_usage =
    "usage: pimcosim shrink [--fault NAME] [--seed S] [-o OUT] FAILING.json\n"
    "\n"
    "Reduces a vector that diverges in lockstep (drops instructions, cores, memory regions and\n"
    "groups, shortens lengths) while the same divergence signature remains: the op, the RTL\n"
    "unit and the kind of difference. Writes the minimal vector (default FAILING.min.json)\n"
    "ready to add to the suite, and reports the steps and seconds it took.\n"
    "\n"
    "  --fault NAME   use RTL models built with +define+NAME (as the failing run did)\n"
    "  --seed S       Verilator's +verilator+seed (default 1)\n"
    "  -o OUT         where to write the minimal vector\n"
    "\n"
    "Exit: 0 written, 1 the vector does not diverge, 2 bad input.\n";

/* Runs a candidate; 1 when it diverges with the wanted signature (or, with want == NULL,
 * with any signature, stored in *got). */
static int diverges(shrinker *s, cJSON *v, signature *got)
{
    char *text = cJSON_PrintUnformatted(v);
    FILE *f = text ? fopen(s->tmp, "w") : NULL;
    int ok = f && fputs(text, f) >= 0;
    if (f && fclose(f) != 0)
        ok = 0;
    free(text);
    if (!ok)
        return 0;
    s->tries++;
    pim_program *p = NULL;
    pim_error err;
    int hit = 0;
    if (pim_load_vector_file(s->tmp, &p, &err) == PIM_OK && !p->refused) {
        pim_rtl *rtl;
        pim_golden *g = NULL;
        pim_lockstep_report rep;
        if (pim_rtl_set_get(s->rtl, &p->cfg, &rtl, &err) == PIM_OK &&
            pim_lockstep_run(p, rtl, 0, &rep, &g, &err) == PIM_E_MISMATCH && rep.diverged) {
            signature now;
            snprintf(now.op, sizeof now.op, "%s", rep.div.op);
            snprintf(now.unit, sizeof now.unit, "%s", rep.div.unit);
            snprintf(now.what, sizeof now.what, "%s", rep.div.what);
            if (got)
                *got = now;
            hit = !got ? strcmp(now.op, s->want.op) == 0 && strcmp(now.unit, s->want.unit) == 0 &&
                             strcmp(now.what, s->want.what) == 0
                       : 1;
        }
        pim_golden_free(g);
    }
    pim_program_free(p);
    return hit;
}

/* Tries removing items [from, from + n) of arr; keeps the removal when still failing. */
static int try_remove(shrinker *s, cJSON *root, cJSON *arr, int from, int n)
{
    cJSON *saved = cJSON_Duplicate(arr, 1);
    for (int k = 0; k < n; k++)
        cJSON_DeleteItemFromArray(arr, from);
    if (diverges(s, root, NULL)) {
        cJSON_Delete(saved);
        s->kept++;
        return 1;
    }
    /* restore */
    while (cJSON_GetArraySize(arr))
        cJSON_DeleteItemFromArray(arr, 0);
    for (cJSON *it = saved->child; it;) {
        cJSON *next = it->next;
        cJSON_AddItemToArray(arr, cJSON_DetachItemViaPointer(saved, it));
        it = next;
    }
    cJSON_Delete(saved);
    return 0;
}

/* ddmin-style: chunks of halving size over an array. Returns 1 if anything went. */
static int reduce_array(shrinker *s, cJSON *root, cJSON *arr)
{
    int progress = 0;
    for (int chunk = cJSON_GetArraySize(arr) / 2; chunk >= 1; chunk /= 2) {
        for (int from = 0; from + chunk <= cJSON_GetArraySize(arr);) {
            if (try_remove(s, root, arr, from, chunk))
                progress = 1;
            else
                from += chunk;
        }
    }
    if (cJSON_GetArraySize(arr) == 1 && try_remove(s, root, arr, 0, 1))
        progress = 1;
    return progress;
}

/* Tries a smaller value for a numeric member (len/size): 1, then half. */
static int shrink_number(shrinker *s, cJSON *root, cJSON *obj, const char *key)
{
    cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!cJSON_IsNumber(v) || v->valuedouble <= 1)
        return 0;
    const double was = v->valuedouble;
    const double tries[2] = {1, (double)((long long)was / 2)};
    for (int k = 0; k < 2; k++) {
        if (tries[k] < 1 || tries[k] >= was)
            continue;
        cJSON_SetNumberValue(v, tries[k]);
        if (diverges(s, root, NULL)) {
            s->kept++;
            return 1;
        }
        cJSON_SetNumberValue(v, was);
    }
    return 0;
}

static int shrink_pass(shrinker *s, cJSON *root)
{
    int progress = 0;
    cJSON *prog = cJSON_GetObjectItemCaseSensitive(root, "program");
    for (cJSON *core = prog ? prog->child : NULL; core; core = core->next) {
        if (!cJSON_IsArray(core))
            continue;
        const int n = cJSON_GetArraySize(core);
        if (n && try_remove(s, root, core, 0, n)) { /* the whole core */
            progress = 1;
            continue;
        }
        progress |= reduce_array(s, root, core);
        for (cJSON *in = core->child; in; in = in->next) {
            progress |= shrink_number(s, root, in, "len");
            progress |= shrink_number(s, root, in, "size");
        }
    }
    cJSON *init = cJSON_GetObjectItemCaseSensitive(root, "init");
    for (cJSON *part = init ? init->child : NULL; part; part = part->next) {
        if (cJSON_IsArray(part)) { /* gmem regions */
            progress |= reduce_array(s, root, part);
            continue;
        }
        const char *keys[2] = {"lmem", "groups"};
        for (int k = 0; k < 2; k++) {
            cJSON *arr = cJSON_GetObjectItemCaseSensitive(part, keys[k]);
            if (cJSON_IsArray(arr))
                progress |= reduce_array(s, root, arr);
        }
    }
    return progress;
}

int pim_shrink_main(int argc, char **argv)
{
    const char *in = NULL, *out = NULL;
    pim_rtl_opts ro;
    memset(&ro, 0, sizeof ro);
    char root[1024];
    pim_project_root(root, sizeof root);
    ro.root = root;
    ro.seed = 1;
    ro.build = 1;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0) {
            fputs(k_usage, stdout);
            return PIM_EXIT_PASS;
        } else if (strcmp(argv[i], "--fault") == 0 && i + 1 < argc) {
            ro.fault = argv[++i];
        } else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {
            if (pim_parse_u64(argv[++i], &ro.seed)) {
                fprintf(stderr, "pimcosim shrink: --seed takes a non-negative integer\n");
                return PIM_EXIT_BAD_INPUT;
            }
        } else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc) {
            out = argv[++i];
        } else if (argv[i][0] == '-' || in) {
            fprintf(stderr, "pimcosim shrink: unexpected argument '%s' (see --help)\n", argv[i]);
            return PIM_EXIT_BAD_INPUT;
        } else {
            in = argv[i];
        }
    }
    if (!in) {
        fprintf(stderr, "pimcosim shrink: needs FAILING.json (see --help)\n");
        return PIM_EXIT_BAD_INPUT;
    }
    char *text;
    size_t len;
    pim_error err;
    if (pim_read_file(in, &text, &len, &err) != PIM_OK) {
        char line[PIM_ERROR_MSG_MAX * 2];
        fprintf(stderr, "pimcosim shrink: %s\n", pim_error_format(&err, line, sizeof line));
        return PIM_EXIT_BAD_INPUT;
    }
    cJSON *v = cJSON_Parse(text);
    free(text);
    if (!cJSON_IsObject(v)) {
        fprintf(stderr, "pimcosim shrink: %s: not a JSON vector\n", in);
        cJSON_Delete(v);
        return PIM_EXIT_BAD_INPUT;
    }
    /* config paths are relative to the vector: make them absolute for the temporary copy */
    cJSON *cfg = cJSON_GetObjectItemCaseSensitive(v, "config");
    if (cJSON_IsString(cfg) && cfg->valuestring[0] != '/') {
        char dir[1024], full[2100], absd[1100];
        snprintf(dir, sizeof dir, "%s", in);
        char *slash = strrchr(dir, '/');
        if (slash)
            *slash = '\0';
        else
            snprintf(dir, sizeof dir, ".");
        if (!realpath(dir, absd))
            snprintf(absd, sizeof absd, "%s", dir);
        snprintf(full, sizeof full, "%s/%s", absd, cfg->valuestring);
        cJSON_ReplaceItemInObjectCaseSensitive(v, "config", cJSON_CreateString(full));
    }
    shrinker s;
    memset(&s, 0, sizeof s);
    snprintf(s.tmp, sizeof s.tmp, "/tmp/pimcosim-shrink-%.6s", "XX" "XX" "XX"); /* mkstemp */
    int fd = mkstemp(s.tmp);
    if (fd < 0) {
        fprintf(stderr, "pimcosim shrink: cannot create a temporary file\n");
        cJSON_Delete(v);
        return PIM_EXIT_BAD_INPUT;
    }
    close(fd);
    s.rtl = pim_rtl_set_new(&ro, 2);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc = PIM_EXIT_PASS;
    /* the vector's own expectations are not what is being reduced */
    cJSON_DeleteItemFromObjectCaseSensitive(v, "error");
    cJSON_ReplaceItemInObjectCaseSensitive(v, "expected", cJSON_CreateObject());
    if (!cJSON_GetObjectItemCaseSensitive(v, "expected"))
        cJSON_AddItemToObject(v, "expected", cJSON_CreateObject());
    if (!diverges(&s, v, &s.want)) {
        fprintf(stderr, "pimcosim shrink: %s does not diverge in lockstep%s\n", in,
                ro.fault ? "" : " (pass --fault NAME if it failed with an injected fault)");
        rc = PIM_EXIT_MISMATCH;
        goto done;
    }
    int insns0 = 0;
    const cJSON *prog = cJSON_GetObjectItemCaseSensitive(v, "program");
    for (const cJSON *c = prog ? prog->child : NULL; c; c = c->next)
        insns0 += cJSON_IsArray(c) ? cJSON_GetArraySize(c) : 0;
    for (int pass = 0; pass < 8 && shrink_pass(&s, v); pass++)
        ;
    int insns1 = 0;
    for (const cJSON *c = prog ? prog->child : NULL; c; c = c->next)
        insns1 += cJSON_IsArray(c) ? cJSON_GetArraySize(c) : 0;
    /* name and describe the result */
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(v, "id");
    char nid[300], comment[600], outp[1100];
    snprintf(nid, sizeof nid, "%.280s.min", cJSON_IsString(id) ? id->valuestring : "shrunk");
    snprintf(comment, sizeof comment,
             "shrunk by pimcosim shrink from %.300s (%d instructions): %s in %s diverges (%s)", in,
             insns0, s.want.op, s.want.unit, s.want.what);
    cJSON_ReplaceItemInObjectCaseSensitive(v, "id", cJSON_CreateString(nid));
    if (cJSON_GetObjectItemCaseSensitive(v, "comment"))
        cJSON_ReplaceItemInObjectCaseSensitive(v, "comment", cJSON_CreateString(comment));
    else
        cJSON_AddStringToObject(v, "comment", comment);
    if (out) {
        snprintf(outp, sizeof outp, "%s", out);
    } else {
        const size_t l = strlen(in);
        const size_t cut = l > 8 && strcmp(in + l - 8, ".json.gz") == 0 ? 8 : (l > 5 ? 5 : 0);
        snprintf(outp, sizeof outp, "%.*s.min.json", (int)(l - cut), in);
    }
    char *printed = cJSON_Print(v);
    FILE *f = printed ? fopen(outp, "w") : NULL;
    if (!f || fputs(printed, f) < 0 || fputc('\n', f) == EOF || fclose(f) != 0) {
        fprintf(stderr, "pimcosim shrink: cannot write %s\n", outp);
        rc = PIM_EXIT_BAD_INPUT;
    } else {
        clock_gettime(CLOCK_MONOTONIC, &t1);
        printf("shrunk %s: %d -> %d instructions, %llu candidates tried, %llu kept, %.2f s; "
               "signature %s / %s / %s; wrote %s\n",
               in, insns0, insns1, (unsigned long long)s.tries, (unsigned long long)s.kept,
               (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec),
               s.want.op, s.want.unit, s.want.what, outp);
    }
    free(printed);
done:
    pim_rtl_set_free(s.rtl);
    unlink(s.tmp);
    cJSON_Delete(v);
    return rc;
}
